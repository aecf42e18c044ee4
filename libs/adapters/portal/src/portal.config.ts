import type { EnvReader } from '@isohub/config';

export const PORTAL_CONFIG = Symbol('PORTAL_CONFIG');

export interface PortalBreakerConfig {
  /** Consecutive transport failures (down, timeout, 5xx, garbage) that open the circuit. */
  consecutiveFailures: number;
  /** How long the circuit stays open before one trial call is let through. */
  halfOpenAfterMs: number;
}

export interface PortalConfig {
  /** OpenCPS `adapter_url`: scheme, host and any path prefix, without a trailing slash. */
  baseUrl: string;
  /** OpenCPS `auth_endpoint`, appended to `baseUrl`. */
  authPath: string;
  /** OpenCPS `integration_endpoint`, appended to `baseUrl`. */
  integrationPath: string;
  /**
   * OpenCPS `share_endpoint` (OC21 posts the catalogue services `LayDanhSachTTHC`, `LayDanhMucCoQuan`,
   * `LayDanhMucLinhVuc` there), appended to `baseUrl`; defaults to `integrationPath`.
   */
  sharePath: string;
  username: string;
  /** Sensitive: masked by `redactPortalConfig`, never logged. */
  password: string;
  /** Whole-call deadline per HTTP request (connect + answer). */
  timeoutMs: number;
  /** Larger answers are refused (BAD_RESPONSE, not retried): the catalogue's lists stay far below. */
  maxResponseBytes: number;
  /**
   * A cached session is dropped after this long and a new login made. OpenCPS keeps its DVCQG session
   * for 10 minutes (`AccessTokenLocalServiceImpl.addAccessToken`), so the portal honours at least that.
   */
  sessionMaxAgeMs: number;
  breaker: PortalBreakerConfig;
  /** Extra headers on every call, e.g. `{ dstcode: '…' }`: OpenCPS sends that routing header to the gateway. */
  headers: Readonly<Record<string, string>>;
}

/** Keys whose values must be masked wherever configuration is shown or logged. */
export const PORTAL_CONFIG_SENSITIVE_KEYS: readonly (keyof PortalConfig)[] = ['password'];

/**
 * Path defaults. Neither public sender carries the real paths (docs/research/wire-formats.md §1.1):
 * these are the sandbox's paths and a starting point; each deployment configures the real ones.
 */
export const DEFAULT_PORTAL_PATHS = {
  authPath: '/api/auth',
  integrationPath: '/api/integration',
} as const;

/**
 * Thanh Hóa-style senders are configured with three absolute URLs (`URLThemMoi`, `URLCapNhat`,
 * `URLDongBoTienTrinh`); these are the paths the sandbox serves them at, relative to the portal's base.
 */
export const DEFAULT_THANHHOA_PATHS = {
  create: '/thanhhoa/ThemMoi',
  update: '/thanhhoa/CapNhat',
  progress: '/thanhhoa/DongBoTienTrinh',
} as const;

export const DEFAULT_PORTAL_TIMEOUT_MS = 30_000;
export const DEFAULT_PORTAL_SESSION_MAX_AGE_MS = 10 * 60_000;
export const DEFAULT_PORTAL_BREAKER: PortalBreakerConfig = {
  consecutiveFailures: 5,
  halfOpenAfterMs: 30_000,
};

export class PortalConfigError extends Error {
  override readonly name = 'PortalConfigError';

  constructor(
    readonly key: string,
    problem: string,
  ) {
    super(`portal config: ${key} ${problem}`);
  }
}

export interface PortalConfigInput {
  baseUrl?: string;
  authPath?: string;
  integrationPath?: string;
  sharePath?: string;
  username?: string;
  password?: string;
  timeoutMs?: number;
  maxResponseBytes?: number;
  sessionMaxAgeMs?: number;
  breaker?: Partial<PortalBreakerConfig>;
  headers?: Record<string, string>;
}

function requireText(key: string, value: string | undefined): string {
  if (value === undefined || value.trim() === '') {
    throw new PortalConfigError(key, 'is required');
  }
  return value;
}

function requirePath(key: string, value: string): string {
  if (!value.startsWith('/')) {
    throw new PortalConfigError(key, `must start with "/" (got "${value}")`);
  }
  return value;
}

function requirePositiveInt(key: string, value: number, max: number): number {
  if (!Number.isInteger(value) || value <= 0 || value > max) {
    throw new PortalConfigError(key, `must be an integer between 1 and ${max} (got ${value})`);
  }
  return value;
}

/** 32 MiB: the national catalogue's full procedure list is a few MB. */
export const DEFAULT_PORTAL_MAX_RESPONSE_BYTES = 32 * 1024 * 1024;

/** Validates and completes a portal configuration; the error names the first wrong key. */
export function validatePortalConfig(input: PortalConfigInput): PortalConfig {
  const baseUrl = requireText('baseUrl', input.baseUrl).replace(/\/+$/, '');
  let protocol: string;
  try {
    protocol = new URL(baseUrl).protocol;
  } catch {
    throw new PortalConfigError('baseUrl', `is not a URL (got "${baseUrl}")`);
  }
  if (protocol !== 'http:' && protocol !== 'https:') {
    throw new PortalConfigError('baseUrl', `must be http or https (got "${protocol}")`);
  }
  const integrationPath = requirePath(
    'integrationPath',
    input.integrationPath ?? DEFAULT_PORTAL_PATHS.integrationPath,
  );
  return {
    baseUrl,
    authPath: requirePath('authPath', input.authPath ?? DEFAULT_PORTAL_PATHS.authPath),
    integrationPath,
    sharePath: requirePath('sharePath', input.sharePath ?? integrationPath),
    username: requireText('username', input.username),
    password: requireText('password', input.password),
    timeoutMs: requirePositiveInt('timeoutMs', input.timeoutMs ?? DEFAULT_PORTAL_TIMEOUT_MS, 600_000),
    maxResponseBytes: requirePositiveInt(
      'maxResponseBytes',
      input.maxResponseBytes ?? DEFAULT_PORTAL_MAX_RESPONSE_BYTES,
      1024 * 1024 * 1024,
    ),
    sessionMaxAgeMs: requirePositiveInt(
      'sessionMaxAgeMs',
      input.sessionMaxAgeMs ?? DEFAULT_PORTAL_SESSION_MAX_AGE_MS,
      24 * 3_600_000,
    ),
    breaker: {
      consecutiveFailures: requirePositiveInt(
        'breaker.consecutiveFailures',
        input.breaker?.consecutiveFailures ?? DEFAULT_PORTAL_BREAKER.consecutiveFailures,
        1_000,
      ),
      halfOpenAfterMs: requirePositiveInt(
        'breaker.halfOpenAfterMs',
        input.breaker?.halfOpenAfterMs ?? DEFAULT_PORTAL_BREAKER.halfOpenAfterMs,
        3_600_000,
      ),
    },
    headers: { ...input.headers },
  };
}

/** The configuration with sensitive values masked, for logs and the admin UI. */
export function redactPortalConfig(config: PortalConfig): Record<string, unknown> {
  const shown: Record<string, unknown> = { ...config };
  for (const key of PORTAL_CONFIG_SENSITIVE_KEYS) {
    shown[key] = '***';
  }
  return shown;
}

/** What an app gives `readPortalEnv` when a variable is unset (e.g. the sandbox portal in development). */
export interface PortalEnvDefaults {
  baseUrl?: string;
  username?: string;
  password?: string;
  timeoutMs?: number;
}

/**
 * The `PORTAL_*` variables as a configuration input, for the app's one config file to call with its
 * EnvReader: `PORTAL_BASE_URL`, `PORTAL_AUTH_PATH`, `PORTAL_INTEGRATION_PATH`, `PORTAL_SHARE_PATH`,
 * `PORTAL_USERNAME`, `PORTAL_PASSWORD`, `PORTAL_TIMEOUT_MS`. Unset keys fall back to `defaults`, then
 * to `validatePortalConfig`'s own defaults; a missing base URL or credential is left undefined for
 * `validatePortalConfig` to name.
 */
export function readPortalEnv(env: EnvReader, defaults: PortalEnvDefaults = {}): PortalConfigInput {
  return {
    baseUrl: env.optional('PORTAL_BASE_URL') ?? defaults.baseUrl,
    authPath: env.optional('PORTAL_AUTH_PATH'),
    integrationPath: env.optional('PORTAL_INTEGRATION_PATH'),
    sharePath: env.optional('PORTAL_SHARE_PATH'),
    username: env.optional('PORTAL_USERNAME') ?? defaults.username,
    password: env.optional('PORTAL_PASSWORD') ?? defaults.password,
    timeoutMs: env.int('PORTAL_TIMEOUT_MS', defaults.timeoutMs ?? DEFAULT_PORTAL_TIMEOUT_MS, {
      min: 100,
      max: 600_000,
    }),
  };
}
