import { timingSafeEqual } from 'node:crypto';

/** A development-only SSO user. The subject is the username, as many provincial SSOs do. */
export interface DemoAccount {
  username: string;
  name: string;
  roles: string[];
  /** Agency (unit) codes the account's role is limited to; `*` = every agency (an unscoped mapper). */
  agencies: string[];
}

/** One account per isohub role, plus a mapper scoped to one department (DOMAIN.md §2 roles). */
export const DEMO_ACCOUNTS: readonly DemoAccount[] = [
  { username: 'admin', name: 'Nguyễn Văn Quản', roles: ['admin'], agencies: [] },
  { username: 'mapper', name: 'Trần Thị Mai', roles: ['mapper'], agencies: ['*'] },
  { username: 'mapper-h56', name: 'Lê Văn Hùng', roles: ['mapper'], agencies: ['000.00.01.H56'] },
  { username: 'viewer', name: 'Phạm Thu Hà', roles: ['viewer'], agencies: [] },
];

export function findDemoAccount(username: string): DemoAccount | undefined {
  return DEMO_ACCOUNTS.find((a) => a.username === username);
}

/** The account when username and password match, else null; the password compare is constant-time. */
export function checkDemoLogin(username: string, password: string, demoPassword: string): DemoAccount | null {
  const account = findDemoAccount(username.trim());
  const given = Buffer.from(password, 'utf8');
  const expected = Buffer.from(demoPassword, 'utf8');
  const ok = given.length === expected.length && timingSafeEqual(given, expected);
  return account && ok ? account : null;
}
