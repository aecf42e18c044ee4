import { describe, expect, it } from 'vitest';
import { MASK, maskPayload } from './payload-mask';

describe('maskPayload', () => {
  it('masks applicant fields, attachments and secrets in JSON, nested and in arrays, and counts them', () => {
    const raw = JSON.stringify({
      session: 'abc-session-123',
      madonvi: '000.00.01.H56',
      data: [
        {
          MaHoSo: '000.00.01.H56-260501-0001',
          ChuHoSo: 'Nguyễn Văn An',
          SoGiayToChuHoSo: '001090000001',
          DiaChiThuongTru: 'Số 1, phường X',
          Email: '',
          TaiLieuNop: [{ TepDinhKem: 'JVBERi0xLjQK' }],
          TrangThaiHoSo: '4',
        },
      ],
    });
    const out = maskPayload(raw);
    expect(out.format).toBe('json');
    const body = JSON.parse(out.text) as {
      session: string;
      madonvi: string;
      data: Record<string, unknown>[];
    };
    expect(body.session).toBe(MASK);
    expect(body.madonvi).toBe('000.00.01.H56');
    expect(body.data[0]).toMatchObject({
      MaHoSo: '000.00.01.H56-260501-0001',
      ChuHoSo: MASK,
      SoGiayToChuHoSo: MASK,
      DiaChiThuongTru: MASK,
      Email: '',
      TaiLieuNop: MASK,
      TrangThaiHoSo: '4',
    });
    expect(out.masked).toBe(5);
    expect(out.text).not.toMatch(/Nguyễn|001090000001|JVBERi|abc-session/);
  });

  it('masks XML element text by local name, keeping tags, namespaces and other elements', () => {
    const raw =
      '<soap:Envelope><soap:Body><x:Doc><x:CitizenName lang="vi">Trần Thị Bình</x:CitizenName>' +
      '<x:DocumentCode>H56-0001</x:DocumentCode><x:Password>p@ss</x:Password></x:Doc></soap:Body></soap:Envelope>';
    const out = maskPayload(raw);
    expect(out.format).toBe('xml');
    expect(out.text).toContain(`<x:CitizenName lang="vi">${MASK}</x:CitizenName>`);
    expect(out.text).toContain('<x:DocumentCode>H56-0001</x:DocumentCode>');
    expect(out.text).not.toMatch(/Trần Thị Bình|p@ss/);
    expect(out.masked).toBe(2);
  });

  it('masks "Name": "value" pairs in JSON too broken to parse', () => {
    const out = maskPayload('{"MaHoSo": "H56-1", "ChuHoSo": "Lê Văn Cường", "SoDienThoai": "0912345678",');
    expect(out.format).toBe('text');
    expect(out.text).toContain('"MaHoSo": "H56-1"');
    expect(out.text).not.toMatch(/Lê Văn Cường|0912345678/);
    expect(out.masked).toBe(2);
  });

  it('leaves a payload with nothing personal as it was (pretty-printed when JSON)', () => {
    expect(maskPayload('\uFEFF{"MaHoSo":"X","TrangThaiHoSo":"42"}')).toEqual({
      format: 'json',
      text: '{\n  "MaHoSo": "X",\n  "TrangThaiHoSo": "42"\n}',
      masked: 0,
    });
    expect(maskPayload('not json at all')).toEqual({ format: 'text', text: 'not json at all', masked: 0 });
  });
});
