import type { Gauge } from 'prom-client';
import type { ReconciliationRun, ReconciliationStore } from '@isohub/persistence';
import type { MetricsRegistry } from '../observability/metrics.registry';
import { MISMATCH_KINDS } from './reconciliation.comparator';
import type { ReconciliationService } from './reconciliation.service';

const RUN_STATUSES = ['done', 'partial', 'failed'] as const;

export interface ReconciliationCheck {
  enabled: boolean;
  intervalMinutes: number;
  runningRunId: string | null;
  lastRun: Omit<ReconciliationRun, 'scope'> | null;
}

/** The `/health/ready` detail. Information only: mismatches or a failed run never make the hub unready. */
export async function reconciliationCheck(
  service: ReconciliationService,
  store: ReconciliationStore,
): Promise<ReconciliationCheck> {
  const last = await store.lastFinishedRun().catch(() => null);
  if (last === null) {
    return { ...service.status(), lastRun: null };
  }
  // The scope can list thousands of dossier codes: the run's own endpoint has it.
  const { id, trigger, status, startedAt, finishedAt, checked, matched, mismatched } = last;
  const { skipped, skippedByReason, errors, lastError } = last;
  return {
    ...service.status(),
    lastRun: {
      id,
      trigger,
      status,
      startedAt,
      finishedAt,
      checked,
      matched,
      mismatched,
      skipped,
      skippedByReason,
      errors,
      lastError,
    },
  };
}

/**
 * Prometheus metrics of reconciliation: whether it runs, and the last finished run's time, status,
 * counts and mismatches by kind (0, or absent for the labelled ones, until a run has finished).
 */
export function registerReconciliationMetrics(
  metrics: MetricsRegistry,
  service: ReconciliationService,
  store: ReconciliationStore,
): void {
  // One read of the last run per scrape, shared by the metrics below.
  let cached: { at: number; value: Promise<LastRun | null> } | null = null;
  const last = (): Promise<LastRun | null> => {
    if (cached === null || Date.now() - cached.at > 1_000) {
      cached = { at: Date.now(), value: readLastRun(store) };
    }
    return cached.value;
  };
  metrics.gauge({
    name: 'isohub_reconciliation_enabled',
    help: '1 when scheduled reconciliation with the national portal is on.',
    collect() {
      this.set(service.status().enabled ? 1 : 0);
    },
  });
  metrics.gauge({
    name: 'isohub_reconciliation_running',
    help: '1 while a reconciliation run is in progress.',
    collect() {
      this.set(service.status().runningRunId === null ? 0 : 1);
    },
  });
  const fromLast = (
    name: string,
    help: string,
    set: (gauge: Gauge<'status' | 'kind'>, run: LastRun) => void,
    labelNames: ('status' | 'kind')[] = [],
  ): void => {
    metrics.gauge({
      name,
      help,
      labelNames,
      async collect() {
        this.reset();
        const run = await last();
        if (run !== null) {
          set(this, run);
        }
      },
    });
  };
  fromLast(
    'isohub_reconciliation_last_run_timestamp_seconds',
    'When the last reconciliation run finished (Unix seconds).',
    (g, { run }) => g.set(Math.floor(Date.parse(run.finishedAt ?? '') / 1000)),
  );
  fromLast(
    'isohub_reconciliation_last_run_status',
    '1 on the last finished run’s status (done, partial, failed), 0 on the others.',
    (g, { run }) => RUN_STATUSES.forEach((s) => g.set({ status: s }, run.status === s ? 1 : 0)),
    ['status'],
  );
  fromLast('isohub_reconciliation_last_run_checked', 'Dossiers the last run compared.', (g, { run }) =>
    g.set(run.checked),
  );
  fromLast(
    'isohub_reconciliation_last_run_mismatched_dossiers',
    'Dossiers the last run found different at the portal.',
    (g, { run }) => g.set(run.mismatched),
  );
  fromLast('isohub_reconciliation_last_run_skipped', 'Dossiers the last run skipped.', (g, { run }) =>
    g.set(run.skipped),
  );
  fromLast(
    'isohub_reconciliation_last_run_errors',
    'Portal calls of the last run that failed.',
    (g, { run }) => g.set(run.errors),
  );
  fromLast(
    'isohub_reconciliation_last_run_mismatches',
    'Mismatches of the last run by kind.',
    (g, { byKind }) => {
      if (byKind !== null) {
        MISMATCH_KINDS.forEach((kind) => g.set({ kind }, byKind[kind] ?? 0));
      }
    },
    ['kind'],
  );
}

interface LastRun {
  run: ReconciliationRun;
  byKind: Partial<Record<string, number>> | null;
}

async function readLastRun(store: ReconciliationStore): Promise<LastRun | null> {
  const run = await store.lastFinishedRun().catch(() => null);
  if (run === null || run.finishedAt === null) {
    return null;
  }
  return { run, byKind: await store.mismatchCountsByKind(run.id).catch(() => null) };
}
