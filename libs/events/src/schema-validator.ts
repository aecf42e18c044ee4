import Ajv2020, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
// Loaded through the module system (resolveJsonModule), so compiled output finds them too.
import deadLetterSchema from '../schemas/dead-letter.v1.json';
import dossierEventSchema from '../schemas/dossier-event.v1.json';
import dossierStateSchema from '../schemas/dossier-state.v1.json';
import stepTimingSchema from '../schemas/step-timing.v1.json';
import {
  DEAD_LETTER_SCHEMA_ID,
  DOSSIER_EVENT_SCHEMA_ID,
  DOSSIER_STATE_SCHEMA_ID,
  STEP_TIMING_SCHEMA_ID,
} from './schema-ids';

export interface SchemaError {
  /**
   * JSON pointer to the offending value. For a missing property it names the property itself
   * (`/dossierCode`), not its parent as ajv does, so callers can report one field.
   */
  instancePath: string;
  keyword: string;
  message: string;
  params: Record<string, unknown>;
}

export interface SchemaValidation {
  valid: boolean;
  errors: SchemaError[];
}

/** The published JSON Schemas, keyed by `$id` (for serving them or handing them to vendors). */
export const JSON_SCHEMAS: Readonly<Record<string, object>> = {
  [DOSSIER_EVENT_SCHEMA_ID]: dossierEventSchema,
  [DOSSIER_STATE_SCHEMA_ID]: dossierStateSchema,
  [DEAD_LETTER_SCHEMA_ID]: deadLetterSchema,
  [STEP_TIMING_SCHEMA_ID]: stepTimingSchema,
};

interface Validators {
  event: ValidateFunction;
  state: ValidateFunction;
  deadLetter: ValidateFunction;
  stepTiming: ValidateFunction;
}

let compiled: Validators | undefined;

function validators(): Validators {
  if (!compiled) {
    const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true });
    addFormats(ajv);
    for (const schema of Object.values(JSON_SCHEMAS)) {
      ajv.addSchema(schema);
    }
    compiled = {
      event: mustGet(ajv, DOSSIER_EVENT_SCHEMA_ID),
      state: mustGet(ajv, DOSSIER_STATE_SCHEMA_ID),
      deadLetter: mustGet(ajv, DEAD_LETTER_SCHEMA_ID),
      stepTiming: mustGet(ajv, STEP_TIMING_SCHEMA_ID),
    };
  }
  return compiled;
}

function mustGet(ajv: Ajv2020, id: string): ValidateFunction {
  const validate = ajv.getSchema(id);
  if (!validate) {
    throw new Error(`JSON Schema ${id} did not compile`);
  }
  return validate;
}

const escapePointer = (segment: string): string => segment.replace(/~/g, '~0').replace(/\//g, '~1');

function toSchemaError(error: ErrorObject): SchemaError {
  const missing =
    error.keyword === 'required'
      ? (error.params as { missingProperty?: unknown }).missingProperty
      : undefined;
  return {
    instancePath:
      typeof missing === 'string' ? `${error.instancePath}/${escapePointer(missing)}` : error.instancePath,
    keyword: error.keyword,
    message: error.message ?? error.keyword,
    params: error.params as Record<string, unknown>,
  };
}

function run(validate: ValidateFunction, value: unknown): SchemaValidation {
  if (validate(value)) {
    return { valid: true, errors: [] };
  }
  // An `if`/`then` failure is reported twice: once for the field and once for the `if` wrapper.
  const errors = (validate.errors ?? []).filter((e) => e.keyword !== 'if').map(toSchemaError);
  return { valid: false, errors };
}

/** Checks the `data` of a dossier event against `dossier-event.v1.json`. NFC is not checked. */
export function validateEventData(data: unknown): SchemaValidation {
  return run(validators().event, data);
}

/** Checks a state snapshot against `dossier-state.v1.json`. */
export function validateState(state: unknown): SchemaValidation {
  return run(validators().state, state);
}

/** Checks dead-letter headers against `dead-letter.v1.json`. */
export function validateDeadLetterHeaders(headers: unknown): SchemaValidation {
  return run(validators().deadLetter, headers);
}

/** Checks a step-timing record against `step-timing.v1.json`. */
export function validateStepTiming(timing: unknown): SchemaValidation {
  return run(validators().stepTiming, timing);
}
