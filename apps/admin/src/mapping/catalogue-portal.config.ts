import { ConfigError, type EnvReader } from '@isohub/config';
import {
  type PortalConfig,
  PortalConfigError,
  readPortalEnv,
  validatePortalConfig,
} from '@isohub/adapters/portal';

/** What the catalogue pull from the national portal needs (`POST /api/catalogue/refresh-from-portal`). */
export interface CataloguePortalConfig {
  /** The portal client's settings; null when no portal is configured (the route answers 503). */
  client: PortalConfig | null;
  /** `madonvi` of the envelopes: the province's agency code (QCVN 102). */
  madonvi: string;
  /** LayThuTuc calls in flight at once. */
  concurrency: number;
  /** LayThuTuc calls started per second at most. */
  ratePerSecond: number;
}

/**
 * The sandbox portal `npm start` runs, with the sync service's development credentials; the same
 * defaults `scripts/start-all.mjs` gives the sync service's PORTAL_* variables.
 */
const DEV_PORTAL = {
  baseUrl: 'http://127.0.0.1:8090',
  username: 'isohub',
  password: 'sandbox-portal-password',
  timeoutMs: 15_000,
};

const ENV_KEY: Record<string, string> = {
  baseUrl: 'PORTAL_BASE_URL',
  authPath: 'PORTAL_AUTH_PATH',
  integrationPath: 'PORTAL_INTEGRATION_PATH',
  sharePath: 'PORTAL_SHARE_PATH',
  username: 'PORTAL_USERNAME',
  password: 'PORTAL_PASSWORD',
  timeoutMs: 'PORTAL_TIMEOUT_MS',
};

/**
 * Reads the portal settings from the admin's one environment reader (admin.config.ts). In production
 * nothing defaults: without PORTAL_BASE_URL the pull is off; with it, credentials and PORTAL_MADONVI
 * are required. Wrong values name the PORTAL_* variable.
 */
export function readCataloguePortalConfig(env: EnvReader, production: boolean): CataloguePortalConfig {
  const configured = env.optional('PORTAL_BASE_URL') !== undefined;
  const settings = {
    madonvi: env.string('PORTAL_MADONVI', production ? (configured ? undefined : '') : '000.00.00.H56'),
    concurrency: env.int('PORTAL_CATALOGUE_CONCURRENCY', 8, { min: 1, max: 64 }),
    ratePerSecond: env.int('PORTAL_CATALOGUE_RATE_PER_SECOND', 100, { min: 1, max: 10_000 }),
  };
  if (production && !configured) {
    return { client: null, ...settings };
  }
  try {
    const client = validatePortalConfig(readPortalEnv(env, production ? {} : DEV_PORTAL));
    return { client, ...settings };
  } catch (error) {
    if (error instanceof PortalConfigError) {
      const key = ENV_KEY[error.key.split('.')[0] ?? ''] ?? error.key;
      throw new ConfigError(key, error.message.replace(/^portal config: \S+ /, ''));
    }
    throw error;
  }
}
