import { randomUUID } from 'node:crypto';
import { Catch, HttpException, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';
import { problem, sendProblem } from '../http/problem';
import { InvalidCursorError, NotPausedError, UnknownAdapterError } from './polling.service';

/** One problem+json shape for the operator API; a 500 carries an errorId that is also in the log. */
@Catch()
export class OpsProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('OpsApi');

  catch(error: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    const message = error instanceof Error ? error.message : String(error);
    if (error instanceof UnknownAdapterError) {
      sendProblem(res, problem(404, 'Unknown adapter', message));
    } else if (error instanceof NotPausedError) {
      sendProblem(res, problem(409, 'Adapter not paused', message));
    } else if (error instanceof InvalidCursorError) {
      sendProblem(
        res,
        problem(400, 'Invalid cursor', message, [{ field: '/cursor', code: 'format', message }]),
      );
    } else if (error instanceof HttpException) {
      const status = error.getStatus();
      const body = error.getResponse();
      const errors =
        typeof body === 'object' && body !== null && Array.isArray((body as { errors?: unknown }).errors)
          ? (body as { errors: { field: string; code: string; message: string }[] }).errors
          : [];
      sendProblem(res, problem(status, httpTitle(status), message, errors));
    } else {
      const errorId = randomUUID();
      this.logger.error(
        `ops call failed errorId=${errorId}: ${error instanceof Error ? (error.stack ?? message) : message}`,
      );
      sendProblem(res, problem(500, 'Internal error', 'the operation failed; see the log', [], { errorId }));
    }
  }
}

function httpTitle(status: number): string {
  switch (status) {
    case 400:
      return 'Bad request';
    case 401:
      return 'Unauthorized';
    case 404:
      return 'Not found';
    case 409:
      return 'Conflict';
    case 413:
      return 'Payload too large';
    default:
      return 'Error';
  }
}
