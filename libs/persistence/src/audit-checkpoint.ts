import { createHmac, timingSafeEqual } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync, appendFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { canonicalJson } from './canonical-json';

/**
 * The audit chain's head, signed with a key the database never sees (HMAC-SHA256). Kept outside the
 * table, it lets `verify` notice what the chain alone cannot: the newest entries removed (the chain of
 * what is left is still whole).
 */
export interface AuditCheckpoint {
  /** Id and hash of the newest entry when the checkpoint was taken; 0 and the genesis for an empty log. */
  lastId: number;
  hash: string;
  /** Entries in the log then. */
  count: number;
  at: string;
  mac: string;
}

export type UnsignedCheckpoint = Omit<AuditCheckpoint, 'mac'>;

const macOf = (c: UnsignedCheckpoint, key: string): string =>
  createHmac('sha256', key)
    .update(canonicalJson({ lastId: c.lastId, hash: c.hash, count: c.count, at: c.at }))
    .digest('hex');

export function signCheckpoint(c: UnsignedCheckpoint, key: string): AuditCheckpoint {
  return { lastId: c.lastId, hash: c.hash, count: c.count, at: c.at, mac: macOf(c, key) };
}

/** True when `c` was signed with `key` and is unchanged since. */
export function checkpointSignatureHolds(c: AuditCheckpoint, key: string): boolean {
  const expected = Buffer.from(macOf(c, key), 'hex');
  const given = Buffer.from(typeof c.mac === 'string' ? c.mac : '', 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function isCheckpoint(v: unknown): v is AuditCheckpoint {
  const c = v as Partial<AuditCheckpoint> | null;
  return (
    typeof c === 'object' &&
    c !== null &&
    Number.isInteger(c.lastId) &&
    typeof c.hash === 'string' &&
    Number.isInteger(c.count) &&
    typeof c.at === 'string' &&
    typeof c.mac === 'string'
  );
}

/**
 * Checkpoints in a file the database role cannot reach: `<path>` holds the newest (written whole,
 * then renamed), `<path>.log` every one ever written (one JSON line each), for the record.
 */
export class AuditCheckpointFile {
  constructor(readonly path: string) {}

  write(c: AuditCheckpoint): void {
    mkdirSync(dirname(this.path), { recursive: true });
    const line = JSON.stringify(c);
    const tmp = `${this.path}.${process.pid}.tmp`;
    writeFileSync(tmp, `${line}\n`, { mode: 0o600 });
    renameSync(tmp, this.path);
    appendFileSync(`${this.path}.log`, `${line}\n`, { mode: 0o600 });
  }

  /** The newest checkpoint; null when none was written yet. Throws when the file is not one. */
  read(): AuditCheckpoint | null {
    if (!existsSync(this.path)) {
      return null;
    }
    const parsed = JSON.parse(readFileSync(this.path, 'utf8')) as unknown;
    if (!isCheckpoint(parsed)) {
      throw new Error(`${this.path} is not an audit checkpoint`);
    }
    return parsed;
  }
}
