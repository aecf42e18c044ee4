import type { MetricsRegistry } from '../observability/metrics.registry';
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
        // Across replicas one polls each source; the others report leader false.
        leader: s.leader,
      },
    ]),
  );
}

type Status = ReturnType<PollingService['statuses']>[number];

/**
 * Prometheus metrics per pull source (labels `adapter`, `agency`), read from memory at each scrape;
 * a value that is not known yet (lag before the first cursor, last poll before the first poll) is
 * left out rather than faked.
 */
export function registerAdapterMetrics(metrics: MetricsRegistry, polling: PollingService): void {
  const labelNames = ['adapter', 'agency'] as const;
  const each = (set: (labels: { adapter: string; agency: string }, s: Status['status']) => void): void => {
    for (const { id, agency, status } of polling.statuses()) {
      set({ adapter: id, agency: agency ?? '' }, status);
    }
  };
  const gauge = (name: string, help: string, value: (s: Status['status']) => number | null): void => {
    metrics.gauge({
      name,
      help,
      labelNames,
      collect() {
        this.reset();
        each((labels, s) => {
          const v = value(s);
          if (v !== null) {
            this.set(labels, v);
          }
        });
      },
    });
  };
  const counter = (name: string, help: string, value: (s: Status['status']) => number): void => {
    metrics.counter({
      name,
      help,
      labelNames,
      collect() {
        this.reset();
        each((labels, s) => this.inc(labels, value(s)));
      },
    });
  };
  gauge(
    'isohub_adapter_lag_seconds',
    'How far the source’s cursor is behind now (seconds); absent before the first cursor.',
    (s) => polling.lagSeconds(s.cursorTime),
  );
  gauge('isohub_adapter_up', '1 when the last poll of the source succeeded.', (s) =>
    s.health === 'up' ? 1 : 0,
  );
  gauge('isohub_adapter_paused', '1 when an operator paused the source.', (s) => (s.paused ? 1 : 0));
  counter('isohub_adapter_poll_failures_total', 'Failed polls since start.', (s) => s.failuresTotal);
  gauge(
    'isohub_adapter_consecutive_failures',
    'Polls failed in a row (0 after a success).',
    (s) => s.consecutiveFailures,
  );
  counter('isohub_adapter_polls_total', 'Polls since start.', (s) => s.pollsTotal);
  counter('isohub_adapter_events_total', 'Changes the source yielded since start.', (s) => s.eventsTotal);
  gauge(
    'isohub_adapter_last_poll_timestamp_seconds',
    'When the source was last polled (Unix seconds); absent before the first poll.',
    (s) => (s.lastPollAt === null ? null : Math.floor(Date.parse(s.lastPollAt) / 1000)),
  );
  counter(
    'isohub_adapter_unmapped_status_total',
    'Rows whose vendor status has no published mapping, since start.',
    (s) => s.flags.filter((f) => f.code === 'unmapped-status').reduce((n, f) => n + f.count, 0),
  );
}
