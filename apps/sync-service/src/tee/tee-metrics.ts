import { Injectable } from '@nestjs/common';

/** Calls through the tee since start, for /metrics: per style, route kind and what came of them. */
@Injectable()
export class TeeMetrics {
  private readonly counts = new Map<string, number>();

  /**
   * `outcome`: `delivered` / `refused` (the upstream's verdict), `unanswered` (upstream unreachable),
   * `rejected` (answered by isohub itself: unreadable, limits), `unidentified` (forwarded, no event).
   */
  count(style: string, kind: string, outcome: string): void {
    const key = `${style}\u0000${kind}\u0000${outcome}`;
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  }

  snapshot(): { style: string; kind: string; outcome: string; count: number }[] {
    return [...this.counts.entries()].map(([key, count]) => {
      const [style = '', kind = '', outcome = ''] = key.split('\u0000');
      return { style, kind, outcome, count };
    });
  }

  /** Prometheus text lines (`isohub_tee_calls_total{style,kind,outcome}`). */
  lines(): string[] {
    return [
      '# HELP isohub_tee_calls_total Calls through the tee by sender style, route kind and outcome.',
      '# TYPE isohub_tee_calls_total counter',
      ...this.snapshot().map(
        (c) =>
          `isohub_tee_calls_total{style="${c.style}",kind="${c.kind}",outcome="${c.outcome}"} ${c.count}`,
      ),
    ];
  }
}
