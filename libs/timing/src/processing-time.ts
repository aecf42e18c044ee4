/**
 * Reads the raw Vietnamese processing-time text of the national catalogue (DOMAIN.md §5.4) into a
 * duration with a unit the deadline rules of §7.2 know. Pure; never guesses between two durations.
 */

export const DURATION_UNITS = [
  'working_days',
  'calendar_days',
  'months',
  'years',
  'working_hours',
  'same_day',
] as const;
export type DurationUnit = (typeof DURATION_UNITS)[number];

/** 1 working day = 8 working hours (DOMAIN.md §6.1, §7.1). */
export const HOURS_PER_WORKING_DAY = 8;

export interface Duration {
  value: number;
  unit: DurationUnit;
  /** Working-hour equivalent, for working days (× 8) and working hours only. */
  hours?: number;
  /** Same-day procedures: received after this local time, they are done the next working day. */
  cutoff?: string;
}

/**
 * `plain`: the text is just the duration ("5 ngày làm việc"); `upper_bound`: "Không quá 15 ngày…",
 * "Trong thời hạn 15 ngày…"; `free_text`: one duration inside a longer sentence.
 */
export type ParseForm = 'plain' | 'upper_bound' | 'free_text';

/**
 * `no_duration`: nothing to read ("Theo mô tả", "Không quy định", a date such as "1/12 hàng năm");
 * `several_durations`: the text lists cases or steps with different durations;
 * `open_ended`: a duration plus an unbounded part ("12.5 ngày làm việc + thời gian …").
 */
export type UnparsedReason = 'empty' | 'no_duration' | 'several_durations' | 'open_ended';

export type ProcessingTime =
  | { ok: true; duration: Duration; form: ParseForm; text: string }
  | { ok: false; reason: UnparsedReason; text: string };

/** Folding as in DOMAIN.md §9, so "Ngày", NFD text and "ngay" all read alike. */
function fold(s: string): string {
  return s
    .normalize('NFD')
    .replace(/\p{Mn}/gu, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .toLowerCase();
}

const NUMBER = String.raw`(\d+(?:[.,]\d+)?)`;
/** Longest unit first: "ngày làm việc" before "ngày". Matched on folded text. */
const UNIT = String.raw`(ngay lam viec|ngay|gio lam viec|gio|thang|nam)(?![\p{L}\p{N}])`;
const DURATION_RE = new RegExp(String.raw`(?<![\p{L}\p{N}.,/])${NUMBER}\s*${UNIT}`, 'gu');
/** The crawl appends " ngày" to every value (DOMAIN.md §5.4); a real duration ends in a number before it. */
const STRAY_DAY = /^(.*\D)\s+ngay$/su;
const BOUND_BEFORE = /(khong qua|toi da|trong thoi han|trong vong|trong)\s*$/u;
/** The mountain-area allowance repeated in land procedures ("… tăng thêm không quá 10 ngày …"). */
const EXTENSION_BEFORE = /tang them(\s+\S+){0,3}\s*$/u;
/** "sau 15 giờ" is a clock time (a same-day cut-off), not a duration. */
const CLOCK_BEFORE = /(sau|truoc|luc|den)\s*$/u;
const SAME_DAY = /^(thuc hien |giai quyet )?trong (ngay|ngay lam viec|buoi)(?![\p{L}])/u;
const CUTOFF = /sau (\d{1,2})(?:[h:](\d{2}))?\s*(?:gio)?/u;

const UNIT_OF: Record<string, DurationUnit> = {
  'ngay lam viec': 'working_days',
  ngay: 'calendar_days',
  'gio lam viec': 'working_hours',
  gio: 'working_hours',
  thang: 'months',
  nam: 'years',
};

/** A duration from a number and unit, with the working-hour equivalent where it has one. */
export function makeDuration(value: number, unit: DurationUnit): Duration {
  if (unit === 'working_days') {
    return { value, unit, hours: round(value * HOURS_PER_WORKING_DAY) };
  }
  if (unit === 'working_hours') {
    return { value, unit, hours: value };
  }
  return { value, unit };
}

const round = (n: number): number => Math.round(n * 1000) / 1000;

interface Found {
  value: number;
  unit: DurationUnit;
  index: number;
  end: number;
}

export function parseProcessingTime(raw: string | null | undefined): ProcessingTime {
  const text = (raw ?? '').normalize('NFC').replace(/\s+/g, ' ').trim();
  if (text === '') {
    return { ok: false, reason: 'empty', text };
  }
  const full = fold(text);
  let folded = full;
  const stray = STRAY_DAY.exec(folded);
  if (stray?.[1] !== undefined) {
    folded = stray[1].trim();
  }
  const found: Found[] = [];
  for (const m of folded.matchAll(DURATION_RE)) {
    const before = folded.slice(0, m.index);
    const unit = UNIT_OF[m[2] ?? ''] ?? 'calendar_days';
    if (EXTENSION_BEFORE.test(before) || (unit === 'working_hours' && CLOCK_BEFORE.test(before))) {
      continue;
    }
    found.push({
      value: Number((m[1] ?? '').replace(',', '.')),
      unit,
      index: m.index,
      end: m.index + m[0].length,
    });
  }
  const distinct = new Set(found.map((f) => `${f.value} ${f.unit}`));
  if (distinct.size > 1) {
    return { ok: false, reason: 'several_durations', text };
  }
  const first = found[0];
  if (first === undefined) {
    if (SAME_DAY.test(full)) {
      const cut = CUTOFF.exec(folded);
      const d: Duration = { value: 0, unit: 'same_day' };
      if (cut?.[1] !== undefined) {
        d.cutoff = `${cut[1].padStart(2, '0')}:${cut[2] ?? '00'}`;
      }
      return { ok: true, duration: d, form: 'free_text', text };
    }
    return { ok: false, reason: 'no_duration', text };
  }
  if (/^\s*\+/.test(folded.slice(first.end))) {
    return { ok: false, reason: 'open_ended', text };
  }
  const form: ParseForm =
    first.index === 0 && first.end === folded.length
      ? 'plain'
      : BOUND_BEFORE.test(folded.slice(0, first.index))
        ? 'upper_bound'
        : 'free_text';
  return { ok: true, duration: makeDuration(first.value, first.unit), form, text };
}

/** Working hours of an ISO step allowance given in (fractional) working days: 0.25 ngày -> 2 h. */
export function workingDaysToHours(days: number): number {
  return round(days * HOURS_PER_WORKING_DAY);
}

/** Statutory time per channel, as the catalogue's three time columns give it. */
export const CHANNELS = ['in_person', 'online', 'postal'] as const;
export type Channel = (typeof CHANNELS)[number];

export interface UnparsedTime {
  channel: Channel;
  text: string;
  reason: UnparsedReason;
}

export interface CatalogueTimes {
  time_in_person: string | null;
  time_online: string | null;
  time_postal: string | null;
}

/** Parses the three time columns of one catalogue row; empty columns are neither parsed nor unparsed. */
export function parseCatalogueTimes(row: CatalogueTimes): {
  parsed: Partial<Record<Channel, Duration>>;
  unparsed: UnparsedTime[];
} {
  const parsed: Partial<Record<Channel, Duration>> = {};
  const unparsed: UnparsedTime[] = [];
  const columns: Record<Channel, string | null> = {
    in_person: row.time_in_person,
    online: row.time_online,
    postal: row.time_postal,
  };
  for (const channel of CHANNELS) {
    const r = parseProcessingTime(columns[channel]);
    if (r.ok) {
      parsed[channel] = r.duration;
    } else if (r.reason !== 'empty') {
      unparsed.push({ channel, text: r.text, reason: r.reason });
    }
  }
  return { parsed, unparsed };
}
