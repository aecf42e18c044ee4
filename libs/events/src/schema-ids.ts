/**
 * Stable `$id`s of the JSON Schemas in `libs/events/schemas/`, used as `ce_dataschema` and in the
 * AsyncAPI contract. A breaking change gets a new file and id (`.v2.json`), never an edit in place.
 */
export const DOSSIER_EVENT_SCHEMA_ID = 'https://isohub.vn/schemas/dossier-event.v1.json';
export const DOSSIER_STATE_SCHEMA_ID = 'https://isohub.vn/schemas/dossier-state.v1.json';
export const DEAD_LETTER_SCHEMA_ID = 'https://isohub.vn/schemas/dead-letter.v1.json';
export const STEP_TIMING_SCHEMA_ID = 'https://isohub.vn/schemas/step-timing.v1.json';
