import { isLgspError, type LgspRestAnswer, type LgspRestPort } from '@isohub/adapters/lgsp';
import type { ForwardJob } from '@isohub/persistence';
import type { LgspForwardConfig, LgspForwardOperation } from '../config/lgsp-forward.config';

/** How one delivery ended when the upstream answered; transport failures are thrown instead. */
export interface DeliveryOutcome {
  outcome: 'success' | 'refused';
  /** What the upstream answered, as stored with the job. */
  raw: unknown;
  /** Why it counts as refused; null on success. */
  reason: string | null;
}

/** A refused request's answer is kept for the operator, up to this much of its text. */
const MAX_KEPT_CHARS = 64 * 1024;

/**
 * What counts as delivered at the bus. OpenCPS's LGSP client (`PublishEventScheduler.processPublish`)
 * counts a SyncDocument or UpdateDocumentTraces as delivered only on HTTP status exactly 200 and never
 * reads the body (see ../lgsp/lgsp-answer.ts). isohub asks the same 200, and because the LGSP answers
 * with its `MResult { Status, Message }` (lgsp_schema.xsd), a body whose `Status` is a number other than
 * 200 is the bus refusing in its own words: kept as refused (OpenCPS would have dropped it silently).
 * Another 2xx is not an answer these services give; it is kept as refused for an operator rather than
 * re-sent forever. A Status that is not a number says nothing either way: the HTTP 200 decides.
 */
export function readBusAnswer(answer: LgspRestAnswer): DeliveryOutcome {
  const status = mresultStatus(answer.data);
  const message = mresultMessage(answer.data);
  if (answer.status === 200 && (status === null || status === 200)) {
    return { outcome: 'success', raw: { httpStatus: 200, Status: status, Message: message }, reason: null };
  }
  const reason =
    answer.status !== 200
      ? `the bus answered HTTP ${answer.status}, not 200`
      : `the bus answered Status ${status}${message ? `: ${message}` : ''}`;
  return { outcome: 'refused', raw: keptAnswer(answer.status, answer.contentType, answer.text), reason };
}

/**
 * Sends a stored LGSP request (the one-stop system's body, byte for byte) to the configured bus path with
 * isohub's own token. A request the bus refuses with a 4xx is a refusal with its answer; anything the bus
 * might get over (5xx, timeout, unreachable, a refused token) is thrown for the caller's backoff.
 */
export async function deliverLgsp(
  bus: LgspRestPort,
  paths: LgspForwardConfig['paths'],
  job: ForwardJob,
): Promise<DeliveryOutcome> {
  const path = paths[job.operation as LgspForwardOperation];
  if (path === undefined) {
    return { outcome: 'refused', raw: null, reason: `unknown LGSP operation "${job.operation}"` };
  }
  try {
    return readBusAnswer(
      await bus.callRest({ path, method: 'POST', body: job.body, contentType: 'application/json' }),
    );
  } catch (error) {
    if (isLgspError(error) && error.httpStatus === 200 && error.payload !== null) {
      // HTTP 200 with a body isohub will not read (not JSON, or XML with a DTD): OpenCPS's client counts
      // the status alone, so the bus took it. Re-sending would repeat it forever and hold up the sender.
      return {
        outcome: 'success',
        raw: keptAnswer(200, null, error.payload.toString('utf8')),
        reason: null,
      };
    }
    if (isLgspError(error) && error.code === 'REJECTED' && error.httpStatus !== null) {
      return {
        outcome: 'refused',
        raw: keptAnswer(error.httpStatus, null, error.payload?.toString('utf8') ?? ''),
        reason: `the bus answered HTTP ${error.httpStatus}`,
      };
    }
    throw error;
  }
}

/**
 * Whether a failed LGSP delivery is tried again. A token the bus will not give or honour (AUTH_FAILED) is
 * isohub's configuration, not the request's fault: the job waits (with its error on /health/ready) until
 * the credentials are fixed. An answer refused on purpose (XML_UNSAFE, oversized) is not asked for again.
 */
export function lgspRetryable(error: unknown): boolean {
  if (!isLgspError(error)) {
    return true;
  }
  return error.code === 'AUTH_FAILED' || error.retryable;
}

function keptAnswer(httpStatus: number, contentType: string | null, text: string): unknown {
  if (text.length > MAX_KEPT_CHARS) {
    return { httpStatus, contentType, body: `${text.slice(0, MAX_KEPT_CHARS)}…` };
  }
  try {
    return { httpStatus, contentType, body: JSON.parse(text) as unknown };
  } catch {
    return { httpStatus, contentType, body: text };
  }
}

function record(v: unknown): Record<string, unknown> | null {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
}

/** `Status` of an MResult: top level (JSON) or under the one root element (XML). */
function mresultField(data: unknown, field: string): unknown {
  const top = record(data);
  if (!top) {
    return undefined;
  }
  if (field in top) {
    return top[field];
  }
  const keys = Object.keys(top);
  const root = keys.length === 1 ? record(top[keys[0]]) : null;
  return root?.[field];
}

function mresultStatus(data: unknown): number | null {
  const v = mresultField(data, 'Status');
  const n = typeof v === 'string' && /^\s*\d+\s*$/.test(v) ? Number(v) : v;
  return typeof n === 'number' && Number.isInteger(n) ? n : null;
}

function mresultMessage(data: unknown): string | null {
  const v = mresultField(data, 'Message');
  return typeof v === 'string' ? v : null;
}
