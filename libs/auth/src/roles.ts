import { SetMetadata } from '@nestjs/common';

/** Roles come from the SSO token's `roles` claim (DOMAIN.md §2: admins, mappers, viewers). */
export const ROLES = ['admin', 'mapper', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

/** The authenticated caller, from an OIDC login session or a bearer token (client credentials). */
export interface AuthUser {
  /** SSO subject (officers are their SSO subject plus unit code, DOMAIN.md §5.2). */
  sub: string;
  name: string | null;
  roles: Role[];
  /** Agency codes this user may edit; empty = every agency (admins, or unscoped mappers). */
  agencies: string[];
  /** `session` for a browser login, `bearer` for automation. */
  via: 'session' | 'bearer';
}

export const ROLES_KEY = 'isohub:roles';
export const PUBLIC_KEY = 'isohub:public';

/** Roles allowed on a route; any one suffices. `admin` is always allowed. Routes without it need a login. */
export const Roles = (...roles: Role[]): MethodDecorator & ClassDecorator => SetMetadata(ROLES_KEY, roles);

/** A route reachable without login (health, the login flow itself). */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(PUBLIC_KEY, true);

/** True when `user` may edit data belonging to `agency` (agency-scoped mappers). */
export function canEditAgency(user: AuthUser, agency: string | null): boolean {
  if (user.roles.includes('admin') || user.agencies.length === 0) {
    return true;
  }
  return agency !== null && user.agencies.includes(agency);
}
