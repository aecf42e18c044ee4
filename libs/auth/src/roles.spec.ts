import { describe, expect, it } from 'vitest';
import { ALL_AGENCIES, type AuthUser, canEditAgency, rolesAllow } from './roles';

describe('rolesAllow', () => {
  it('lets admin do everything and mapper read what viewers read, never the other way round', () => {
    expect(rolesAllow(['admin'], ['mapper'])).toBe(true);
    expect(rolesAllow(['mapper'], ['viewer'])).toBe(true);
    expect(rolesAllow(['viewer'], ['mapper'])).toBe(false);
    expect(rolesAllow(['mapper'], ['admin'])).toBe(false);
    expect(rolesAllow([], ['viewer'])).toBe(false);
  });
});

describe('canEditAgency', () => {
  const mapper = (agencies: string[]): AuthUser => ({
    sub: 'm',
    name: null,
    roles: ['mapper'],
    agencies,
    via: 'session',
  });

  it('limits an agency-scoped mapper to its agencies', () => {
    expect(canEditAgency(mapper(['000.00.01.H56']), '000.00.01.H56')).toBe(true);
    expect(canEditAgency(mapper(['000.00.01.H56']), '000.00.02.H56')).toBe(false);
    expect(canEditAgency(mapper(['000.00.01.H56']), null)).toBe(false);
  });

  it('grants every agency only on an explicit ALL_AGENCIES, never on a missing or empty claim', () => {
    expect(canEditAgency(mapper([]), '000.00.02.H56')).toBe(false);
    expect(canEditAgency(mapper([]), null)).toBe(false);
    expect(canEditAgency(mapper([ALL_AGENCIES]), '000.00.02.H56')).toBe(true);
    expect(canEditAgency(mapper([ALL_AGENCIES]), null)).toBe(true);
    expect(canEditAgency({ ...mapper([]), roles: ['admin'] }, '000.00.02.H56')).toBe(true);
  });
});
