import { Catch, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';
import { InvalidCursorError, NotPausedError, UnknownAdapterError } from '../polling/polling.service';
import { problem, problemOf, sendProblem } from './problem';

/**
 * The sync service's one exception filter, global (main.ts): every Nest controller (operator API, health,
 * metrics, tee calls) answers failures as problem+json; a 500 carries an errorId that is also in the log.
 * The raw express routes use the same classification (`problemOf`) through expressProblemHandler.
 */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('Http');

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
    } else {
      sendProblem(res, problemOf(error, this.logger, 500));
    }
  }
}
