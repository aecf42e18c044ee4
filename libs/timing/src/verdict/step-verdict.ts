/**
 * A step's verdict on the control sheet (DOMAIN brief §6.2): Trước hạn / Đúng hạn / Quá hạn, computed
 * from the step's ISO allowance against a working calendar. Pure.
 */
import type { CalendarStatus, WorkingCalendar } from '../calendar/working-calendar';

export type StepOutcome = 'early' | 'on_time' | 'late';

/**
 * How a finished step is judged (configurable per province):
 * - `minute`: a vendor's SQL rule — allowance > working minutes used ⇒ early, equal ⇒ on time, else late;
 * - `day`: finished before the due day ⇒ early, on the due day (at any hour) ⇒ on time, after ⇒ late;
 * - `simple`: end <= deadline ⇒ on time, else late (never early).
 */
export const OUTCOME_RULES = ['minute', 'day', 'simple'] as const;
export type OutcomeRule = (typeof OUTCOME_RULES)[number];

export interface StepVerdictInput {
  /** The step's allowance in working hours (1 working day = 8 h); fractional hours are fine. */
  allowanceHours: number;
  /** When the step was handed to its unit (the handover into the step). */
  start: Date;
  /** When it was handed on (the handover out of the step). */
  end: Date;
  calendar: WorkingCalendar;
  rule: OutcomeRule;
}

export interface StepDeadline {
  /** The start after normalisation (before opening, lunch, after closing, day off). */
  clockStart: Date;
  allowanceMinutes: number;
  deadline: Date;
  calendarVersion: string;
  calendarStatus: CalendarStatus;
}

export interface StepVerdict extends StepDeadline {
  end: Date;
  /** Working minutes from the clock start to the end (0 when the end is before the clock start). */
  elapsedMinutes: number;
  outcome: StepOutcome;
  rule: OutcomeRule;
}

const VN_OFFSET_MS = 7 * 60 * 60_000;

/** The Vietnam-time calendar date (`yyyy-mm-dd`) of an instant. */
export function vnLocalDate(at: Date): string {
  return new Date(at.getTime() + VN_OFFSET_MS).toISOString().slice(0, 10);
}

export function allowanceMinutesOf(hours: number): number {
  if (!Number.isFinite(hours) || hours < 0) {
    throw new RangeError(`a step allowance must be a non-negative number of working hours, got ${hours}`);
  }
  return Math.round(hours * 60);
}

/** When a step started at `start` with `allowanceHours` is due. */
export function stepDeadline(
  input: Pick<StepVerdictInput, 'allowanceHours' | 'start' | 'calendar'>,
): StepDeadline {
  const { calendar } = input;
  const allowanceMinutes = allowanceMinutesOf(input.allowanceHours);
  const clockStart = calendar.normaliseStart(input.start);
  const deadline = calendar.addWorkingMinutes(clockStart, allowanceMinutes);
  return {
    clockStart,
    allowanceMinutes,
    deadline,
    calendarVersion: calendar.version,
    calendarStatus: worstStatus(calendar, input.start, deadline),
  };
}

export function stepVerdict(input: StepVerdictInput): StepVerdict {
  const due = stepDeadline(input);
  const elapsedMinutes = Math.max(0, input.calendar.workingMinutesBetween(due.clockStart, input.end));
  return {
    ...due,
    end: input.end,
    elapsedMinutes,
    outcome: judge(input.rule, due, input.end, elapsedMinutes),
    rule: input.rule,
  };
}

function judge(rule: OutcomeRule, due: StepDeadline, end: Date, elapsedMinutes: number): StepOutcome {
  switch (rule) {
    case 'minute':
      if (due.allowanceMinutes > elapsedMinutes) {
        return 'early';
      }
      return due.allowanceMinutes === elapsedMinutes ? 'on_time' : 'late';
    case 'day': {
      const endDay = vnLocalDate(end);
      const dueDay = vnLocalDate(due.deadline);
      if (endDay < dueDay) {
        return 'early';
      }
      return endDay === dueDay ? 'on_time' : 'late';
    }
    case 'simple':
      return end.getTime() <= due.deadline.getTime() ? 'on_time' : 'late';
  }
}

/** Provisional as soon as any year the computation touched is provisional. */
export function worstStatus(calendar: WorkingCalendar, ...instants: Date[]): CalendarStatus {
  const years = new Set(instants.map((at) => Number(vnLocalDate(at).slice(0, 4))));
  return [...years].some((year) => calendar.statusOf(year) === 'provisional') ? 'provisional' : 'official';
}
