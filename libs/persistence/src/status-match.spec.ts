import { describe, expect, it } from 'vitest';
import type { StatusMapping } from './mapping-model';
import { matchStatusMapping } from './status-match';

const row = (
  status: string,
  subStatus: string,
  nationalStatus: number,
  milestone: string,
  validFrom = '2025-07-01',
) =>
  ({
    sourceSystem: 'opencps-tinh-x',
    status,
    subStatus,
    validFrom,
    nationalStatus,
    milestone,
    agencyCode: null,
    note: null,
  }) satisfies StatusMapping;

/** The illustrative rows of DOMAIN.md §3.4. */
const ROWS = [
  row('processing', '*', 4, 'STEP_HANDOVER'),
  row('processing', 'cho_bo_sung', 5, 'SUPPLEMENT_REQUESTED'),
  row('done', '*', 10, 'RESULT_RETURNED'),
  row('done', '*', 9, 'RESULT_READY', '2026-01-01'),
];

describe('matchStatusMapping', () => {
  it('prefers the exact sub-status row', () => {
    expect(
      matchStatusMapping(ROWS, {
        sourceSystem: 'opencps-tinh-x',
        status: 'processing',
        subStatus: 'cho_bo_sung',
      }),
    ).toMatchObject({ nationalStatus: 5, milestone: 'SUPPLEMENT_REQUESTED' });
  });

  it('falls back to the wildcard row for another or no sub-status', () => {
    for (const subStatus of ['khac', '', null, undefined]) {
      expect(
        matchStatusMapping(ROWS, { sourceSystem: 'opencps-tinh-x', status: 'processing', subStatus }),
      ).toMatchObject({ nationalStatus: 4 });
    }
  });

  it('applies the row valid on the date asked', () => {
    const q = { sourceSystem: 'opencps-tinh-x', status: 'done' };
    expect(matchStatusMapping(ROWS, { ...q, on: '2025-12-31' })).toMatchObject({ nationalStatus: 10 });
    expect(matchStatusMapping(ROWS, { ...q, on: '2026-01-01' })).toMatchObject({ nationalStatus: 9 });
    expect(matchStatusMapping(ROWS, { ...q, on: '2025-06-30' })).toBeNull();
  });

  it('answers null for an unknown status or source', () => {
    expect(matchStatusMapping(ROWS, { sourceSystem: 'opencps-tinh-x', status: 'pausing' })).toBeNull();
    expect(matchStatusMapping(ROWS, { sourceSystem: 'other', status: 'processing' })).toBeNull();
  });
});
