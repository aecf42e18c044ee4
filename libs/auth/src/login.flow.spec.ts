import { describe, expect, it } from 'vitest';
import { safeReturnTo } from './login.flow';

describe('safeReturnTo', () => {
  it('keeps same-origin paths and refuses anything that leaves the app', () => {
    expect(safeReturnTo('/api/me?x=1')).toBe('/api/me?x=1');
    expect(safeReturnTo('//evil.example/x')).toBe('/');
    expect(safeReturnTo('/\\evil.example')).toBe('/');
    expect(safeReturnTo('https://evil.example/')).toBe('/');
    expect(safeReturnTo(undefined)).toBe('/');
  });
});
