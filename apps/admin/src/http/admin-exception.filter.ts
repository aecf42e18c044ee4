import { randomUUID } from 'node:crypto';
import {
  type ArgumentsHost,
  Catch,
  type ExceptionFilter,
  HttpException,
  Logger,
  type Provider,
} from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import type { Request, Response } from 'express';
import { AuthError, sendAuthError } from '@isohub/auth';
import { MappingStoreError } from '@isohub/persistence';
import { type Problem, ProblemException } from './problem';

const STORE_STATUS = { NOT_FOUND: 404, CONFLICT: 409, INVALID: 422 } as const;
const TITLES: Record<number, string> = {
  400: 'Bad request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not found',
  409: 'Conflict',
  413: 'Payload too large',
  422: 'Unprocessable content',
};

/**
 * The admin app's one HTTP error edge, registered globally (ADMIN_EXCEPTION_FILTER): every route answers
 * errors as application/problem+json (`Problem`), `errors[].field` a JSON pointer; an AuthError goes to
 * the auth lib's answer (a page for a browser GET). A 500 carries an errorId that is also in the log,
 * never the error text (STYLE.md, "Errors").
 */
@Catch()
export class AdminExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('AdminHttp');

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const res = http.getResponse<Response>();
    if (error instanceof AuthError) {
      // Thrown by the app's guard on these routes: answered the way every other route answers it.
      sendAuthError(error, http.getRequest<Request>(), res);
      return;
    }
    const body = this.toProblem(error);
    res.status(body.status).type('application/problem+json').send(JSON.stringify(body));
  }

  toProblem(error: unknown): Problem {
    if (error instanceof ProblemException) {
      return {
        type: 'about:blank',
        title: error.title,
        status: error.status,
        detail: error.message,
        errors: error.errors,
      };
    }
    if (error instanceof MappingStoreError) {
      const status = STORE_STATUS[error.code];
      return {
        type: 'about:blank',
        title: TITLES[status] ?? 'Error',
        status,
        detail: error.message,
        errors: error.errors,
      };
    }
    if (error instanceof HttpException) {
      const status = error.getStatus();
      const detail = error.message;
      return {
        type: 'about:blank',
        title: TITLES[status] ?? 'Error',
        status,
        detail,
        errors: status === 400 || status === 413 ? [{ field: '/', code: 'format', message: detail }] : [],
      };
    }
    const errorId = randomUUID();
    this.logger.error(
      `request failed errorId=${errorId}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
    return {
      type: 'about:blank',
      title: 'Internal error',
      status: 500,
      detail: 'the request could not be completed; quote the errorId',
      errors: [],
      errorId,
    };
  }
}

/** Provider for an app module (and the test apps that mount the admin's modules without AdminModule). */
export const ADMIN_EXCEPTION_FILTER: Provider = { provide: APP_FILTER, useClass: AdminExceptionFilter };
