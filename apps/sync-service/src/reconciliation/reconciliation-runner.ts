import Bottleneck from 'bottleneck';
import { isPortalError, type PortalPort } from '@isohub/adapters/portal';
import type {
  ReconciliationMismatchInsert,
  ReconciliationStatus,
  ReconciliationStore,
  ReconciliationTotals,
  StoredDossier,
} from '@isohub/persistence';
import { dossiersInFlight } from './in-flight';
import { compareDossier } from './reconciliation.comparator';
import type { ReconciliationScope } from './reconciliation-request';
import { ReconciliationTally } from './reconciliation-tally';

const FLUSH_EVERY = 200;

/**
 * Whether a TraCuuHoSo answer carries a `result` (an array, `[]` when the portal does not know the
 * dossier, or one record). A success without one, with `result: null`, or wrapped where it was not
 * read (a connector putting the JSON in `message`) says nothing about the dossier.
 */
function carriesResult(raw: unknown): boolean {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return false;
  }
  const result = (raw as Record<string, unknown>)['result'];
  return Array.isArray(result) || (typeof result === 'object' && result !== null);
}

export interface RunnerDeps {
  store: ReconciliationStore;
  portal: PortalPort;
  /** The `madonvi` to look a dossier up with: what the sender sent, else the sender's configured agency. */
  agencyOf: (dossier: StoredDossier) => string | null;
  concurrency: number;
  ratePerSecond: number;
  /** True when the hub is shutting down: the run ends early, the rest counted as not checked. */
  stopping: () => boolean;
}

export interface RunOutcome {
  status: Exclude<ReconciliationStatus, 'running'>;
  totals: ReconciliationTotals;
  /** Scope details known only once the dossiers are picked (how many, whether the bound cut the window). */
  picked: { selected: number; truncated: boolean };
}

/** One reconciliation run: pick, look each dossier up at the portal (bounded and rate-limited), compare, store. */
export class ReconciliationRunner {
  constructor(private readonly deps: RunnerDeps) {}

  async run(runId: string, scope: ReconciliationScope): Promise<RunOutcome> {
    const { store } = this.deps;
    const tally = new ReconciliationTally();
    const { dossiers, truncated } = await this.pick(scope, tally);
    const inFlight = await dossiersInFlight(store);
    const limiter = new Bottleneck({
      maxConcurrent: this.deps.concurrency,
      minTime: Math.ceil(1000 / this.deps.ratePerSecond),
    });
    const found: ReconciliationMismatchInsert[] = [];
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < dossiers.length && !tally.shouldStop && !this.deps.stopping()) {
        const dossier = dossiers[next++];
        if (inFlight.has(dossier.code)) {
          tally.skip('in-flight');
          continue;
        }
        const agency = this.deps.agencyOf(dossier);
        if (agency === null) {
          tally.skip('no-agency');
          continue;
        }
        await limiter.schedule(() => this.check(dossier, agency, tally, found));
        if (found.length >= FLUSH_EVERY) {
          await store.addMismatches(runId, found.splice(0));
        }
      }
    };
    await Promise.all(Array.from({ length: this.deps.concurrency }, worker));
    await store.addMismatches(runId, found.splice(0));
    for (; next < dossiers.length; next += 1) {
      tally.skip('not-checked');
    }
    if (this.deps.stopping() && !tally.shouldStop) {
      tally.interrupt('the hub stopped during the run');
    }
    return {
      status: tally.status(),
      totals: tally.totals(),
      picked: { selected: dossiers.length, truncated },
    };
  }

  private async pick(
    scope: ReconciliationScope,
    tally: ReconciliationTally,
  ): Promise<{ dossiers: StoredDossier[]; truncated: boolean }> {
    if (scope.mode === 'window') {
      return this.deps.store.recentDossiers(scope.windowHours, scope.limit);
    }
    const known = await this.deps.store.dossiers(scope.dossiers);
    const byCode = new Map(known.map((d) => [d.code, d]));
    const dossiers: StoredDossier[] = [];
    for (const code of scope.dossiers) {
      const dossier = byCode.get(code);
      if (dossier) {
        dossiers.push(dossier);
      } else {
        tally.skip('not-in-hub');
      }
    }
    return { dossiers, truncated: false };
  }

  /** A failed lookup is an error for this dossier, never a "missing" mismatch. */
  private async check(
    dossier: StoredDossier,
    agency: string,
    tally: ReconciliationTally,
    found: ReconciliationMismatchInsert[],
  ): Promise<void> {
    let items: unknown[];
    try {
      const answer = await this.deps.portal.lookupDossier({ madonvi: agency, maHoSo: dossier.code });
      if (answer.outcome !== 'success') {
        tally.error(`TraCuuHoSo answered error_code ${answer.errorCode}: ${answer.message}`.trim());
        return;
      }
      if (!carriesResult(answer.raw)) {
        // `dossiers` is [] then too, but nothing says the portal lacks the dossier: never "missing".
        tally.error(`TraCuuHoSo answered error_code ${answer.errorCode} without a result`);
        return;
      }
      items = answer.dossiers;
    } catch (error) {
      tally.error(isPortalError(error) ? `${error.code}: ${error.message}` : String(error));
      return;
    }
    const mismatches = compareDossier(dossier.state, items);
    if (mismatches.length === 0) {
      tally.match();
      return;
    }
    tally.mismatch();
    for (const m of mismatches) {
      found.push({
        dossierCode: dossier.code,
        agency,
        sender: dossier.state.source.system,
        kind: m.kind,
        field: m.field,
        oneStopValue: m.oneStop,
        portalValue: m.portal,
        note: m.note,
      });
    }
  }
}
