import { describe, expect, it } from 'vitest';
import type { Handover, StepTiming } from '@isohub/events';
import { buildControlSheet, editionFor, vietnameseTime, type ControlSheetInput } from './control-sheet';

const step = (
  instance: number,
  name: string,
  startedAt: string,
  endedAt: string | null,
  outcome: StepTiming['outcome'],
): StepTiming => ({
  dossierCode: 'H56.22-260302-0001',
  instance,
  step: name,
  isoStep: { stepNo: instance, code: null, name },
  startedAt,
  allowanceHours: 8,
  deadline: null,
  deadlineSource: 'iso_process',
  senderDeadline: null,
  calendarVersion: null,
  calendarStatus: null,
  processVersion: 'm-1',
  endedAt,
  elapsedWorkingHours: null,
  outcome,
  outcomeRule: outcome ? 'minute' : null,
});

const handover = (
  at: string,
  from: [string, string | null],
  to: [string, string | null],
  note: string | null = null,
): Handover => ({
  stepFrom: null,
  stepTo: null,
  unitFrom: { code: null, name: from[0] },
  unitTo: { code: null, name: to[0] },
  userFrom: from[1] === null ? null : { id: null, name: from[1], title: null },
  userTo: to[1] === null ? null : { id: null, name: to[1], title: null },
  handedOverAt: at,
  stepStartedAt: null,
  stepDeadline: null,
  action: null,
  note,
});

const MOT_CUA = 'Bộ phận Một cửa';
const PHONG = 'Phòng Quản lý đô thị';
const LANH_DAO = 'Lãnh đạo UBND huyện';

/** Received 02/03/2026 08:05; step 2 late; the leader sends it back; the returned step is open. */
const input: ControlSheetInput = {
  state: {
    dossierCode: 'H56.22-260302-0001',
    procedure: {
      nationalCode: '1.001193',
      localCode: null,
      name: 'Cấp giấy phép xây dựng',
      mappingStatus: 'mapped',
    },
    processingUnit: { code: 'H56.22', name: 'UBND huyện Đông Sơn' },
    receivingUnit: null,
    dates: {
      submittedAt: null,
      receivedAt: '2026-03-02T08:05:00+07:00',
      dueAt: '2026-03-16T17:00:00+07:00',
      previousDueAt: null,
      supplementRequestedAt: null,
      supplementReceivedAt: null,
      processingEndedAt: null,
      returnedAt: null,
      rejectedAt: null,
    },
  },
  handovers: [
    {
      handover: handover('2026-03-02T08:30:00+07:00', [MOT_CUA, 'Lê Thị Hoa'], [PHONG, 'Trần Văn Nam']),
      closedInstance: 1,
    },
    // No instance on the event: found by its end instant (10:00 VN = 03:00Z).
    {
      handover: handover('2026-03-04T03:00:00Z', [PHONG, 'Trần Văn Nam'], [LANH_DAO, null]),
      closedInstance: null,
    },
    {
      handover: handover(
        '2026-03-04T07:15:00Z',
        [LANH_DAO, null],
        [PHONG, 'Trần Văn Nam'],
        'Trả lại: bổ sung ý kiến thẩm định',
      ),
      closedInstance: 3,
    },
  ],
  steps: [
    step(1, 'Tiếp nhận', '2026-03-02T08:05:00+07:00', '2026-03-02T08:30:00+07:00', 'early'),
    step(2, 'Thẩm định', '2026-03-02T08:30:00+07:00', '2026-03-04T10:00:00+07:00', 'late'),
    step(3, 'Phê duyệt', '2026-03-04T10:00:00+07:00', '2026-03-04T14:15:00+07:00', 'on_time'),
    step(4, 'Thẩm định', '2026-03-04T14:15:00+07:00', null, null),
  ],
  applicant: { name: 'Nguyễn Văn A', phone: '0912345678', address: 'Thôn 1, xã Đông Tiến' },
};

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
