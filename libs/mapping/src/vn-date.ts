import { DateTime, FixedOffsetZone } from 'luxon';

/**
 * Vietnam has kept UTC+07:00 without DST since 1975. A fixed offset (not `Asia/Ho_Chi_Minh`) keeps every
 * output at `+07:00`, as the event contract promises, even for the odd historical date.
 */
const VIETNAM = FixedOffsetZone.instance(7 * 60);
const OUTPUT_FORMAT = "yyyy-MM-dd'T'HH:mm:ssZZ";

/** How to read an LGSP timestamp written with a literal `Z` (DOMAIN.md §4.5): genuine UTC or Vietnam wall time. */
export type LiteralZone = 'utc' | 'vietnam';

export interface ParseDateOptions {
  /** Default `utc`: a standard OpenCPS (Liferay) JVM runs in GMT, so its `Z` is real. */
  literalZ?: LiteralZone;
}

/** `value` is ISO 8601 at second precision with `+07:00`, or null when the sender meant "no date". */
export type DateParse = { ok: true; value: string | null } | { ok: false; reason: string };

interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** Offset in minutes written in the text; undefined = Vietnam wall time. */
  offset?: number;
}

const COMPACT = /^(\d{4})(\d{2})(\d{2})(?:(\d{2})(\d{2})(\d{2})?)?$/;
const DAY_FIRST = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$/;
const ISO =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?)?\s*(Z|z|[+-]\d{2}(?::?\d{2})?)?$/;

/**
 * Parses the date formats isohub's senders use (DOMAIN.md §4.5): `yyyyMMddHHmmss` (also `yyyyMMddHHmm`,
 * `yyyyMMdd`, or as a number), `dd/MM/yyyy[ HH:mm[:ss]]`, and ISO 8601 with an offset or the LGSP literal `Z`.
 * Text without a zone is Vietnam local time. Fractions of a second are dropped (truncated), because the
 * portal format has none and the same action must read the same from the portal and from the LGSP.
 */
export function parsePortalDate(v: unknown, options: ParseDateOptions = {}): DateParse {
  if (v === null || v === undefined) {
    return { ok: true, value: null };
  }
  let text: string;
  if (typeof v === 'number') {
    if (!Number.isSafeInteger(v) || v < 0) {
      return { ok: false, reason: `not a date number: ${v}` };
    }
    text = String(v);
  } else if (typeof v === 'string') {
    text = v.trim();
  } else {
    return { ok: false, reason: `expected a string, got ${typeof v}` };
  }
  if (text === '' || /^0+$/.test(text)) {
    return { ok: true, value: null };
  }
  const wall = readWallClock(text, options.literalZ ?? 'utc');
  if (!wall) {
    return { ok: false, reason: `unrecognised date format: "${text}"` };
  }
  if (isPlaceholder(wall)) {
    return { ok: true, value: null };
  }
  const zone = wall.offset === undefined ? VIETNAM : FixedOffsetZone.instance(wall.offset);
  const { offset: _ignored, ...fields } = wall;
  const dt = DateTime.fromObject(fields, { zone });
  if (!dt.isValid) {
    return { ok: false, reason: `impossible date "${text}": ${dt.invalidReason ?? 'invalid'}` };
  }
  return { ok: true, value: dt.setZone(VIETNAM).toFormat(OUTPUT_FORMAT) };
}

/** `.NET`/Java/SQL defaults that mean "no date" (DOMAIN.md §4.5): year 0 or 1, the 1970 epoch, SQL Server 1900-01-01. */
function isPlaceholder(w: WallClock): boolean {
  if (w.year <= 1) {
    return true;
  }
  const isNewYearsDay = w.month === 1 && w.day === 1;
  return isNewYearsDay && (w.year === 1970 || w.year === 1900);
}

function readWallClock(text: string, literalZ: LiteralZone): WallClock | null {
  const num = (s: string | undefined): number => (s === undefined ? 0 : Number(s));
  let m = COMPACT.exec(text);
  if (m) {
    return {
      year: num(m[1]),
      month: num(m[2]),
      day: num(m[3]),
      hour: num(m[4]),
      minute: num(m[5]),
      second: num(m[6]),
    };
  }
  m = DAY_FIRST.exec(text);
  if (m) {
    return {
      year: num(m[3]),
      month: num(m[2]),
      day: num(m[1]),
      hour: num(m[4]),
      minute: num(m[5]),
      second: num(m[6]),
    };
  }
  m = ISO.exec(text);
  if (m) {
    const wall: WallClock = {
      year: num(m[1]),
      month: num(m[2]),
      day: num(m[3]),
      hour: num(m[4]),
      minute: num(m[5]),
      second: num(m[6]),
    };
    const zone = m[7];
    if (zone === 'Z' || zone === 'z') {
      wall.offset = literalZ === 'utc' ? 0 : 7 * 60;
    } else if (zone !== undefined) {
      wall.offset = parseOffset(zone);
    }
    return wall;
  }
  return null;
}

function parseOffset(zone: string): number {
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  const hours = Number(digits.slice(0, 2));
  const minutes = digits.length > 2 ? Number(digits.slice(2, 4)) : 0;
  return sign * (hours * 60 + minutes);
}

/** An instant (e.g. `ctx.receivedAt`) as Vietnam ISO 8601 at second precision. */
export function toVietnamIso(d: Date): string {
  return DateTime.fromJSDate(d).setZone(VIETNAM).toFormat(OUTPUT_FORMAT);
}

/** Milliseconds since the epoch of an ISO instant produced by this module (for ordering). */
export function instantMillis(iso: string): number {
  return DateTime.fromISO(iso, { setZone: true }).toMillis();
}

/** Negative when `a` is earlier than `b`, 0 when the same instant, positive when later. */
export function compareInstants(a: string, b: string): number {
  // Fast path: two instants of this module's format with the same offset order as text.
  if (a.length === SECOND_ISO_LENGTH && b.length === SECOND_ISO_LENGTH && a.slice(19) === b.slice(19)) {
    return a < b ? -1 : a > b ? 1 : 0;
  }
  return instantMillis(a) - instantMillis(b);
}

/** `yyyy-MM-ddTHH:mm:ss+07:00` */
const SECOND_ISO_LENGTH = 25;
