import { describe, expect, it } from 'vitest';
import { classifyOutcome, parseJsonBody, parsePortalAnswer, readLookupResult } from './portal-answer';
import { PortalError } from './portal.errors';

describe('parsePortalAnswer', () => {
  it.each([
    [{ error_code: '0', message: 'Đồng bộ thành công' }, '0', 'success'],
    [{ error_code: 0, message: '' }, '0', 'success'],
    [{ error_code: '00' }, '00', 'success'],
    [{ error_code: ' 0 ', message: 'OK' }, '0', 'success'],
    [{ error_code: '3', message: 'Hồ sơ 000.00.01.H56-250701-0001 đã tồn tại' }, '3', 'already_exists'],
    [{ error_code: -3, message: 'Mã hồ sơ đã tồn tại trên hệ thống' }, '-3', 'already_exists'],
    [{ error_code: '0', message: 'Hồ sơ đã tồn tại' }, '0', 'already_exists'],
    [{ error_code: '3', message: 'Sai định dạng ngày' }, '3', 'rejected'],
    [{ error_code: '-1', message: 'Hồ sơ đã tồn tại' }, '-1', 'rejected'],
    [{ error_code: '1', message: 'thành công' }, '1', 'rejected'],
  ] as const)('%j -> %s / %s', (raw, errorCode, outcome) => {
    const answer = parsePortalAnswer(raw);
    expect(answer).toMatchObject({ errorCode, outcome });
    expect(answer.raw).toBe(raw);
  });

  it('recognises "đã tồn tại" written in NFD and returns the message in NFC', () => {
    const nfd = 'Hồ sơ đã tồn tại'.normalize('NFD');
    expect(nfd).not.toBe('Hồ sơ đã tồn tại');

    const answer = parsePortalAnswer({ error_code: '3', message: nfd });

    expect(answer.outcome).toBe('already_exists');
    expect(answer.message).toBe('Hồ sơ đã tồn tại');
  });

  it.each([[null], [[{ error_code: '0' }]], ['0'], [{ message: 'thành công' }], [{ error_code: '' }]])(
    'refuses %j as BAD_RESPONSE',
    (raw) => {
      expect(() => parsePortalAnswer(raw)).toThrow(
        expect.objectContaining({ code: 'BAD_RESPONSE', retryable: true }),
      );
    },
  );
});

describe('classifyOutcome', () => {
  it('treats the old "00" success code like "0"', () => {
    expect(classifyOutcome('00', 'Hồ sơ đã tồn tại')).toBe('already_exists');
  });
});

describe('parseJsonBody', () => {
  it('accepts a body with a UTF-8 BOM', () => {
    expect(parseJsonBody('\uFEFF{"error_code":"0"}', 'x')).toEqual({ error_code: '0' });
  });

  it.each([[''], ['<html><body>Service Unavailable</body></html>']])('refuses %j', (text) => {
    expect(() => parseJsonBody(text, 'x')).toThrow(PortalError);
  });
});

describe('readLookupResult', () => {
  it('reads the result array, a single object, or nothing', () => {
    expect(readLookupResult({ error_code: '0', result: [{ MaHoSo: 'A' }] })).toEqual([{ MaHoSo: 'A' }]);
    expect(readLookupResult({ error_code: '0', result: { MaHoSo: 'A' } })).toEqual([{ MaHoSo: 'A' }]);
    expect(readLookupResult({ error_code: '0' })).toEqual([]);
  });
});
