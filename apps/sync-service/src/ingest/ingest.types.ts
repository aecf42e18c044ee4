import type {
  FieldError,
  LgspStatusLookup,
  LgspStatusMap,
  LiteralZone,
  SenderProfile,
} from '@isohub/mapping';
import type { CursorAdvance, RereadRow, UnmappedStatusNote } from '@isohub/persistence';

export type IngestOperation =
  | 'DongBoHoSoMC'
  | 'CapNhatTienDoHoSoMC'
  /** LGSP `Document/SyncDocument` (DOMAIN.md §4.4). */
  | 'LgspSyncDocument'
  /** LGSP `Document/UpdateDocumentTraces`. */
  | 'LgspUpdateDocumentTraces';

export interface SenderIdentity {
  id: string;
  profile: SenderProfile;
  agency: string | null;
  applicantFields: readonly string[];
  /** Zone of a literal `Z` in the sender's timestamps (LGSP senders); default `utc`. */
  literalZ?: LiteralZone;
  /** The sender's LGSP `Status` table; default DEFAULT_LGSP_STATUS_MAP. */
  lgspStatusMap?: LgspStatusMap;
  /** Published status mappings consulted before `lgspStatusMap` (a pulled LGSP source). */
  lgspStatusLookup?: LgspStatusLookup;
}

export interface ForwardRequest {
  /** `opencps`/`thanhhoa` go to the national portal, `lgsp` to the provincial bus. */
  style: 'opencps' | 'thanhhoa' | 'lgsp';
  /**
   * For the Thanh Hóa style: `create` | `update` | `progress`; for OpenCPS the service name; for LGSP
   * `SyncDocument` | `UpdateDocumentTraces`.
   */
  operation: string;
  madonvi: string | null;
  isUpdating: string | null;
  /** The request body exactly as received (the OpenCPS session is swapped at forwarding time). */
  body: Buffer;
}

export interface IngestRequest {
  sender: SenderIdentity;
  protocol: string;
  operation: IngestOperation;
  items: unknown[];
  receivedAt: Date;
  traceparent?: string;
  forward: ForwardRequest | null;
}

export interface ItemResult {
  index: number;
  dossierCode: string | null;
  accepted: boolean;
  /** New events written for this item (0 for a re-send of a known change). */
  events: number;
  errors: FieldError[];
}

export interface IngestResult {
  items: ItemResult[];
  accepted: number;
  rejected: number;
  events: number;
}

/**
 * One pulled page: its batches in order (e.g. snapshots, then history rows, then current snapshots) and
 * the source's cursor, which moves in the same transaction as the events it covers, or not at all. The
 * changes that went on without a national status are queued in that transaction too. A re-read of dossiers
 * after a status mapping was published has no cursor: it takes its dossiers off the re-read list instead.
 */
export interface PulledIngestRequest {
  sender: SenderIdentity;
  protocol: string;
  batches: { operation: IngestOperation; items: unknown[] }[];
  receivedAt: Date;
  cursor?: CursorAdvance;
  unmapped?: { sourceId: string; sourceSystem: string; notes: readonly UnmappedStatusNote[] };
  reread?: { sourceId: string; rows: readonly RereadRow[] };
}
