import type { ReconciliationStatus, ReconciliationTotals } from '@isohub/persistence';

export type SkipReason = 'in-flight' | 'not-in-hub' | 'no-agency' | 'not-checked';

/**
 * Lookups that fail in a row before a run gives up: the portal is then down (or its circuit open),
 * and asking it about the rest of the dossiers would only add errors.
 */
export const STOP_AFTER_CONSECUTIVE_FAILURES = 10;

/**
 * The counts of one run. A failed lookup is an error for that dossier, never a "missing" mismatch; the
 * run is `done` when every picked dossier was settled, `partial` when some lookups failed but others
 * answered, `failed` when the portal answered none of them.
 */
export class ReconciliationTally {
  private checked = 0;
  private matched = 0;
  private mismatched = 0;
  private readonly skips = new Map<SkipReason, number>();
  private errors = 0;
  private lastError: string | null = null;
  private failuresInARow = 0;
  private stopReason: string | null = null;

  match(): void {
    this.answered();
    this.matched += 1;
  }

  mismatch(): void {
    this.answered();
    this.mismatched += 1;
  }

  skip(reason: SkipReason): void {
    this.skips.set(reason, (this.skips.get(reason) ?? 0) + 1);
  }

  error(message: string): void {
    this.errors += 1;
    this.lastError = message;
    this.failuresInARow += 1;
    if (this.failuresInARow >= STOP_AFTER_CONSECUTIVE_FAILURES) {
      this.stopReason ??= `stopped after ${STOP_AFTER_CONSECUTIVE_FAILURES} failed lookups in a row`;
    }
  }

  /** Ends the run early (the hub is stopping); the remaining dossiers are skipped as `not-checked`. */
  interrupt(reason: string): void {
    this.stopReason ??= reason;
  }

  /** True once the portal looks unreachable: the remaining dossiers are skipped as `not-checked`. */
  get shouldStop(): boolean {
    return this.stopReason !== null;
  }

  status(): Exclude<ReconciliationStatus, 'running'> {
    if (this.errors === 0 && this.stopReason === null) {
      return 'done';
    }
    return this.checked > 0 ? 'partial' : 'failed';
  }

  totals(): ReconciliationTotals {
    const skippedByReason = Object.fromEntries([...this.skips].sort(([a], [b]) => a.localeCompare(b)));
    const notChecked = this.skips.get('not-checked') ?? 0;
    return {
      checked: this.checked,
      matched: this.matched,
      mismatched: this.mismatched,
      skipped: [...this.skips.values()].reduce((a, b) => a + b, 0),
      skippedByReason,
      errors: this.errors,
      lastError:
        this.stopReason === null
          ? this.lastError
          : `${this.stopReason} (${notChecked} dossiers not checked)${this.lastError === null ? '' : `: ${this.lastError}`}`,
    };
  }

  private answered(): void {
    this.checked += 1;
    this.failuresInARow = 0;
  }
}
