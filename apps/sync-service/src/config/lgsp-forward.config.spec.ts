import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSyncServiceConfig } from './sync-service.config';

const BASE = { DATABASE_URL: 'postgres://x@127.0.0.1/x' };
const BUS = {
  LGSP_FORWARD_ENABLED: 'true',
  LGSP_BUS_BASE_URL: 'https://lgsp.example.gov.vn/api/',
  LGSP_BUS_CLIENT_ID: 'isohub',
  LGSP_BUS_CLIENT_SECRET: 'bus-secret',
};

function pullSources(sources: unknown[]): string {
  const path = join(mkdtempSync(join(tmpdir(), 'lgsp-fwd-')), 'sources.json');
  writeFileSync(path, JSON.stringify({ sources }));
  return path;
}

describe('LGSP forwarding configuration', () => {
  it('is off by default, with the paths one-stop systems call', () => {
    const c = loadSyncServiceConfig(BASE).lgspForward;
    expect(c).toMatchObject({ enabled: false, bus: null });
    expect(c.paths).toEqual({
      SyncDocument: '/Document/SyncDocument',
      UpdateDocumentTraces: '/Document/UpdateDocumentTraces',
    });
  });

  it('reads the bus from LGSP_BUS_*, the token URL defaulting under the REST base', () => {
    const c = loadSyncServiceConfig({ ...BASE, ...BUS, LGSP_FORWARD_TRACES_PATH: '/v2/Traces' }).lgspForward;
    expect(c.bus).toMatchObject({
      baseUrl: 'https://lgsp.example.gov.vn/api',
      tokenUrl: 'https://lgsp.example.gov.vn/api/token',
      clientId: 'isohub',
      clientAuth: 'body',
    });
    expect(c.paths.UpdateDocumentTraces).toBe('/v2/Traces');
  });

  it('names the missing variable, and refuses an absolute path', () => {
    expect(() => loadSyncServiceConfig({ ...BASE, ...BUS, LGSP_BUS_CLIENT_SECRET: '' })).toThrow(
      /LGSP_BUS_CLIENT_SECRET/,
    );
    expect(() =>
      loadSyncServiceConfig({ ...BASE, ...BUS, LGSP_FORWARD_SYNC_PATH: 'https://elsewhere/x' }),
    ).toThrow(/LGSP_FORWARD_SYNC_PATH/);
  });

  it('reuses the lgsp settings of an lgsp-soap pull source named by LGSP_FORWARD_BUS', () => {
    const file = pullSources([
      {
        id: 'lgsp-h56',
        type: 'lgsp-soap',
        lgsp: {
          baseUrl: 'https://bus.example/rest',
          tokenUrl: 'https://bus.example/token',
          clientId: 'isohub-lgsp',
          clientSecretEnv: 'BUS_SECRET',
          soap: { wsdlUrl: 'https://bus.example/soap?wsdl' },
        },
      },
    ]);
    const env = { ...BASE, PULL_SOURCES_FILE: file, LGSP_FORWARD_ENABLED: 'true', BUS_SECRET: 'from-env' };
    const c = loadSyncServiceConfig({ ...env, LGSP_FORWARD_BUS: 'lgsp-h56' }).lgspForward;
    expect(c.bus).toMatchObject({
      baseUrl: 'https://bus.example/rest',
      clientSecret: 'from-env',
      soap: null,
    });
    expect(c.busFrom).toBe('lgsp-h56');
    expect(() => loadSyncServiceConfig({ ...env, LGSP_FORWARD_BUS: 'nope' })).toThrow(/LGSP_FORWARD_BUS/);
  });
});
