import { describe, expect, it } from 'vitest';
import { REPLACEMENT_CHARACTER, storableItems } from './storable-text';

describe('storableItems', () => {
  it('replaces NUL and lone surrogates in values and keys, keeps pairs and ordinary text', () => {
    const { items, replaced } = storableItems([
      { MaHoSo: 'A\u0000B', ['k\ud800']: ['x\udc00y', 'ok 😀', 1, null, true], TenHoSo: 'Nguyễn' },
    ]);
    expect(replaced).toBe(3);
    expect(items).toEqual([
      {
        MaHoSo: `A${REPLACEMENT_CHARACTER}B`,
        [`k${REPLACEMENT_CHARACTER}`]: [`x${REPLACEMENT_CHARACTER}y`, 'ok 😀', 1, null, true],
        TenHoSo: 'Nguyễn',
      },
    ]);
    expect(JSON.stringify(items)).not.toMatch(/\\u0000|\\ud8|\\udc/);
  });

  it('leaves clean items as they are', () => {
    const item = { MaHoSo: '000.00.01.H56-250101-0001', n: [1, { a: 'b' }] };
    const { items, replaced } = storableItems([item]);
    expect(replaced).toBe(0);
    expect(items[0]).toBe(item);
  });
});
