import { describe, expect, it } from 'vitest';
import { DOSSIER_STATE_SCHEMA_ID } from './schema-ids';
import { parseStateRecord, stateRecord, stateTombstone } from './state-record';
import { exampleDossierState } from './testing/example-event';

describe('stateRecord', () => {
  it('keys the snapshot by dossier code for the compacted topic', () => {
    const state = exampleDossierState({ lastSequence: 12 });
    const record = stateRecord(state);

    expect(record.key).toBe(state.dossierCode);
    expect(record.headers).toEqual({
      'content-type': 'application/json; charset=utf-8',
      dataschema: DOSSIER_STATE_SCHEMA_ID,
      state_sequence: '000000000012',
    });
    expect(parseStateRecord(record.value)).toEqual(state);
  });

  it('deletes a snapshot with a null value', () => {
    const tombstone = stateTombstone('000.00.01.H56-250701-0001');
    expect(tombstone).toEqual({ key: '000.00.01.H56-250701-0001', value: null, headers: {} });
    expect(parseStateRecord(tombstone.value)).toBeNull();
  });

  it('refuses a snapshot without a key', () => {
    expect(() => stateRecord(exampleDossierState({ dossierCode: '' }))).toThrow(/dossierCode/);
    expect(() => stateTombstone('')).toThrow();
  });
});
