import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildSyncService, SYNC_SERVICE_ENTRY } from '../../../test/support/child-hub';

const ROOT = resolve(__dirname, '../../..');

/** Starts the built sync service and waits for it to exit (it must not come up). */
function start(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [SYNC_SERVICE_ENTRY], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      done({ code, output });
    });
  });
}

const PRODUCTION = {
  NODE_ENV: 'production',
  // Never reached: the configuration is refused before any connection.
  DATABASE_URL: 'postgres://isohub@127.0.0.1:1/none',
  PORT: '0',
  SESSION_SECRET: 'a-production-session-secret',
  APPLICANT_KEY_SECRET: 'a-production-applicant-secret',
  OPS_TOKEN: 'a-production-ops-token',
};

describe('the sync service in production', () => {
  beforeAll(() => buildSyncService(), 180_000);

  it('refuses to start without SENDERS_FILE, naming the key', async () => {
    const { code, output } = await start(PRODUCTION);

    expect(code).toBe(1);
    expect(output).toContain(
      'configuration SENDERS_FILE: production refuses to start on development defaults',
    );
  });

  it('refuses the development senders and the development ops token, naming each key, no secret', async () => {
    const { code, output } = await start({
      ...PRODUCTION,
      SENDERS_FILE: resolve(ROOT, 'config/senders.dev.json'),
      OPS_TOKEN: 'dev-only-ops-token-change-me',
    });

    expect(code).toBe(1);
    expect(output).toContain('OPS_TOKEN is the development value');
    expect(output).toContain('SENDERS_FILE senders[0].password is a development secret');
    expect(output).not.toContain('demo-password-change-me');
  });
});
