import type { Logger } from '@nestjs/common';
import type { DossierRead, SourcePort } from '@isohub/adapters/source';
import type { RereadCandidate, UnmappedStatusKey, UnmappedStatusStore } from '@isohub/persistence';
import type { IngestService } from '../ingest/ingest.service';
import type { SenderIdentity } from '../ingest/ingest.types';

/** Dossiers read again per poll run at most (the rest on the next runs), and per transaction. */
export const REREAD_PER_RUN = 50;
const REREAD_PER_TRANSACTION = 10;

export interface StatusRereadDeps {
  store: UnmappedStatusStore;
  ingest: IngestService;
  sender: SenderIdentity;
  protocol: string;
  sourceSystem: string;
  /** Runs one upstream call under the poller's retry and circuit breaker. */
  call: <T>(fn: () => Promise<T>) => Promise<T>;
  now: () => Date;
  logger: Logger;
}

export interface RereadOutcome {
  dossiers: number;
  events: number;
  /** Dossiers are still due (more than one run's worth). */
  more: boolean;
}

const NONE: RereadOutcome = { dossiers: 0, events: 0, more: false };

function keyOf(k: UnmappedStatusKey): string {
  return JSON.stringify([k.sourceSystem, k.status, k.subStatus]);
}

/**
 * Which kept dossiers to read again: those whose status the source now maps (the version in force, then its
 * own table), on the date of the latest change kept for them. Statuses a publish took out of the queue that
 * still do not map for some dossier (a row valid only from a later date) are to go back in the queue.
 */
export function planReread(
  candidates: readonly RereadCandidate[],
  maps: (c: RereadCandidate) => boolean,
  limit: number,
): { due: RereadCandidate[]; codes: string[]; more: boolean; requeue: UnmappedStatusKey[] } {
  const due = candidates.filter(maps);
  const dueSet = new Set(due);
  const requeue = new Map<string, UnmappedStatusKey>();
  for (const c of candidates) {
    if (!c.queued && !dueSet.has(c)) {
      requeue.set(keyOf(c), { sourceSystem: c.sourceSystem, status: c.status, subStatus: c.subStatus });
    }
  }
  const all = [...new Set(due.map((c) => c.dossierCode))];
  const codes = all.slice(0, limit);
  const picked = new Set(codes);
  return {
    due: due.filter((c) => picked.has(c.dossierCode)),
    codes,
    more: all.length > limit,
    requeue: [...requeue.values()],
  };
}

/**
 * After an admin publishes a status mapping: the dossiers whose changes went on without a national status
 * are fetched again from their source (`fetchDossier`) and ingested through the same mapping as a page, so
 * the changes that now map get their events (after everything the dossier already has: per-dossier order is
 * the ingest's) and the changes that mapped before keep their ids and are stored once.
 */
export async function rereadMappedDossiers(
  source: SourcePort,
  deps: StatusRereadDeps,
  limit = REREAD_PER_RUN,
): Promise<RereadOutcome> {
  if (!source.fetchDossier || !source.mapsStatus) {
    return NONE;
  }
  const fetchDossier = (dossierCode: string): Promise<DossierRead> =>
    (source.fetchDossier as NonNullable<SourcePort['fetchDossier']>).call(source, { dossierCode });
  const maps = (k: UnmappedStatusKey & { lastChangeAt: string | null }): boolean =>
    (source.mapsStatus as NonNullable<SourcePort['mapsStatus']>).call(source, {
      status: k.status,
      subStatus: k.subStatus === '' ? null : k.subStatus,
      at: k.lastChangeAt,
    });
  const candidates = await deps.store.rereadCandidates(source.id);
  const plan = planReread(candidates, maps, limit);
  await deps.store.requeue(source.id, plan.requeue);
  let events = 0;
  for (let i = 0; i < plan.codes.length; i += REREAD_PER_TRANSACTION) {
    const codes = plan.codes.slice(i, i + REREAD_PER_TRANSACTION);
    const reads: DossierRead[] = [];
    for (const dossierCode of codes) {
      const read = await deps.call(() => fetchDossier(dossierCode));
      if (!read.found) {
        deps.logger.warn(`${dossierCode} is no longer known upstream: not read again`);
      }
      reads.push(read);
    }
    const inChunk = new Set(codes);
    const result = await deps.ingest.ingestPulled({
      sender: deps.sender,
      protocol: deps.protocol,
      batches: reads.flatMap((r) => r.batches),
      receivedAt: deps.now(),
      unmapped: {
        sourceId: source.id,
        sourceSystem: deps.sourceSystem,
        notes: reads.flatMap((r) => r.unmapped),
      },
      reread: { sourceId: source.id, rows: plan.due.filter((c) => inChunk.has(c.dossierCode)) },
    });
    events += result.events;
  }
  const nowMapped = (await deps.store.queued(deps.sourceSystem)).filter(maps);
  await deps.store.dropResolved(nowMapped);
  if (plan.codes.length > 0) {
    deps.logger.log(
      `read ${plan.codes.length} dossier(s) again after a status mapping was published: ${events} new event(s)`,
    );
  }
  return { dossiers: plan.codes.length, events, more: plan.more };
}
