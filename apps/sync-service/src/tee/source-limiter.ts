/**
 * Per-source rate (token bucket) and concurrency limits, checked before a body is read (issue 10). A source
 * is a configured sender when the request names one before its body (Thanh Hóa path key, LGSP token),
 * otherwise the caller's address. In memory, per process.
 */
export class SourceLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number; inFlight: number }>();

  constructor(
    private readonly ratePerSecond: number,
    private readonly burst: number,
    private readonly concurrency: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** A release function when the call may go on; otherwise the seconds to wait before trying again. */
  acquire(source: string): { ok: true; release: () => void } | { ok: false; retryAfterSeconds: number } {
    const now = this.now();
    let b = this.buckets.get(source);
    if (!b) {
      if (this.buckets.size > 50_000) {
        this.sweep(now);
      }
      b = { tokens: this.burst, at: now, inFlight: 0 };
      this.buckets.set(source, b);
    }
    b.tokens = Math.min(this.burst, b.tokens + ((now - b.at) / 1000) * this.ratePerSecond);
    b.at = now;
    if (b.inFlight >= this.concurrency) {
      return { ok: false, retryAfterSeconds: 1 };
    }
    if (b.tokens < 1) {
      return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - b.tokens) / this.ratePerSecond)) };
    }
    b.tokens -= 1;
    b.inFlight += 1;
    const bucket = b;
    let released = false;
    return {
      ok: true,
      release: () => {
        if (!released) {
          released = true;
          bucket.inFlight -= 1;
        }
      },
    };
  }

  private sweep(now: number): void {
    for (const [key, b] of this.buckets) {
      if (b.inFlight === 0 && now - b.at > 60_000) {
        this.buckets.delete(key);
      }
    }
  }
}

/** Failed takeover logins per account and address: after `max` within `windowMs`, refused until the window passes. */
export class LoginThrottle {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly max: number,
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  blocked(key: string): boolean {
    return this.recent(key).length >= this.max;
  }

  fail(key: string): void {
    const list = this.recent(key);
    list.push(this.now());
    if (this.failures.size > 50_000) {
      this.failures.clear();
    }
    this.failures.set(key, list);
  }

  succeed(key: string): void {
    this.failures.delete(key);
  }

  private recent(key: string): number[] {
    const since = this.now() - this.windowMs;
    return (this.failures.get(key) ?? []).filter((t) => t > since);
  }
}
