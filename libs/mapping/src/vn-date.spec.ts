import { describe, expect, it } from 'vitest';
import { compareInstants, parsePortalDate, toVietnamIso } from './vn-date';

const ok = (value: string | null) => ({ ok: true, value });

describe('parsePortalDate', () => {
  it.each([
    ['20260401100548', '2026-04-01T10:05:48+07:00'],
    ['202604011005', '2026-04-01T10:05:00+07:00'],
    ['20260401', '2026-04-01T00:00:00+07:00'],
    ['  20260401100548 ', '2026-04-01T10:05:48+07:00'],
    ['01/04/2026', '2026-04-01T00:00:00+07:00'],
    ['01/04/2026 10:05:48', '2026-04-01T10:05:48+07:00'],
    ['1/4/2026 9:05', '2026-04-01T09:05:00+07:00'],
    ['2026-04-01T10:05:48+07:00', '2026-04-01T10:05:48+07:00'],
    ['2026-04-01T10:05:48.203+0700', '2026-04-01T10:05:48+07:00'],
    ['2026-04-01T05:05:48+02:00', '2026-04-01T10:05:48+07:00'],
    ['2026-04-01T10:05:48', '2026-04-01T10:05:48+07:00'],
    ['2026-04-01 10:05:48', '2026-04-01T10:05:48+07:00'],
  ])('reads %j as Vietnam time %s', (input, expected) => {
    expect(parsePortalDate(input)).toEqual(ok(expected));
  });

  it('accepts the portal format as a number', () => {
    expect(parsePortalDate(20260401100548)).toEqual(ok('2026-04-01T10:05:48+07:00'));
  });

  it('reads the same action identically from the portal and from the LGSP (literal Z = UTC by default)', () => {
    expect(parsePortalDate('2026-04-01T03:05:48.203Z')).toEqual(ok('2026-04-01T10:05:48+07:00'));
    expect(parsePortalDate('2026-04-01T03:05:48.203Z', { literalZ: 'utc' })).toEqual(
      parsePortalDate('20260401100548'),
    );
  });

  it('reads a literal Z as Vietnam wall time when the source is configured so', () => {
    expect(parsePortalDate('2026-04-01T10:05:48.203Z', { literalZ: 'vietnam' })).toEqual(
      ok('2026-04-01T10:05:48+07:00'),
    );
    expect(parsePortalDate('2026-04-01T03:05:48.203Z', { literalZ: 'vietnam' })).toEqual(
      ok('2026-04-01T03:05:48+07:00'),
    );
  });

  it('truncates fractions of a second instead of rounding them', () => {
    expect(parsePortalDate('2026-04-01T03:05:48.999Z')).toEqual(ok('2026-04-01T10:05:48+07:00'));
  });

  it('crosses midnight when converting from UTC', () => {
    expect(parsePortalDate('2026-03-31T20:30:00Z')).toEqual(ok('2026-04-01T03:30:00+07:00'));
  });

  it.each([
    [null],
    [undefined],
    [''],
    ['   '],
    ['00000000000000'],
    ['00000000'],
    [0],
    ['0000-00-00T00:00:00.000+0700'],
    ['00010101000000'],
    ['0001-01-01T00:00:00'],
    ['01/01/0001'],
    ['19700101000000'],
    ['19700101070000'],
    ['1970-01-01T00:00:00Z'],
    ['1970-01-01T00:00:00.000+0000'],
    ['1900-01-01T00:00:00'],
  ])('treats %j as "no date"', (input) => {
    expect(parsePortalDate(input)).toEqual(ok(null));
  });

  it.each([
    ['20261301100548', 'month 13'],
    ['20260230100000', 'Feb 30'],
    ['20250229000000', 'Feb 29 outside a leap year'],
    ['20260401250000', 'hour 25'],
    ['20260401106000', 'minute 60'],
    ['32/01/2026', 'day 32'],
    ['2026-04-31T10:00:00Z', 'April 31'],
  ])('rejects %j (%s)', (input) => {
    expect(parsePortalDate(input).ok).toBe(false);
  });

  it.each([
    ['hôm nay'],
    ['2026/04/01'],
    ['2026040110'],
    ['20260401T100548'],
    ['12345'],
    [true],
    [{}],
    [2026.5],
    [-1],
  ])('rejects garbage %j', (input) => {
    expect(parsePortalDate(input).ok).toBe(false);
  });

  it('accepts Feb 29 in a leap year', () => {
    expect(parsePortalDate('20280229120000')).toEqual(ok('2028-02-29T12:00:00+07:00'));
  });
});

describe('toVietnamIso / compareInstants', () => {
  it('formats an instant in Vietnam time at second precision', () => {
    expect(toVietnamIso(new Date('2026-04-01T03:05:48.203Z'))).toBe('2026-04-01T10:05:48+07:00');
  });

  it('orders instants written with different offsets', () => {
    expect(compareInstants('2026-04-01T10:00:00+07:00', '2026-04-01T03:00:00Z')).toBe(0);
    expect(compareInstants('2026-04-01T09:59:59+07:00', '2026-04-01T10:00:00+07:00')).toBeLessThan(0);
  });
});
