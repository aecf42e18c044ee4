import { SetMetadata, applyDecorators } from '@nestjs/common';
import { ApiExtension } from '@nestjs/swagger';

/** Roles come from the SSO token's `roles` claim (DOMAIN.md §2: admins, mappers, viewers). */
export const ROLES = ['admin', 'mapper', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

/** The authenticated caller, from an OIDC login session or a bearer token (client credentials). */
export interface AuthUser {
  /** SSO subject (officers are their SSO subject plus unit code, DOMAIN.md §5.2). */
  sub: string;
  name: string | null;
  roles: Role[];
  /**
   * Agency codes this user may edit. Empty (or no agencies claim at all) = none: an unscoped mapper
   * is granted explicitly, by `*` (ALL_AGENCIES) in the SSO's agencies claim. Admins edit every agency.
   */
  agencies: string[];
  /** `session` for a browser login, `bearer` for automation. */
  via: 'session' | 'bearer';
}

export const ROLES_KEY = 'isohub:roles';
export const PUBLIC_KEY = 'isohub:public';

/** OpenAPI extensions the decorators below publish, so tools (the route-walk test) can read them. */
export const OPENAPI_ROLES = 'x-roles';
export const OPENAPI_PUBLIC = 'x-public';

/**
 * Roles allowed on a route; any one suffices. `admin` is always allowed, and `mapper` satisfies
 * `viewer` (whoever edits mappings may read them). Routes without it need a login. Also published
 * as the route's `x-roles` in the OpenAPI document.
 */
export const Roles = (...roles: Role[]): MethodDecorator & ClassDecorator =>
  applyDecorators(SetMetadata(ROLES_KEY, roles), ApiExtension(OPENAPI_ROLES, roles));

/** A route reachable without login (health, the login flow itself); `x-public` in the OpenAPI document. */
export const Public = (): MethodDecorator & ClassDecorator =>
  applyDecorators(SetMetadata(PUBLIC_KEY, true), ApiExtension(OPENAPI_PUBLIC, true));

/** Roles each role stands in for: admin for all, mapper for viewer. */
const IMPLIED: Record<Role, readonly Role[]> = {
  admin: ROLES,
  mapper: ['mapper', 'viewer'],
  viewer: ['viewer'],
};

/** True when a holder of `held` may use a route declared `@Roles(...required)`. */
export function rolesAllow(held: readonly Role[], required: readonly Role[]): boolean {
  return held.some((role) => IMPLIED[role].some((r) => required.includes(r)));
}

/** The agencies-claim value that grants every agency (an unscoped mapper), set at the SSO on purpose. */
export const ALL_AGENCIES = '*';

/** True when `user` may edit every agency's data: an admin, or a mapper granted ALL_AGENCIES. */
export function isUnscoped(user: AuthUser): boolean {
  return user.roles.includes('admin') || user.agencies.includes(ALL_AGENCIES);
}

/**
 * True when `user` may edit data belonging to `agency`. A user whose token has no agencies (claim
 * missing or empty) edits none: a missing claim is a misconfigured SSO, not a grant.
 */
export function canEditAgency(user: AuthUser, agency: string | null): boolean {
  if (isUnscoped(user)) {
    return true;
  }
  return agency !== null && user.agencies.includes(agency);
}
