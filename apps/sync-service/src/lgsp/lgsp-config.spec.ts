import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSyncServiceConfig } from '../config/sync-service.config';

function load(senders: unknown[], env: Record<string, string> = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'isohub-lgsp-'));
  const file = join(dir, 'senders.json');
  writeFileSync(file, JSON.stringify({ senders }));
  return loadSyncServiceConfig({ DATABASE_URL: 'postgres://x@127.0.0.1/x', SENDERS_FILE: file, ...env });
}

const sender = {
  id: 'lgsp-x',
  style: 'lgsp',
  clientId: 'client-x',
  clientSecret: 'inline-dev-secret-value',
};

describe('lgsp-style senders in the senders file', () => {
  it('loads one with defaults: opencps profile, base path /lgsp, one-hour tokens', () => {
    const c = load([sender]);
    expect(c.senders[0]).toMatchObject({ style: 'lgsp', profile: 'opencps', clientId: 'client-x' });
    expect(c.lgspBasePath).toBe('/lgsp');
    expect(c.lgspTokenTtlSeconds).toBe(3600);
  });

  it('takes the secret from clientSecretEnv when that variable is set', () => {
    const c = load([{ ...sender, clientSecretEnv: 'LGSP_X_SECRET' }], {
      LGSP_X_SECRET: 'from-the-environment-1',
    });
    expect(c.senders[0]?.clientSecret).toBe('from-the-environment-1');
  });

  it('refuses a missing or short secret, a bad literalZ, a bad status table and a shared clientId', () => {
    expect(() => load([{ ...sender, clientSecret: 'short' }])).toThrow(/clientSecret/);
    expect(() => load([{ ...sender, literalZ: 'ict' }])).toThrow(/literalZ/);
    expect(() => load([{ ...sender, statusMap: { '1': 12 } }])).toThrow(/statusMap/);
    expect(() => load([sender, { ...sender, id: 'lgsp-y' }])).toThrow(/client-x/);
  });

  it('keeps the per-sender zone and status table', () => {
    const c = load([{ ...sender, literalZ: 'vietnam', statusMap: { '1': 4, '0': null } }]);
    expect(c.senders[0]).toMatchObject({ literalZ: 'vietnam', statusMap: { '1': 4, '0': null } });
  });
});
