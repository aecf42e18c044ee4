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
}
