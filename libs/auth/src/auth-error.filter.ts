import { randomUUID } from 'node:crypto';
import { type ArgumentsHost, Catch, type ExceptionFilter, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { AUTH_PATHS } from './auth.config';
import { AuthError, type AuthErrorCode } from './auth.errors';

const defaultLogger = new Logger('Auth');

interface Answer {
  status: number;
  title: string;
  /** Vietnamese first, for the HTML page a browser gets. */
  page: string;
}

function answerFor(code: AuthErrorCode): Answer {
  switch (code) {
    case 'UNAUTHENTICATED':
      return { status: 401, title: 'Unauthorized', page: 'Bạn cần đăng nhập / Please sign in' };
    case 'INVALID_TOKEN':
      return { status: 401, title: 'Unauthorized', page: 'Mã truy cập không hợp lệ / Invalid access token' };
    case 'FORBIDDEN':
      return { status: 403, title: 'Forbidden', page: 'Bạn không có quyền này / You lack the role for this' };
    case 'CSRF_INVALID':
      return { status: 403, title: 'Forbidden', page: 'Yêu cầu không hợp lệ / Invalid request (CSRF)' };
    case 'LOGIN_FAILED':
      return { status: 401, title: 'Login failed', page: 'Đăng nhập không thành công / Sign-in failed' };
    case 'SSO_UNAVAILABLE':
      return {
        status: 503,
        title: 'SSO unavailable',
        page: 'Không kết nối được máy chủ đăng nhập / The sign-in server is unavailable',
      };
  }
}

const esc = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * Answers an AuthError: problem+json (RFC 9457) for API clients; for a browser GET, the same status
 * with a short Vietnamese-first page (and, when a login would help, on to it). Exported so an app's
 * catch-all filter can hand AuthErrors (thrown by the guard, within its routes) back to this.
 */
export function sendAuthError(error: AuthError, req: Request, res: Response, logger = defaultLogger): void {
  const answer = answerFor(error.code);
  const extensions: Record<string, string> = { code: error.code };
  if (error.code === 'SSO_UNAVAILABLE') {
    extensions['errorId'] = randomUUID();
    const cause = error.cause instanceof Error ? error.cause.message : '';
    logger.error(`${error.message} errorId=${extensions['errorId']} ${cause}`);
  }
  if (answer.status === 401) {
    res.set(
      'WWW-Authenticate',
      error.code === 'INVALID_TOKEN'
        ? 'Bearer realm="isohub", error="invalid_token"'
        : 'Bearer realm="isohub"',
    );
  }
  res.set('Cache-Control', 'no-store');
  if (req.method === 'GET' && req.accepts(['json', 'html']) === 'html') {
    res
      .status(answer.status)
      .type('html')
      .send(htmlPage(error, answer, req.originalUrl));
    return;
  }
  res
    .status(answer.status)
    .type('application/problem+json')
    .send(
      JSON.stringify({
        type: `urn:isohub:problem:${error.code.toLowerCase().replace(/_/g, '-')}`,
        title: answer.title,
        status: answer.status,
        detail: error.message,
        errors: [],
        ...extensions,
      }),
    );
}

function htmlPage(error: AuthError, answer: Answer, url: string): string {
  const login =
    answer.status === 401
      ? `${AUTH_PATHS.login}?returnTo=${encodeURIComponent(error.code === 'LOGIN_FAILED' ? '/' : url)}`
      : null;
  // Straight on to the SSO when only a login is missing (not after a failed one: no loop).
  const refresh =
    login && error.code === 'UNAUTHENTICATED'
      ? `<meta http-equiv="refresh" content="0;url=${esc(login)}">`
      : '';
  return (
    `<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>isohub — ${esc(answer.page)}</title>` +
    `${refresh}</head><body><h1>${esc(answer.page)}</h1><p>${esc(error.message)}</p>` +
    (login ? `<p><a href="${esc(login)}">Đăng nhập / Sign in</a></p>` : '') +
    `</body></html>`
  );
}

@Catch(AuthError)
export class AuthErrorFilter implements ExceptionFilter {
  catch(error: AuthError, host: ArgumentsHost): void {
    sendAuthError(
      error,
      host.switchToHttp().getRequest<Request>(),
      host.switchToHttp().getResponse<Response>(),
    );
  }
}
