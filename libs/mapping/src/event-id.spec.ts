import { describe, expect, it } from 'vitest';
import { ceSource, deriveEventId } from './event-id';

const UUID_V8 = /^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('deriveEventId', () => {
  const parts = [
    'opencps-tinh-x',
    '000.00.01.H56-260401-0001',
    'DOSSIER_RECEIVED',
    '2026-04-01T10:05:48+07:00',
    2,
  ];

  it('is a UUID version 8 with the RFC 9562 variant', () => {
    expect(deriveEventId(parts)).toMatch(UUID_V8);
  });

  it('is stable for the same parts (pinned, so a change to the derivation is noticed)', () => {
    expect(deriveEventId(parts)).toBe(deriveEventId([...parts]));
    expect(deriveEventId(parts)).toBe('cd3dfb58-bd9c-8d9a-a0ae-15f195406aea');
  });

  it('ignores NFD vs NFC and surrounding or repeated whitespace', () => {
    const nfc = ['sys', 'HS-1', 'handover', 'Nguyễn Văn Ánh', 'Chuyển   xử lý'];
    const noisy = ['sys', ' HS-1 ', 'handover', 'Nguyễn Văn Ánh'.normalize('NFD'), 'Chuyển xử lý\n'];
    expect(deriveEventId(noisy)).toBe(deriveEventId(nfc));
  });

  it('differs when any part differs, including position and null vs empty', () => {
    const id = deriveEventId(['a', 'b', 'c']);
    expect(deriveEventId(['a', 'b', 'd'])).not.toBe(id);
    expect(deriveEventId(['b', 'a', 'c'])).not.toBe(id);
    expect(deriveEventId(['a|b', 'c'])).not.toBe(deriveEventId(['a', 'b|c']));
    expect(deriveEventId(['a', null])).not.toBe(deriveEventId(['a', '']));
    expect(deriveEventId(['a', 2])).toBe(deriveEventId(['a', '2']));
  });
});

describe('ceSource', () => {
  it('names the system and the agency', () => {
    expect(ceSource('opencps-tinh-x', '000.00.00.H56')).toBe('isohub://opencps-tinh-x/000.00.00.H56');
  });

  it('uses "-" when the agency is unknown', () => {
    expect(ceSource('thanhhoa-igate', null)).toBe('isohub://thanhhoa-igate/-');
    expect(ceSource('thanhhoa-igate', ' ')).toBe('isohub://thanhhoa-igate/-');
  });
});
