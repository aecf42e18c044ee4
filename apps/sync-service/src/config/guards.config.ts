import type { EnvReader } from '@isohub/config';

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
}

export function loadGuardsConfig(env: EnvReader): GuardsConfig {
  return {
    databaseStatementTimeoutMs: env.int('DATABASE_STATEMENT_TIMEOUT_MS', 60_000, { min: 0 }),
    databaseLockTimeoutMs: env.int('DATABASE_LOCK_TIMEOUT_MS', 10_000, { min: 0 }),
    relayMaxMessageBytes: env.int('RELAY_MAX_MESSAGE_BYTES', 1_000_000, { min: 10_000, max: 100_000_000 }),
    deadLetterMaxBytes: env.int('DEAD_LETTER_MAX_BYTES', 256 * 1024, { min: 1024, max: 900_000 }),
    deadLetterUnauthenticatedBytes: env.int('DEAD_LETTER_UNAUTHENTICATED_BYTES', 256, { min: 0, max: 4096 }),
    deadLetterRetainDays: env.int('DEAD_LETTER_RETAIN_DAYS', 30, { min: 0, max: 3650 }),
  };
}
