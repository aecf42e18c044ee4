/**
 * Working time as the one-stop systems count it (DOMAIN §7.1): 07:00–11:30 and 13:30–17:00,
 * Monday to Friday, so one working day is 8 h. Instants are "working seconds" from the opening of
 * the first day; every one of them maps to a wall-clock time inside a window. Vietnam has no DST, so
 * wall time is UTC+07:00 throughout. Public holidays are not modelled.
 */
export const WORKING_DAY_SECONDS = 8 * 3600;

const MORNING_OPEN = 7 * 3600;
const MORNING_SECONDS = 4.5 * 3600;
const AFTERNOON_OPEN = 13.5 * 3600;
const VIETNAM_OFFSET_MS = 7 * 3600 * 1000;

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

function isWeekend(utcMidnight: Date): boolean {
  const day = utcMidnight.getUTCDay();
  return day === 0 || day === 6;
}

export class WorkingClock {
  /** The first working day, as a UTC-midnight date standing for the Vietnam calendar day. */
  readonly firstDay: Date;

  constructor(date: string) {
    const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
    if (!match) {
      throw new Error(`date must be yyyy-MM-dd, got "${date}"`);
    }
    const day = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
    if (Number.isNaN(day.getTime()) || day.toISOString().slice(0, 10) !== date) {
      throw new Error(`not a calendar date: "${date}"`);
    }
    while (isWeekend(day)) {
      day.setUTCDate(day.getUTCDate() + 1);
    }
    this.firstDay = day;
  }

  /** The first day as yyyy-MM-dd (a weekend date rolls forward to Monday). */
  get date(): string {
    return this.firstDay.toISOString().slice(0, 10);
  }

  /** Vietnam wall time of a working second, as a Date whose UTC fields hold the wall-clock fields. */
  wall(workingSecond: number): Date {
    const day = new Date(this.firstDay);
    let remaining = Math.floor(workingSecond / WORKING_DAY_SECONDS);
    while (remaining > 0) {
      day.setUTCDate(day.getUTCDate() + 1);
      if (!isWeekend(day)) {
        remaining -= 1;
      }
    }
    const within = workingSecond % WORKING_DAY_SECONDS;
    const secondOfDay =
      within < MORNING_SECONDS ? MORNING_OPEN + within : AFTERNOON_OPEN + (within - MORNING_SECONDS);
    return new Date(day.getTime() + secondOfDay * 1000);
  }

  /** `yyyyMMddHHmmss`, Vietnam local time, as DVCQG payloads carry dates. */
  format(workingSecond: number): string {
    const w = this.wall(workingSecond);
    return (
      `${w.getUTCFullYear()}${pad(w.getUTCMonth() + 1)}${pad(w.getUTCDate())}` +
      `${pad(w.getUTCHours())}${pad(w.getUTCMinutes())}${pad(w.getUTCSeconds())}`
    );
  }

  /** Milliseconds since the epoch of that instant. */
  epochMs(workingSecond: number): number {
    return this.wall(workingSecond).getTime() - VIETNAM_OFFSET_MS;
  }

  /** `yyMMdd` of the first day, as dossier codes carry it. */
  dayStamp(): string {
    return this.format(0).slice(2, 8);
  }
}

/** Whether a `yyyyMMddHHmmss` value lies inside a working window on a weekday. */
export function isWithinWorkingHours(value: string): boolean {
  const match = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(value);
  if (!match) {
    return false;
  }
  const [, y, mo, d, h, mi, s] = match.map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  if (isWeekend(new Date(Date.UTC(y, mo - 1, d)))) {
    return false;
  }
  const second = h * 3600 + mi * 60 + s;
  return (
    (second >= MORNING_OPEN && second <= MORNING_OPEN + MORNING_SECONDS) ||
    (second >= AFTERNOON_OPEN && second <= 17 * 3600)
  );
}
