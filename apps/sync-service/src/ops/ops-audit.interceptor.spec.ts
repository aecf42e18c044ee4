import { describe, expect, it } from 'vitest';
import { opsAuditEntry } from './ops-audit.interceptor';

const req = (method: string, path: string, actor?: string) => ({
  method,
  path,
  headers: actor === undefined ? {} : { 'x-isohub-actor': actor },
});

describe('opsAuditEntry', () => {
  it('names each state change of the operator API with its actor', () => {
    expect(
      opsAuditEntry(req('POST', '/ops/dead-letters/42/replay', 'mapper-1'), { replayed: true, events: [1] }),
    ).toEqual({
      actor: 'mapper-1',
      action: 'ops.dead_letter.replay',
      entityType: 'dead_letter',
      entityId: '42',
      before: null,
      after: { replayed: true, via: 'ops-api' },
    });
    expect(
      opsAuditEntry(req('POST', '/ops/dead-letters/42/discard'), { id: '42', discardedBy: 'x' }),
    ).toMatchObject({
      actor: 'ops-token',
      action: 'ops.dead_letter.discard',
    });
    expect(
      opsAuditEntry(req('POST', '/ops/reconciliation/runs'), { id: 7, status: 'running' }),
    ).toMatchObject({
      action: 'ops.reconciliation.run',
      entityId: '7',
      after: { id: 7, status: 'running', via: 'ops-api' },
    });
  });

  it('records an unnamed state-changing route by method and path, and never a read or a connection test', () => {
    expect(opsAuditEntry(req('DELETE', '/ops/something/9'), null)).toMatchObject({
      action: 'ops.delete',
      entityId: '/ops/something/9',
    });
    expect(opsAuditEntry(req('GET', '/ops/adapters'), {})).toBeNull();
    expect(opsAuditEntry(req('POST', '/ops/adapters/a/test-connection'), {})).toBeNull();
    expect(opsAuditEntry(req('POST', '/lgsp/token'), {})).toBeNull();
  });

  it('falls back to the token holder for an actor header with spaces or control characters', () => {
    expect(opsAuditEntry(req('POST', '/ops/adapters/a/pause', 'a b'), {})?.actor).toBe('ops-token');
    expect(opsAuditEntry(req('POST', '/ops/adapters/a/pause', 'x\u0000'), {})?.actor).toBe('ops-token');
  });
});
