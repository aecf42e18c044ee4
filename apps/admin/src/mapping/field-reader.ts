import type { ProblemFieldError } from '../http/problem';

/** Today's date in Vietnam (UTC+07:00, no DST), `YYYY-MM-DD`. */
export function vietnamToday(now: Date = new Date()): string {
  return new Date(now.getTime() + 7 * 3_600_000).toISOString().slice(0, 10);
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isCalendarDate(s: string): boolean {
  const m = DATE.exec(s);
  if (!m) {
    return false;
  }
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

export const isObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

interface TextRule {
  required?: boolean;
  max?: number;
  /** No whitespace inside (codes). */
  token?: boolean;
}

/**
 * Reads untrusted JSON fields, collecting every error with its JSON pointer instead of stopping at the
 * first, so the UI can mark all wrong fields at once. Text is NFC-normalised and trimmed (DOMAIN.md §9).
 */
export class FieldReader {
  readonly errors: ProblemFieldError[] = [];

  fail(field: string, code: string, message: string): void {
    this.errors.push({ field, code, message });
  }

  get ok(): boolean {
    return this.errors.length === 0;
  }

  text(value: unknown, field: string, rule: TextRule & { required: true }): string;
  text(value: unknown, field: string, rule?: TextRule): string | null;
  text(value: unknown, field: string, rule: TextRule = {}): string | null {
    if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) {
      if (rule.required) {
        this.fail(field, 'required', 'is required');
      }
      return rule.required ? '' : null;
    }
    if (typeof value !== 'string' && typeof value !== 'number') {
      this.fail(field, 'type', 'must be a string');
      return rule.required ? '' : null;
    }
    const t = String(value).normalize('NFC').replace(/\s+/g, ' ').trim();
    if (rule.max !== undefined && t.length > rule.max) {
      this.fail(field, 'max_length', `must be at most ${rule.max} characters`);
    }
    if (rule.token && /\s/.test(t)) {
      this.fail(field, 'format', 'must not contain spaces');
    }
    return t;
  }

  number(
    value: unknown,
    field: string,
    rule: { required?: boolean; min?: number; max?: number; integer?: boolean } = {},
  ): number | null {
    if (value === undefined || value === null || value === '') {
      if (rule.required) {
        this.fail(field, 'required', 'is required');
      }
      return null;
    }
    const n =
      typeof value === 'number'
        ? value
        : typeof value === 'string'
          ? Number(value.trim().replace(',', '.'))
          : NaN;
    if (!Number.isFinite(n)) {
      this.fail(field, 'type', 'must be a number');
      return null;
    }
    if (rule.integer && !Number.isInteger(n)) {
      this.fail(field, 'type', 'must be a whole number');
      return null;
    }
    if ((rule.min !== undefined && n < rule.min) || (rule.max !== undefined && n > rule.max)) {
      this.fail(field, 'range', `must be between ${rule.min ?? '-∞'} and ${rule.max ?? '∞'}`);
      return null;
    }
    return n;
  }

  oneOf<T extends string>(value: unknown, field: string, allowed: readonly T[], required = true): T | null {
    const t = this.text(value, field, { required });
    if (t === null || t === '') {
      return null;
    }
    if (!(allowed as readonly string[]).includes(t)) {
      this.fail(field, 'enum', `must be one of ${allowed.join(', ')}`);
      return null;
    }
    return t as T;
  }

  date(value: unknown, field: string, fallback?: string): string {
    const t = this.text(value, field, { required: fallback === undefined });
    if (t === null || t === '') {
      return fallback ?? '';
    }
    if (!isCalendarDate(t)) {
      this.fail(field, 'format', 'must be a date YYYY-MM-DD');
    }
    return t;
  }
}
