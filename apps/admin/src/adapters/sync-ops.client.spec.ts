import { describe, expect, it } from 'vitest';
import { adapterPath, SyncOpsError } from './sync-ops.client';

describe('adapterPath', () => {
  it('builds the operator path of a pull-source id', () => {
    expect(adapterPath('onestop-h56')).toBe('/ops/adapters/onestop-h56');
    expect(adapterPath('lgsp-soap.h56_2')).toBe('/ops/adapters/lgsp-soap.h56_2');
  });

  it.each(['..', '.', '', 'a/b', '../pause', 'A', 'x?y=1', `a${'b'.repeat(200)}`])(
    'refuses %j as not found rather than sending it on',
    (id) => {
      expect(() => adapterPath(id)).toThrow(SyncOpsError);
      expect(() => adapterPath(id)).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
    },
  );
});
