import { describe, expect, it } from 'vitest';
import { forwardedDossierCodes } from './in-flight';

describe('forwardedDossierCodes', () => {
  it('reads the codes of an OpenCPS envelope and of a Thanh Hóa array (BOM tolerated)', () => {
    const envelope = {
      session: 's',
      service: 'DongBoHoSoMC',
      data: [{ MaHoSo: 'A-1' }, { MaHoSo: ' B-2 ' }],
    };
    expect(forwardedDossierCodes('opencps', Buffer.from(JSON.stringify(envelope)))).toEqual(['A-1', 'B-2']);
    const array = `\ufeff${JSON.stringify([{ MaHoSo: 'C-3' }, { NoCode: 1 }])}`;
    expect(forwardedDossierCodes('thanhhoa', Buffer.from(array))).toEqual(['C-3']);
  });

  it('reads nothing from a body it cannot parse', () => {
    expect(forwardedDossierCodes('opencps', Buffer.from('{oops'))).toEqual([]);
    expect(forwardedDossierCodes('thanhhoa', Buffer.from('"text"'))).toEqual([]);
  });
});
