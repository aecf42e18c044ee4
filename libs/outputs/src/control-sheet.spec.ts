import { describe, expect, it } from 'vitest';
import { buildControlSheet, editionFor, vietnameseTime } from './control-sheet';
import { controlSheetInput as input, LANH_DAO, MOT_CUA, PHONG } from './testing/control-sheet-fixture';

describe('control sheet', () => {
  it('one row per handover with Vietnam time and the closed step verdict, the open step as Đang xử lý', () => {
    const sheet = buildControlSheet(input);
    expect(sheet.edition.formNo).toBe('Mẫu số 06');
    expect(sheet.isoFormCode).toBe('BM-VP01.03');
    expect(sheet.header).toMatchObject({
      dossierCode: 'H56.22-260302-0001',
      procedureCode: '1.001193',
      procedureName: 'Cấp giấy phép xây dựng',
      receivedAtText: '08 giờ 05 phút, ngày 02 tháng 03 năm 2026',
      dueAtText: '17 giờ 00 phút, ngày 16 tháng 03 năm 2026',
      processingUnit: 'UBND huyện Đông Sơn',
      applicantName: null,
      applicantPhone: null,
      applicantAddress: null,
    });
    expect(sheet.rows.map((r) => [r.no, r.agencyText, r.timeText, r.result, r.note, r.instance])).toEqual([
      [
        1,
        `1. Giao: ${MOT_CUA} – Lê Thị Hoa\n2. Nhận: ${PHONG} – Trần Văn Nam`,
        '08 giờ 30 phút, ngày 02 tháng 03 năm 2026',
        'Trước hạn',
        null,
        1,
      ],
      [
        2,
        `1. Giao: ${PHONG} – Trần Văn Nam\n2. Nhận: ${LANH_DAO}`,
        '10 giờ 00 phút, ngày 04 tháng 03 năm 2026',
        'Quá hạn',
        null,
        2,
      ],
      [
        3,
        `1. Giao: ${LANH_DAO}\n2. Nhận: ${PHONG} – Trần Văn Nam`,
        '14 giờ 15 phút, ngày 04 tháng 03 năm 2026',
        'Đúng hạn',
        'Trả lại: bổ sung ý kiến thẩm định',
        3,
      ],
      [
        4,
        `1. Giao: ${PHONG} – Trần Văn Nam\n2. Nhận: …`,
        '14 giờ 15 phút, ngày 04 tháng 03 năm 2026',
        'Đang xử lý',
        'Thẩm định',
        4,
      ],
    ]);
    expect(sheet.rows[3]?.nhan).toBeNull();
  });

  it('applicant fields only when configuration allows them; an applicant actor is never named', () => {
    expect(buildControlSheet(input, { applicantFields: true }).header).toMatchObject({
      applicantName: 'Nguyễn Văn A',
      applicantPhone: '0912345678',
      applicantAddress: 'Thôn 1, xã Đông Tiến',
    });
    const first = input.handovers[0];
    const byApplicant = {
      ...input,
      handovers: [
        {
          ...first,
          handover: {
            ...first.handover,
            userFrom: { id: '0912', name: 'Nguyễn Văn A', title: null, role: 'applicant' as const },
          },
        },
      ],
    };
    expect(buildControlSheet(byApplicant).rows[0]?.agencyText).toBe(
      `1. Giao: ${MOT_CUA} – Người nộp hồ sơ\n2. Nhận: ${PHONG} – Trần Văn Nam`,
    );
  });

  it('edition by the Vietnam receipt date (15/09/2025), overridable; the ISO form code is configurable', () => {
    expect(editionFor('2025-09-14T23:59:00+07:00')).toBe('TT01-2018-M05');
    expect(editionFor('2025-09-14T17:30:00Z')).toBe('TT03-2025-M06'); // 00:30 on 15/09 in Vietnam
    const old = {
      ...input,
      state: { ...input.state, dates: { ...input.state.dates, receivedAt: '2024-05-06T09:00:00+07:00' } },
    };
    const sheet = buildControlSheet(old, { isoFormCode: 'BM-MC-05' });
    expect([sheet.edition.formNo, sheet.edition.paper, sheet.isoFormCode]).toEqual([
      'Mẫu số 05',
      'A5',
      'BM-MC-05',
    ]);
    expect(buildControlSheet(old, { edition: 'TT03-2025-M06' }).edition.formNo).toBe('Mẫu số 06');
  });

  it('an unreadable instant gives no time text', () => {
    expect(vietnameseTime('not a date')).toBeNull();
    expect(vietnameseTime('2026-12-31T17:00:00Z')).toBe('00 giờ 00 phút, ngày 01 tháng 01 năm 2027');
  });
});
