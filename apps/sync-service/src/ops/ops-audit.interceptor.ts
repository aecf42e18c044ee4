import {
  type CallHandler,
  type ExecutionContext,
  Inject,
  Injectable,
  type NestInterceptor,
  type Provider,
} from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import type { Request } from 'express';
import { concatMap, type Observable } from 'rxjs';
import type { DataSource } from 'typeorm';
import { AuditStore, type AuditInput } from '@isohub/persistence';
import { DATA_SOURCE } from '../infra/infra.module';

/** Header the admin console sets to the signed-in user (its SSO subject) on operator calls it makes. */
export const ACTOR_HEADER = 'x-isohub-actor';
/** An actor as a header may carry it: no spaces or control characters, bounded. */
const ACTOR = /^[^\s\p{Cc}]{1,200}$/u;
/** Actor of a call that names nobody: whoever holds the operator token. */
export const OPS_TOKEN_ACTOR = 'ops-token';

/** Operator routes that change nothing (a connection test only reads the upstream). */
const READ_ONLY = [/^\/ops\/adapters\/[^/]+\/test-connection$/];

/** Named actions of the operator API; any other state-changing /ops route is recorded by method and path. */
const ACTIONS: { method: string; path: RegExp; action: string; entityType: string }[] = [
  {
    method: 'POST',
    path: /^\/ops\/adapters\/([^/]+)\/pause$/,
    action: 'ops.adapter.pause',
    entityType: 'adapter',
  },
  {
    method: 'POST',
    path: /^\/ops\/adapters\/([^/]+)\/resume$/,
    action: 'ops.adapter.resume',
    entityType: 'adapter',
  },
  {
    method: 'PUT',
    path: /^\/ops\/adapters\/([^/]+)\/cursor$/,
    action: 'ops.adapter.cursor_reset',
    entityType: 'adapter',
  },
  {
    method: 'POST',
    path: /^\/ops\/dead-letters\/([^/]+)\/replay$/,
    action: 'ops.dead_letter.replay',
    entityType: 'dead_letter',
  },
  {
    method: 'POST',
    path: /^\/ops\/dead-letters\/([^/]+)\/discard$/,
    action: 'ops.dead_letter.discard',
    entityType: 'dead_letter',
  },
  {
    method: 'POST',
    path: /^\/ops\/reconciliation\/runs$/,
    action: 'ops.reconciliation.run',
    entityType: 'reconciliation_run',
  },
];

/** What of an answer goes into the entry: state, never payloads (a replay's events, a letter's body). */
const KEPT = ['id', 'paused', 'cursor', 'replayed', 'discardedAt', 'discardedBy', 'state', 'status'] as const;

function summary(result: unknown): Record<string, unknown> {
  if (result === null || typeof result !== 'object') {
    return {};
  }
  const r = result as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const key of KEPT) {
    if (r[key] !== undefined) {
      out[key] = r[key];
    }
  }
  return out;
}

/** The audit entry a state-changing operator call gets once it succeeded; null for anything else. */
export function opsAuditEntry(
  req: Pick<Request, 'method' | 'path' | 'headers'>,
  result: unknown,
): AuditInput | null {
  const method = req.method.toUpperCase();
  if (['GET', 'HEAD', 'OPTIONS'].includes(method) || !req.path.startsWith('/ops/')) {
    return null;
  }
  if (READ_ONLY.some((p) => p.test(req.path))) {
    return null;
  }
  const header = req.headers[ACTOR_HEADER];
  const named = typeof header === 'string' ? header.normalize('NFC').trim() : '';
  const actor = ACTOR.test(named) ? named : OPS_TOKEN_ACTOR;
  const after: Record<string, unknown> = { ...summary(result), via: 'ops-api' };
  for (const known of ACTIONS) {
    const match = known.method === method ? known.path.exec(req.path) : null;
    if (match) {
      const id =
        match[1] ?? (typeof after['id'] === 'string' || typeof after['id'] === 'number' ? after['id'] : '');
      return {
        actor,
        action: known.action,
        entityType: known.entityType,
        entityId: String(id),
        before: null,
        after,
      };
    }
  }
  return {
    actor,
    action: `ops.${method.toLowerCase()}`,
    entityType: 'ops_route',
    entityId: req.path,
    before: null,
    after,
  };
}

/**
 * Every state change through the operator API (pause, resume, cursor reset, dead-letter replay and
 * discard, reconciliation runs) goes into the hash-chained audit log with its actor, written after the
 * change succeeded and before the answer is sent: a call whose entry cannot be written fails (500).
 */
@Injectable()
export class OpsAuditInterceptor implements NestInterceptor {
  constructor(
    @Inject(AuditStore) private readonly audit: AuditStore,
    @Inject(DATA_SOURCE) private readonly ds: DataSource,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = context.switchToHttp().getRequest<Request>();
    return next.handle().pipe(
      concatMap(async (result: unknown) => {
        const entry = context.getType() === 'http' ? opsAuditEntry(req, result) : null;
        if (entry !== null) {
          await this.ds.transaction((m) => this.audit.append(m, entry));
        }
        return result;
      }),
    );
  }
}

export const OPS_AUDIT_PROVIDERS: Provider[] = [
  { provide: AuditStore, inject: [DATA_SOURCE], useFactory: (ds: DataSource) => new AuditStore(ds) },
  { provide: APP_INTERCEPTOR, useClass: OpsAuditInterceptor },
];
