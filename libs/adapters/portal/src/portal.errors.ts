import {
  AdapterError,
  codeForHttpStatus,
  RETRYABLE_BY_DEFAULT,
  type AdapterErrorCode,
  type AdapterErrorOptions,
} from '@isohub/adapters/source';

export type PortalErrorCode = AdapterErrorCode;

export type PortalErrorOptions = Pick<AdapterErrorOptions, 'retryable' | 'httpStatus' | 'cause'>;

/** The one error type of the portal adapter (the shared AdapterError shape); decisions read `code`. */
export class PortalError extends AdapterError<PortalErrorCode> {
  override readonly name = 'PortalError';
  readonly source = 'dvcqg' as const;

  constructor(code: PortalErrorCode, message: string, options: PortalErrorOptions = {}) {
    super(code, message, options, RETRYABLE_BY_DEFAULT);
  }
}

export function isPortalError(error: unknown): error is PortalError {
  return error instanceof PortalError;
}

/** Classifies a non-2xx HTTP status (see `codeForHttpStatus`). */
export function portalErrorForStatus(status: number, what: string): PortalError {
  return new PortalError(codeForHttpStatus(status), `${what}: portal answered HTTP ${status}`, {
    httpStatus: status,
  });
}
