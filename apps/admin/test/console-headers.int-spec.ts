import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AdminStack, startAdminStack } from '../../../test/support/admin-stack';
import { type TestDatabase, freshDatabase } from '../../../test/support/database';

describe('security headers of the admin console', () => {
  let db: TestDatabase;
  let stack: AdminStack;

  beforeAll(async () => {
    db = await freshDatabase();
    stack = await startAdminStack({ databaseUrl: db.url });
  });

  afterAll(async () => {
    await stack?.stop();
    await db?.drop();
  });

  it.each(['/health', '/', '/api/me', '/auth/logged-out'])(
    'sends a CSP refusing framing, nosniff and no referrer on %s, signed in or not',
    async (path) => {
      const res = await fetch(`${stack.adminUrl}${path}`, { redirect: 'manual' });
      const csp = res.headers.get('content-security-policy') ?? '';

      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain(`form-action 'self' ${new URL(stack.sso).origin}`);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
      expect(res.headers.get('x-powered-by')).toBeNull();
    },
  );
});
