/** A configuration key that is missing or malformed; the app refuses to start and names the key. */
export class ConfigError extends Error {
  constructor(
    readonly key: string,
    problem: string,
  ) {
    super(`configuration ${key}: ${problem}`);
    this.name = 'ConfigError';
  }
}

type Env = Readonly<Record<string, string | undefined>>;

/** Typed readers over one environment snapshot; every app reads process.env in one file only. */
export class EnvReader {
  constructor(private readonly env: Env) {}

  string(key: string, fallback?: string): string {
    const v = this.env[key]?.trim();
    if (v === undefined || v === '') {
      if (fallback === undefined) {
        throw new ConfigError(key, 'is required');
      }
      return fallback;
    }
    return v;
  }

  optional(key: string): string | undefined {
    const v = this.env[key]?.trim();
    return v === undefined || v === '' ? undefined : v;
  }

  int(key: string, fallback: number, { min = 0, max = Number.MAX_SAFE_INTEGER } = {}): number {
    const raw = this.optional(key);
    if (raw === undefined) {
      return fallback;
    }
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) {
      throw new ConfigError(key, `must be an integer in [${min}, ${max}], got "${raw}"`);
    }
    return n;
  }

  bool(key: string, fallback: boolean): boolean {
    const raw = this.optional(key)?.toLowerCase();
    if (raw === undefined) {
      return fallback;
    }
    if (['1', 'true', 'yes', 'on'].includes(raw)) {
      return true;
    }
    if (['0', 'false', 'no', 'off'].includes(raw)) {
      return false;
    }
    throw new ConfigError(key, `must be true or false, got "${raw}"`);
  }

  list(key: string, fallback: string[]): string[] {
    const raw = this.optional(key);
    return raw === undefined
      ? fallback
      : raw
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean);
  }

  oneOf<T extends string>(key: string, allowed: readonly T[], fallback: T): T {
    const raw = this.optional(key);
    if (raw === undefined) {
      return fallback;
    }
    if (!(allowed as readonly string[]).includes(raw)) {
      throw new ConfigError(key, `must be one of ${allowed.join(', ')}, got "${raw}"`);
    }
    return raw as T;
  }

  url(key: string, fallback?: string): string {
    const v = this.string(key, fallback);
    try {
      new URL(v);
    } catch {
      throw new ConfigError(key, `must be a URL, got "${v}"`);
    }
    return v;
  }
}

/** Mask secrets for logs and the admin UI (twenty's isSensitive idea, as a helper). */
export function maskSecret(value: string | undefined | null): string {
  if (!value) {
    return '';
  }
  return value.length <= 4 ? '****' : `${value.slice(0, 2)}****`;
}
