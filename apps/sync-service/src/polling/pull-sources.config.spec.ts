import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { OneStopRestConfig } from '@isohub/adapters/onestop';
import { loadPullSources } from './pull-sources.config';

const DEV = resolve(__dirname, '../../../../config/pull-sources.dev.json');

function file(content: unknown): string {
  const dir = mkdtempSync(join(tmpdir(), 'pull-sources-'));
  const path = join(dir, 'sources.json');
  writeFileSync(path, JSON.stringify(content));
  return path;
}

const source = (over: Record<string, unknown> = {}) => ({
  id: 'opencps-x',
  type: 'opencps-rest',
  agency: '000.00.01.H56',
  baseUrl: 'http://127.0.0.1:8090/o/rest/v2',
  credentials: { groupId: '1', username: 'u', passwordEnv: 'X_PASSWORD' },
  statusTable: [{ status: 'done', national: 10 }],
  ...over,
});

describe('PULL_SOURCES_FILE', () => {
  it('reads the development file: the sandbox source, its upstream limits and secrets from *Env keys', () => {
    const c = loadPullSources(DEV, (name) => (name === 'ONESTOP_API_H56_PASSWORD' ? 'from-env' : undefined));
    expect(c.sources.map((s) => s.id)).toEqual(['opencps-api-h56', 'lgsp-soap-h56']);
    expect(c.sources[1]?.type).toBe('lgsp-soap');
    const s = c.sources[0];
    expect(s?.intervalMs).toBe(30_000);
    expect(s?.upstream).toBe('sandbox-onestop');
    expect(c.upstreams.find((u) => u.key === 'sandbox-onestop')?.requestsPerSecond).toBe(20);
    const settings = s?.settings as OneStopRestConfig;
    expect(settings.auth).toEqual({ kind: 'basic', username: 'isohub', password: 'from-env' });
    expect(settings.statusTable).toHaveLength(10);
  });

  it('keys the published status mappings by sourceSystem, the id by default', () => {
    const read = (over: Record<string, unknown>) =>
      loadPullSources(file({ sources: [source({ credentials: {}, ...over })] }), () => undefined).sources[0];
    expect(read({})?.sourceSystem).toBe('opencps-x');
    expect(read({ sourceSystem: 'opencps-tinh-x' })?.sourceSystem).toBe('opencps-tinh-x');
    expect(() => read({ sourceSystem: '' })).toThrow(/sources\[0\]\.sourceSystem/);
  });

  it('is optional: no file, no pull sources', () => {
    expect(loadPullSources(undefined, () => undefined).sources).toEqual([]);
  });

  it('refuses to start naming the wrong key', () => {
    const load = (s: unknown) => () => loadPullSources(file({ sources: [s] }), () => undefined);
    expect(load(source({ type: 'ftp' }))).toThrow(/sources\[0\]\.type/);
    expect(load(source({ id: 'Bad Id' }))).toThrow(/sources\[0\]\.id/);
    expect(load(source({ credentials: {}, baseUrl: 'ftp://x/' }))).toThrow(/baseUrl/);
    expect(load(source())).toThrow(/basic auth needs username and password/);
    expect(load(source({ credentials: {}, statusTable: [{ status: 'done', national: 11 }] }))).toThrow(
      /statusTable\[0\]\.national/,
    );
    expect(load(source({ intervalSeconds: 0, credentials: {} }))).toThrow(/intervalSeconds/);
    expect(() =>
      loadPullSources(
        file({ sources: [source({ credentials: {} }), source({ credentials: {} })] }),
        () => undefined,
      ),
    ).toThrow(/used twice/);
  });

  it('checks a disabled source only for what the poller itself needs', () => {
    const c = loadPullSources(file({ sources: [source({ enabled: false })] }), () => undefined);
    expect(c.sources[0]?.enabled).toBe(false);
    expect(c.upstreams[0]?.key).toBe('http://127.0.0.1:8090');
  });
});
