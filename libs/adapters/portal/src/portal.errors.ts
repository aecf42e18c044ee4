export type PortalErrorCode = 'UNAVAILABLE' | 'TIMEOUT' | 'AUTH_FAILED' | 'BAD_RESPONSE' | 'REJECTED';

/**
 * Codes a store-and-forward queue may retry by default. A portal that answers with an error page or a
 * body that is not JSON is usually a gateway in front of it having a bad moment, hence BAD_RESPONSE.
 */
const RETRYABLE_BY_DEFAULT: Readonly<Record<PortalErrorCode, boolean>> = {
  UNAVAILABLE: true,
  TIMEOUT: true,
  BAD_RESPONSE: true,
  AUTH_FAILED: false,
  REJECTED: false,
};

export interface PortalErrorOptions {
  retryable?: boolean;
  /** HTTP status of the portal's answer, when there was one. */
  httpStatus?: number;
  /** Never an HTTP client error object: those carry request bodies and headers, i.e. secrets. */
  cause?: unknown;
}

/** The one error type of the portal adapter; retry and dead-letter decisions read `code`, not messages. */
export class PortalError extends Error {
  override readonly name = 'PortalError';
  readonly source = 'dvcqg' as const;
  readonly retryable: boolean;
  readonly httpStatus: number | null;

  constructor(
    readonly code: PortalErrorCode,
    message: string,
    options: PortalErrorOptions = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.retryable = options.retryable ?? RETRYABLE_BY_DEFAULT[code];
    this.httpStatus = options.httpStatus ?? null;
  }
}

export function isPortalError(error: unknown): error is PortalError {
  return error instanceof PortalError;
}

/**
 * Classifies a non-2xx HTTP status. 408 and 429 say "later", like 5xx; 401 and 403 mean the
 * credentials or the session were refused; any other 4xx means the request itself is wrong and
 * sending it again cannot help.
 */
export function portalErrorForStatus(status: number, what: string): PortalError {
  const message = `${what}: portal answered HTTP ${status}`;
  if (status === 408) {
    return new PortalError('TIMEOUT', message, { httpStatus: status });
  }
  if (status === 429 || status >= 500) {
    return new PortalError('UNAVAILABLE', message, { httpStatus: status });
  }
  if (status === 401 || status === 403) {
    return new PortalError('AUTH_FAILED', message, { httpStatus: status });
  }
  return new PortalError('REJECTED', message, { httpStatus: status });
}
