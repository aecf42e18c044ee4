import { describe, expect, it } from 'vitest';
import { isNationalStatus, milestoneForTransition, nationalLabel, receptionSeen } from './status-transition';

describe('milestoneForTransition', () => {
  it.each([
    [null, 1, 'DOSSIER_SUBMITTED'],
    [2, 1, 'STATUS_CHANGED'],
    [null, 2, 'DOSSIER_RECEIVED'],
    [1, 2, 'DOSSIER_RECEIVED'],
    [1, 3, 'DOSSIER_REJECTED_AT_INTAKE'],
    [5, 4, 'SUPPLEMENT_RECEIVED'],
    [6, 4, 'PAYMENT_COMPLETED'],
    [2, 4, 'STATUS_CHANGED'],
    [8, 4, 'STATUS_CHANGED'],
    [9, 4, 'STATUS_CHANGED'],
    [4, 5, 'SUPPLEMENT_REQUESTED'],
    [6, 5, 'SUPPLEMENT_REQUESTED'],
    [4, 6, 'PAYMENT_REQUESTED'],
    [1, 7, 'WITHDRAWAL_REQUESTED'],
    [5, 8, 'PROCESSING_STOPPED'],
    [4, 9, 'RESULT_READY'],
    [9, 10, 'RESULT_RETURNED'],
    [4, 10, 'RESULT_RETURNED'],
  ])('%s -> %i = %s', (from, to, milestone) => {
    expect(milestoneForTransition(from, to)).toBe(milestone);
  });

  it('is null when the status did not change', () => {
    expect(milestoneForTransition(4, 4)).toBeNull();
  });
});

describe('status helpers', () => {
  it('knows the ten national codes and their labels', () => {
    expect([0, 1, 10, 11].map(isNationalStatus)).toEqual([false, true, true, false]);
    expect(nationalLabel(9)).toBe('Đã xử lý xong');
    expect(nationalLabel(null)).toBeNull();
  });

  it('treats every status after 2 except 3 as "reception seen"', () => {
    expect([null, 1, 2, 3, 4, 10].map(receptionSeen)).toEqual([false, false, true, false, true, true]);
  });
});
