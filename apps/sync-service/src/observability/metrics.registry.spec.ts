import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { registerAdapterMetrics } from '../polling/adapter-health';
import type { PollingService } from '../polling/polling.service';
import type { PollerStatus } from '../polling/source-poller';
import { RouteLabels } from './http-metrics';
import { MetricsRegistry } from './metrics.registry';
import { publishSpans, tracingEnabled, tracingMiddleware } from './tracing';

const status = (over: Partial<PollerStatus>): PollerStatus => ({
  health: 'up',
  paused: false,
  running: true,
  consecutiveFailures: 0,
  failuresTotal: 0,
  pollsTotal: 0,
  pagesTotal: 0,
  eventsTotal: 0,
  deadLettersTotal: 0,
  conflictsTotal: 0,
  rereadDossiersTotal: 0,
  rereadFailuresTotal: 0,
  lastPollAt: null,
  lastSuccessAt: null,
  lastError: null,
  cursorTime: null,
  flags: [],
  leader: true,
  ...over,
});

describe('MetricsRegistry', () => {
  it('exposes # HELP and # TYPE for what other code registers, and returns the metric already there', async () => {
    const metrics = new MetricsRegistry();
    const c = metrics.counter({ name: 'isohub_test_things_total', help: 'Things.', labelNames: ['kind'] });
    expect(metrics.counter({ name: 'isohub_test_things_total', help: 'Things.', labelNames: ['kind'] })).toBe(
      c,
    );
    c.inc({ kind: 'a' }, 2);
    metrics.histogram({ name: 'isohub_test_seconds', help: 'Durations.', buckets: [0.1, 1] }).observe(0.5);
    const text = await metrics.metrics();
    expect(text).toContain(
      '# HELP isohub_test_things_total Things.\n# TYPE isohub_test_things_total counter',
    );
    expect(text).toContain('isohub_test_things_total{kind="a"} 2');
    expect(text).toContain('# TYPE isohub_test_seconds histogram');
    expect(text).toContain('isohub_test_seconds_bucket{le="1"} 1');
    expect(text).toContain('# TYPE process_cpu_seconds_total counter');
    expect(() => metrics.gauge({ name: 'isohub_test_things_total', help: 'x' })).toThrow(/another kind/);
  });

  it('keeps two app instances apart (tests run several hubs in one process)', async () => {
    const a = new MetricsRegistry();
    const b = new MetricsRegistry();
    a.counter({ name: 'isohub_test_apart_total', help: 'x' }).inc(3);
    b.counter({ name: 'isohub_test_apart_total', help: 'x' });
    expect(await b.metrics()).toContain('isohub_test_apart_total 0');
  });

  it('reads the pull sources at each scrape, leaving out what is not known yet', async () => {
    const metrics = new MetricsRegistry();
    const rows = [
      {
        id: 'onestop-a',
        agency: '000.00.01.H56',
        enabled: true,
        circuit: 'closed',
        status: status({
          health: 'down',
          failuresTotal: 3,
          pollsTotal: 7,
          flags: [{ code: 'unmapped-status', detail: 'x', count: 2 }],
        }),
      },
    ];
    const polling = { statuses: () => rows, lagSeconds: () => null } as unknown as PollingService;
    registerAdapterMetrics(metrics, polling);
    let text = await metrics.metrics();
    expect(text).toContain(
      'isohub_adapter_poll_failures_total{adapter="onestop-a",agency="000.00.01.H56"} 3',
    );
    expect(text).toContain('isohub_adapter_up{adapter="onestop-a",agency="000.00.01.H56"} 0');
    expect(text).toContain(
      'isohub_adapter_unmapped_status_total{adapter="onestop-a",agency="000.00.01.H56"} 2',
    );
    expect(text).not.toMatch(/^isohub_adapter_last_poll_timestamp_seconds\{/m);
    rows[0].status = status({ pollsTotal: 8, lastPollAt: '2026-12-08T01:00:00Z' });
    text = await metrics.metrics();
    expect(text).toContain('isohub_adapter_polls_total{adapter="onestop-a",agency="000.00.01.H56"} 8');
    expect(text).toContain(
      'isohub_adapter_last_poll_timestamp_seconds{adapter="onestop-a",agency="000.00.01.H56"} 1796691600',
    );
  });
});

describe('tracing, off by default', () => {
  it('installs nothing: no middleware, no wrapped driver, no spans', () => {
    expect(tracingEnabled()).toBe(false);
    expect(tracingMiddleware()).toBeNull();
    expect(pg.Client.prototype.query.name).toBe('query');
    expect(publishSpans([{ topic: 't', key: null, value: null, headers: {} }])).toBeNull();
  });
});

describe('RouteLabels', () => {
  it('labels a path by its pattern, never by its key, and keeps the label set bounded', () => {
    const labels = new RouteLabels();
    labels.addPaths(['/dvcqg/api/auth', '/dvcqg/th/:key/:action', '/dvcqg/*']);
    labels.addPrefix('/dvcqg');
    expect(labels.label('/dvcqg/api/auth')).toBe('/dvcqg/api/auth');
    expect(labels.label('/dvcqg/th/th-secret-key-123/ThemMoi')).toBe('/dvcqg/th/:key/:action');
    expect(labels.label('/dvcqg/anything/else')).toBe('/dvcqg/*');
    expect(labels.label('/wp-login.php')).toBeNull();
  });
});
