import { Inject, Injectable } from '@nestjs/common';
import type { DeadLetterSummary } from '@isohub/persistence';
import { ADMIN_CONFIG, type AdminConfig } from '../admin.config';

/** Why a call to the sync service's operator API failed; the controller turns it into a status. */
export type SyncOpsErrorCode = 'UNREACHABLE' | 'TIMEOUT' | 'REFUSED_TOKEN' | 'NOT_FOUND' | 'BAD_ANSWER';

export class SyncOpsError extends Error {
  override readonly name = 'SyncOpsError';

  constructor(
    readonly code: SyncOpsErrorCode,
    message: string,
    options?: { cause?: unknown; upstreamStatus?: number; errors?: OpsFieldError[] },
  ) {
    super(message, { cause: options?.cause });
    this.upstreamStatus = options?.upstreamStatus ?? null;
    this.errors = options?.errors ?? [];
  }

  /** The sync service's own status when it answered one (e.g. 409, 422), and its field errors. */
  readonly upstreamStatus: number | null;
  readonly errors: OpsFieldError[];
}

export interface OpsFieldError {
  field: string;
  code: string;
  message: string;
}

/** A dead letter as `GET /ops/dead-letters` lists it (no payload): the store's summary, as JSON. */
export type OpsDeadLetter = DeadLetterSummary;

/** The sync service's `/health/ready` body (200 when ready, 503 when not). */
export interface OpsReadiness {
  status: string;
  checks: Record<string, Record<string, unknown>>;
}

/** The sync service's `GET /ops/tee/senders` (the fields the console uses). */
export interface OpsTeeSenders {
  senders: {
    sender: string;
    style: string;
    mode: string;
    configured: boolean;
    delivered: number;
    refused: number;
    unanswered: number;
    dossiers: number;
    dossiersSynced: number;
    syncRate: number | null;
    lastRefusal: { errorCode: string | null; message: string | null; at: string } | null;
  }[];
  national: { dossiers: number; dossiersSynced: number; syncRate: number | null };
}

/** One pull source as the sync service's `GET /ops/adapters` reports it (the fields the console uses). */
export interface OpsAdapterView {
  id: string;
  type: string;
  enabled: boolean;
  agency: string | null;
  upstream: string;
  health: string;
  circuit: string;
  paused: boolean;
  running: boolean;
  intervalSeconds: number;
  lagSeconds: number | null;
  consecutiveFailures: number;
  failuresTotal: number;
  pollsTotal: number;
  eventsTotal: number;
  deadLettersTotal: number;
  lastPollAt: string | null;
  lastSuccessAt: string | null;
  lastError: { code: string; message: string; at: string } | null;
  cursorTime: string | null;
  flags: { code: string; detail: string; count: number }[];
  cursor: {
    value: string | null;
    time: string | null;
    version: number;
    updatedBy: string;
    updatedAt: string;
  };
}

export interface ConnectionTest {
  ok: boolean;
  detail: string;
  latencyMs: number;
}

const TIMEOUT_MS = 5_000;
/** Pull-source ids as the sync service accepts them (pull-sources.config.ts); nothing else is sent on. */
const ADAPTER_ID = /^[a-z0-9][a-z0-9._-]{0,127}$/;

/** The operator path of one adapter; an id that no source can have is not found here, never forwarded. */
export function adapterPath(id: string): string {
  if (!ADAPTER_ID.test(id)) {
    throw new SyncOpsError('NOT_FOUND', `no adapter "${id.slice(0, 40)}"`);
  }
  return `/ops/adapters/${id}`;
}
/** The operator path of one dead letter; ids are bigserials, anything else is not found here. */
export function deadLetterPath(id: string): string {
  if (!/^[1-9]\d{0,18}$/.test(id)) {
    throw new SyncOpsError('NOT_FOUND', `no dead letter "${id.slice(0, 40)}"`);
  }
  return `/ops/dead-letters/${id}`;
}

/** `GET /ops/dead-letters` pages by 500 at most and has no count: at most this many are counted. */
const DEAD_LETTER_PAGE = 500;
export const DEAD_LETTER_COUNT_CAP = 2_000;

/**
 * Client of the sync service's operator API (`/ops`, Bearer OPS_TOKEN). The token goes in the header
 * only: it is never logged nor put in an error message.
 */
@Injectable()
export class SyncOpsClient {
  private readonly base: string;

  constructor(@Inject(ADMIN_CONFIG) private readonly config: AdminConfig) {
    this.base = config.syncServiceUrl.replace(/\/+$/, '');
  }

  async adapters(): Promise<OpsAdapterView[]> {
    return (await this.call<{ adapters: OpsAdapterView[] }>('GET', '/ops/adapters')).adapters;
  }

  /** `actor`: the signed-in user, sent on so the sync service's audit entry names them. */
  async pause(id: string, actor?: string): Promise<OpsAdapterView> {
    return this.call('POST', `${adapterPath(id)}/pause`, undefined, [], actor);
  }

  async resume(id: string, actor?: string): Promise<OpsAdapterView> {
    return this.call('POST', `${adapterPath(id)}/resume`, undefined, [], actor);
  }

  async testConnection(id: string): Promise<ConnectionTest> {
    return this.call('POST', `${adapterPath(id)}/test-connection`);
  }

  /** Open (not replayed) dead letters of one source, counted up to DEAD_LETTER_COUNT_CAP. */
  async openDeadLetters(sourceSystem: string): Promise<{ count: number; capped: boolean }> {
    let count = 0;
    let beforeId: string | undefined;
    while (count < DEAD_LETTER_COUNT_CAP) {
      const query = new URLSearchParams({ state: 'open', sourceSystem, limit: String(DEAD_LETTER_PAGE) });
      if (beforeId !== undefined) {
        query.set('beforeId', beforeId);
      }
      const { items } = await this.call<{ items: { id: string }[] }>(
        'GET',
        `/ops/dead-letters?${query.toString()}`,
      );
      count += items.length;
      if (items.length < DEAD_LETTER_PAGE) {
        return { count, capped: false };
      }
      beforeId = items.at(-1)?.id;
    }
    return { count, capped: true };
  }

  /** `GET /ops/dead-letters` with the console's filters (state, sourceSystem, reasonCode, from, to, …). */
  async deadLetters(query: URLSearchParams): Promise<OpsDeadLetter[]> {
    return (await this.call<{ items: OpsDeadLetter[] }>('GET', `/ops/dead-letters?${query.toString()}`))
      .items;
  }

  /** One dead letter with its original payload (personal data: the caller masks it). */
  async deadLetter(id: string): Promise<OpsDeadLetter & { payload: string }> {
    return this.call('GET', deadLetterPath(id));
  }

  async replayDeadLetter(id: string, actor?: string): Promise<{ replayed: boolean; result?: unknown }> {
    return this.call('POST', `${deadLetterPath(id)}/replay`, undefined, [], actor);
  }

  async discardDeadLetter(id: string, by: string): Promise<OpsDeadLetter> {
    return this.call('POST', `${deadLetterPath(id)}/discard`, { by }, [], by);
  }

  /** Per sender: calls the upstream accepted, refused and left unanswered, and the national sync rate. */
  async teeSenders(): Promise<OpsTeeSenders> {
    return this.call('GET', '/ops/tee/senders');
  }

  /** The hub's readiness, ready or not (503 carries the same body); the ops token goes along. */
  async ready(): Promise<OpsReadiness> {
    return this.call('GET', '/health/ready', undefined, [503]);
  }

  private async call<T>(
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
    alsoOk: readonly number[] = [],
    actor?: string,
  ): Promise<T> {
    let res: Response;
    try {
      res = await fetch(`${this.base}${path}`, {
        method,
        headers: {
          accept: 'application/json',
          authorization: `Bearer ${this.config.syncServiceOpsToken}`,
          // The sync service's audit log names who acted (its OpsAuditInterceptor).
          ...(actor === undefined ? {} : { 'x-isohub-actor': actor }),
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
    } catch (error) {
      const timedOut = error instanceof Error && error.name === 'TimeoutError';
      throw new SyncOpsError(
        timedOut ? 'TIMEOUT' : 'UNREACHABLE',
        timedOut
          ? `the sync service at ${this.base} did not answer within ${TIMEOUT_MS} ms`
          : `the sync service at ${this.base} is unreachable (${causeOf(error)})`,
        { cause: error },
      );
    }
    const text = await res.text();
    if (res.status === 401) {
      throw new SyncOpsError(
        'REFUSED_TOKEN',
        'the sync service refused the admin’s operator token (SYNC_SERVICE_OPS_TOKEN must equal its OPS_TOKEN)',
      );
    }
    if (res.status === 404) {
      throw new SyncOpsError('NOT_FOUND', detailOf(text) ?? `not found: ${path}`);
    }
    if (!res.ok && !alsoOk.includes(res.status)) {
      throw new SyncOpsError(
        'BAD_ANSWER',
        `the sync service answered ${res.status}${detailOf(text) ? `: ${detailOf(text)}` : ''}`,
        { upstreamStatus: res.status, errors: errorsOf(text) },
      );
    }
    try {
      return JSON.parse(text) as T;
    } catch (error) {
      throw new SyncOpsError('BAD_ANSWER', 'the sync service answered with something other than JSON', {
        cause: error,
      });
    }
  }
}

function causeOf(error: unknown): string {
  const cause = error instanceof Error ? (error.cause ?? error) : error;
  if (cause instanceof Error) {
    return (cause as { code?: string }).code ?? cause.message;
  }
  return String(cause);
}

function errorsOf(text: string): OpsFieldError[] {
  try {
    const body = JSON.parse(text) as { errors?: unknown };
    return Array.isArray(body.errors) ? (body.errors as OpsFieldError[]) : [];
  } catch {
    return [];
  }
}

function detailOf(text: string): string | null {
  try {
    const body = JSON.parse(text) as { detail?: unknown };
    return typeof body.detail === 'string' ? body.detail : null;
  } catch {
    return null;
  }
}
