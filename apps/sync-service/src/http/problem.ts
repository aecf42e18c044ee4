import { randomUUID } from 'node:crypto';
import { HttpException, type Logger } from '@nestjs/common';
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
 * The one classification of a failure at the HTTP edge, for Nest controllers (ProblemFilter) and the raw
 * express routes (expressProblemHandler) alike: an HttpException or a body-reading error (`status` 4xx) keeps
 * its status; anything else is `unexpected` (500, or 503 where the sender must retry because nothing was
 * committed) with an errorId that is also in the log, never the error text (it may hold payload data).
 */
export function problemOf(error: unknown, logger: Logger, unexpected: 500 | 503): Problem {
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof HttpException) {
    const status = error.getStatus();
    const body = error.getResponse();
    const errors =
      typeof body === 'object' && body !== null && Array.isArray((body as { errors?: unknown }).errors)
        ? (body as { errors: ProblemFieldError[] }).errors
        : [];
    return problem(status, httpTitle(status), message, errors);
  }
  const status = (error as { status?: unknown } | null)?.status;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return problem(status, httpTitle(status), message, [{ field: '/', code: 'format', message }], {
      error_code: '-1',
    });
  }
  const errorId = randomUUID();
  logger.error(
    `request failed errorId=${errorId}: ${error instanceof Error ? (error.stack ?? message) : message}`,
  );
  if (unexpected === 503) {
    // Nothing was committed, so the sender must retry (and is never told "thành công").
    return problem(503, 'Temporarily unavailable', 'the hub could not store the request; retry later', [], {
      errorId,
      error_code: '-1',
      message: 'Hệ thống tạm thời không lưu được dữ liệu, vui lòng gửi lại',
    });
  }
  return problem(500, 'Internal error', 'the operation failed; see the log', [], { errorId });
}

/** Last-resort handler for the raw express routes (tee, LGSP): `problemOf` with 503 for the unexpected. */
export function expressProblemHandler(logger: Logger) {
  return (err: unknown, _req: Request, res: Response, next: NextFunction): void => {
    if (res.headersSent) {
      next(err);
      return;
    }
    sendProblem(res, problemOf(err, logger, 503));
  };
}

export function httpTitle(status: number): string {
  switch (status) {
    case 400:
      return 'Bad request';
    case 401:
      return 'Unauthorized';
    case 403:
      return 'Forbidden';
    case 404:
      return 'Not found';
    case 405:
      return 'Method not allowed';
    case 409:
      return 'Conflict';
    case 413:
      return 'Payload too large';
    case 415:
      return 'Unsupported media type';
    case 429:
      return 'Too many requests';
    default:
      return status >= 500 ? 'Server error' : 'Error';
  }
}
