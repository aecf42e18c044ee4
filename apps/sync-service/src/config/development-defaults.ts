import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Logger } from '@nestjs/common';
import { ConfigError } from '@isohub/config';

/** The sync service's development secrets: `npm start` works without configuration, production never. */
export const DEV_SECRETS = {
  SESSION_SECRET: 'dev-only-session-secret',
  APPLICANT_KEY_SECRET: 'dev-only-applicant-key-secret',
  OPS_TOKEN: 'dev-only-ops-token-change-me',
} as const;

/** The example files in config/ whose secrets are development values wherever they turn up. */
export const DEV_FILES = { senders: 'config/senders.dev.json', pullSources: 'config/pull-sources.dev.json' };

/** Keys holding a secret in the senders and pull-sources files (each may name its variable as `<key>Env`). */
const SECRET_KEYS = new Set(['password', 'pathKey', 'clientSecret', 'token', 'secret']);

/** A development default in use: the key to change and what is wrong with it (never the secret). */
export interface DevelopmentDefault {
  key: string;
  problem: string;
}

interface FileSecret {
  /** Where in the file (`senders[0].password`). */
  path: string;
  /** The value in use: the variable's when its `*Env` is set, else the inline one. */
  value: string;
  /** The variable supplying it; null when the inline value is in use. */
  fromVariable: string | null;
}

type Lookup = (name: string) => string | undefined;

/** Every secret a config file's JSON holds or names, with the value the loader will use. */
export function fileSecrets(json: unknown, env: Lookup, path = ''): FileSecret[] {
  if (Array.isArray(json)) {
    return json.flatMap((item, i) => fileSecrets(item, env, `${path}[${i}]`));
  }
  if (json === null || typeof json !== 'object') {
    return [];
  }
  const o = json as Record<string, unknown>;
  const out: FileSecret[] = [];
  for (const [key, value] of Object.entries(o)) {
    const at = path === '' ? key : `${path}.${key}`;
    if (value !== null && typeof value === 'object') {
      out.push(...fileSecrets(value, env, at));
      continue;
    }
    const envName = o[`${key}Env`];
    if (!SECRET_KEYS.has(key) && typeof envName !== 'string') {
      continue;
    }
    const fromEnv = typeof envName === 'string' && envName !== '' ? env(envName) : undefined;
    if (fromEnv !== undefined) {
      out.push({ path: at, value: fromEnv, fromVariable: envName as string });
    } else if (typeof value === 'string' && value !== '') {
      out.push({ path: at, value, fromVariable: null });
    }
  }
  // A `<key>Env` whose inline `<key>` is absent still supplies a secret.
  for (const [key, envName] of Object.entries(o)) {
    const base = key.endsWith('Env') ? key.slice(0, -3) : null;
    if (base && !(base in o) && typeof envName === 'string' && env(envName) !== undefined) {
      out.push({
        path: path === '' ? base : `${path}.${base}`,
        value: env(envName) ?? '',
        fromVariable: envName,
      });
    }
  }
  return out;
}

function readJson(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as unknown;
  } catch {
    // The loaders report an unreadable file with its key; nothing to add here.
    return null;
  }
}

/**
 * The development defaults this environment would run on: no SENDERS_FILE (the dev senders), the
 * dev session, applicant-key or ops secrets, inline secrets in the senders or pull-sources file where
 * a variable should supply them, and any secret equal to one of config/'s development files.
 */
export function developmentDefaults(envVars: NodeJS.ProcessEnv, root: string): DevelopmentDefault[] {
  const env: Lookup = (name) => {
    const v = envVars[name];
    return v === undefined || v === '' ? undefined : v;
  };
  const found: DevelopmentDefault[] = [];
  const production = envVars.NODE_ENV === 'production';
  for (const [key, devValue] of Object.entries(DEV_SECRETS)) {
    const value = env(key);
    // Unset in production is the loader's business (required, or the ops API switched off).
    if ((value === undefined && !production) || value === devValue) {
      found.push({
        key,
        problem: value === undefined ? 'is not set: the development value' : 'is the development value',
      });
    }
  }
  const devSecrets = new Set<string>();
  for (const file of Object.values(DEV_FILES)) {
    const path = resolve(root, file);
    if (existsSync(path)) {
      fileSecrets(readJson(path), () => undefined).forEach((s) => devSecrets.add(s.value));
    }
  }
  const sendersFile = env('SENDERS_FILE');
  if (sendersFile === undefined) {
    found.push({
      key: 'SENDERS_FILE',
      problem: `is not set: the development senders (${DEV_FILES.senders})`,
    });
  }
  const files: [string, string | undefined][] = [
    ['SENDERS_FILE', sendersFile ?? resolve(root, DEV_FILES.senders)],
    ['PULL_SOURCES_FILE', env('PULL_SOURCES_FILE')],
  ];
  for (const [name, file] of files) {
    if (file === undefined || !existsSync(resolve(file))) {
      continue;
    }
    for (const secret of fileSecrets(readJson(resolve(file)), env)) {
      const key = `${name} ${secret.path}${secret.fromVariable ? ` (${secret.fromVariable})` : ''}`;
      if (devSecrets.has(secret.value)) {
        found.push({ key, problem: 'is a development secret from config/' });
      } else if (secret.fromVariable === null) {
        found.push({ key, problem: 'is an inline secret: name its variable with an *Env key and set it' });
      }
    }
  }
  return found;
}

/**
 * Production refuses to start on any development default, naming each key; elsewhere one loud warning
 * names them (so a staging box that looks like production never quietly runs on them).
 */
export function refuseDevelopmentDefaults(
  envVars: NodeJS.ProcessEnv,
  root: string,
  logger: Pick<Logger, 'warn'> = new Logger('Config'),
): void {
  const found = developmentDefaults(envVars, root);
  if (found.length === 0) {
    return;
  }
  const list = found.map((d) => `${d.key} ${d.problem}`).join('; ');
  if (envVars.NODE_ENV === 'production') {
    throw new ConfigError(
      found[0]?.key ?? 'NODE_ENV',
      `production refuses to start on development defaults: ${list}`,
    );
  }
  logger.warn(`DEVELOPMENT DEFAULTS IN USE (refused when NODE_ENV=production): ${list}`);
}
