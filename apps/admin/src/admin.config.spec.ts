import { ConfigError } from '@isohub/config';
import { describe, expect, it, vi } from 'vitest';
import { loadAdminConfig } from './admin.config';

const DEV = { DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/isohub' };
const PROD = {
  ...DEV,
  NODE_ENV: 'production',
  ADMIN_PUBLIC_URL: 'https://isohub.example.gov.vn/',
  OIDC_ISSUER_URL: 'https://sso.example.gov.vn/oauth2/token',
  OIDC_CLIENT_SECRET: 'client-secret-from-the-sso',
  SESSION_SECRET: 'a-long-random-session-secret',
  SYNC_SERVICE_OPS_TOKEN: 'ops-token-shared-with-the-sync-service',
  AUDIT_CHECKPOINT_KEY: 'an-audit-checkpoint-key-of-32-chars-at-least',
  AUDIT_CHECKPOINT_FILE: '/var/lib/isohub-audit/checkpoint.json',
};

describe('loadAdminConfig', () => {
  it('defaults to the sandbox SSO and its development client in development', () => {
    const { auth } = loadAdminConfig(DEV);

    expect(auth.oidc).toMatchObject({
      issuerUrl: 'http://127.0.0.1:8090/sso',
      clientId: 'isohub-admin',
      clientSecret: 'isohub-admin-dev-secret',
      allowInsecureIssuer: true,
      rolesClaim: 'roles',
    });
    expect(auth.publicUrl).toBeNull();
    expect(auth.session).toMatchObject({
      secureCookie: false,
      idleTimeoutMs: 30 * 60_000,
      absoluteTimeoutMs: 8 * 3_600_000,
    });
  });

  it('takes a production setup and makes the session cookie Secure for an https public URL', () => {
    const config = loadAdminConfig(PROD);

    expect(config.auth.publicUrl).toBe('https://isohub.example.gov.vn');
    expect(config.auth.session.secureCookie).toBe(true);
    expect(config.auth.oidc.allowInsecureIssuer).toBe(false);
  });

  it.each([
    ['SESSION_SECRET', { SESSION_SECRET: undefined }],
    ['OIDC_CLIENT_SECRET', { OIDC_CLIENT_SECRET: undefined }],
    ['ADMIN_PUBLIC_URL', { ADMIN_PUBLIC_URL: undefined }],
    ['OIDC_ISSUER_URL', { OIDC_ISSUER_URL: 'http://sso.example.gov.vn' }],
    ['DATABASE_URL', { DATABASE_URL: undefined }],
    ['SYNC_SERVICE_OPS_TOKEN', { SYNC_SERVICE_OPS_TOKEN: undefined }],
    ['SESSION_SECRET', { SESSION_SECRET: 'dev-only-admin-session-secret' }],
    ['SYNC_SERVICE_OPS_TOKEN', { SYNC_SERVICE_OPS_TOKEN: 'dev-only-ops-token-change-me' }],
    ['AUDIT_CHECKPOINT_KEY', { AUDIT_CHECKPOINT_KEY: undefined }],
    ['AUDIT_CHECKPOINT_FILE', { AUDIT_CHECKPOINT_FILE: undefined }],
  ])('refuses to start in production without a proper %s', (key, change) => {
    expect(() => loadAdminConfig({ ...PROD, ...change })).toThrow(
      expect.objectContaining({ key }) as ConfigError,
    );
  });

  it('uses the sync service’s development ops token outside production, and refuses a short one', () => {
    expect(loadAdminConfig(DEV).syncServiceOpsToken).toBe('dev-only-ops-token-change-me');
    expect(() => loadAdminConfig({ ...DEV, SYNC_SERVICE_OPS_TOKEN: 'short' })).toThrow(
      expect.objectContaining({ key: 'SYNC_SERVICE_OPS_TOKEN' }) as ConfigError,
    );
  });

  it('accepts a public client (PKCE only) when told so', () => {
    expect(
      loadAdminConfig({ ...PROD, OIDC_CLIENT_SECRET: undefined, OIDC_PUBLIC_CLIENT: 'true' }).auth.oidc
        .clientSecret,
    ).toBeNull();
  });

  it('warns once outside production, naming each development default in use, and not in production', () => {
    const warn = vi.fn();
    loadAdminConfig({ ...DEV, OIDC_CLIENT_SECRET: 'a-real-client-secret' }, { warn });
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]?.[0])).toContain(
      'OIDC_ISSUER_URL, SESSION_SECRET, SYNC_SERVICE_OPS_TOKEN',
    );

    const quiet = vi.fn();
    loadAdminConfig(PROD, { warn: quiet });
    expect(quiet).not.toHaveBeenCalled();
  });

  it('control sheet: by receipt date and BM-VP01.03 unless set; an unknown edition is refused', () => {
    const warn = { warn: vi.fn() };
    expect(loadAdminConfig(DEV, warn).controlSheet).toEqual({ isoFormCode: null, edition: null });
    const set = { ...DEV, CONTROL_SHEET_EDITION: 'TT01-2018-M05', CONTROL_SHEET_ISO_FORM_CODE: 'BM-MC-05' };
    expect(loadAdminConfig(set, warn).controlSheet).toEqual({
      isoFormCode: 'BM-MC-05',
      edition: 'TT01-2018-M05',
    });
    expect(() => loadAdminConfig({ ...DEV, CONTROL_SHEET_EDITION: 'toString' }, warn)).toThrow(
      /CONTROL_SHEET_EDITION/,
    );
  });
});
