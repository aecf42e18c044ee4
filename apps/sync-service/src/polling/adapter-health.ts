import type { PollingService } from './polling.service';

/** `/health/ready` `checks.adapters`: per pull source, from memory (answers while the database is down). */
export function adapterChecks(polling: PollingService): Record<string, unknown> {
  return Object.fromEntries(
    polling.statuses().map(({ id, agency, enabled, circuit, status: s }) => [
      id,
      {
        status: enabled ? s.health : 'disabled',
        agency,
        paused: s.paused,
        circuit,
        consecutiveFailures: s.consecutiveFailures,
        lastPollAt: s.lastPollAt,
        lastSuccessAt: s.lastSuccessAt,
        lagSeconds: polling.lagSeconds(s.cursorTime),
        lastError: s.lastError,
      },
    ]),
  );
}

function label(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/** Prometheus lines per pull source; a value that is not known yet is left out rather than faked. */
export function adapterMetrics(polling: PollingService): string[] {
  const lines: string[] = [];
  for (const { id, agency, status: s } of polling.statuses()) {
    const l = `{adapter="${label(id)}",agency="${label(agency ?? '')}"}`;
    const lag = polling.lagSeconds(s.cursorTime);
    if (lag !== null) {
      lines.push(`isohub_adapter_lag_seconds${l} ${lag}`);
    }
    lines.push(`isohub_adapter_up${l} ${s.health === 'up' ? 1 : 0}`);
    lines.push(`isohub_adapter_paused${l} ${s.paused ? 1 : 0}`);
    lines.push(`isohub_adapter_poll_failures_total${l} ${s.failuresTotal}`);
    lines.push(`isohub_adapter_consecutive_failures${l} ${s.consecutiveFailures}`);
    lines.push(`isohub_adapter_polls_total${l} ${s.pollsTotal}`);
    lines.push(`isohub_adapter_events_total${l} ${s.eventsTotal}`);
    if (s.lastPollAt !== null) {
      lines.push(
        `isohub_adapter_last_poll_timestamp_seconds${l} ${Math.floor(Date.parse(s.lastPollAt) / 1000)}`,
      );
    }
    const unmapped = s.flags.filter((f) => f.code === 'unmapped-status').reduce((n, f) => n + f.count, 0);
    lines.push(`isohub_adapter_unmapped_status_total${l} ${unmapped}`);
  }
  return lines;
}
