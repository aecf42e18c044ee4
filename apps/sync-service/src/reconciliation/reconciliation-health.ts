import type { ReconciliationRun, ReconciliationStore } from '@isohub/persistence';
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

/** Prometheus lines: the last finished run's time, status, counts and mismatches by kind. */
export async function reconciliationMetrics(
  service: ReconciliationService,
  store: ReconciliationStore,
): Promise<string[]> {
  const status = service.status();
  const lines = [
    `isohub_reconciliation_enabled ${status.enabled ? 1 : 0}`,
    `isohub_reconciliation_running ${status.runningRunId === null ? 0 : 1}`,
  ];
  const last = await store.lastFinishedRun().catch(() => null);
  if (last === null || last.finishedAt === null) {
    return lines;
  }
  const byKind = await store.mismatchCountsByKind(last.id).catch(() => null);
  lines.push(
    `isohub_reconciliation_last_run_timestamp_seconds ${Math.floor(Date.parse(last.finishedAt) / 1000)}`,
  );
  for (const s of RUN_STATUSES) {
    lines.push(`isohub_reconciliation_last_run_status{status="${s}"} ${last.status === s ? 1 : 0}`);
  }
  lines.push(`isohub_reconciliation_last_run_checked ${last.checked}`);
  lines.push(`isohub_reconciliation_last_run_mismatched_dossiers ${last.mismatched}`);
  lines.push(`isohub_reconciliation_last_run_skipped ${last.skipped}`);
  lines.push(`isohub_reconciliation_last_run_errors ${last.errors}`);
  if (byKind !== null) {
    for (const kind of MISMATCH_KINDS) {
      lines.push(`isohub_reconciliation_last_run_mismatches{kind="${kind}"} ${byKind[kind] ?? 0}`);
    }
  }
  return lines;
}
