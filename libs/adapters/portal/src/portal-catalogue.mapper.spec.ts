import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseProcessingTime } from '@isohub/timing';
import { parseCatalogueAnswer, readProcedureList, readProcedureRecord } from './portal-catalogue-answer';
import { mapPortalProcedure, type PortalProcedureRead } from './portal-catalogue.mapper';
import { PortalError } from './portal.errors';

const fixture = (path: string) => readFileSync(resolve(__dirname, '__fixtures__/catalogue', path), 'utf8');

/** The fixture as the adapter reads it: the answer, then its first record, then the mapper. */
function readFixture(path: string, asked?: string): PortalProcedureRead {
  const { result } = parseCatalogueAnswer(fixture(path), 'LayThuTuc');
  return mapPortalProcedure(readProcedureRecord(result, 'LayThuTuc'), asked);
}

function row(read: PortalProcedureRead) {
  if (!read.ok) {
    throw new Error(`expected a row, got ${read.problem}`);
  }
  return read;
}

describe('mapPortalProcedure', () => {
  it('reads an OpenCPS-shaped LayThuTuc record into a catalogue row, NFC, times per channel', () => {
    const { row: r, warnings } = row(readFixture('ok/laythutuc-opencps.json', '1.001193'));

    expect(r).toEqual({
      code: '1.001193',
      name: 'Thủ tục đăng ký khai sinh',
      issuing_body: 'Bộ Tư pháp',
      implementing_agency: 'Ủy ban nhân dân cấp xã',
      field: 'Hộ tịch',
      portal_url: undefined,
      time_in_person: '1 Ngày làm việc',
      time_online: '1 Ngày làm việc',
      time_postal: '3 Ngày làm việc',
    });
    expect(r.name).toBe(r.name.normalize('NFC'));
    expect(r.implementing_agency).toBe('Ủy ban nhân dân cấp xã'.normalize('NFC'));
    expect(warnings).toEqual([]);
    expect(parseProcessingTime(r.time_postal)).toMatchObject({
      ok: true,
      duration: { value: 3, unit: 'working_days', hours: 24 },
    });
  });

  it('reads the Thanh Hóa connector shape: string numbers, nested issuing body, several cases', () => {
    const { row: r, warnings } = row(readFixture('ok/laythutuc-thanhhoa-connector.json'));

    expect(r).toMatchObject({
      code: '2.001234',
      name: 'Cấp giấy phép xây dựng mới đối với nhà ở riêng lẻ',
      issuing_body: 'Bộ Xây dựng',
      implementing_agency: 'Ủy ban nhân dân cấp xã; Sở Xây dựng; Sở Xây dựng',
      field: 'Hoạt động xây dựng; Quy hoạch xây dựng, kiến trúc',
      time_in_person: '15 Ngày; 30 Ngày',
      time_online: '7.5 Ngày làm việc',
      time_postal: 'Trong ngày',
    });
    expect(warnings).toEqual(['CACHTHUCTHUCHIEN entry with KENH 4 ignored']);
    // Two cases with two durations are for a human to settle, never a guess.
    expect(parseProcessingTime(r.time_in_person)).toMatchObject({ ok: false, reason: 'several_durations' });
    expect(parseProcessingTime(r.time_online)).toMatchObject({
      ok: true,
      duration: { value: 7.5, unit: 'working_days' },
    });
    expect(parseProcessingTime(r.time_postal)).toMatchObject({ ok: true, duration: { unit: 'same_day' } });
  });

  it('leaves out what the record does not carry and sets to null what it carries empty', () => {
    const only = row(mapPortalProcedure({ MATTHC: '1.000001', TENTTHC: 'Thủ tục A' })).row;
    expect(only).toEqual({
      code: '1.000001',
      name: 'Thủ tục A',
      issuing_body: undefined,
      implementing_agency: undefined,
      field: undefined,
      portal_url: undefined,
    });
    const empty = row(
      mapPortalProcedure({
        MATTHC: '1.000001',
        TENTTHC: 'Thủ tục A',
        COQUANTHUCHIEN: [],
        LINHVUCTHUCHIEN: [],
        CACHTHUCTHUCHIEN: [{ KENH: 2, THOIGIANGIAIQUYET: 5, DONVITINH: 'Ngày làm việc' }],
        URL: 'not a link',
      }),
    ).row;
    expect(empty).toMatchObject({
      implementing_agency: null,
      field: null,
      portal_url: null,
      time_in_person: null,
      time_online: '5 Ngày làm việc',
      time_postal: null,
    });
  });

  it('falls back to the requested code and warns on an unreadable CACHTHUCTHUCHIEN', () => {
    const read = row(mapPortalProcedure({ TENTTHC: 'Thủ tục B', CACHTHUCTHUCHIEN: 'xem mô tả' }, '2.000002'));
    expect(read.row.code).toBe('2.000002');
    expect(read.row.time_online).toBeUndefined();
    expect(read.warnings).toEqual(['CACHTHUCTHUCHIEN is not a list; statutory times left as stored']);
  });

  it.each([
    ['bad/laythutuc-no-name.json', '1.001193', 'TENTTHC'],
    ['bad/laythutuc-other-code.json', '1.001193', 'MATTHC'],
  ])('refuses %s, naming %s', (path, asked, field) => {
    expect(readFixture(path, asked)).toMatchObject({ ok: false, field });
  });

  it('refuses a record that is not an object or has no code at all', () => {
    expect(mapPortalProcedure('1.001193')).toMatchObject({ ok: false, field: 'result[0]' });
    expect(mapPortalProcedure({ TENTTHC: 'x' })).toMatchObject({ ok: false, field: 'MATTHC' });
  });
});

describe('catalogue answers', () => {
  it('reads LayDanhSachTTHC, direct or wrapped as a string by the Thanh Hóa connector', () => {
    const direct = parseCatalogueAnswer(fixture('ok/laydanhsachtthc.json'), 'LayDanhSachTTHC');
    expect(direct.answer).toMatchObject({ errorCode: '0', outcome: 'success' });
    expect(readProcedureList(direct.result ?? [], 'LayDanhSachTTHC')).toEqual([
      { code: '1.001193', name: 'Thủ tục đăng ký khai sinh' },
      {
        code: '3.000333',
        name: 'Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam, người nước ngoài đang cư trú tại Việt Nam',
      },
      { code: '2.001234', name: null },
    ]);
    const wrapped = parseCatalogueAnswer(
      fixture('ok/laydanhsachtthc-thanhhoa-connector.json'),
      'LayDanhSachTTHC',
    );
    expect(wrapped.answer).toMatchObject({ errorCode: '0', outcome: 'success' });
    expect(readProcedureList(wrapped.result ?? [], 'x').map((p) => p.code)).toEqual(['1.001193', '3.000333']);
  });

  it('reads a refusal as a rejected answer without a result', () => {
    const refused = parseCatalogueAnswer('{"error_code":"-1","message":"Phiên làm việc hết hạn"}', 'x');
    expect(refused).toMatchObject({ answer: { errorCode: '-1', outcome: 'rejected' }, result: null });
  });

  it.each([
    ['bad/laydanhsachtthc-success-without-result.json', 'success without a result'],
    ['bad/catalogue-message-not-json.json', 'neither error_code nor result'],
    ['../bad/truncated.txt', 'not JSON'],
  ])('answers BAD_RESPONSE to %s', (path, words) => {
    const call = () => parseCatalogueAnswer(fixture(path), 'LayDanhSachTTHC');
    expect(call).toThrow(PortalError);
    expect(call).toThrow(words);
  });

  it('refuses a list entry without a code and a record that is not an object', () => {
    const list = parseCatalogueAnswer(fixture('bad/laydanhsachtthc-entry-without-code.json'), 'x');
    expect(() => readProcedureList(list.result ?? [], 'LayDanhSachTTHC')).toThrow('result[1] has no MATTHC');
    const record = parseCatalogueAnswer(fixture('bad/laythutuc-result-not-object.json'), 'x');
    expect(() => readProcedureRecord(record.result, 'LayThuTuc')).toThrow('result[0] is not an object');
    expect(() => parseCatalogueAnswer('{"error_code":"0","result":"x"}', 'x')).toThrow('neither an array');
  });
});
