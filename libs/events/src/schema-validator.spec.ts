import { describe, expect, it } from 'vitest';
import deadLetterSchema from '../schemas/dead-letter.v1.json';
import dossierEventSchema from '../schemas/dossier-event.v1.json';
import dossierStateSchema from '../schemas/dossier-state.v1.json';
import type { DossierEventData } from './dossier-event';
import { ALL_MILESTONES } from './event-types';
import { DEAD_LETTER_SCHEMA_ID, DOSSIER_EVENT_SCHEMA_ID, DOSSIER_STATE_SCHEMA_ID } from './schema-ids';
import { validateEventData, validateState } from './schema-validator';
import { exampleDossierState, exampleEventData } from './testing/example-event';

const pathsOf = (data: unknown): string[] => validateEventData(data).errors.map((e) => e.instancePath);

describe('validateEventData', () => {
  it('accepts the full example, for every milestone', () => {
    for (const milestone of ALL_MILESTONES) {
      expect(validateEventData(exampleEventData({ milestone }))).toEqual({ valid: true, errors: [] });
    }
  });

  it('accepts configured applicant fields and an all-null optional picture', () => {
    const sparse = exampleEventData({
      milestone: 'STATUS_CHANGED',
      applicant: { ChuHoSo: 'Lê Thị Cúc' },
      sector: null,
      receivingUnit: null,
      processingUnit: null,
      channel: null,
      handover: null,
      previousStatus: null,
      status: { national: null, label: null, source: null },
      procedure: { nationalCode: null, localCode: null, name: null, mappingStatus: 'unmapped' },
    });
    expect(validateEventData(sparse).errors).toEqual([]);
  });

  it('names the missing dossierCode', () => {
    const { dossierCode: _omitted, ...data } = exampleEventData();
    const result = validateEventData(data);
    expect(result.valid).toBe(false);
    expect(result.errors).toEqual([
      expect.objectContaining({ instancePath: '/dossierCode', keyword: 'required' }),
    ]);
  });

  it('rejects an instant without an offset, where the source format had none', () => {
    expect(pathsOf(exampleEventData({ occurredAt: '2025-07-01T14:30:00' }))).toContain('/occurredAt');
    expect(pathsOf(exampleEventData({ dates: { dueAt: '20250704170000' } }))).toContain('/dates/dueAt');
    expect(pathsOf(exampleEventData({ handover: { handedOverAt: '2025-07-01 14:30:00+07:00' } }))).toContain(
      '/handover/handedOverAt',
    );
  });

  it('rejects a calendar-impossible instant even with an offset', () => {
    expect(pathsOf(exampleEventData({ occurredAt: '2025-02-30T10:00:00+07:00' }))).toContain('/occurredAt');
  });

  it('rejects national status 11 and 0', () => {
    expect(pathsOf(exampleEventData({ status: { national: 11 } }))).toEqual(['/status/national']);
    expect(pathsOf(exampleEventData({ previousStatus: 0 }))).toEqual(['/previousStatus']);
  });

  it('rejects an unknown milestone', () => {
    const data = { ...exampleEventData(), milestone: 'DOSSIER_ARCHIVED' };
    expect(pathsOf(data)).toEqual(['/milestone']);
  });

  it('rejects an unknown channel and unknown properties', () => {
    expect(pathsOf({ ...exampleEventData(), channel: 'fax' })).toEqual(['/channel']);
    const extra = exampleEventData() as DossierEventData & { citizenPhone?: string };
    extra.citizenPhone = '0912345678';
    expect(validateEventData(extra).errors).toEqual([
      expect.objectContaining({ instancePath: '', keyword: 'additionalProperties' }),
    ]);
  });

  it('accepts a handover whose actor is the applicant, unnamed, and events without any role (v1 before it)', () => {
    const applicant = { id: null, name: null, title: null, role: 'applicant' as const };
    expect(validateEventData(exampleEventData({ handover: { userTo: applicant } })).errors).toEqual([]);
    expect(
      validateEventData(exampleEventData({ handover: { userFrom: { ...applicant, role: 'officer' } } }))
        .errors,
    ).toEqual([]);
    expect(exampleEventData().handover?.userTo).not.toHaveProperty('role');
    expect(validateEventData(exampleEventData()).errors).toEqual([]);
  });

  it('rejects a role other than officer or applicant', () => {
    const data = exampleEventData({ handover: { userTo: { role: 'citizen' as never } } });
    expect(pathsOf(data)).toEqual(['/handover/userTo/role']);
  });

  it('requires the control-sheet row on a STEP_HANDOVER', () => {
    expect(pathsOf(exampleEventData({ milestone: 'STEP_HANDOVER', handover: null }))).toEqual(['/handover']);
  });
});

describe('validateState', () => {
  it('accepts the example snapshot', () => {
    expect(validateState(exampleDossierState()).errors).toEqual([]);
  });

  it('checks shared definitions taken from the event schema', () => {
    const result = validateState(exampleDossierState({ channel: 'fax' as never, updatedAt: '2025-07-01' }));
    expect(new Set(result.errors.map((e) => e.instancePath))).toEqual(new Set(['/channel', '/updatedAt']));
  });
});

describe('the JSON Schema files', () => {
  it('carry the published $ids', () => {
    expect(dossierEventSchema.$id).toBe(DOSSIER_EVENT_SCHEMA_ID);
    expect(dossierStateSchema.$id).toBe(DOSSIER_STATE_SCHEMA_ID);
    expect(deadLetterSchema.$id).toBe(DEAD_LETTER_SCHEMA_ID);
  });

  it('list exactly the milestones of the type model', () => {
    expect(dossierEventSchema.$defs.milestone.enum).toEqual([...ALL_MILESTONES]);
  });
});
