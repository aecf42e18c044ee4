import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { deadLetterHeaders, deadLetterRecord, type DeadLetterInput } from './dead-letter';
import { validateDeadLetterHeaders } from './schema-validator';

const payload = Buffer.from(
  JSON.stringify({
    MaHoSo: '000.00.01.H56-250701-0001',
    ChuHoSo: 'Nguyễn Thị Hoa',
    SoDienThoai: '0912345678',
  }),
);

const input = (overrides: Partial<DeadLetterInput> = {}): DeadLetterInput => ({
  reasonCode: 'INVALID_ITEM',
  reason: 'NgayHenTra is not a date',
  field: '/NgayHenTra',
  sourceSystem: 'thanhhoa-dvc',
  protocol: 'dvcqg-tee',
  operation: 'DongBoHoSoMC',
  receivedAt: new Date('2025-07-01T03:05:48.203Z'),
  itemIndex: 3,
  dossierCode: '000.00.01.H56-250701-0001',
  payload,
  contentType: 'application/json',
  ...overrides,
});

describe('deadLetterHeaders', () => {
  it('builds the documented headers, valid against dead-letter.v1.json', () => {
    const headers = deadLetterHeaders(input());

    expect(headers).toEqual({
      dlq_reason_code: 'INVALID_ITEM',
      dlq_reason: 'NgayHenTra is not a date',
      dlq_field: '/NgayHenTra',
      dlq_source_system: 'thanhhoa-dvc',
      dlq_protocol: 'dvcqg-tee',
      dlq_operation: 'DongBoHoSoMC',
      dlq_received_at: '2025-07-01T10:05:48.203+07:00',
      dlq_item_index: '3',
      dlq_dossier_code: '000.00.01.H56-250701-0001',
      dlq_payload_sha256: createHash('sha256').update(payload).digest('hex'),
      'content-type': 'application/json',
    });
    expect(validateDeadLetterHeaders(headers).errors).toEqual([]);
  });

  it('keeps personal data out of the headers', () => {
    const headers = deadLetterHeaders(
      input({
        reason:
          'SoDienThoai 0912345678 / +84912345678 / 091 234 5678, CCCD 038090001234, email hoa.nguyen@example.vn',
      }),
    );
    const all = Object.values(headers).join('\n');

    expect(all).not.toMatch(/0912345678|84912345678|091 234 5678|038090001234|hoa\.nguyen/);
    expect(all).not.toContain('Nguyễn');
    expect(headers.dlq_reason).toBe(
      'SoDienThoai [number] / [number] / [number], CCCD [number], email [email]',
    );
  });

  it('leaves dates and dossier codes in a reason readable', () => {
    const reason = 'NgayHenTra 20250704170000 before NgayTiepNhan for 000.00.01.H56-250701-0001';
    expect(deadLetterHeaders(input({ reason })).dlq_reason).toBe(reason);
  });

  it('normalises what callers pass loosely instead of failing the dead letter', () => {
    const headers = deadLetterHeaders(
      input({
        reasonCode: 'required',
        reason: 'line one\nline two\u0000',
        field: 'NgayHenTra',
        receivedAt: '2025-07-01T03:05:48Z',
        itemIndex: null,
        dossierCode: null,
        operation: null,
        contentType: null,
        traceparent: 'garbage',
      }),
    );

    expect(headers).toMatchObject({
      dlq_reason_code: 'REQUIRED',
      dlq_reason: 'line one line two',
      dlq_field: '/NgayHenTra',
      dlq_received_at: '2025-07-01T10:05:48.000+07:00',
      'content-type': 'application/octet-stream',
    });
    expect(Object.keys(headers)).not.toEqual(
      expect.arrayContaining(['dlq_item_index', 'dlq_dossier_code', 'dlq_operation', 'traceparent']),
    );
    expect(validateDeadLetterHeaders(headers).errors).toEqual([]);
  });

  it('accepts a hash the caller already computed', () => {
    const sha = createHash('sha256').update(payload).digest('hex');
    const { payload: _omitted, ...rest } = input();
    expect(deadLetterHeaders({ ...rest, payloadSha256: sha }).dlq_payload_sha256).toBe(sha);
  });

  it('normalises Vietnamese text to NFC', () => {
    const nfd = 'Ngày hẹn trả không hợp lệ'.normalize('NFD');
    expect(deadLetterHeaders(input({ reason: nfd })).dlq_reason).toBe('Ngày hẹn trả không hợp lệ');
  });
});

describe('deadLetterRecord', () => {
  it('keeps the payload byte for byte and keys it by dossier code when known', () => {
    const record = deadLetterRecord({ ...input(), payload });
    expect(record.value.equals(payload)).toBe(true);
    expect(record.key).toBe('000.00.01.H56-250701-0001');
    expect(deadLetterRecord({ ...input({ dossierCode: null }), payload }).key).toBeNull();
  });
});
