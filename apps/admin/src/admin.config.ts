import { Logger } from '@nestjs/common';
import { ConfigError, EnvReader } from '@isohub/config';
import type { AuthConfig } from '@isohub/auth';
import { type ControlSheetEdition, EDITIONS } from '@isohub/outputs';
import { type CataloguePortalConfig, readCataloguePortalConfig } from './mapping/catalogue-portal.config';

export const ADMIN_CONFIG = Symbol('ADMIN_CONFIG');

export interface AdminConfig {
  host: string;
  port: number;
  syncServiceUrl: string;
  /** Bearer token of the sync service's operator API (/ops); a secret, never logged or shown. */
  syncServiceOpsToken: string;
  /** PostgreSQL of the mapping data (the same database as the sync service). */
  databaseUrl: string;
  databasePoolMax: number;
  /** Reverse proxies in front of the app whose X-Forwarded-* headers are believed (0: none). */
  trustProxyHops: number;
  auth: AuthConfig;
  /** The national portal the catalogue is pulled from (PORTAL_*); its password is a secret. */
  cataloguePortal: CataloguePortalConfig;
  /** Signed checkpoints of the audit chain's head, kept outside the database; null = not anchored. */
  auditAnchor: AuditAnchorConfig | null;
  /** The control sheet: the agency's ISO form code and a forced edition (absent: by receipt date). */
  controlSheet?: { isoFormCode: string | null; edition: ControlSheetEdition | null };
}

export interface AuditAnchorConfig {
  /** HMAC key of the checkpoints (AUDIT_CHECKPOINT_KEY; a secret the database never holds). */
  key: string;
  /** Where the newest checkpoint is written (AUDIT_CHECKPOINT_FILE), every one also in `<file>.log`. */
  file: string;
  intervalMs: number;
}

/** The development SSO the sandbox runs (`npm start`): issuer and the admin client's dev secret. */
const DEV_ISSUER = 'http://127.0.0.1:8090/sso';
const DEV_CLIENT_SECRET = 'isohub-admin-dev-secret';
const DEV_SESSION_SECRET = 'dev-only-admin-session-secret';
/** The sync service's own development OPS_TOKEN, so `npm start` works without configuration. */
const DEV_OPS_TOKEN = 'dev-only-ops-token-change-me';

/** The only place the admin app reads process.env. Secrets (OIDC_CLIENT_SECRET, SESSION_SECRET,
 * SYNC_SERVICE_OPS_TOKEN) are never logged. */
export function loadAdminConfig(
  vars: NodeJS.ProcessEnv = process.env,
  logger: Pick<Logger, 'warn'> = new Logger('Config'),
): AdminConfig {
  const env = new EnvReader(vars);
  const production = vars.NODE_ENV === 'production';
  const unset = ['OIDC_ISSUER_URL', 'OIDC_CLIENT_SECRET', 'SESSION_SECRET', 'SYNC_SERVICE_OPS_TOKEN'].filter(
    (key) => !production && (vars[key] ?? '') === '',
  );
  if (unset.length > 0) {
    // One loud line, so a staging box that looks like production never quietly runs on them.
    logger.warn(
      `DEVELOPMENT DEFAULTS IN USE (refused when NODE_ENV=production): ${unset.join(', ')} not set`,
    );
  }
  const devDefault = (value: string): string | undefined => (production ? undefined : value);

  const publicUrl = env.optional('ADMIN_PUBLIC_URL');
  if (publicUrl === undefined && production) {
    throw new ConfigError('ADMIN_PUBLIC_URL', 'is required in production (login callback and cookie scope)');
  }
  const issuerUrl = env.url('OIDC_ISSUER_URL', devDefault(DEV_ISSUER)).replace(/\/+$/, '');
  const insecureIssuer = new URL(issuerUrl).protocol === 'http:';
  // An http issuer is the sandbox SSO; production takes one only when told so explicitly (a local stack).
  if (insecureIssuer && production && !env.bool('OIDC_ALLOW_INSECURE_ISSUER', false)) {
    throw new ConfigError(
      'OIDC_ISSUER_URL',
      'must be https in production (or set OIDC_ALLOW_INSECURE_ISSUER=true)',
    );
  }
  const publicClient = env.bool('OIDC_PUBLIC_CLIENT', false);
  const sessionSecret = env.string('SESSION_SECRET', devDefault(DEV_SESSION_SECRET));
  if (sessionSecret.length < 16) {
    throw new ConfigError('SESSION_SECRET', 'must be at least 16 characters');
  }
  const opsToken = env.string('SYNC_SERVICE_OPS_TOKEN', devDefault(DEV_OPS_TOKEN));
  if (opsToken.length < 16) {
    throw new ConfigError('SYNC_SERVICE_OPS_TOKEN', 'must be at least 16 characters');
  }
  // A development secret set on purpose in production is as bad as none (copied .env files).
  for (const [key, value, dev] of [
    ['SESSION_SECRET', sessionSecret, DEV_SESSION_SECRET],
    ['SYNC_SERVICE_OPS_TOKEN', opsToken, DEV_OPS_TOKEN],
  ] as const) {
    if (production && value === dev) {
      throw new ConfigError(key, 'is the development value; production refuses to start on it');
    }
  }
  const normalizedPublicUrl =
    publicUrl === undefined ? null : env.url('ADMIN_PUBLIC_URL').replace(/\/+$/, '');

  return {
    host: env.string('ADMIN_HOST', '127.0.0.1'),
    port: env.int('ADMIN_PORT', 8081, { min: 0, max: 65535 }),
    syncServiceUrl: env.url('SYNC_SERVICE_URL', 'http://127.0.0.1:8080'),
    syncServiceOpsToken: opsToken,
    databaseUrl: env.string('DATABASE_URL'),
    databasePoolMax: env.int('DATABASE_POOL_MAX', 5, { min: 1, max: 100 }),
    trustProxyHops: env.int('ADMIN_TRUST_PROXY_HOPS', 0, { min: 0, max: 10 }),
    cataloguePortal: readCataloguePortalConfig(env, production),
    auditAnchor: readAuditAnchor(env, production),
    controlSheet: {
      isoFormCode: env.optional('CONTROL_SHEET_ISO_FORM_CODE') ?? null,
      edition: readEdition(env.optional('CONTROL_SHEET_EDITION')),
    },
    auth: {
      publicUrl: normalizedPublicUrl,
      oidc: {
        issuerUrl,
        clientId: env.string('OIDC_CLIENT_ID', 'isohub-admin'),
        clientSecret: publicClient ? null : env.string('OIDC_CLIENT_SECRET', devDefault(DEV_CLIENT_SECRET)),
        scopes: env.string('OIDC_SCOPES', 'openid profile isohub'),
        apiAudience: env.string('OIDC_API_AUDIENCE', 'urn:isohub:admin-api'),
        rolesClaim: env.string('OIDC_ROLES_CLAIM', 'roles'),
        agenciesClaim: env.string('OIDC_AGENCIES_CLAIM', 'agencies'),
        allowInsecureIssuer: insecureIssuer,
      },
      session: {
        secret: sessionSecret,
        secureCookie: env.bool(
          'SESSION_COOKIE_SECURE',
          normalizedPublicUrl?.startsWith('https:') ?? production,
        ),
        idleTimeoutMs: env.int('SESSION_IDLE_MINUTES', 30, { min: 1, max: 24 * 60 }) * 60_000,
        absoluteTimeoutMs: env.int('SESSION_MAX_HOURS', 8, { min: 1, max: 7 * 24 }) * 3_600_000,
        preLoginTtlMs: env.int('SESSION_PRELOGIN_MINUTES', 10, { min: 1, max: 60 }) * 60_000,
        preLoginMax: env.int('SESSION_PRELOGIN_MAX', 10_000, { min: 10, max: 1_000_000 }),
      },
    },
  };
}

/** AUDIT_CHECKPOINT_KEY and AUDIT_CHECKPOINT_FILE: both or neither; production needs both. */
function readAuditAnchor(env: EnvReader, production: boolean): AuditAnchorConfig | null {
  const key = env.optional('AUDIT_CHECKPOINT_KEY');
  const file = env.optional('AUDIT_CHECKPOINT_FILE');
  if (key === undefined && file === undefined && !production) {
    return null;
  }
  if (key === undefined || key.length < 32) {
    throw new ConfigError(
      'AUDIT_CHECKPOINT_KEY',
      'must be at least 32 characters (required in production, and with AUDIT_CHECKPOINT_FILE)',
    );
  }
  if (file === undefined) {
    throw new ConfigError(
      'AUDIT_CHECKPOINT_FILE',
      'is required in production (and with AUDIT_CHECKPOINT_KEY): a path the database role cannot write',
    );
  }
  return {
    key,
    file,
    intervalMs: env.int('AUDIT_CHECKPOINT_INTERVAL_SECONDS', 300, { min: 5, max: 86_400 }) * 1000,
  };
}

function readEdition(value: string | undefined): ControlSheetEdition | null {
  if (value === undefined) {
    return null;
  }
  if (!Object.hasOwn(EDITIONS, value)) {
    throw new ConfigError('CONTROL_SHEET_EDITION', `must be one of ${Object.keys(EDITIONS).join(', ')}`);
  }
  return value as ControlSheetEdition;
}
