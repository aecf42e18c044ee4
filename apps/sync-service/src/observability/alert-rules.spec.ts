import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { DataSource } from 'typeorm';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { EventBusPort } from '@isohub/messaging';
import type { ForwardStore, ReconciliationStore } from '@isohub/persistence';
import type { ForwarderService } from '../forward/forwarder.service';
import type { PollingService } from '../polling/polling.service';
import type { ReconciliationService } from '../reconciliation/reconciliation.service';
import type { RelayService } from '../relay/relay.service';
import { httpMetricsMiddleware } from './http-metrics';
import { HubMetrics } from './hub-metrics';
import { instrumentBus } from './instrumented-bus';
import { MetricsRegistry } from './metrics.registry';

const deploy = resolve(__dirname, '../../../../deploy');

interface Rule {
  alert?: string;
  expr?: string;
  for?: string;
  labels?: { severity?: string };
  annotations?: { summary?: string };
}

/** Every metric name the sync service exposes, as Prometheus sees it (histograms with their series). */
function exposedNames(): Set<string> {
  const metrics = new MetricsRegistry();
  const unused = (): never => {
    throw new Error('not called while registering');
  };
  new HubMetrics(
    metrics,
    { status: unused, pending: unused } as unknown as RelayService,
    { status: unused } as unknown as ForwarderService,
    { stats: unused } as unknown as ForwardStore,
    { query: unused } as unknown as DataSource,
    { statuses: unused } as unknown as PollingService,
    { status: unused } as unknown as ReconciliationService,
    {} as ReconciliationStore,
  );
  httpMetricsMiddleware(metrics);
  instrumentBus({} as EventBusPort, metrics);
  const names = new Set<string>();
  for (const m of metrics.registry.getMetricsAsArray()) {
    const { name, type } = m as unknown as { name: string; type: string };
    names.add(name);
    if (type === 'histogram') {
      ['_bucket', '_sum', '_count'].forEach((s) => names.add(`${name}${s}`));
    }
  }
  return names;
}

const isohubNames = (expr: string): string[] => expr.match(/\bisohub_[a-z0-9_]+/g) ?? [];

describe('deploy/prometheus/isohub-alerts.yml', () => {
  const file = parse(readFileSync(resolve(deploy, 'prometheus/isohub-alerts.yml'), 'utf8')) as {
    groups: { name: string; rules: Rule[] }[];
  };
  const rules = file.groups.flatMap((g) => g.rules);
  const names = exposedNames();

  it('is a rule file Prometheus reads: named groups, each alert with expr, severity and summary', () => {
    expect(file.groups.length).toBeGreaterThan(0);
    for (const rule of rules) {
      expect(rule.alert).toMatch(/^Isohub[A-Za-z]+$/);
      expect(rule.expr, rule.alert).toEqual(expect.any(String));
      expect(['critical', 'warning', 'info']).toContain(rule.labels?.severity);
      expect(rule.annotations?.summary, rule.alert).toEqual(expect.any(String));
      if (rule.for !== undefined) {
        expect(rule.for).toMatch(/^\d+[smhd]$/);
      }
    }
    expect(new Set(rules.map((r) => r.alert)).size).toBe(rules.length);
  });

  it('covers what operators must act on', () => {
    expect(rules.map((r) => r.alert)).toEqual(
      expect.arrayContaining([
        'IsohubRelayStalled',
        'IsohubForwardBacklog',
        'IsohubPortalRefusalsRising',
        'IsohubUnmappedQueueGrowing',
        'IsohubDeadLettersArriving',
        'IsohubNoCalendarThisYear',
        'IsohubNoCalendarNextYear',
      ]),
    );
  });

  it('uses only metrics the sync service exposes', () => {
    const unknown = rules.flatMap((r) => isohubNames(r.expr ?? '').filter((n) => !names.has(n)));
    expect(unknown).toEqual([]);
    expect(rules.every((r) => isohubNames(r.expr ?? '').length > 0)).toBe(true);
  });
});

describe('deploy/grafana/isohub-dashboard.json', () => {
  it('queries only metrics the sync service exposes', () => {
    const dashboard = JSON.parse(readFileSync(resolve(deploy, 'grafana/isohub-dashboard.json'), 'utf8')) as {
      panels: { title: string; targets?: { expr: string }[] }[];
    };
    const exprs = dashboard.panels.flatMap((p) => (p.targets ?? []).map((t) => t.expr));
    expect(exprs.length).toBeGreaterThan(10);
    const names = exposedNames();
    expect(exprs.flatMap((e) => isohubNames(e).filter((n) => !names.has(n)))).toEqual([]);
  });
});
