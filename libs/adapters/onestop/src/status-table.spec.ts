import { describe, expect, it, vi } from 'vitest';
import { resolveStatus, type StatusLookup, type StatusTable } from './status-table';

const FILE: StatusTable = [
  { status: 'processing', subStatus: 'cho_thanh_toan', national: 6 },
  { status: 'processing', national: 4 },
  { status: 'done', national: 10 },
];

/** A published version with `processing/*` -> 4 (wildcard) and `waiting/cho_bo_sung` -> 5 only. */
const published: StatusLookup = ({ status, subStatus }) =>
  status === 'waiting' && subStatus === 'cho_bo_sung' ? 5 : status === 'processing' ? 2 : null;

describe('resolveStatus: published mappings first, then the source file, else nothing', () => {
  it('takes the published row when there is one, even a wildcard over a file row for the exact sub-status', () => {
    expect(resolveStatus(published, FILE, 'waiting', 'cho_bo_sung', null)).toBe(5);
    expect(resolveStatus(published, FILE, 'processing', 'cho_thanh_toan', null)).toBe(2);
  });

  it("falls back to the file's table when the published version has no row", () => {
    expect(resolveStatus(published, FILE, 'done', null, null)).toBe(10);
    expect(resolveStatus(undefined, FILE, 'processing', 'cho_thanh_toan', null)).toBe(6);
  });

  it('gives null (sent on without a national status, flagged) when neither has a row', () => {
    expect(resolveStatus(published, FILE, 'waiting', 'khac', null)).toBeNull();
    expect(resolveStatus(published, FILE, 'pausing', null, null)).toBeNull();
  });

  it('asks the published mappings with NFC-trimmed values and the time of the change; no status, no lookup', () => {
    const lookup = vi.fn<StatusLookup>().mockReturnValue(null);
    resolveStatus(lookup, FILE, ' cho\u0301 ', '', '2025-07-01T02:00:00.000Z');
    expect(lookup).toHaveBeenCalledWith({ status: 'chó', subStatus: null, at: '2025-07-01T02:00:00.000Z' });
    lookup.mockClear();
    expect(resolveStatus(lookup, FILE, '  ', 'x', null)).toBeNull();
    expect(lookup).not.toHaveBeenCalled();
  });
});
