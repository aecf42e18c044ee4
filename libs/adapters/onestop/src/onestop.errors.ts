export type OnestopErrorCode = 'UNAVAILABLE' | 'TIMEOUT' | 'AUTH_FAILED' | 'BAD_RESPONSE' | 'REJECTED';

/**
 * A one-stop API that answers with an error page, a cut-off body or a page that contradicts itself is
 * usually a proxy or a busy server having a bad moment: BAD_RESPONSE is retried like an outage.
 */
const RETRYABLE_BY_DEFAULT: Readonly<Record<OnestopErrorCode, boolean>> = {
  UNAVAILABLE: true,
  TIMEOUT: true,
  BAD_RESPONSE: true,
  AUTH_FAILED: false,
  REJECTED: false,
};

export interface OnestopErrorOptions {
  retryable?: boolean;
  httpStatus?: number;
  /** Which call failed (`list`, `actions`), for logs and dead letters. */
  endpoint?: string;
  /** The answer's bytes as received, when they could not be read (kept for the dead letter). */
  payload?: Buffer;
  /** Never an HTTP client error object: those carry request headers, i.e. credentials. */
  cause?: unknown;
}

/** The one error type of the one-stop pull adapters; retry and dead-letter decisions read `code`. */
export class OnestopError extends Error {
  override readonly name = 'OnestopError';
  readonly source = 'onestop' as const;
  readonly retryable: boolean;
  readonly httpStatus: number | null;
  readonly endpoint: string | null;
  readonly payload: Buffer | null;

  constructor(
    readonly code: OnestopErrorCode,
    message: string,
    options: OnestopErrorOptions = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.retryable = options.retryable ?? RETRYABLE_BY_DEFAULT[code];
    this.httpStatus = options.httpStatus ?? null;
    this.endpoint = options.endpoint ?? null;
    this.payload = options.payload ?? null;
  }
}

export function isOnestopError(error: unknown): error is OnestopError {
  return error instanceof OnestopError;
}

/** 408/429/5xx say "later"; 401/403 the credentials were refused; any other 4xx the request is wrong. */
export function onestopErrorForStatus(status: number, endpoint: string): OnestopError {
  const message = `${endpoint}: one-stop API answered HTTP ${status}`;
  if (status === 408) {
    return new OnestopError('TIMEOUT', message, { httpStatus: status, endpoint });
  }
  if (status === 429 || status >= 500) {
    return new OnestopError('UNAVAILABLE', message, { httpStatus: status, endpoint });
  }
  if (status === 401 || status === 403) {
    return new OnestopError('AUTH_FAILED', message, { httpStatus: status, endpoint });
  }
  return new OnestopError('REJECTED', message, { httpStatus: status, endpoint });
}
