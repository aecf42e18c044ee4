import { existsSync, readFileSync } from 'node:fs';
import { ConfigError, type EnvReader } from '@isohub/config';

/**
 * Limits that keep one bad request, row or upstream from stopping the hub (docs/security.md). Read by
 * `loadSyncServiceConfig` from the same environment snapshot.
 */
export interface GuardsConfig {
  /** PostgreSQL session `statement_timeout` (ms, 0 = none). */
  databaseStatementTimeoutMs: number;
  /** PostgreSQL session `lock_timeout` (ms, 0 = none). */
  databaseLockTimeoutMs: number;
  /** Largest record the relay offers Kafka; larger outbox rows are set aside (below the topic's limit). */
  relayMaxMessageBytes: number;
  /** An authenticated sender's unreadable body is kept up to this many bytes (the digest covers it all). */
  deadLetterMaxBytes: number;
  /** An unauthenticated body is never kept: only its digest and a prefix of this many bytes. */
  deadLetterUnauthenticatedBytes: number;
  /** Dead-letter payloads (personal data) are removed after this many days by housekeeping; 0 = kept. */
  deadLetterRetainDays: number;
  /** On SIGTERM, requests in flight get this long to finish before Kafka and PostgreSQL are closed. */
  shutdownGraceMs: number;
  /** Who may write a dossier, and for which agencies a sender reports (ingest/dossier-ownership.ts). */
  ownership: OwnershipConfig;
}

export function loadGuardsConfig(env: EnvReader): GuardsConfig {
  return {
    databaseStatementTimeoutMs: env.int('DATABASE_STATEMENT_TIMEOUT_MS', 60_000, { min: 0 }),
    databaseLockTimeoutMs: env.int('DATABASE_LOCK_TIMEOUT_MS', 10_000, { min: 0 }),
    relayMaxMessageBytes: env.int('RELAY_MAX_MESSAGE_BYTES', 1_000_000, { min: 10_000, max: 100_000_000 }),
    deadLetterMaxBytes: env.int('DEAD_LETTER_MAX_BYTES', 256 * 1024, { min: 1024, max: 900_000 }),
    deadLetterUnauthenticatedBytes: env.int('DEAD_LETTER_UNAUTHENTICATED_BYTES', 256, { min: 0, max: 4096 }),
    deadLetterRetainDays: env.int('DEAD_LETTER_RETAIN_DAYS', 30, { min: 0, max: 3650 }),
    shutdownGraceMs: env.int('SHUTDOWN_GRACE_MS', 10_000, { min: 0, max: 600_000 }),
    ownership: loadOwnershipConfig(env),
  };
}

export type OwnershipRule = 'off' | 'first-writer' | 'agency-prefix';

export interface OwnershipConfig {
  rule: OwnershipRule;
  /** Sender id -> agency codes it reports for; a sender not listed has its `agency` from SENDERS_FILE. */
  agencies: Record<string, string[]>;
  /**
   * Liên thông (inter-agency) allow-list: sender id -> the sender ids or agency codes whose dossiers it may
   * also write (a receiving agency updating a dossier handed over to it).
   */
  links: Record<string, string[]>;
}

interface OwnershipFile {
  agencies?: Record<string, unknown>;
  links?: Record<string, unknown>;
}

export function loadOwnershipConfig(env: EnvReader): OwnershipConfig {
  const rule = env.oneOf('DOSSIER_OWNERSHIP', ['off', 'first-writer', 'agency-prefix'] as const, 'off');
  const path = env.optional('DOSSIER_OWNERSHIP_FILE');
  if (path === undefined) {
    return { rule, agencies: {}, links: {} };
  }
  if (!existsSync(path)) {
    throw new ConfigError('DOSSIER_OWNERSHIP_FILE', `file not found: ${path}`);
  }
  let file: OwnershipFile;
  try {
    file = JSON.parse(readFileSync(path, 'utf8')) as OwnershipFile;
  } catch {
    throw new ConfigError('DOSSIER_OWNERSHIP_FILE', 'not valid JSON');
  }
  return {
    rule,
    agencies: stringLists('DOSSIER_OWNERSHIP_FILE agencies', file.agencies),
    links: stringLists('DOSSIER_OWNERSHIP_FILE links', file.links),
  };
}

function stringLists(where: string, value: unknown): Record<string, string[]> {
  if (value === undefined) {
    return {};
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new ConfigError(where, 'must be an object of sender id -> list of strings');
  }
  const out: Record<string, string[]> = {};
  for (const [key, list] of Object.entries(value)) {
    if (!Array.isArray(list) || !list.every((x): x is string => typeof x === 'string' && x.length > 0)) {
      throw new ConfigError(`${where}.${key}`, 'must be a list of non-empty strings');
    }
    out[key] = list;
  }
  return out;
}
