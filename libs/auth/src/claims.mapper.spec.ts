import { describe, expect, it } from 'vitest';
import { AuthError } from './auth.errors';
import { userFromClaims } from './claims.mapper';

const NAMES = { rolesClaim: 'roles', agenciesClaim: 'agencies' };

describe('userFromClaims', () => {
  it('maps an ID token of an agency-scoped mapper', () => {
    const user = userFromClaims(
      { sub: 'mapper-h56', name: 'Lê Văn Hùng', roles: ['mapper'], agencies: ['000.00.01.H56'] },
      NAMES,
      'session',
    );

    expect(user).toEqual({
      sub: 'mapper-h56',
      name: 'Lê Văn Hùng',
      roles: ['mapper'],
      agencies: ['000.00.01.H56'],
      via: 'session',
    });
  });

  it('keeps only isohub roles, whatever their case, once each and in a stable order', () => {
    const user = userFromClaims(
      { sub: 's', roles: ['Viewer', 'payroll-clerk', 'ADMIN', 'viewer'] },
      NAMES,
      'session',
    );

    expect(user.roles).toEqual(['admin', 'viewer']);
    expect(user.agencies).toEqual([]);
  });

  it('reads space- or comma-separated string claims and nested claim paths', () => {
    const user = userFromClaims(
      { sub: 's', realm_access: { roles: 'mapper viewer' }, units: '000.00.01.H56, 000.00.02.H56' },
      { rolesClaim: 'realm_access.roles', agenciesClaim: 'units' },
      'session',
    );

    expect(user.roles).toEqual(['mapper', 'viewer']);
    expect(user.agencies).toEqual(['000.00.01.H56', '000.00.02.H56']);
  });

  it('names a client-credentials caller by its client id', () => {
    const user = userFromClaims({ client_id: 'isohub-automation', roles: ['mapper'] }, NAMES, 'bearer');

    expect(user).toMatchObject({ sub: 'isohub-automation', name: 'isohub-automation', via: 'bearer' });
  });

  it('refuses claims without any subject', () => {
    expect(() => userFromClaims({ roles: ['admin'] }, NAMES, 'bearer')).toThrow(AuthError);
  });
});
