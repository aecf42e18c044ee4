import { describe, expect, it } from 'vitest';
import { readLocalCode, readProcess, readPublish, readStatusMapping } from './mapping-validation';
import { ProblemException } from '../http/problem';

const fields = (r: { ok: boolean; errors?: { field: string }[] }) =>
  r.ok ? [] : (r.errors ?? []).map((e) => e.field);

describe('readLocalCode', () => {
  it('NFC-normalises and trims; the key comes from the path', () => {
    const r = readLocalCode(
      { sourceSystem: 'opencps-h56', localCode: ' 1.001193.000.00.00.H56 ' },
      { nationalCode: '1.001193', note: 'Đăng ký'.normalize('NFD') },
    );
    expect(r).toEqual({
      ok: true,
      value: {
        sourceSystem: 'opencps-h56',
        localCode: '1.001193.000.00.00.H56',
        nationalCode: '1.001193',
        agencyCode: null,
        note: 'Đăng ký',
      },
    });
  });

  it('names every bad field by JSON pointer', () => {
    expect(
      fields(readLocalCode({ sourceSystem: 'a b', localCode: '' }, { nationalCode: 12, agencyCode: {} })),
    ).toEqual(['/sourceSystem', '/localCode', '/agencyCode']);
  });

  it('answers 400 when the body is not an object', () => {
    expect(() => readLocalCode({ sourceSystem: 's', localCode: 'l' }, [1])).toThrow(ProblemException);
  });
});

describe('readStatusMapping', () => {
  it('defaults the sub-status to the wildcard and the date to today in Vietnam', () => {
    const r = readStatusMapping(
      { sourceSystem: 'opencps', status: 'done', nationalStatus: '10', milestone: 'RESULT_RETURNED' },
      '2025-07-01',
    );
    expect(r).toMatchObject({
      ok: true,
      value: { subStatus: '*', validFrom: '2025-07-01', nationalStatus: 10 },
    });
  });

  it('checks the national status range, the milestone list and real dates', () => {
    expect(
      fields(
        readStatusMapping({
          sourceSystem: 's',
          status: 'x',
          nationalStatus: 0,
          milestone: 'DONE',
          validFrom: '2025-13-01',
        }),
      ),
    ).toEqual(['/validFrom', '/nationalStatus', '/milestone']);
  });
});

describe('readProcess', () => {
  const params = { agencyCode: '000.00.01.H56', procedureCode: '1.001193' };

  it('stores fractional working days as hours and numbers steps in order (DOMAIN.md §6.1)', () => {
    const r = readProcess(params, {
      statutory: { online: '5 ngày làm việc', inPerson: { value: 30, unit: 'calendar_days' } },
      steps: [
        { name: 'Tiếp nhận và kiểm tra hồ sơ', allowanceDays: 0.25, formCodes: 'BM-VP01.01; BM-VP01.02' },
        { name: 'Thẩm định', allowanceDays: 1.5 },
        { name: 'Trình Lãnh đạo Phòng', allowanceHours: 4, allowanceDays: 0.5 },
        { name: 'Trả kết quả', allowanceDays: 0, nationalStatus: 10 },
      ],
    });
    expect(r.ok).toBe(true);
    const v = r.ok ? r.value : null;
    expect(v?.steps.map((s) => [s.stepNo, s.allowanceHours])).toEqual([
      [1, 2],
      [2, 12],
      [3, 4],
      [4, 0],
    ]);
    expect(v?.steps[0]?.formCodes).toEqual(['BM-VP01.01', 'BM-VP01.02']);
    expect(v?.statutory).toEqual({
      online: { value: 5, unit: 'working_days', hours: 40, text: '5 ngày làm việc' },
      inPerson: { value: 30, unit: 'calendar_days' },
    });
  });

  it('reads per-channel allowances and names a wrong channel (docs/iso-time.md)', () => {
    const ok = readProcess(params, {
      steps: [{ name: 'Thẩm định', allowanceHours: 12, channelAllowanceHours: { online: 8, postal: '10' } }],
    });
    expect(ok.ok && ok.value.steps[0]?.channelAllowanceHours).toEqual({ online: 8, postal: 10 });
    const plain = readProcess(params, { steps: [{ name: 'Thẩm định', allowanceHours: 12 }] });
    expect(plain.ok && 'channelAllowanceHours' in plain.value.steps[0]).toBe(false);
    expect(
      fields(
        readProcess(params, {
          steps: [{ name: 'A', allowanceHours: 1, channelAllowanceHours: { mail: 2, online: -1 } }],
        }),
      ),
    ).toEqual(['/steps/0/channelAllowanceHours/mail', '/steps/0/channelAllowanceHours/online']);
  });

  it('names the step fields at fault, including unreadable statutory text and inconsistent allowances', () => {
    expect(
      fields(
        readProcess(params, {
          statutory: { postal: 'Theo mô tả ngày' },
          steps: [{ name: 'A', allowanceHours: 3, allowanceDays: 1 }, { allowanceDays: 'x' }, { name: 'C' }],
        }),
      ),
    ).toEqual([
      '/steps/0/allowanceHours',
      '/steps/1/name',
      '/steps/1/allowanceDays',
      '/steps/2/allowanceHours',
      '/statutory/postal',
    ]);
    expect(fields(readProcess(params, { steps: [] }))).toEqual(['/steps']);
  });
});

describe('readPublish', () => {
  it('reads a bare date as Vietnam midnight', () => {
    expect(readPublish({ effectiveFrom: '2025-07-01' })).toEqual({
      ok: true,
      value: { effectiveFrom: new Date('2025-06-30T17:00:00.000Z'), note: null },
    });
    expect(readPublish(undefined)).toEqual({ ok: true, value: { effectiveFrom: undefined, note: null } });
    expect(fields(readPublish({ effectiveFrom: 'soon' }))).toEqual(['/effectiveFrom']);
  });
});
