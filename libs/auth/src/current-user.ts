import { type ExecutionContext, createParamDecorator } from '@nestjs/common';
import type { Request } from 'express';
import { AuthError } from './auth.errors';
import type { AuthUser } from './roles';

/** The caller the global guard authenticated (session or bearer), or null on a public route. */
export function currentUser(req: Request): AuthUser | null {
  return (req as Request & { user?: AuthUser }).user ?? null;
}

/** Injects the authenticated caller: `handler(@CurrentUser() user: AuthUser)`. */
export const CurrentUser = createParamDecorator((_data: unknown, ctx: ExecutionContext): AuthUser => {
  const user = currentUser(ctx.switchToHttp().getRequest<Request>());
  if (user === null) {
    throw new AuthError('UNAUTHENTICATED', 'no authenticated caller on this route');
  }
  return user;
});
