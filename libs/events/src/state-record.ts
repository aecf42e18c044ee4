import { padSequence } from './cloudevents';
import type { DossierState } from './dossier-event';
import { EventCodecError } from './event-codec.errors';
import { JSON_CONTENT_TYPE, type KafkaRecord, type KafkaTombstone } from './kafka-record';
import { DOSSIER_STATE_SCHEMA_ID } from './schema-ids';

/**
 * The state topic is compacted and keyed by dossier code, so Kafka keeps the latest snapshot per
 * dossier. Its records are plain JSON, not CloudEvents, hence no `ce_` headers.
 */
export const STATE_HEADERS = {
  contentType: 'content-type',
  /** `$id` of the JSON Schema the value conforms to. */
  dataschema: 'dataschema',
  /** `lastSequence` zero-padded like `ce_sequence`, to skip stale snapshots without parsing. */
  sequence: 'state_sequence',
} as const;

export function stateRecord(state: DossierState): KafkaRecord {
  if (!state.dossierCode) {
    throw new EventCodecError('INVALID_EVENT', 'State snapshot has no dossierCode');
  }
  return {
    key: state.dossierCode,
    value: Buffer.from(JSON.stringify(state), 'utf8'),
    headers: {
      [STATE_HEADERS.contentType]: JSON_CONTENT_TYPE,
      [STATE_HEADERS.dataschema]: DOSSIER_STATE_SCHEMA_ID,
      [STATE_HEADERS.sequence]: padSequence(state.lastSequence),
    },
  };
}

/** Deletes a dossier's snapshot from the compacted state topic (e.g. after erasure or a purge). */
export function stateTombstone(dossierCode: string): KafkaTombstone {
  if (!dossierCode) {
    throw new EventCodecError('INVALID_EVENT', 'Tombstone needs a dossier code');
  }
  return { key: dossierCode, value: null, headers: {} };
}

/** Reads a state record's value; null for a tombstone. */
export function parseStateRecord(value: Buffer | string | null | undefined): DossierState | null {
  if (value === null || value === undefined) {
    return null;
  }
  try {
    return JSON.parse(typeof value === 'string' ? value : value.toString('utf8')) as DossierState;
  } catch (cause) {
    throw new EventCodecError('INVALID_DATA', 'State record value is not JSON', { cause });
  }
}
