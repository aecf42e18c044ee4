import { ALL_AGENCIES, type AuthUser } from '@isohub/auth';

/**
 * Which agencies' dossiers a user may read: `null` for all (admins, users granted `*`, and users with
 * no agency limit, who read every agency's mappings too), else the agencies the SSO limits them to.
 */
export function readableAgencies(user: AuthUser): string[] | null {
  if (user.roles.includes('admin') || user.agencies.length === 0 || user.agencies.includes(ALL_AGENCIES)) {
    return null;
  }
  return user.agencies;
}
