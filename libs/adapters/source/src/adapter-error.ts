/** Codes every upstream adapter shares; an adapter may add its own (LGSP: `SOAP_FAULT`, `XML_UNSAFE`). */
export type AdapterErrorCode = 'UNAVAILABLE' | 'TIMEOUT' | 'AUTH_FAILED' | 'BAD_RESPONSE' | 'REJECTED';

/**
 * What is retried unless the thrower says otherwise. An answer that is an error page or not the expected
 * format is usually a gateway in front of the upstream having a bad moment, hence BAD_RESPONSE.
 */
export const RETRYABLE_BY_DEFAULT: Readonly<Record<AdapterErrorCode, boolean>> = {
  UNAVAILABLE: true,
  TIMEOUT: true,
  BAD_RESPONSE: true,
  AUTH_FAILED: false,
  REJECTED: false,
};

export interface AdapterErrorOptions {
  retryable?: boolean;
  /** HTTP status of the upstream's answer, when there was one. */
  httpStatus?: number;
  /** Which call failed (method and path, or a named endpoint), for logs and dead letters. */
  endpoint?: string;
  /** The upstream's answer as received when it could not be used (kept for the dead letter). */
  payload?: Buffer;
  /** Never an HTTP client error object: those carry request headers and bodies, i.e. secrets. */
  cause?: unknown;
}

/**
 * The one coded error shape of the upstream adapters (STYLE: `code`, `source`, `retryable`, `{ cause }`):
 * retry, backoff and dead-letter decisions read `code` and `retryable`, never vendor strings or messages.
 * Each adapter subclasses it once (PortalError, OnestopError, LgspError) with its `source` and codes.
 */
export abstract class AdapterError<C extends string = AdapterErrorCode> extends Error {
  abstract override readonly name: string;
  abstract readonly source: string;
  readonly retryable: boolean;
  readonly httpStatus: number | null;
  readonly endpoint: string | null;
  readonly payload: Buffer | null;

  protected constructor(
    readonly code: C,
    message: string,
    options: AdapterErrorOptions,
    retryableByDefault: Readonly<Record<C, boolean>>,
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.retryable = options.retryable ?? retryableByDefault[code];
    this.httpStatus = options.httpStatus ?? null;
    this.endpoint = options.endpoint ?? null;
    this.payload = options.payload ?? null;
  }
}

export function isAdapterError(error: unknown): error is AdapterError<string> {
  return error instanceof AdapterError;
}

/**
 * The code of a non-2xx HTTP status: 408 and 429 say "later" like 5xx, 401 and 403 that the credentials
 * or session were refused, any other 4xx that the request itself is wrong (sending it again cannot help).
 */
export function codeForHttpStatus(status: number): 'TIMEOUT' | 'UNAVAILABLE' | 'AUTH_FAILED' | 'REJECTED' {
  if (status === 408) {
    return 'TIMEOUT';
  }
  if (status === 429 || status >= 500) {
    return 'UNAVAILABLE';
  }
  if (status === 401 || status === 403) {
    return 'AUTH_FAILED';
  }
  return 'REJECTED';
}
