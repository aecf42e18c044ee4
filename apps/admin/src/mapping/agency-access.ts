import { type AuthUser, canEditAgency } from '@isohub/auth';
import { ProblemException } from '../http/problem';

/** Agency-scoped mappers edit only their agencies' rows; rows without an agency need an unscoped user. */
export function assertAgency(user: AuthUser, agency: string | null, field: string): void {
  if (!canEditAgency(user, agency)) {
    throw ProblemException.forbidden(
      field,
      agency === null
        ? 'rows without an agency are edited by unscoped mappers and admins; give one of your agencies'
        : `you may not edit mappings of agency ${agency}`,
    );
  }
}
