/**
 * The QĐ 766/QĐ-TTg on-time rule (indicator 2.1) for one dossier, with every intermediate value kept
 * so a reader can check the verdict by hand. Pure. The rule as published in the index's formula
 * description: on time iff the end of processing <= the promised date (NgayHenTra), where
 * - the end is the time of the ending status, by priority 9 (Đã xử lý xong) > 10 (Đã trả kết quả) >
 *   8 (Dừng xử lý) / 3 (Không được tiếp nhận); withdrawal's (7) place is not stated, so it is a setting;
 * - a dossier still waiting for a supplement ends at the supplement request;
 * - supplement time (completed − requested) is taken off;
 * - more than one supplement request ⇒ late, whatever the times;
 * - with no promised date, the statutory time from reception stands in;
 * - an unfinished dossier ends at the end of the reporting period.
 */
import type { CalendarStatus, WorkingCalendar } from '../calendar/working-calendar';
import { allowanceMinutesOf, vnLocalDate, worstStatus } from './step-verdict';

/**
 * - `subtract_elapsed` (the national KPI): end − Σ(completed − requested), in wall-clock time;
 * - `shift_due_date` (Thanh Hóa): the due date moves by the calendar length of the pauses, then rolls
 *   forward off a day off (same wall-clock time, next working day);
 * - `subtract_working_time`: working minutes used minus the working minutes paused, against the
 *   working minutes allowed from reception to the due date.
 */
export const TOLLING_MODES = ['subtract_elapsed', 'shift_due_date', 'subtract_working_time'] as const;
export type TollingMode = (typeof TOLLING_MODES)[number];

/**
 * Where withdrawal (7) ranks among ending statuses: `with_stopped` beside 8 and 3, `lowest` below them,
 * `not_ending` not an end at all.
 */
export const WITHDRAWAL_RANKS = ['with_stopped', 'lowest', 'not_ending'] as const;
export type WithdrawalRank = (typeof WITHDRAWAL_RANKS)[number];

export interface DossierVerdictOptions {
  tolling: TollingMode;
  withdrawal: WithdrawalRank;
}

export const DEFAULT_DOSSIER_VERDICT_OPTIONS: DossierVerdictOptions = {
  tolling: 'subtract_elapsed',
  withdrawal: 'with_stopped',
};

export interface StatusAt {
  /** National status code (TrangThaiHoSo, 1–10). */
  status: number;
  at: Date;
}

export interface SupplementPause {
  requestedAt: Date;
  /** Absent while the applicant has not yet supplied the papers. */
  completedAt?: Date | null;
}

export interface DossierVerdictInput {
  /** NgayTiepNhan: the dossier was received (the clock started). */
  receivedAt: Date;
  /** The promised date in force (NgayHenTra after any extension); absent when the sender gave none. */
  dueAt?: Date | null;
  /** The promised date before the first extension; absent when never extended. */
  originalDueAt?: Date | null;
  /** How many times the due date was extended (more than one is an ISO finding, not an error). */
  extensionCount?: number;
  /** The statutory time in working hours, for a dossier with no promised date. */
  statutoryHours?: number | null;
  /** Every national status the dossier reached, with its time (order does not matter). */
  statuses: StatusAt[];
  supplements: SupplementPause[];
  /** The end of the reporting period, the end of an unfinished dossier; defaults to `now`. */
  asOf: Date;
  calendar: WorkingCalendar;
  options?: Partial<DossierVerdictOptions>;
}

export type EndReason = 'status' | 'awaiting_supplement' | 'unfinished';
export type DueSource = 'due_date' | 'statutory' | 'none';
export type DossierOutcome = 'on_time' | 'late' | 'undetermined';
export type LateReason = 'after_due' | 'several_supplements';

export interface DueComparison {
  dueAt: Date;
  /** The due date after tolling (equals `dueAt` unless the mode is `shift_due_date`). */
  effectiveDueAt: Date;
  onTime: boolean;
}

export interface DossierVerdict {
  ended: boolean;
  endReason: EndReason;
  /** The status whose time is the end, when the dossier ended by a status. */
  endStatus: number | null;
  /** The end before tolling. */
  end: Date;
  supplementRequests: number;
  /** Σ(completed − requested) of the pauses taken off, in wall-clock minutes. */
  supplementMinutes: number;
  /** The same pauses measured in working minutes. */
  supplementWorkingMinutes: number;
  tolling: TollingMode;
  /** The end after `subtract_elapsed` (equals `end` in the other modes). */
  adjustedEnd: Date;
  /** Working minutes from reception to the end, pauses taken off (`subtract_working_time`), else without. */
  elapsedWorkingMinutes: number;
  dueSource: DueSource;
  /** Against the due date in force (or the statutory time); absent when there is neither. */
  current: DueComparison | null;
  /** Against the promised date before any extension; absent when never extended. */
  original: DueComparison | null;
  extensionCount: number;
  outcome: DossierOutcome;
  lateReasons: LateReason[];
  calendarVersion: string;
  calendarStatus: CalendarStatus;
}

export class DossierVerdictError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DossierVerdictError';
  }
}

const MINUTE_MS = 60_000;

function rankOf(status: number, withdrawal: WithdrawalRank): number | null {
  switch (status) {
    case 9:
      return 4;
    case 10:
      return 3;
    case 8:
    case 3:
      return 2;
    case 7:
      return withdrawal === 'with_stopped' ? 2 : withdrawal === 'lowest' ? 1 : null;
    default:
      return null;
  }
}

/** The ending status by priority; the latest occurrence of that status when it was reached twice. */
export function endingStatus(statuses: StatusAt[], withdrawal: WithdrawalRank): StatusAt | null {
  let best: { entry: StatusAt; rank: number } | null = null;
  for (const entry of statuses) {
    const rank = rankOf(entry.status, withdrawal);
    if (rank === null) {
      continue;
    }
    if (!best || rank > best.rank || (rank === best.rank && entry.at.getTime() > best.entry.at.getTime())) {
      best = { entry, rank };
    }
  }
  return best?.entry ?? null;
}

export function dossierVerdict(input: DossierVerdictInput): DossierVerdict {
  const options = { ...DEFAULT_DOSSIER_VERDICT_OPTIONS, ...input.options };
  const { calendar, receivedAt } = input;
  const supplements = [...input.supplements].sort(
    (a, b) => a.requestedAt.getTime() - b.requestedAt.getTime(),
  );
  for (const s of supplements) {
    if (s.completedAt && s.completedAt < s.requestedAt) {
      throw new DossierVerdictError('a supplement was completed before it was requested');
    }
  }

  const ending = endingStatus(input.statuses, options.withdrawal);
  const open = supplements.find((s) => !s.completedAt && (!ending || s.requestedAt <= ending.at));
  let end: Date;
  let endReason: EndReason;
  if (ending) {
    end = ending.at;
    endReason = 'status';
  } else if (open) {
    end = open.requestedAt;
    endReason = 'awaiting_supplement';
  } else {
    end = input.asOf;
    endReason = 'unfinished';
  }

  // Pauses taken off: those before the end, an unfinished pause closed at the end.
  const pauses = supplements
    .filter((s) => s.requestedAt < end)
    .map((s) => ({
      from: s.requestedAt,
      to: new Date(Math.min((s.completedAt ?? end).getTime(), end.getTime())),
    }));
  const supplementMs = pauses.reduce((sum, p) => sum + (p.to.getTime() - p.from.getTime()), 0);
  const supplementWorkingMinutes = pauses.reduce(
    (sum, p) => sum + Math.max(0, calendar.workingMinutesBetween(p.from, p.to)),
    0,
  );
  const adjustedEnd = options.tolling === 'subtract_elapsed' ? new Date(end.getTime() - supplementMs) : end;
  const clockStart = calendar.normaliseStart(receivedAt);
  const grossWorking = Math.max(0, calendar.workingMinutesBetween(clockStart, end));
  const elapsedWorkingMinutes =
    options.tolling === 'subtract_working_time'
      ? Math.max(0, grossWorking - supplementWorkingMinutes)
      : grossWorking;

  const compare = (dueAt: Date): DueComparison => {
    switch (options.tolling) {
      case 'subtract_elapsed':
        return { dueAt, effectiveDueAt: dueAt, onTime: adjustedEnd <= dueAt };
      case 'shift_due_date': {
        const effectiveDueAt = rollForward(calendar, new Date(dueAt.getTime() + supplementMs));
        return { dueAt, effectiveDueAt, onTime: end <= effectiveDueAt };
      }
      case 'subtract_working_time': {
        const allowed = Math.max(0, calendar.workingMinutesBetween(clockStart, dueAt));
        return { dueAt, effectiveDueAt: dueAt, onTime: elapsedWorkingMinutes <= allowed };
      }
    }
  };

  let dueSource: DueSource = 'none';
  let current: DueComparison | null = null;
  if (input.dueAt) {
    dueSource = 'due_date';
    current = compare(input.dueAt);
  } else if (input.statutoryHours !== undefined && input.statutoryHours !== null) {
    dueSource = 'statutory';
    current = compare(calendar.addWorkingMinutes(clockStart, allowanceMinutesOf(input.statutoryHours)));
  }
  const original = input.originalDueAt && input.dueAt ? compare(input.originalDueAt) : null;

  const lateReasons: LateReason[] = [];
  if (supplements.length > 1) {
    lateReasons.push('several_supplements');
  }
  if (current && !current.onTime) {
    lateReasons.push('after_due');
  }
  const outcome: DossierOutcome = lateReasons.length > 0 ? 'late' : current ? 'on_time' : 'undetermined';

  return {
    ended: endReason === 'status',
    endReason,
    endStatus: ending && endReason === 'status' ? ending.status : null,
    end,
    supplementRequests: supplements.length,
    supplementMinutes: Math.round(supplementMs / MINUTE_MS),
    supplementWorkingMinutes,
    tolling: options.tolling,
    adjustedEnd,
    elapsedWorkingMinutes,
    dueSource,
    current,
    original,
    extensionCount: input.extensionCount ?? (input.originalDueAt ? 1 : 0),
    outcome,
    lateReasons,
    calendarVersion: calendar.version,
    calendarStatus: worstStatus(calendar, receivedAt, end, ...(current ? [current.effectiveDueAt] : [])),
  };
}

/** The same wall-clock time on the next working day when `at` falls on a day off. */
function rollForward(calendar: WorkingCalendar, at: Date): Date {
  let shifted = at;
  for (let i = 0; i < 366 && !calendar.isWorkingDay(vnLocalDate(shifted)); i += 1) {
    shifted = new Date(shifted.getTime() + 24 * 60 * MINUTE_MS);
  }
  return shifted;
}
