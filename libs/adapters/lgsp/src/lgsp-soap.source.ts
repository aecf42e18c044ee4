import { Logger } from '@nestjs/common';
import type {
  CursorDescription,
  DossierRead,
  PulledBatch,
  PullPage,
  PullParams,
  SourcePort,
  StatusLookup,
  StatusLookupQuery,
  UnmappedStatusSeen,
} from '@isohub/adapters/source';
import {
  DEFAULT_LGSP_STATUS_MAP,
  resolveLgspStatus,
  unmappedLgspStatus,
  type LgspStatusLookup,
  type LgspStatusMap,
} from '@isohub/mapping';
import type { LgspRequestGate } from './lgsp-http';
import { decodeCursor, encodeCursor, nextCursor, readCursor } from './lgsp-cursor';
import { LgspSoapAdapter } from './lgsp-soap.adapter';
import type { LgspSoapSourceConfig } from './lgsp-source.config';
import { LgspTokenClient } from './lgsp-token.client';
import { isLgspError } from './lgsp.errors';
import type { LgspConnectionCheck, LgspDossierServicePort } from './lgsp.port';

export type LgspSoapSourceOptions = Pick<
  LgspSoapSourceConfig,
  'id' | 'agency' | 'startFrom' | 'overlapMs' | 'maxPageSize' | 'historyConcurrency'
> & {
  /** The admin console's published status mappings for the source's system, before `statusMap`. */
  statusLookup?: StatusLookup;
  /** The source's own LGSP `Status` table (the fallback); default DEFAULT_LGSP_STATUS_MAP. */
  statusMap?: LgspStatusMap;
};

/** The published lookup as the LGSP mappers call it: LGSP has no sub-status. */
export function lgspLookupOf(lookup: StatusLookup | undefined): LgspStatusLookup | undefined {
  return lookup === undefined ? undefined : (raw, at) => lookup({ status: raw, subStatus: null, at });
}

function textOf(v: unknown): string | null {
  return typeof v === 'string' && v.trim() !== '' ? v : null;
}

function docCodeOf(document: Record<string, unknown>): string | null {
  const code = document['DocCode'];
  return typeof code === 'string' && code.trim() !== '' ? code : null;
}

function createdAt(trace: Record<string, unknown>): number {
  const raw = trace['DateCreated'];
  const ms = typeof raw === 'string' ? Date.parse(raw) : NaN;
  return Number.isNaN(ms) ? Number.POSITIVE_INFINITY : ms;
}

/** A dossier's history rows oldest first (rows without a readable time last, in the bus's order). */
function oldestFirst(rows: readonly Record<string, unknown>[]): Record<string, unknown>[] {
  return rows
    .map((row, i) => ({ row, i }))
    .sort((a, b) => createdAt(a.row) - createdAt(b.row) || a.i - b.i)
    .map(({ row }) => row);
}

/**
 * Pulls an LGSP SOAP dossier service: one page of dossiers changed since the cursor per pull, plus each
 * dossier's processing history, handed over as `LgspSyncDocument` and `LgspUpdateDocumentTraces` items with
 * the REST JSON's field names, so mapping makes the same events (and ids) as when a one-stop system pushes
 * the same dossier to the bus. Per dossier the snapshot comes before its history rows, as OpenCPS posts
 * SyncDocument before UpdateDocumentTraces; history rows are oldest first. The whole history is sent on every
 * change (the service offers no "since" for it): rows already seen map to known ids and are stored once.
 */
export class LgspSoapSource implements SourcePort {
  private readonly logger: Logger;
  readonly id: string;
  readonly agency: string | null;
  private readonly lookup: LgspStatusLookup | undefined;
  private readonly statusMap: LgspStatusMap;

  constructor(
    private readonly options: LgspSoapSourceOptions,
    private readonly service: LgspDossierServicePort,
  ) {
    this.id = options.id;
    this.agency = options.agency;
    this.logger = new Logger(`LgspSoapSource ${options.id}`);
    this.lookup = lgspLookupOf(options.statusLookup);
    this.statusMap = options.statusMap ?? DEFAULT_LGSP_STATUS_MAP;
  }

  async pull({ cursor, limit }: PullParams): Promise<PullPage> {
    const current = decodeCursor(cursor, this.options.startFrom);
    const pageSize = Math.max(1, Math.min(Math.floor(limit) || 1, this.options.maxPageSize));
    const page = await this.service.listChangedDossiers({
      since: current.since,
      page: current.page,
      pageSize,
    });
    const documents = page.dossiers.map((d) => d.document);
    const codes = [...new Set(documents.map(docCodeOf).filter((c): c is string => c !== null))];
    const histories = await this.histories(codes);
    const traces = codes.flatMap((code) => oldestFirst(histories.get(code) ?? []));
    const next = nextCursor(
      current,
      { modifiedAt: page.dossiers.map((d) => d.modifiedAt), hasMore: page.hasMore },
      this.options.overlapMs,
    );
    const batches: PulledBatch[] = [];
    if (documents.length > 0) {
      batches.push({ operation: 'LgspSyncDocument', items: documents });
    }
    if (traces.length > 0) {
      batches.push({ operation: 'LgspUpdateDocumentTraces', items: traces });
    }
    this.logger.debug(
      `since ${current.since} page ${current.page}: ${documents.length} dossier(s), ${traces.length} trace(s)` +
        (next.hasMore ? ', more to read' : ''),
    );
    const unmapped = [
      ...page.dossiers.flatMap((d) => this.unmappedOf('document', d.document, d.modifiedAt)),
      ...traces.flatMap((t) => this.unmappedOf('trace', t, textOf(t['DateCreated']))),
    ];
    return {
      batches,
      nextCursor: encodeCursor(next.cursor),
      hasMore: next.hasMore,
      flags: unmapped.map((u) => ({ code: 'unmapped-status', detail: u.status })),
      unmapped,
    };
  }

  /**
   * One dossier again: the bus's SOAP service reads a dossier's history by its code (`GetDossierHistory`) but
   * has no call for one document, so a re-read brings the traces; the document's own `Status` is read again
   * when the bus lists the dossier as changed. A Fault that blames the request (a dossier the bus no longer
   * knows) is "not found".
   */
  async fetchDossier({ dossierCode }: { dossierCode: string }): Promise<DossierRead> {
    let history: Record<string, unknown>[];
    try {
      history = await this.service.getDossierHistory({ docCode: dossierCode });
    } catch (error) {
      if (isLgspError(error) && error.code === 'SOAP_FAULT' && !error.retryable) {
        this.logger.warn(`history of ${dossierCode} not read again: ${error.message}`);
        return { found: false, batches: [], unmapped: [] };
      }
      throw error;
    }
    const traces = oldestFirst(history);
    return {
      found: true,
      batches: traces.length > 0 ? [{ operation: 'LgspUpdateDocumentTraces', items: traces }] : [],
      unmapped: traces.flatMap((t) => this.unmappedOf('trace', t, textOf(t['DateCreated']))),
    };
  }

  mapsStatus({ status, at }: StatusLookupQuery): boolean {
    return resolveLgspStatus(status, this.statusMap, this.lookup, at) !== null;
  }

  private unmappedOf(
    kind: 'document' | 'trace',
    item: Record<string, unknown>,
    at: string | null,
  ): UnmappedStatusSeen[] {
    const code = docCodeOf(item);
    const status = code === null ? null : unmappedLgspStatus(kind, item, this.statusMap, this.lookup, at);
    return code === null || status === null
      ? []
      : [{ dossierCode: code.trim(), status, subStatus: null, at }];
  }

  checkConnection(): Promise<LgspConnectionCheck> {
    return this.service.checkConnection();
  }

  /** The time a cursor vouches for: when the last complete poll finished, else where it stands. */
  describeCursor(cursor: string | null): CursorDescription | null {
    const c = readCursor(cursor, this.options.startFrom);
    return c === null ? null : { time: c.asOf ?? c.since };
  }

  /**
   * Every dossier's history, `historyConcurrency` calls at a time. A failure the bus may get over fails the
   * pull (the cursor stays, the poller retries); a SOAP Fault that blames the request (a dossier the bus no
   * longer knows, say) only costs that dossier its history this time: its snapshot still carries its status.
   */
  private async histories(codes: string[]): Promise<Map<string, Record<string, unknown>[]>> {
    const out = new Map<string, Record<string, unknown>[]>();
    let next = 0;
    let failed = false;
    const worker = async (): Promise<void> => {
      while (!failed && next < codes.length) {
        const code = codes[next++];
        try {
          out.set(code, await this.service.getDossierHistory({ docCode: code }));
        } catch (error) {
          if (isLgspError(error) && error.code === 'SOAP_FAULT' && !error.retryable) {
            this.logger.warn(`history of ${code} skipped: ${error.message}`);
            continue;
          }
          failed = true;
          throw error;
        }
      }
    };
    const workers = Array.from({ length: Math.min(this.options.historyConcurrency, codes.length) }, worker);
    const results = await Promise.allSettled(workers);
    const rejected = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (rejected) {
      throw rejected.reason;
    }
    return out;
  }
}

/**
 * A source over its own token client and SOAP client, from a validated source entry. `gate`: the poller's
 * limits for this bus, applied to every HTTP exchange (token, WSDL, SOAP calls).
 */
export function createLgspSoapSource(
  config: LgspSoapSourceConfig,
  deps: { gate?: LgspRequestGate; statusLookup?: StatusLookup; statusMap?: LgspStatusMap } = {},
): LgspSoapSource {
  const tokens = new LgspTokenClient(config.lgsp, { gate: deps.gate });
  return new LgspSoapSource(
    { ...config, statusLookup: deps.statusLookup, statusMap: deps.statusMap },
    new LgspSoapAdapter(config.lgsp, tokens, { gate: deps.gate }),
  );
}
