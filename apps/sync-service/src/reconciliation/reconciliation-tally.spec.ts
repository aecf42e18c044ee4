import { describe, expect, it } from 'vitest';
import { ReconciliationTally, STOP_AFTER_CONSECUTIVE_FAILURES } from './reconciliation-tally';

describe('ReconciliationTally', () => {
  it('is done when every picked dossier was settled, skips included', () => {
    const t = new ReconciliationTally();
    t.match();
    t.mismatch();
    t.skip('in-flight');
    t.skip('in-flight');
    t.skip('not-in-hub');
    expect(t.status()).toBe('done');
    expect(t.totals()).toEqual({
      checked: 2,
      matched: 1,
      mismatched: 1,
      skipped: 3,
      skippedByReason: { 'in-flight': 2, 'not-in-hub': 1 },
      errors: 0,
      lastError: null,
    });
  });

  it('is done with nothing to check', () => {
    expect(new ReconciliationTally().status()).toBe('done');
  });

  it('is partial when some lookups failed and others answered', () => {
    const t = new ReconciliationTally();
    t.match();
    t.error('UNAVAILABLE: portal unreachable');
    expect(t.status()).toBe('partial');
    expect(t.totals()).toMatchObject({ checked: 1, errors: 1, lastError: 'UNAVAILABLE: portal unreachable' });
  });

  it('is failed when the portal answered none, and stops after failures in a row', () => {
    const t = new ReconciliationTally();
    for (let i = 1; i < STOP_AFTER_CONSECUTIVE_FAILURES; i += 1) {
      t.error('TIMEOUT');
    }
    expect(t.shouldStop).toBe(false);
    t.error('UNAVAILABLE: circuit open');
    expect(t.shouldStop).toBe(true);
    t.skip('not-checked');
    expect(t.status()).toBe('failed');
    expect(t.totals().lastError).toBe(
      `stopped after ${STOP_AFTER_CONSECUTIVE_FAILURES} failed lookups in a row (1 dossiers not checked): UNAVAILABLE: circuit open`,
    );
  });

  it('counts failures in a row only: an answer in between resets them', () => {
    const t = new ReconciliationTally();
    for (let i = 0; i < STOP_AFTER_CONSECUTIVE_FAILURES * 2; i += 1) {
      if (i % 5 === 4) {
        t.match();
      } else {
        t.error('TIMEOUT');
      }
    }
    expect(t.shouldStop).toBe(false);
    expect(t.status()).toBe('partial');
  });

  it('is partial, not done, when the hub stops mid-run', () => {
    const t = new ReconciliationTally();
    t.match();
    t.interrupt('the hub stopped during the run');
    t.skip('not-checked');
    expect(t.status()).toBe('partial');
    expect(t.totals().lastError).toBe('the hub stopped during the run (1 dossiers not checked)');
  });
});
