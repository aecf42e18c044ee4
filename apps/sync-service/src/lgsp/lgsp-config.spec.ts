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
    const takeover = { ...sender, mode: 'takeover', upstreamClient: { clientId: 'own', clientSecret: 's' } };
    expect(() => load([{ ...takeover, clientSecret: 'short' }])).toThrow(/clientSecret/);
    // Transparent (the default): the bus checks the secret, isohub only needs the client id.
    expect(load([{ id: 'lgsp-t', style: 'lgsp', clientId: 'c' }]).senders[0]?.mode).toBe('transparent');
    expect(() => load([{ id: 'lgsp-t', style: 'lgsp' }])).toThrow(/clientId/);
    expect(() => load([{ ...sender, literalZ: 'ict' }])).toThrow(/literalZ/);
    expect(() => load([{ ...sender, statusMap: { '1': 12 } }])).toThrow(/statusMap/);
    expect(() => load([sender, { ...sender, id: 'lgsp-y' }])).toThrow(/client-x/);
  });

  it("refuses takeover without the sender's own upstream credentials, and one account for two senders", () => {
    expect(() => load([{ ...sender, mode: 'takeover' }])).toThrow(/upstreamClient/);
    const own = { clientId: 'own-x', clientSecret: 'own-secret' };
    const ok = load([{ ...sender, mode: 'takeover', upstreamClient: own }]);
    expect(ok.senders[0]?.upstreamClient).toEqual(own);
    expect(() =>
      load([
        { ...sender, mode: 'takeover', upstreamClient: own },
        { ...sender, id: 'lgsp-y', clientId: 'client-y', mode: 'takeover', upstreamClient: own },
      ]),
    ).toThrow(/more than one takeover sender/);
    expect(() =>
      load([{ id: 'o', style: 'opencps', username: 'u', password: 'p', mode: 'takeover' }]),
    ).toThrow(/upstreamAccount/);
    expect(() =>
      load([{ id: 't', style: 'thanhhoa', pathKey: 'a-long-path-key', mode: 'takeover' }]),
    ).toThrow(/createUrl/);
    expect(() => load([{ ...sender, mode: 'relay' }])).toThrow(/mode/);
  });

  it('keeps the per-sender zone and status table', () => {
    const c = load([{ ...sender, literalZ: 'vietnam', statusMap: { '1': 4, '0': null } }]);
    expect(c.senders[0]).toMatchObject({ literalZ: 'vietnam', statusMap: { '1': 4, '0': null } });
  });
});
