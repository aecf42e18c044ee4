/** What an admin store refuses; the admin app's exception filter turns `code` into an HTTP status. */
export type MappingStoreErrorCode = 'NOT_FOUND' | 'CONFLICT' | 'INVALID';

export interface MappingFieldError {
  /** JSON pointer into the request (`/nationalCode`, `/steps/2/allowanceHours`). */
  field: string;
  code: string;
  message: string;
}

export class MappingStoreError extends Error {
  constructor(
    readonly code: MappingStoreErrorCode,
    message: string,
    readonly errors: MappingFieldError[] = [],
  ) {
    super(message);
    this.name = 'MappingStoreError';
  }
}
