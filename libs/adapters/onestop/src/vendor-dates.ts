import { DateTime, FixedOffsetZone } from 'luxon';
import { instantMillis, parsePortalDate, toVietnamIso } from '@isohub/mapping';
import type { SinceFormat, VendorDateFormat } from './rest-profile';

const VIETNAM = FixedOffsetZone.instance(7 * 60);

/** A vendor date read: an ISO instant (+07:00, second precision), "no date", or unreadable as sent. */
export type VendorDate = { ok: true; iso: string | null } | { ok: false; raw: unknown };

/**
 * Reads one vendor date. `epoch-ms` fields are numbers (or digit strings) of milliseconds, 0 meaning
 * none (OpenCPS writes `getTime()` or `0l`); text is whatever `parsePortalDate` reads, Vietnam time
 * unless zoned. Both are also accepted in either field kind, since sites differ.
 */
export function readVendorDate(v: unknown, format: VendorDateFormat): VendorDate {
  if (v === null || v === undefined || v === '') {
    return { ok: true, iso: null };
  }
  if (
    format === 'epoch-ms' &&
    (typeof v === 'number' || (typeof v === 'string' && /^\d{1,13}$/.test(v.trim())))
  ) {
    const ms = Number(v);
    if (!Number.isSafeInteger(ms) || ms < 0) {
      return { ok: false, raw: v };
    }
    return { ok: true, iso: ms === 0 ? null : toVietnamIso(new Date(ms)) };
  }
  const parsed = parsePortalDate(v);
  return parsed.ok ? { ok: true, iso: parsed.value } : { ok: false, raw: v };
}

/**
 * The DVCQG rendering (`yyyyMMddHHmmss`, Vietnam time, `""` for none). An unreadable vendor value is
 * passed through as sent, so the mapper rejects the item naming the field and the dead letter shows it.
 */
export function toWireDate(d: VendorDate): unknown {
  if (!d.ok) {
    return d.raw;
  }
  return d.iso === null
    ? ''
    : DateTime.fromISO(d.iso, { setZone: true }).setZone(VIETNAM).toFormat('yyyyMMddHHmmss');
}

/** The "modified since" query value for an instant. */
export function formatSince(iso: string, format: SinceFormat): string {
  const dt = DateTime.fromISO(iso, { setZone: true }).setZone(VIETNAM);
  switch (format) {
    case 'dd/MM/yyyy HH:mm:ss':
      return dt.toFormat('dd/MM/yyyy HH:mm:ss');
    case 'yyyyMMddHHmmss':
      return dt.toFormat('yyyyMMddHHmmss');
    case 'epoch-ms':
      return String(dt.toMillis());
    case 'iso':
      return dt.toFormat("yyyy-MM-dd'T'HH:mm:ssZZ");
  }
}

export function millis(iso: string): number {
  return instantMillis(iso);
}

export function minusMinutes(iso: string, minutes: number): string {
  return toVietnamIso(new Date(millis(iso) - minutes * 60_000));
}

export function laterOf(a: string | null, b: string | null): string | null {
  if (a === null) {
    return b;
  }
  if (b === null) {
    return a;
  }
  return millis(b) > millis(a) ? b : a;
}
