import { Injectable } from '@nestjs/common';
import type { Counter } from 'prom-client';
import { MetricsRegistry } from '../observability/metrics.registry';

/**
 * Calls through the tee since start, per sender style, route kind and what came of them, on /metrics as
 * `isohub_tee_calls_total{style,kind,outcome}` and, for the operator API, as a snapshot.
 * `outcome`: `delivered` / `refused` (the upstream's verdict on an identified sender's call), `unidentified`
 * (forwarded, no event: isohub did not see the session issued), `unanswered` (upstream unreachable),
 * `rejected` (answered by isohub itself: unreadable, limits), `taken-over` (a takeover sender, answered at commit).
 */
@Injectable()
export class TeeMetrics {
  private readonly counts = new Map<string, number>();
  private readonly counter: Counter<'style' | 'kind' | 'outcome'>;

  constructor(metrics: MetricsRegistry) {
    this.counter = metrics.counter({
      name: 'isohub_tee_calls_total',
      help: 'Calls through the tee by sender style, route kind (login, data, pass) and outcome.',
      labelNames: ['style', 'kind', 'outcome'],
    });
  }

  count(style: string, kind: string, outcome: string): void {
    this.counter.inc({ style, kind, outcome });
    const key = `${style}\u0000${kind}\u0000${outcome}`;
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  }

  snapshot(): { style: string; kind: string; outcome: string; count: number }[] {
    return [...this.counts.entries()].map(([key, count]) => {
      const [style = '', kind = '', outcome = ''] = key.split('\u0000');
      return { style, kind, outcome, count };
    });
  }
}
