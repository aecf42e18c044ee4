import { type Role, OPENAPI_PUBLIC, OPENAPI_ROLES, rolesAllow } from '@isohub/auth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AdminStack, startAdminStack } from '../../../test/support/admin-stack';
import { type TestDatabase, freshDatabase } from '../../../test/support/database';
import type { TestBrowser } from '../../../test/support/sso-browser';

/**
 * Walks every operation of the published OpenAPI document, so routes added later are covered without
 * touching this file: 401 without a login; for each role, 403 where the operation's `x-roles` (from
 * `@Roles`) leave it out, and no 401/403 on the reads it may make.
 */
const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;
/** Routes meant to be reachable without a login; a new one must be added here on purpose. */
const EXPECTED_PUBLIC = [
  'GET /health',
  'GET /auth/login',
  'GET /auth/callback',
  'POST /auth/logout',
  'GET /auth/logged-out',
];

interface Operation {
  method: (typeof METHODS)[number];
  path: string;
  url: string;
  roles: Role[] | null;
  isPublic: boolean;
}

interface Caller {
  name: string;
  roles: Role[];
  request(op: Operation): Promise<{ status: number; body: string }>;
}

let db: TestDatabase;
let stack: AdminStack;
let operations: Operation[];

const label = (op: Operation) => `${op.method.toUpperCase()} ${op.path}`;

function send(op: Operation, headers: Record<string, string>, browser?: TestBrowser) {
  const init = {
    method: op.method.toUpperCase(),
    headers: { accept: 'application/json', ...headers },
    ...(op.method === 'get'
      ? {}
      : {
          body: '{}',
          headers: { accept: 'application/json', 'content-type': 'application/json', ...headers },
        }),
  };
  if (browser) {
    return browser.request(op.url, init);
  }
  return fetch(op.url, { ...init, redirect: 'manual' }).then(async (res) => ({
    status: res.status,
    body: await res.text(),
  }));
}

async function sessionCaller(username: string, roles: Role[]): Promise<Caller> {
  const browser = await stack.signIn(username);
  const csrf = JSON.parse((await browser.request(`${stack.adminUrl}/auth/csrf`)).body) as {
    csrfToken: string;
  };
  return {
    name: `${username} (session)`,
    roles,
    request: (op) => send(op, { 'x-csrf-token': csrf.csrfToken }, browser),
  };
}

async function bearerCaller(roles: Role[]): Promise<Caller> {
  const token = await stack.automationToken();
  return {
    name: `automation ${roles.join(',')} (bearer)`,
    roles,
    request: (op) => send(op, { authorization: `Bearer ${token}` }),
  };
}

beforeAll(async () => {
  db = await freshDatabase();
  // The automation client gets the viewer role here, to walk the API as a read-only bearer too.
  stack = await startAdminStack({
    databaseUrl: db.url,
    sandboxEnv: { SANDBOX_SSO_AUTOMATION_ROLES: 'viewer' },
  });
  const doc = (await (await fetch(`${stack.adminUrl}/api/openapi.json`)).json()) as {
    paths: Record<string, Partial<Record<(typeof METHODS)[number], Record<string, unknown>>>>;
  };
  operations = Object.entries(doc.paths).flatMap(([path, item]) =>
    METHODS.flatMap((method) => {
      const op = item[method];
      if (!op) {
        return [];
      }
      const roles = op[OPENAPI_ROLES];
      return [
        {
          method,
          path,
          // Dummy path parameters: the guard answers before any pipe looks at them.
          url: `${stack.adminUrl}${path.replace(/\{[^}]+\}/g, 'x-dummy')}`,
          roles: Array.isArray(roles) ? (roles as Role[]) : null,
          isPublic: op[OPENAPI_PUBLIC] === true,
        },
      ];
    }),
  );
});

afterAll(async () => {
  await stack?.stop();
  await db?.drop();
});

describe('every admin route, from the OpenAPI document', () => {
  it('covers the known routes and exposes only the login flow and health without a login', () => {
    expect(operations.map(label)).toEqual(
      expect.arrayContaining([
        'GET /api/me',
        'GET /auth/csrf',
        'GET /status',
        'GET /api/status/ready',
        'GET /api/adapters',
        'POST /api/adapters/{id}/test-connection',
        'POST /api/adapters/{id}/pause',
        'POST /api/adapters/{id}/resume',
      ]),
    );
    expect(
      operations
        .filter((op) => op.isPublic)
        .map(label)
        .sort(),
    ).toEqual([...EXPECTED_PUBLIC].sort());
  });

  it('answers 401 problem+json to every non-public operation without a login', async () => {
    const wrong: string[] = [];
    for (const op of operations.filter((o) => !o.isPublic)) {
      const { status, body } = await send(op, {});
      if (status !== 401 || !body.includes('"UNAUTHENTICATED"')) {
        wrong.push(`${label(op)} -> ${status} ${body.slice(0, 120)}`);
      }
    }

    expect(wrong).toEqual([]);
  });

  it('answers 403 to each role on the operations its roles do not reach, and lets it read the others', async () => {
    const callers = [
      await sessionCaller('viewer', ['viewer']),
      await sessionCaller('mapper-h56', ['mapper']),
      await sessionCaller('admin', ['admin']),
      await bearerCaller(['viewer']),
    ];
    const wrong: string[] = [];
    let forbidden = 0;
    for (const caller of callers) {
      for (const op of operations.filter((o) => !o.isPublic)) {
        const allowed = op.roles === null || op.roles.length === 0 || rolesAllow(caller.roles, op.roles);
        if (!allowed) {
          const { status, body } = await caller.request(op);
          forbidden += 1;
          if (status !== 403 || !body.includes('"FORBIDDEN"')) {
            wrong.push(`${caller.name}: ${label(op)} -> ${status} ${body.slice(0, 120)}, expected 403`);
          }
        } else if (op.method === 'get') {
          const { status, body } = await caller.request(op);
          if (status === 401 || status === 403) {
            wrong.push(`${caller.name}: ${label(op)} -> ${status} ${body.slice(0, 120)}, expected access`);
          }
        }
      }
    }

    expect(wrong).toEqual([]);
    expect(forbidden).toBeGreaterThan(0);
  });
});
