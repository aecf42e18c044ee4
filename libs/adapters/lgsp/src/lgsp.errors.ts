export type LgspErrorCode =
  'UNAVAILABLE' | 'TIMEOUT' | 'AUTH_FAILED' | 'BAD_RESPONSE' | 'SOAP_FAULT' | 'XML_UNSAFE' | 'REJECTED';

/**
 * Codes a poller may retry by default. An unreadable answer is usually a gateway in front of the bus having
 * a bad moment, hence BAD_RESPONSE. A SOAP Fault's retryability depends on who is at fault (see
 * `soapFaultIsRetryable`). XML_UNSAFE is never retried: an answer carrying a DTD is refused on purpose, and
 * asking again would only fetch it again.
 */
const RETRYABLE_BY_DEFAULT: Readonly<Record<LgspErrorCode, boolean>> = {
  UNAVAILABLE: true,
  TIMEOUT: true,
  BAD_RESPONSE: true,
  SOAP_FAULT: false,
  AUTH_FAILED: false,
  XML_UNSAFE: false,
  REJECTED: false,
};

export interface LgspErrorOptions {
  retryable?: boolean;
  /** HTTP status of the answer, when there was one. */
  httpStatus?: number;
  /** SOAP Fault code (`soap:Server`, `soap:Client`, SOAP 1.2 `Receiver`…), for SOAP_FAULT. */
  faultCode?: string;
  /** Never an HTTP client error object: those carry request headers, i.e. bearer tokens and secrets. */
  cause?: unknown;
  /**
   * The answer as received when it could not be used (malformed, unsafe, or a REST call's non-2xx answer):
   * kept for the operator, never parsed here.
   */
  payload?: Buffer;
  /** Which call gave that answer (method and path). */
  endpoint?: string;
}

/** The one error type of the LGSP adapter; retry and dead-letter decisions read `code`, not messages. */
export class LgspError extends Error {
  override readonly name = 'LgspError';
  readonly source = 'lgsp' as const;
  readonly retryable: boolean;
  readonly httpStatus: number | null;
  readonly faultCode: string | null;
  /** The unusable answer byte for byte (a poller dead-letters it); null when there was none worth keeping. */
  readonly payload: Buffer | null;
  readonly endpoint: string | null;

  constructor(
    readonly code: LgspErrorCode,
    message: string,
    options: LgspErrorOptions = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.retryable = options.retryable ?? RETRYABLE_BY_DEFAULT[code];
    this.httpStatus = options.httpStatus ?? null;
    this.faultCode = options.faultCode ?? null;
    this.payload = options.payload ?? null;
    this.endpoint = options.endpoint ?? null;
  }

  /** The same error carrying the answer that caused it (and the HTTP status it came with, if not known yet). */
  withPayload(payload: Buffer, endpoint: string, httpStatus?: number): LgspError {
    const status = this.httpStatus ?? httpStatus ?? null;
    return new LgspError(this.code, this.message, {
      retryable: this.retryable,
      ...(status === null ? {} : { httpStatus: status }),
      ...(this.faultCode === null ? {} : { faultCode: this.faultCode }),
      cause: this.cause,
      payload,
      endpoint,
    });
  }
}

export function isLgspError(error: unknown): error is LgspError {
  return error instanceof LgspError;
}

/**
 * Classifies a non-2xx HTTP status. 408 and 429 say "later", like 5xx; 401 and 403 mean the token or the
 * client credentials were refused; any other 4xx means the request itself is wrong.
 */
export function lgspErrorForStatus(status: number, what: string): LgspError {
  const message = `${what}: LGSP answered HTTP ${status}`;
  if (status === 408) {
    return new LgspError('TIMEOUT', message, { httpStatus: status });
  }
  if (status === 429 || status >= 500) {
    return new LgspError('UNAVAILABLE', message, { httpStatus: status });
  }
  if (status === 401 || status === 403) {
    return new LgspError('AUTH_FAILED', message, { httpStatus: status });
  }
  if (status >= 300 && status < 400) {
    return new LgspError(
      'BAD_RESPONSE',
      `${what}: LGSP redirected (HTTP ${status}); configure the final URL`,
      {
        httpStatus: status,
        retryable: false,
      },
    );
  }
  return new LgspError('REJECTED', message, { httpStatus: status });
}

/**
 * Whether a SOAP Fault is worth retrying. SOAP 1.1 §4.4.1 `Server` and SOAP 1.2 `Receiver` say the message
 * was fine and the service failed (a retry may succeed); `Client`/`Sender` say the request is wrong;
 * `VersionMismatch`/`MustUnderstand` will not change either. Unknown codes are treated as the service's.
 */
export function soapFaultIsRetryable(faultCode: string): boolean {
  const local = faultCode.replace(/^.*:/, '').split('.')[0]?.trim().toLowerCase() ?? '';
  return !['client', 'sender', 'versionmismatch', 'mustunderstand', 'dataencodingunknown'].includes(local);
}
