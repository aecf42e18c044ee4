/** One field at fault; `field` is a JSON pointer into the request (`/steps/2/allowanceHours`). */
export interface ProblemFieldError {
  field: string;
  code: string;
  message: string;
}

/** RFC 9457 problem details, the one error shape of the admin app's API. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors: ProblemFieldError[];
  errorId?: string;
  /** The auth lib's error code on 401/403/503 answers from the login and guard (`UNAUTHENTICATED`). */
  code?: string;
}

/** Thrown by the admin's controllers and services; AdminExceptionFilter renders it. */
export class ProblemException extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    detail: string,
    readonly errors: ProblemFieldError[] = [],
  ) {
    super(detail);
    this.name = 'ProblemException';
  }

  static invalid(errors: ProblemFieldError[], detail = 'the request has invalid fields'): ProblemException {
    return new ProblemException(422, 'Unprocessable content', detail, errors);
  }

  static badRequest(field: string, message: string): ProblemException {
    return new ProblemException(400, 'Bad request', message, [{ field, code: 'format', message }]);
  }

  static forbidden(field: string, message: string): ProblemException {
    return new ProblemException(403, 'Forbidden', message, [{ field, code: 'forbidden', message }]);
  }

  static notFound(detail: string): ProblemException {
    return new ProblemException(404, 'Not found', detail);
  }
}
