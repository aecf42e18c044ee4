import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSyncServiceConfig } from './sync-service.config';

const base = {
  DATABASE_URL: 'postgres://x@127.0.0.1/x',
  SENDERS_FILE: resolve(__dirname, '../../../../config/senders.dev.json'),
};
// Production refuses the development senders (development-defaults.ts): a production-shaped file.
const production = {
  ...base,
  NODE_ENV: 'production',
  SESSION_SECRET: 'a-production-session-secret',
  SENDERS_FILE: resolve(__dirname, '__fixtures__/senders.production.json'),
  SENDER_OPENCPS_H56_PASSWORD: 'a-real-sender-password',
  SENDER_THANHHOA_H56_KEY: 'a-real-thanhhoa-path-key',
};

describe('APPLICANT_KEY_SECRET', () => {
  it('has a development default outside production', () => {
    expect(loadSyncServiceConfig(base).applicantKeySecret.length).toBeGreaterThanOrEqual(16);
  });

  it('is required in production and must be at least 16 characters', () => {
    expect(() => loadSyncServiceConfig(production)).toThrow(/APPLICANT_KEY_SECRET: is required/);
    expect(() => loadSyncServiceConfig({ ...production, APPLICANT_KEY_SECRET: 'too-short' })).toThrow(
      /APPLICANT_KEY_SECRET: must be at least 16 characters/,
    );
    const c = loadSyncServiceConfig({ ...production, APPLICANT_KEY_SECRET: 'a-production-applicant-secret' });
    expect(c.applicantKeySecret).toBe('a-production-applicant-secret');
  });
});
