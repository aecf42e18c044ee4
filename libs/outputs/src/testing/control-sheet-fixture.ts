import type { Handover, StepTiming } from '@isohub/events';
import type { ControlSheetInput } from '../control-sheet';

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

export const MOT_CUA = 'Bộ phận Một cửa';
export const PHONG = 'Phòng Quản lý đô thị';
export const LANH_DAO = 'Lãnh đạo UBND huyện';

/** Received 02/03/2026 08:05; step 2 late; the leader sends it back; the returned step is open. */
export const controlSheetInput: ControlSheetInput = {
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
