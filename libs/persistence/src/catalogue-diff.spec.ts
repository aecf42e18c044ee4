import { describe, expect, it } from 'vitest';
import { type CurrentCatalogueEntry, diffCatalogue } from './catalogue-diff';

const entry = (
  code: string,
  name: string,
  issuing_body: string | null = 'Bộ Tư pháp',
  retired = false,
): CurrentCatalogueEntry => ({
  code,
  name,
  issuing_body,
  implementing_agency: null,
  field: 'Hộ tịch',
  portal_url: null,
  time_in_person: null,
  time_online: null,
  time_postal: null,
  retired,
});

const CURRENT = [
  entry('1.001193', 'Thủ tục đăng ký khai sinh'),
  entry('2.000488', 'Cấp Phiếu lý lịch tư pháp', 'Bộ Tư pháp'),
  entry('1.003583', 'Thủ tục đăng ký khai sinh lưu động'),
  entry('1.000001', 'Thủ tục cũ', 'Bộ Tư pháp', true),
];

const input = (e: CurrentCatalogueEntry, patch: Record<string, string | null> = {}) => {
  const { retired: _retired, ...rest } = e;
  return { ...rest, ...patch };
};

describe('diffCatalogue', () => {
  it('retires missing codes with their declared or same-name replacement, never deletes them', () => {
    const d = diffCatalogue(CURRENT, [
      input(CURRENT[0]),
      {
        code: '3.000333',
        name: 'Cấp Phiếu lý lịch tư pháp',
        issuing_body: 'Bộ Công an',
        replaces: '2.000488',
      },
      { code: '1.099999', name: 'Thủ tục đăng ký khai sinh lưu động'.normalize('NFD') },
    ]);
    expect(d.added.map((a) => a.code)).toEqual(['3.000333', '1.099999']);
    expect(d.added[1]?.name).toBe('Thủ tục đăng ký khai sinh lưu động');
    expect(d.removed).toEqual([
      expect.objectContaining({ code: '2.000488', replacedBy: '3.000333', replacedHow: 'declared' }),
      expect.objectContaining({ code: '1.003583', replacedBy: '1.099999', replacedHow: 'same_name' }),
    ]);
    expect(d.unchanged).toBe(1);
  });

  it('brings a retired code back as restored and reports field changes and renamed agencies', () => {
    const d = diffCatalogue(CURRENT, [
      input(CURRENT[0], { issuing_body: 'Bộ Tư pháp (mới)', time_online: '5 ngày làm việc' }),
      input(CURRENT[1], { issuing_body: 'Bộ Tư pháp (mới)' }),
      input(CURRENT[2], { issuing_body: 'Bộ Tư pháp (mới)' }),
      input(CURRENT[3]),
    ]);
    expect(d.restored.map((r) => r.code)).toEqual(['1.000001']);
    expect(d.changed[0]).toMatchObject({ code: '1.001193', fields: ['issuing_body', 'time_online'] });
    expect(d.renamedAgencies).toEqual([
      { field: 'issuing_body', from: 'Bộ Tư pháp', to: 'Bộ Tư pháp (mới)', procedures: 3 },
    ]);
  });

  it('reports empty and duplicate codes with their row, and keeps malformed codes with a warning', () => {
    const d = diffCatalogue(
      [],
      [
        { code: '1.014955-Xoa', name: 'Thủ tục', row: 2 },
        { code: '', name: 'Không mã', row: 3 },
        { code: '1.014955-Xoa', name: 'Lặp', row: 4 },
        { code: '1.000002', name: '  ', row: 5 },
      ],
    );
    expect(d.added.map((a) => a.code)).toEqual(['1.014955-Xoa']);
    expect(d.warnings).toEqual([expect.objectContaining({ row: 2, field: 'code', code: 'format' })]);
    expect(d.errors.map((e) => [e.row, e.field, e.code])).toEqual([
      [3, 'code', 'required'],
      [4, 'code', 'duplicate'],
      [5, 'name', 'required'],
    ]);
  });
});
