import type { SessionData } from 'express-session';
import { afterEach, describe, expect, it } from 'vitest';
import { MemorySessionStore } from './memory-session.store';

let clock = 1_000_000;
const stores: MemorySessionStore[] = [];
const storeWith = (maxSessions?: number) => {
  const store = new MemorySessionStore({ ttlMs: 60_000, maxSessions, now: () => clock });
  stores.push(store);
  return store;
};
const session = (expires: number, extra: Record<string, unknown> = {}) =>
  ({ cookie: { expires: new Date(expires), originalMaxAge: 60_000 }, ...extra }) as unknown as SessionData;
const read = (store: MemorySessionStore, sid: string) =>
  new Promise<SessionData | null | undefined>((resolve, reject) =>
    store.get(sid, (err, s) => (err ? reject(new Error('store failed')) : resolve(s))),
  );

afterEach(() => {
  stores.splice(0).forEach((s) => s.close());
});

describe('MemorySessionStore', () => {
  it('returns a copy of what was stored until the cookie expires, then forgets it', async () => {
    const store = storeWith();
    store.set('a', session(clock + 1_000, { user: 'x' }));

    const copy = await read(store, 'a');
    clock += 1_000;

    expect(copy).toMatchObject({ user: 'x' });
    expect(await read(store, 'a')).toBeNull();
    expect(store.size).toBe(0);
  });

  it('extends a session on touch and drops it on destroy', async () => {
    const store = storeWith();
    store.set('a', session(clock + 1_000));

    store.touch('a', session(clock + 5_000));
    clock += 2_000;
    const touched = await read(store, 'a');
    store.destroy('a');

    expect(touched).not.toBeNull();
    expect(await read(store, 'a')).toBeNull();
  });

  it('drops the least recently written signed-in sessions past its capacity', async () => {
    const store = storeWith(2);
    const signedIn = { auth: { user: 'x' } };
    store.set('a', session(clock + 10_000, signedIn));
    store.set('b', session(clock + 10_000, signedIn));
    store.set('a', session(clock + 10_000, signedIn));
    store.set('c', session(clock + 10_000, signedIn));

    expect(await read(store, 'b')).toBeNull();
    expect(await read(store, 'a')).not.toBeNull();
    expect(store.size).toBe(2);
  });

  it('never evicts a signed-in session for a flood of pre-login sessions', async () => {
    const store = new MemorySessionStore({ ttlMs: 60_000, maxSessions: 5, preLoginMax: 3, now: () => clock });
    stores.push(store);
    store.set('admin', session(clock + 10_000, { auth: { user: 'admin' } }));
    for (let i = 0; i < 50; i += 1) {
      store.set(`anon-${i}`, session(clock + 10_000, { returnTo: '/' }));
    }

    expect(await read(store, 'admin')).toMatchObject({ auth: { user: 'admin' } });
    expect(await read(store, 'anon-49')).not.toBeNull();
    expect(await read(store, 'anon-0')).toBeNull();
    expect(store.size).toBe(4);
  });
});
