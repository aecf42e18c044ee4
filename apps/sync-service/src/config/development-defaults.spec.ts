import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { developmentDefaults, fileSecrets, refuseDevelopmentDefaults } from './development-defaults';
import { loadSyncServiceConfig } from './sync-service.config';

const ROOT = resolve(__dirname, '../../../..');
const PRODUCTION = {
  NODE_ENV: 'production',
  DATABASE_URL: 'postgres://x@127.0.0.1/x',
  SENDERS_FILE: resolve(__dirname, '__fixtures__/senders.production.json'),
  SENDER_OPENCPS_H56_PASSWORD: 'a-real-sender-password',
  SENDER_THANHHOA_H56_KEY: 'a-real-thanhhoa-path-key',
  SESSION_SECRET: 'a-production-session-secret',
  APPLICANT_KEY_SECRET: 'a-production-applicant-secret',
  OPS_TOKEN: 'a-production-ops-token',
};

const keys = (env: NodeJS.ProcessEnv): string[] => developmentDefaults(env, ROOT).map((d) => d.key);

describe('fileSecrets', () => {
  it('takes a secret from its *Env variable when set, else the inline value, and finds nested ones', () => {
    const file = {
      sources: [
        { credentials: { passwordEnv: 'P', password: 'inline' } },
        { lgsp: { clientSecretEnv: 'S' } },
      ],
    };
    expect(fileSecrets(file, () => undefined)).toEqual([
      { path: 'sources[0].credentials.password', value: 'inline', fromVariable: null },
    ]);
    expect(fileSecrets(file, (name) => `from-${name}`)).toEqual([
      { path: 'sources[0].credentials.password', value: 'from-P', fromVariable: 'P' },
      { path: 'sources[1].lgsp.clientSecret', value: 'from-S', fromVariable: 'S' },
    ]);
  });
});

describe('development defaults of the sync service', () => {
  it('finds none in a production-shaped environment, and it starts', () => {
    expect(keys(PRODUCTION)).toEqual([]);
    expect(loadSyncServiceConfig(PRODUCTION).senders.map((s) => s.id)).toEqual([
      'opencps-h56',
      'thanhhoa-h56',
    ]);
  });

  it('refuses production without SENDERS_FILE, naming the key', () => {
    const { SENDERS_FILE: _unset, ...env } = PRODUCTION;
    expect(() => loadSyncServiceConfig(env)).toThrow(/configuration SENDERS_FILE: production refuses/);
  });

  it('refuses the development session, applicant-key and ops secrets in production', () => {
    expect(() => loadSyncServiceConfig({ ...PRODUCTION, OPS_TOKEN: 'dev-only-ops-token-change-me' })).toThrow(
      /configuration OPS_TOKEN: production refuses/,
    );
    expect(keys({ ...PRODUCTION, SESSION_SECRET: 'dev-only-session-secret' })).toEqual(['SESSION_SECRET']);
    expect(keys({ ...PRODUCTION, APPLICANT_KEY_SECRET: 'dev-only-applicant-key-secret' })).toEqual([
      'APPLICANT_KEY_SECRET',
    ]);
  });

  it('refuses the dev sender passwords, even when a variable supplies them', () => {
    expect(keys({ ...PRODUCTION, SENDER_OPENCPS_H56_PASSWORD: 'demo-password-change-me' })).toEqual([
      'SENDERS_FILE senders[0].password (SENDER_OPENCPS_H56_PASSWORD)',
    ]);
    expect(() =>
      loadSyncServiceConfig({ ...PRODUCTION, SENDERS_FILE: resolve(ROOT, 'config/senders.dev.json') }),
    ).toThrow(/SENDERS_FILE senders\[0\]\.password/);
  });

  it('refuses inline secrets in the senders and pull-sources files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'isohub-devdefaults-'));
    const senders = join(dir, 'senders.json');
    writeFileSync(
      senders,
      JSON.stringify({
        senders: [{ id: 'o', style: 'opencps', username: 'o', password: 'an-inline-password' }],
      }),
    );
    const sources = join(dir, 'pull-sources.json');
    writeFileSync(
      sources,
      JSON.stringify({ sources: [{ id: 's', credentials: { username: 'u', password: 'inline-pull' } }] }),
    );
    expect(keys({ ...PRODUCTION, SENDERS_FILE: senders, PULL_SOURCES_FILE: sources })).toEqual([
      'SENDERS_FILE senders[0].password',
      'PULL_SOURCES_FILE sources[0].credentials.password',
    ]);
  });

  it('refuses the development pull sources (their sandbox secrets)', () => {
    expect(keys({ ...PRODUCTION, PULL_SOURCES_FILE: resolve(ROOT, 'config/pull-sources.dev.json') })).toEqual(
      ['PULL_SOURCES_FILE sources[0].credentials.password', 'PULL_SOURCES_FILE sources[1].lgsp.clientSecret'],
    );
  });

  it('outside production, warns once, naming each development default', () => {
    const warn = vi.fn();
    refuseDevelopmentDefaults({ DATABASE_URL: 'postgres://x@127.0.0.1/x' }, ROOT, { warn });
    expect(warn).toHaveBeenCalledTimes(1);
    const message = String(warn.mock.calls[0]?.[0]);
    for (const key of [
      'SESSION_SECRET',
      'APPLICANT_KEY_SECRET',
      'OPS_TOKEN',
      'SENDERS_FILE',
      'senders[0].password',
    ]) {
      expect(message).toContain(key);
    }
    expect(message).not.toContain('demo-password-change-me');
  });
});
