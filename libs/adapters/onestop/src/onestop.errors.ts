import {
  AdapterError,
  codeForHttpStatus,
  RETRYABLE_BY_DEFAULT,
  type AdapterErrorCode,
  type AdapterErrorOptions,
} from '@isohub/adapters/source';

export type OnestopErrorCode = AdapterErrorCode;

/** `endpoint` names the call (`list`, `actions`); `payload` keeps an unreadable answer for the dead letter. */
export type OnestopErrorOptions = AdapterErrorOptions;

/** The one error type of the one-stop pull adapters (the shared AdapterError shape); decisions read `code`. */
export class OnestopError extends AdapterError<OnestopErrorCode> {
  override readonly name = 'OnestopError';
  readonly source = 'onestop' as const;

  constructor(code: OnestopErrorCode, message: string, options: OnestopErrorOptions = {}) {
    super(code, message, options, RETRYABLE_BY_DEFAULT);
  }
}

export function isOnestopError(error: unknown): error is OnestopError {
  return error instanceof OnestopError;
}

/** Classifies a non-2xx HTTP status (see `codeForHttpStatus`). */
export function onestopErrorForStatus(status: number, endpoint: string): OnestopError {
  return new OnestopError(codeForHttpStatus(status), `${endpoint}: one-stop API answered HTTP ${status}`, {
    httpStatus: status,
    endpoint,
  });
}
