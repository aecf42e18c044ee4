import { AuthError } from './auth.errors';
import { ROLES, type AuthUser, type Role } from './roles';

export interface ClaimNames {
  /** Dot path to the roles claim (`roles`, Keycloak's `realm_access.roles`). */
  rolesClaim: string;
  agenciesClaim: string;
}

function claimAt(claims: Record<string, unknown>, path: string): unknown {
  let value: unknown = claims;
  for (const key of path.split('.')) {
    if (typeof value !== 'object' || value === null) {
      return undefined;
    }
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

/** A claim as a list of strings: a JSON array, or one string separated by spaces or commas. */
function stringList(value: unknown): string[] {
  const items = Array.isArray(value) ? value : typeof value === 'string' ? value.split(/[\s,]+/) : [];
  const strings = items.filter((v): v is string => typeof v === 'string').map((v) => v.trim());
  return [...new Set(strings.filter(Boolean))];
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
}

/**
 * The caller from verified token claims (ID token for a login, JWT access token for a bearer).
 * Unknown roles are dropped, not refused: an SSO carries roles of other applications too.
 */
export function userFromClaims(
  claims: Record<string, unknown>,
  names: ClaimNames,
  via: AuthUser['via'],
): AuthUser {
  // Client-credentials tokens name the client; some providers put it only in client_id.
  const sub = text(claims['sub']) ?? text(claims['client_id']);
  if (sub === null) {
    throw new AuthError('INVALID_TOKEN', 'token has no subject');
  }
  const held = new Set(stringList(claimAt(claims, names.rolesClaim)).map((r) => r.toLowerCase()));
  const roles: Role[] = ROLES.filter((role) => held.has(role));
  return {
    sub,
    name: text(claims['name']) ?? text(claims['preferred_username']) ?? text(claims['client_id']),
    roles,
    agencies: stringList(claimAt(claims, names.agenciesClaim)),
    via,
  };
}
