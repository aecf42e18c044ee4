import { ConfigError, type EnvReader } from '@isohub/config';

/** The simulated provincial service bus (LGSP) under `/lgsp`. */
export interface LgspSandboxConfig {
  /** isohub's own client (OAuth2 client credentials). */
  clientId: string;
  clientSecret: string;
  /**
   * The one-stop systems' own clients (each sender asks for its token through the transparent tee).
   * Default: the development LGSP sender's client (config/senders.dev.json).
   */
  clients?: { clientId: string; clientSecret: string }[];
  /** Lifetime of issued tokens; short values exercise the client's refresh (changeable at run time). */
  tokenTtlSeconds: number;
  /** The simulated dossiers behind the SOAP dossier service (see day-simulator.ts). */
  dossiers: { seed: string; count: number; date: string; spanDays: number };
  clock: {
    /**
     * Simulated time when the sandbox starts (ISO 8601 instant); null: the opening of the simulated day
     * (07:00 Vietnam time), so the dossiers start moving at once.
     */
    startAt: string | null;
    /** Simulated milliseconds per real millisecond; 0 freezes the clock (tests set it by hand). */
    speed: number;
  };
}

/** The development LGSP sender's own client (config/senders.dev.json). */
export const DEV_SENDER_LGSP_CLIENTS = [
  { clientId: 'opencps-lgsp-demo', clientSecret: 'lgsp-demo-secret-change-me' },
];

/** `id:secret,id2:secret2`; unset = DEV_SENDER_LGSP_CLIENTS. */
function readClients(value: string | undefined): { clientId: string; clientSecret: string }[] {
  if (value === undefined) {
    return DEV_SENDER_LGSP_CLIENTS;
  }
  return value
    .split(',')
    .map((pair) => pair.trim())
    .filter((pair) => pair.includes(':'))
    .map((pair) => ({
      clientId: pair.slice(0, pair.indexOf(':')),
      clientSecret: pair.slice(pair.indexOf(':') + 1),
    }));
}

export const LGSP_SANDBOX_DEFAULTS = {
  clientId: 'isohub-lgsp',
  clientSecret: 'sandbox-lgsp-client-secret',
} as const;

/** Every setting at its development default (sandbox configs built in code, tests). */
export function defaultLgspSandboxConfig(overrides: Partial<LgspSandboxConfig> = {}): LgspSandboxConfig {
  return {
    clientId: LGSP_SANDBOX_DEFAULTS.clientId,
    clientSecret: LGSP_SANDBOX_DEFAULTS.clientSecret,
    clients: DEV_SENDER_LGSP_CLIENTS,
    tokenTtlSeconds: 300,
    dossiers: { seed: 'lgsp', count: 20, date: '2025-07-01', spanDays: 3 },
    clock: { startAt: null, speed: 60 },
    ...overrides,
  };
}

export function readLgspSandboxConfig(env: EnvReader): LgspSandboxConfig {
  const startAt = env.optional('SANDBOX_LGSP_CLOCK_START') ?? null;
  if (startAt !== null && Number.isNaN(Date.parse(startAt))) {
    throw new ConfigError('SANDBOX_LGSP_CLOCK_START', `must be an ISO 8601 instant, got "${startAt}"`);
  }
  const speed = Number(env.string('SANDBOX_LGSP_CLOCK_SPEED', '60'));
  if (!Number.isFinite(speed) || speed < 0 || speed > 100_000) {
    throw new ConfigError('SANDBOX_LGSP_CLOCK_SPEED', 'must be a number in [0, 100000]');
  }
  return {
    clientId: env.string('SANDBOX_LGSP_CLIENT_ID', LGSP_SANDBOX_DEFAULTS.clientId),
    clientSecret: env.string('SANDBOX_LGSP_CLIENT_SECRET', LGSP_SANDBOX_DEFAULTS.clientSecret),
    clients: readClients(env.optional('SANDBOX_LGSP_CLIENTS')),
    tokenTtlSeconds: env.int('SANDBOX_LGSP_TOKEN_TTL_SECONDS', 300, { min: 1, max: 86_400 }),
    dossiers: {
      seed: env.string('SANDBOX_LGSP_SEED', 'lgsp'),
      count: env.int('SANDBOX_LGSP_DOSSIERS', 20, { min: 0, max: 5_000 }),
      date: env.string('SANDBOX_LGSP_DATE', '2025-07-01'),
      spanDays: env.int('SANDBOX_LGSP_SPAN_DAYS', 3, { min: 1, max: 60 }),
    },
    clock: { startAt, speed },
  };
}
