import { describe, expect, it } from 'vitest';
import type { PortalCatalogueRow } from '@isohub/adapters/portal';
import { keepStoredTime, portalCatalogueRows, type StoredEntry } from './catalogue-portal-rows';

const stored = (code: string, over: Partial<StoredEntry> = {}): StoredEntry => ({
  code,
  name: `Thủ tục ${code}`,
  issuing_body: 'Bộ Tư pháp',
  implementing_agency: 'Sở Tư pháp',
  field: 'Hộ tịch',
  portal_url: `https://dichvucong.gov.vn/p/${code}`,
  time_in_person: 'Không quá 05 ngày làm việc kể từ ngày nhận đủ hồ sơ',
  time_online: null,
  time_postal: null,
  retired: false,
  ...over,
});

describe('keepStoredTime', () => {
  it('keeps the stored wording for the same duration and takes a real change', () => {
    const text = 'Không quá 05 ngày làm việc kể từ ngày nhận đủ hồ sơ';
    expect(keepStoredTime(text, '5 Ngày làm việc')).toBe(text);
    expect(keepStoredTime(text, '7 Ngày làm việc')).toBe('7 Ngày làm việc');
    expect(keepStoredTime(text, '5 Ngày')).toBe('5 Ngày');
    expect(keepStoredTime('Theo mô tả', 'Theo   mô tả')).toBe('Theo mô tả');
    expect(keepStoredTime('Theo mô tả', 'Xem quy định')).toBe('Xem quy định');
    expect(keepStoredTime(null, '5 Ngày làm việc')).toBe('5 Ngày làm việc');
    expect(keepStoredTime(text, null)).toBeNull();
  });
});

describe('portalCatalogueRows', () => {
  const a = stored('1.000001');
  const b = stored('1.000002');
  const gone = stored('1.000003');
  const retired = stored('1.000004', { retired: true });
  const db = new Map([a, b, gone, retired].map((e) => [e.code, e]));

  it('takes fetched rows, keeps what the record does not carry, and never drops a failed fetch', () => {
    const fetched = new Map<string, PortalCatalogueRow>([
      [
        '1.000001',
        {
          code: '1.000001',
          name: 'Thủ tục mới tên',
          issuing_body: 'Bộ Công an',
          field: 'Hộ tịch',
          time_in_person: '5 Ngày làm việc',
          time_online: '3 Ngày làm việc',
          time_postal: null,
        },
      ],
      ['2.000009', { code: '2.000009', name: 'Thủ tục thêm' }],
    ]);
    const rows = portalCatalogueRows(['1.000001', '1.000002', '2.000009', '1.000004', '9.9'], fetched, db);

    expect(rows.map((r) => r.code)).toEqual(['1.000001', '1.000002', '2.000009']);
    expect(rows[0]).toMatchObject({
      name: 'Thủ tục mới tên',
      issuing_body: 'Bộ Công an',
      implementing_agency: 'Sở Tư pháp',
      portal_url: 'https://dichvucong.gov.vn/p/1.000001',
      time_in_person: a.time_in_person,
      time_online: '3 Ngày làm việc',
      time_postal: null,
    });
    // 1.000002 failed to fetch: kept exactly as stored, so the plan sees it unchanged.
    const { retired: _r, ...kept } = b;
    expect(rows[1]).toEqual({ ...kept, row: 2 });
    expect(rows[2]).toMatchObject({ code: '2.000009', name: 'Thủ tục thêm', issuing_body: null });
    // 1.000003 is not listed: absent, so the planning retires it.
    expect(rows.some((r) => r.code === gone.code)).toBe(false);
  });
});
