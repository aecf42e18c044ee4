import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { EnvReader } from '@isohub/config';
import { type LgspSandboxConfig, readLgspSandboxConfig } from './lgsp/lgsp-sandbox.config';
import { readSsoConfig, type SsoConfig } from './sso/sso.config';

export const SANDBOX_CONFIG = Symbol('SANDBOX_CONFIG');

export interface SandboxConfig {
  host: string;
  port: number;
  /** Largest request body accepted (express `limit` syntax); Thanh Hóa batches can be large. */
  maxBody: string;
  portal: {
    /** The account isohub itself logs in with (reconciliation, catalogue). */
    username: string;
    password: string;
    /**
     * The one-stop systems' own accounts (each sender logs in through the transparent tee with its own; a
     * takeover sender's forwarder too). Default: the development senders' accounts (config/senders.dev.json).
     */
    accounts?: { username: string; password: string }[];
    /** The national catalogue served as LayDanhSachTTHC / LayThuTuc; null or absent = an empty one. */
    catalogueCsv?: string | null;
  };
  /** The development SSO under `/sso`; absent: every SSO setting at its default. */
  sso?: SsoConfig;
  /** The simulated LGSP under `/lgsp`; absent: every LGSP setting at its default. */
  lgsp?: LgspSandboxConfig;
}

/** The only place the sandbox reads process.env. */
export function loadSandboxConfig(envVars: NodeJS.ProcessEnv = process.env): SandboxConfig {
  const env = new EnvReader(envVars);
  const port = env.int('SANDBOX_PORT', 8090, { min: 0, max: 65535 });
  // Located as the admin's and the sync service's seed is: ../shared/data/procedures.csv from the cwd.
  const defaultCsv = resolve(process.cwd(), '../shared/data/procedures.csv');
  return {
    host: env.string('SANDBOX_HOST', '127.0.0.1'),
    port,
    maxBody: env.string('SANDBOX_MAX_BODY', '64mb'),
    portal: {
      username: env.string('SANDBOX_PORTAL_USERNAME', 'isohub'),
      password: env.string('SANDBOX_PORTAL_PASSWORD', 'sandbox-portal-password'),
      catalogueCsv: env.optional('SANDBOX_CATALOGUE_CSV') ?? (existsSync(defaultCsv) ? defaultCsv : null),
      accounts: readAccounts(env.optional('SANDBOX_PORTAL_ACCOUNTS'), DEV_SENDER_PORTAL_ACCOUNTS),
    },
    sso: readSsoConfig(env, port),
    lgsp: readLgspSandboxConfig(env),
  };
}

/** The development OpenCPS sender's portal account (config/senders.dev.json logs in with it through the tee). */
export const DEV_SENDER_PORTAL_ACCOUNTS = [{ username: 'opencps-demo', password: 'demo-password-change-me' }];

/** `user:secret,user2:secret2` (a secret may hold colons; a user may not); unset = `fallback`. */
export function readAccounts(
  value: string | undefined,
  fallback: { username: string; password: string }[],
): { username: string; password: string }[] {
  if (value === undefined) {
    return fallback;
  }
  return value
    .split(',')
    .map((pair) => pair.trim())
    .filter((pair) => pair !== '')
    .map((pair) => {
      const colon = pair.indexOf(':');
      return { username: pair.slice(0, Math.max(colon, 0)), password: pair.slice(colon + 1) };
    })
    .filter((a) => a.username !== '');
}
