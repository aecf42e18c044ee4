import { existsSync, readFileSync } from 'node:fs';
import { ConfigError } from '@isohub/config';
import { PULL_SOURCE_TYPES, type SecretLookup } from './pull-source-types';

/** Limits shared by every source that calls one upstream (one server may serve several agencies). */
export interface UpstreamConfig {
  key: string;
  /** Requests per second to this upstream, all its sources together. */
  requestsPerSecond: number;
  maxConcurrent: number;
  /** Consecutive failed calls (outage, timeout, 5xx, garbage) that open the circuit. */
  breakerFailures: number;
  /** How long the circuit stays open before one trial call. */
  halfOpenAfterMs: number;
}

export interface PullSourceConfig {
  id: string;
  /** Whose status mappings the admin console publishes for this source; absent = the id. */
  sourceSystem?: string;
  type: string;
  enabled: boolean;
  agency: string | null;
  upstream: string;
  intervalMs: number;
  pageSize: number;
  /** Pages per run; a run that stops with more to read starts again at once. */
  maxPagesPerRun: number;
  applicantFields: string[];
  retry: { maxAttempts: number; initialDelayMs: number; maxDelayMs: number };
  /** Consecutive failed polls after which the adapter is reported down (one success brings it up). */
  downAfterFailures: number;
  /** The type's own settings, validated by its entry in PULL_SOURCE_TYPES. */
  settings: unknown;
}

export interface PullSourcesConfig {
  sources: PullSourceConfig[];
  upstreams: UpstreamConfig[];
}

export const NO_PULL_SOURCES: PullSourcesConfig = { sources: [], upstreams: [] };

type Json = Record<string, unknown>;

function isJson(v: unknown): v is Json {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function int(o: Json, key: string, where: string, fallback: number, min: number, max: number): number {
  const v = o[key];
  if (v === undefined) {
    return fallback;
  }
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    throw new ConfigError(`${where}.${key}`, `must be an integer in [${min}, ${max}]`);
  }
  return v;
}

function readUpstream(key: string, o: Json, where: string): UpstreamConfig {
  return {
    key,
    requestsPerSecond: int(o, 'requestsPerSecond', where, 10, 1, 1000),
    maxConcurrent: int(o, 'maxConcurrent', where, 4, 1, 64),
    breakerFailures: int(o, 'breakerFailures', where, 5, 1, 1000),
    halfOpenAfterMs: int(o, 'halfOpenAfterMs', where, 30_000, 100, 3_600_000),
  };
}

/**
 * PULL_SOURCES_FILE: `{ upstreams?: { <key>: limits }, sources: [ { id, type, agency, … } ] }`. Secrets
 * come from the environment through `*Env` keys; the inline value is a development fallback.
 */
export function loadPullSources(path: string | undefined, secret: SecretLookup): PullSourcesConfig {
  if (path === undefined) {
    return NO_PULL_SOURCES;
  }
  if (!existsSync(path)) {
    throw new ConfigError('PULL_SOURCES_FILE', `file not found: ${path}`);
  }
  let file: unknown;
  try {
    file = JSON.parse(readFileSync(path, 'utf8')) as unknown;
  } catch (error) {
    throw new ConfigError('PULL_SOURCES_FILE', `not valid JSON: ${String(error)}`);
  }
  if (!isJson(file) || !Array.isArray(file['sources'])) {
    throw new ConfigError('PULL_SOURCES_FILE', 'must be an object with a "sources" array');
  }
  const declared = isJson(file['upstreams']) ? file['upstreams'] : {};
  const upstreams = new Map<string, UpstreamConfig>();
  for (const [key, value] of Object.entries(declared)) {
    upstreams.set(key, readUpstream(key, isJson(value) ? value : {}, `PULL_SOURCES_FILE upstreams.${key}`));
  }
  const ids = new Set<string>();
  const sources = (file['sources'] as unknown[]).map((entry, i): PullSourceConfig => {
    const where = `PULL_SOURCES_FILE sources[${i}]`;
    if (!isJson(entry)) {
      throw new ConfigError(where, 'must be an object');
    }
    const id = entry['id'];
    if (typeof id !== 'string' || !/^[a-z0-9][a-z0-9._-]*$/.test(id)) {
      throw new ConfigError(`${where}.id`, 'lower-case letters, digits, dot, dash or underscore');
    }
    if (ids.has(id)) {
      throw new ConfigError(`${where}.id`, `"${id}" is used twice`);
    }
    ids.add(id);
    const type = PULL_SOURCE_TYPES[String(entry['type'])];
    if (!type) {
      throw new ConfigError(`${where}.type`, `must be one of ${Object.keys(PULL_SOURCE_TYPES).join(', ')}`);
    }
    const sourceSystem = entry['sourceSystem'] ?? id;
    if (typeof sourceSystem !== 'string' || sourceSystem.trim() === '') {
      throw new ConfigError(
        `${where}.sourceSystem`,
        "must be a non-empty string (the mappings' source system)",
      );
    }
    const enabled = entry['enabled'] !== false;
    const agency =
      typeof entry['agency'] === 'string' && entry['agency'].trim() !== '' ? entry['agency'].trim() : null;
    // A disabled source is listed (and can be tested) but its type settings are checked only when enabled.
    const settings = type.parse({ ...entry, id, agency }, where, secret, enabled);
    const upstream = typeof entry['upstream'] === 'string' ? entry['upstream'] : type.upstreamOf(settings);
    if (!upstreams.has(upstream)) {
      upstreams.set(upstream, readUpstream(upstream, {}, where));
    }
    const retry = isJson(entry['retry']) ? entry['retry'] : {};
    const applicantFields = entry['applicantFields'];
    if (
      applicantFields !== undefined &&
      !(Array.isArray(applicantFields) && applicantFields.every((f) => typeof f === 'string'))
    ) {
      throw new ConfigError(`${where}.applicantFields`, 'must be an array of wire field names');
    }
    return {
      id,
      sourceSystem: sourceSystem.trim(),
      type: String(entry['type']),
      enabled,
      agency,
      upstream,
      intervalMs: int(entry, 'intervalSeconds', where, 60, 1, 86_400) * 1000,
      pageSize: int(entry, 'pageSize', where, 50, 1, 1000),
      maxPagesPerRun: int(entry, 'maxPagesPerRun', where, 20, 1, 10_000),
      applicantFields: applicantFields ?? [],
      retry: {
        maxAttempts: int(retry, 'maxAttempts', `${where}.retry`, 3, 0, 20),
        initialDelayMs: int(retry, 'initialDelayMs', `${where}.retry`, 500, 1, 600_000),
        maxDelayMs: int(retry, 'maxDelayMs', `${where}.retry`, 10_000, 1, 3_600_000),
      },
      downAfterFailures: int(entry, 'downAfterFailures', where, 3, 1, 1000),
      settings,
    };
  });
  return { sources, upstreams: [...upstreams.values()] };
}
