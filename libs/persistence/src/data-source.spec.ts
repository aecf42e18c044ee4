import { Client } from 'pg';
import { describe, expect, it } from 'vitest';
import { createDataSource, GuardedClient } from './data-source';

const FATAL = Object.assign(new Error('terminating connection due to administrator command'), {
  code: '57P01',
});

describe('the pool connection class', () => {
  it('is what the data source gives the pool', () => {
    const ds = createDataSource({ url: 'postgres://u@127.0.0.1:1/db', poolMax: 2 });
    expect((ds.options as { extra?: { Client?: unknown } }).extra?.Client).toBe(GuardedClient);
  });

  it('absorbs an error the server sends while nobody else listens, where a plain client would throw', () => {
    expect(() => new Client().emit('error', FATAL)).toThrow(FATAL);
    expect(() => new GuardedClient().emit('error', FATAL)).not.toThrow();
  });

  it('still passes the error to the pool or query runner listening at the time', () => {
    const client = new GuardedClient();
    const seen: unknown[] = [];
    client.on('error', (e) => seen.push(e));
    client.emit('error', FATAL);
    expect(seen).toEqual([FATAL]);
  });
});
