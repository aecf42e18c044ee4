import type { SchemaError } from './schema-validator';

export type EventCodecErrorCode =
  /** The event to encode breaks an invariant of the contract (a producer bug). */
  | 'INVALID_EVENT'
  | 'INVALID_SEQUENCE'
  | 'MISSING_HEADER'
  | 'UNSUPPORTED_SPECVERSION'
  | 'UNSUPPORTED_CONTENT_TYPE'
  /** The record value is absent, not JSON, or not valid against the schema. */
  | 'INVALID_DATA';

/** Raised when mapping between events and Kafka records. Never retryable: the input is wrong. */
export class EventCodecError extends Error {
  override readonly name = 'EventCodecError';
  readonly retryable = false;
  readonly schemaErrors: SchemaError[];

  constructor(
    readonly code: EventCodecErrorCode,
    message: string,
    options: { cause?: unknown; schemaErrors?: SchemaError[] } = {},
  ) {
    super(message, { cause: options.cause });
    this.schemaErrors = options.schemaErrors ?? [];
  }
}
