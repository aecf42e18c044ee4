import { describe, expect, it } from 'vitest';
import { AUDIT_GENESIS, auditHash } from './audit.store';
import { canonicalJson } from './canonical-json';

describe('canonicalJson', () => {
  it('sorts keys at every depth and leaves out undefined members', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: null }], c: undefined } })).toBe(
      '{"a":{"d":[3,{"y":null,"z":1}]},"b":1}',
    );
  });

  it('writes dates as ISO strings and Vietnamese text as is', () => {
    expect(canonicalJson({ at: new Date('2025-07-01T00:00:00.000Z'), name: 'Đăng ký' })).toBe(
      '{"at":"2025-07-01T00:00:00.000Z","name":"Đăng ký"}',
    );
  });

  it('refuses numbers JSON cannot carry', () => {
    expect(() => canonicalJson({ n: Number.NaN })).toThrow(TypeError);
  });
});

describe('auditHash', () => {
  const entry = {
    id: 1,
    at: '2025-07-01T01:02:03.456Z',
    actor: 'mapper-1',
    action: 'local_code.create',
    entityType: 'local_code_mapping',
    entityId: 'opencps-h56/1.001193.000.00.00.H56',
    before: null,
    after: { nationalCode: '1.001193', agencyCode: '000.00.01.H56' },
  };

  it('does not depend on key order (jsonb re-orders keys)', () => {
    const reordered = { ...entry, after: { agencyCode: '000.00.01.H56', nationalCode: '1.001193' } };
    expect(auditHash(reordered, AUDIT_GENESIS)).toBe(auditHash(entry, AUDIT_GENESIS));
  });

  it('changes with any field of the entry and with the previous hash', () => {
    const h = auditHash(entry, AUDIT_GENESIS);
    expect(h).toMatch(/^[0-9a-f]{64}$/);
    expect(auditHash({ ...entry, actor: 'mapper-2' }, AUDIT_GENESIS)).not.toBe(h);
    expect(
      auditHash({ ...entry, after: { ...entry.after, nationalCode: '1.001194' } }, AUDIT_GENESIS),
    ).not.toBe(h);
    expect(auditHash(entry, h)).not.toBe(h);
  });
});
