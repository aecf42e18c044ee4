/**
 * A pulled upstream (one-stop system API, LGSP SOAP dossier service, …): adapters do I/O only and hand
 * back wire items in one of the ingest operations' shapes; mapping to canonical events stays in
 * libs/mapping, so a pulled change yields the same event id as the same change pushed or teed.
 */
export type PulledOperation =
  | 'DongBoHoSoMC'
  | 'CapNhatTienDoHoSoMC'
  | 'LgspSyncDocument'
  | 'LgspUpdateDocumentTraces';

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
}
