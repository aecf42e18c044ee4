import { Injectable } from '@nestjs/common';
import {
  collectDefaultMetrics,
  Counter,
  Gauge,
  Histogram,
  Registry,
  type CounterConfiguration,
  type GaugeConfiguration,
  type HistogramConfiguration,
  type Metric,
} from 'prom-client';

/** Seconds buckets for calls that should take milliseconds but may take the whole client deadline. */
export const REQUEST_SECONDS_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/**
 * The sync service's Prometheus registry, one per app instance (tests run several hubs in one process).
 * Any provider can inject it and register its own metrics:
 *
 *   constructor(metrics: MetricsRegistry) {
 *     this.refused = metrics.counter({ name: 'isohub_x_refused_total', help: '…', labelNames: ['style'] });
 *   }
 *
 * Names follow Prometheus practice: `isohub_` prefix, `_total` for counters, `_seconds` for durations,
 * base units only. A second registration under the same name returns the metric already there (same
 * kind required), so registration may sit in a constructor that runs more than once.
 */
@Injectable()
export class MetricsRegistry {
  readonly registry = new Registry();

  constructor() {
    // Process metrics (CPU, memory, event-loop lag, GC) under their standard names.
    collectDefaultMetrics({ register: this.registry });
  }

  counter<L extends string>(config: Omit<CounterConfiguration<L>, 'registers'>): Counter<L> {
    return this.getOrCreate(
      config.name,
      Counter,
      () => new Counter({ ...config, registers: [this.registry] }),
    );
  }

  gauge<L extends string>(config: Omit<GaugeConfiguration<L>, 'registers'>): Gauge<L> {
    return this.getOrCreate(config.name, Gauge, () => new Gauge({ ...config, registers: [this.registry] }));
  }

  histogram<L extends string>(config: Omit<HistogramConfiguration<L>, 'registers'>): Histogram<L> {
    return this.getOrCreate(
      config.name,
      Histogram,
      () => new Histogram({ ...config, registers: [this.registry] }),
    );
  }

  /** The Prometheus text exposition (with `# HELP` and `# TYPE`). */
  metrics(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  private getOrCreate<M extends Metric>(
    name: string,
    kind: abstract new (...args: never[]) => M,
    create: () => M,
  ): M {
    const existing = this.registry.getSingleMetric(name);
    if (existing === undefined) {
      return create();
    }
    if (!(existing instanceof kind)) {
      throw new Error(`metric ${name} is already registered as another kind`);
    }
    return existing;
  }
}
