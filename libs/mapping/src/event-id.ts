import { createHash } from 'node:crypto';

/**
 * Deterministic CloudEvents ids (DOMAIN.md §4.8): `source` + `id` must be the same when an upstream change
 * is re-sent or re-polled, so consumers can drop the repeat, and different for different changes.
 *
 * Format: a UUID version 8 (RFC 9562 §5.8, "custom") whose 122 free bits are the first bits of
 * `sha256("isohub:event:v2" + JSON.stringify(canonical parts))`. It looks and sorts like any UUID and
 * fits a `uuid` column. The `v2` in the namespace changes whenever the derivation changes (v2: the parts
 * are the meaning of the change only, no sender or channel, so the same action read from the portal and
 * from the LGSP gets one id).
 *
 * Callers pass only the parts that carry meaning (codes, parsed ISO instants, statuses, officer names),
 * never raw bodies: byte-level noise such as key order, OpenCPS `?t=<millis>` file URLs or Base64
 * attachments therefore cannot reach the id. Each part is also canonicalised here (NFC, trimmed,
 * inner whitespace collapsed) so NFD vs NFC and stray spaces in a re-send do not matter.
 */
const NAMESPACE = 'isohub:event:v2';

export type IdPart = string | number | null | undefined;

export function deriveEventId(parts: readonly IdPart[]): string {
  const canonical = JSON.stringify(parts.map(canonicalPart));
  const bytes = createHash('sha256').update(NAMESPACE).update(canonical, 'utf8').digest().subarray(0, 16);
  bytes[6] = (bytes[6] & 0x0f) | 0x80; // version 8
  bytes[8] = (bytes[8] & 0x3f) | 0x80; // RFC 9562 variant
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function canonicalPart(p: IdPart): string | null {
  if (p === null || p === undefined) {
    return null;
  }
  return String(p).normalize('NFC').replace(/\s+/g, ' ').trim();
}

/** CloudEvents `source` of every event from one sender: `isohub://<system>/<agency or '-'>`. */
export function ceSource(system: string, agency: string | null): string {
  const seg = (s: string): string => encodeURIComponent(s.normalize('NFC').trim());
  const a = agency === null || agency.trim() === '' ? '-' : seg(agency);
  return `isohub://${seg(system)}/${a}`;
}

/**
 * The id of a milestone the wire dates: dossier, milestone and instant (second precision, Vietnam time, so
 * LGSP UTC and portal local time agree). A progress row, a snapshot date field and an LGSP trace of the same
 * milestone therefore share it, whichever arrives first.
 */
export function milestoneEventId(dossierCode: string, milestone: string, at: string): string {
  return deriveEventId(['milestone', dossierCode, milestone, at]);
}

/**
 * The id of a handover that is no other milestone: dossier, instant and who acted (normalised), so the
 * portal row and the LGSP trace of one action agree while two handovers in one second stay apart.
 */
export function handoverEventId(dossierCode: string, at: string, actor: string | null): string {
  return deriveEventId(['handover', dossierCode, at, actor === null ? null : actor.toLocaleLowerCase('vi')]);
}
