import { isBrokenCircuitError } from 'cockatiel';

/**
 * Adapters throw coded errors (`code`, `retryable`, STYLE.md "Errors"); the poller reads only those
 * members, whatever the source's type. An unknown error (a bug, a socket surprise) is retried.
 */
export interface CodedPullError {
  code: string;
  retryable: boolean;
  /** The upstream's answer as received, when it could not be read: dead-lettered byte for byte. */
  payload?: Buffer | null;
  endpoint?: string | null;
}

function asCoded(error: unknown): Partial<CodedPullError> {
  return error !== null && typeof error === 'object' ? error : {};
}

export function isRetryablePullError(error: unknown): boolean {
  if (isBrokenCircuitError(error)) {
    return false;
  }
  return asCoded(error).retryable !== false;
}

export function errorCode(error: unknown): string {
  if (isBrokenCircuitError(error)) {
    return 'CIRCUIT_OPEN';
  }
  const code = asCoded(error).code;
  return typeof code === 'string' ? code : 'UNEXPECTED';
}

export function unreadablePayload(error: unknown): { payload: Buffer; endpoint: string | null } | null {
  const e = asCoded(error);
  return Buffer.isBuffer(e.payload) ? { payload: e.payload, endpoint: e.endpoint ?? null } : null;
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
