import {
  AdapterError,
  codeForHttpStatus,
  RETRYABLE_BY_DEFAULT as SHARED_RETRYABLE,
  type AdapterErrorCode,
  type AdapterErrorOptions,
} from '@isohub/adapters/source';

export type LgspErrorCode = AdapterErrorCode | 'SOAP_FAULT' | 'XML_UNSAFE';

/**
 * A SOAP Fault's retryability depends on who is at fault (see `soapFaultIsRetryable`). XML_UNSAFE is never
 * retried: an answer carrying a DTD is refused on purpose, and asking again would only fetch it again.
 */
const RETRYABLE_BY_DEFAULT: Readonly<Record<LgspErrorCode, boolean>> = {
  ...SHARED_RETRYABLE,
  SOAP_FAULT: false,
  XML_UNSAFE: false,
};

export interface LgspErrorOptions extends AdapterErrorOptions {
  /** SOAP Fault code (`soap:Server`, `soap:Client`, SOAP 1.2 `Receiver`…), for SOAP_FAULT. */
  faultCode?: string;
}

/** The one error type of the LGSP adapter (the shared AdapterError shape); decisions read `code`. */
export class LgspError extends AdapterError<LgspErrorCode> {
  override readonly name = 'LgspError';
  readonly source = 'lgsp' as const;
  readonly faultCode: string | null;

  constructor(code: LgspErrorCode, message: string, options: LgspErrorOptions = {}) {
    super(code, message, options, RETRYABLE_BY_DEFAULT);
    this.faultCode = options.faultCode ?? null;
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

/** Classifies a non-2xx HTTP status (see `codeForHttpStatus`); a redirect is a configuration fix. */
export function lgspErrorForStatus(status: number, what: string): LgspError {
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
  return new LgspError(codeForHttpStatus(status), `${what}: LGSP answered HTTP ${status}`, {
    httpStatus: status,
  });
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
