/**
 * A pulled upstream (one-stop system API, LGSP SOAP dossier service, …): adapters do I/O only and hand
 * back wire items in one of the ingest operations' shapes; mapping to canonical events stays in
 * libs/mapping, so a pulled change yields the same event id as the same change pushed or teed.
 */
export type PulledOperation =
  'DongBoHoSoMC' | 'CapNhatTienDoHoSoMC' | 'LgspSyncDocument' | 'LgspUpdateDocumentTraces';

export interface PulledBatch {
  operation: PulledOperation;
  /** Wire items (one dossier snapshot, or its processing-history rows). */
  items: unknown[];
}

export interface PullPage {
  batches: PulledBatch[];
  /** Opaque cursor to store (in the same transaction as the events) and pass to the next pull. */
  nextCursor: string;
  /** True when the upstream said there is more right now (pull again without waiting). */
  hasMore: boolean;
  /**
   * Things an operator should see that are not errors, e.g. a vendor status with no national status in
   * the source's table (`unmapped-status`): the change went on without one. Counted per code and detail.
   */
  flags?: PullFlag[];
  /**
   * Every change in the page whose vendor status got no national status (the published status mappings and
   * the source's own table have no row for it): the hub queues them per source system, with the dossiers to
   * read again through `fetchDossier` once a mapping for the status is published.
   */
  unmapped?: UnmappedStatusSeen[];
}

/** One change that went on without a national status: no personal data, only codes and the change's time. */
export interface UnmappedStatusSeen {
  dossierCode: string;
  status: string;
  /** null when the vendor sent none. */
  subStatus: string | null;
  /** When the change happened (ISO 8601 instant), null when unknown. */
  at: string | null;
}

export interface StatusLookupQuery {
  status: string;
  subStatus: string | null;
  /** When the change happened (ISO 8601 instant), for mappings valid from a date; null when unknown. */
  at: string | null;
}

/**
 * A national status from mappings kept outside the source's settings (the admin console's published
 * status mappings), consulted before the source's own table; null when it has no row for the status.
 */
export type StatusLookup = (query: StatusLookupQuery) => number | null;

/** One dossier read again on its own: its items in ingest order, as a page would hand them over. */
export interface DossierRead {
  /** False when the upstream no longer knows the dossier (nothing to ingest). */
  found: boolean;
  batches: PulledBatch[];
  unmapped: UnmappedStatusSeen[];
}

export interface PullFlag {
  code: string;
  detail: string;
}

/** What a stored cursor means, for operators: null from `describeCursor` = not a cursor of this source. */
export interface CursorDescription {
  /** The instant the cursor vouches for (ISO 8601); lag = now - this. Null when unknown. */
  time: string | null;
}

export interface PullParams {
  /** null on the first pull ever: the adapter starts from its configured start point. */
  cursor: string | null;
  limit: number;
}

export interface SourcePort {
  /** Stable id, e.g. `opencps-api-h56`; cursors and health are kept per source (and agency). */
  readonly id: string;
  readonly agency: string | null;
  pull(params: PullParams): Promise<PullPage>;
  checkConnection(): Promise<{ ok: boolean; detail: string }>;
  /**
   * Optional: reads a cursor (a stored one, or one an operator sets, e.g. a bare timestamp). Sources
   * without it get no lag metric and accept any cursor text on reset.
   */
  describeCursor?(cursor: string | null): CursorDescription | null;
  /**
   * Optional: one dossier's current copy and history, read again by its code (after an admin published a
   * mapping for a status it went through). Same items, same mapping as `pull`, so unchanged changes keep
   * their event ids. Sources without it are not re-read.
   */
  fetchDossier?(params: { dossierCode: string }): Promise<DossierRead>;
  /**
   * Optional, with `fetchDossier`: whether the source now reads this vendor status as a national status
   * (the published mappings, then its own table), i.e. whether reading a dossier again would help.
   */
  mapsStatus?(query: StatusLookupQuery): boolean;
}
