import { describe, expect, it } from 'vitest';
import { LoginThrottle, SourceLimiter } from './source-limiter';

describe('SourceLimiter', () => {
  it('lets a burst through, then refuses with a wait, and refills at the rate', () => {
    let now = 0;
    const limiter = new SourceLimiter(2, 3, 100, () => now);
    const slots = [1, 2, 3].map(() => limiter.acquire('ip:1'));
    expect(slots.every((s) => s.ok)).toBe(true);
    const refused = limiter.acquire('ip:1');
    expect(refused).toEqual({ ok: false, retryAfterSeconds: 1 });
    // Another source has its own bucket.
    expect(limiter.acquire('sender:x').ok).toBe(true);
    now = 500; // half a second at 2/s: one more call
    expect(limiter.acquire('ip:1').ok).toBe(true);
    expect(limiter.acquire('ip:1').ok).toBe(false);
  });

  it('bounds the calls in flight per source until they are released', () => {
    const limiter = new SourceLimiter(1000, 1000, 2, () => 0);
    const a = limiter.acquire('s');
    const b = limiter.acquire('s');
    expect(limiter.acquire('s').ok).toBe(false);
    if (a.ok) {
      a.release();
      a.release(); // twice is once
    }
    expect(limiter.acquire('s').ok).toBe(true);
    expect(limiter.acquire('s').ok).toBe(false);
    expect(b.ok).toBe(true);
  });
});

describe('LoginThrottle', () => {
  it('blocks after max failures within the window, forgets them after it or on success', () => {
    let now = 0;
    const throttle = new LoginThrottle(3, 60_000, () => now);
    for (let i = 0; i < 3; i += 1) {
      expect(throttle.blocked('a|ip')).toBe(false);
      throttle.fail('a|ip');
    }
    expect(throttle.blocked('a|ip')).toBe(true);
    expect(throttle.blocked('b|ip')).toBe(false);
    now = 60_001;
    expect(throttle.blocked('a|ip')).toBe(false);
    throttle.fail('a|ip');
    throttle.succeed('a|ip');
    expect(throttle.blocked('a|ip')).toBe(false);
  });
});
