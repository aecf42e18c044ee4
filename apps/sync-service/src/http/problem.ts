import { randomUUID } from 'node:crypto';
import type { Logger } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';

export interface ProblemFieldError {
  field: string;
  code: string;
  message: string;
}

/** RFC 9457 problem details; portal-style members (error_code, message) ride along as extensions. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors: ProblemFieldError[];
  [extension: string]: unknown;
}

export function problem(
  status: number,
  title: string,
  detail: string,
  errors: ProblemFieldError[] = [],
  extensions: Record<string, unknown> = {},
): Problem {
  return { type: 'about:blank', title, status, detail, errors, ...extensions };
}

export function sendProblem(res: Response, p: Problem): void {
  res.status(p.status).type('application/problem+json').send(JSON.stringify(p));
}

/**
 * Last-resort handler for the raw express routes: a 500 carries an errorId that is also in the log,
 * never the error text (which may hold data from the payload). Body-size and parse errors stay 4xx.
 */
export function expressProblemHandler(logger: Logger) {
  return (err: unknown, _req: Request, res: Response, next: NextFunction): void => {
    if (res.headersSent) {
      next(err);
      return;
    }
    const status = (err as { status?: number }).status;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      sendProblem(
        res,
        problem(
          status,
          'Bad request',
          (err as Error).message,
          [{ field: '/', code: 'format', message: (err as Error).message }],
          {
            error_code: '-1',
          },
        ),
      );
      return;
    }
    const errorId = randomUUID();
    logger.error(
      `request failed errorId=${errorId}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`,
    );
    // 503: nothing was committed, so the sender must retry (and is never told "thành công").
    sendProblem(
      res,
      problem(503, 'Temporarily unavailable', 'the hub could not store the request; retry later', [], {
        errorId,
        error_code: '-1',
        message: 'Hệ thống tạm thời không lưu được dữ liệu, vui lòng gửi lại',
      }),
    );
  };
}
