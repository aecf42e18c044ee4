/**
 * Canonical ISO event types. The CloudEvents `type` is `vn.isohub.dossier.<kebab>.v<major>`;
 * a breaking change to a type's data adds a new major, never edits an old one.
 * Milestones follow DOMAIN.md §3.3.
 */
export const MILESTONES = [
  'DOSSIER_SUBMITTED',
  'DOSSIER_RECEIVED',
  'DOSSIER_REJECTED_AT_INTAKE',
  'STEP_HANDOVER',
  'SUPPLEMENT_REQUESTED',
  'SUPPLEMENT_RECEIVED',
  'PAYMENT_REQUESTED',
  'PAYMENT_COMPLETED',
  'WITHDRAWAL_REQUESTED',
  'PROCESSING_STOPPED',
  'DEADLINE_EXTENDED',
  'RESULT_READY',
  'RESULT_RETURNED',
  /** A national-status change that matches no milestone above (e.g. 2 -> 4 from a snapshot). */
  'STATUS_CHANGED',
] as const;

/**
 * Milestones isohub derives itself from its deadline timers (issue 11 §4), never mapped from a sender's status:
 * a step or the dossier passed its deadline, one working day is left, or an overdue event turned out wrong.
 */
export const TIMER_MILESTONES = [
  'STEP_OVERDUE',
  'DOSSIER_OVERDUE',
  'DEADLINE_APPROACHING',
  'OVERDUE_RETRACTED',
] as const;
export type TimerMilestone = (typeof TIMER_MILESTONES)[number];

/** Every milestone an event may carry. */
export const ALL_MILESTONES = [...MILESTONES, ...TIMER_MILESTONES] as const;

export type Milestone = (typeof MILESTONES)[number] | TimerMilestone;

export const EVENT_TYPE_VERSION = 1;

const kebab = (m: Milestone): string =>
  m
    .replace(/^DOSSIER_/, '')
    .toLowerCase()
    .replace(/_/g, '-');

/** `DOSSIER_RECEIVED` -> `vn.isohub.dossier.received.v1` */
export function eventTypeOf(milestone: Milestone, version = EVENT_TYPE_VERSION): string {
  return `vn.isohub.dossier.${kebab(milestone)}.v${version}`;
}

export function milestoneOfType(type: string): Milestone | undefined {
  return ALL_MILESTONES.find((m) => type.startsWith(`vn.isohub.dossier.${kebab(m)}.v`));
}

/** National status codes TrangThaiHoSo (DOMAIN.md §3.1). Labels are data, kept here as defaults. */
export const NATIONAL_STATUS_LABELS: Readonly<Record<number, string>> = {
  1: 'Mới đăng ký',
  2: 'Được tiếp nhận',
  3: 'Không được tiếp nhận',
  4: 'Đang xử lý',
  5: 'Yêu cầu bổ sung giấy tờ',
  6: 'Yêu cầu thực hiện nghĩa vụ tài chính',
  7: 'Công dân yêu cầu rút hồ sơ',
  8: 'Dừng xử lý',
  9: 'Đã xử lý xong',
  10: 'Đã trả kết quả',
};
