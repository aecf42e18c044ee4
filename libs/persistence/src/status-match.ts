import { ANY_SUB_STATUS, type StatusMapping } from './mapping-model';

export interface StatusQuery {
  sourceSystem: string;
  status: string;
  subStatus?: string | null;
  /** `YYYY-MM-DD`: rows valid from a later date do not apply yet. Omitted = every row applies. */
  on?: string;
}

/**
 * OpenCPS's `DossierStatusMapping` rule (DOMAIN.md §3.4): a row for the exact sub-status wins, else the
 * status's wildcard row, else nothing (the change is held and flagged, never dropped). Among rows of the
 * same kind, the latest `validFrom` not after `on` applies.
 */
export function matchStatusMapping(rows: readonly StatusMapping[], query: StatusQuery): StatusMapping | null {
  const status = query.status.normalize('NFC').trim();
  const sub = (query.subStatus ?? '').normalize('NFC').trim();
  const candidates = rows.filter(
    (r) =>
      r.sourceSystem === query.sourceSystem &&
      r.status === status &&
      (query.on === undefined || r.validFrom <= query.on),
  );
  const latest = (subStatus: string): StatusMapping | null =>
    candidates
      .filter((r) => r.subStatus === subStatus)
      .reduce<StatusMapping | null>(
        (best, r) => (best === null || r.validFrom > best.validFrom ? r : best),
        null,
      );
  return (sub !== '' && sub !== ANY_SUB_STATUS ? latest(sub) : null) ?? latest(ANY_SUB_STATUS);
}
