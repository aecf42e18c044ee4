import { GROUP_ID } from './vendor-timeline';

/**
 * What the simulated site accepts, as OpenCPS's RestAuthFilter does for `/o/rest/v2/*`: the `groupId`
 * header naming the site, and `Authorization: Basic` or the `Token` header. Development values only;
 * config/pull-sources.dev.json uses them.
 */
export const SANDBOX_ONESTOP_API = {
  basePath: '/o/rest/v2',
  groupId: GROUP_ID,
  username: 'isohub',
  password: 'sandbox-onestop-password',
  token: 'sandbox-onestop-token',
} as const;

export function authorised(headers: Record<string, string | string[] | undefined>): boolean {
  const first = (v: string | string[] | undefined): string => (Array.isArray(v) ? (v[0] ?? '') : (v ?? ''));
  if (first(headers['groupid']) !== SANDBOX_ONESTOP_API.groupId) {
    return false;
  }
  if (first(headers['token']) === SANDBOX_ONESTOP_API.token) {
    return true;
  }
  const basic = /^Basic\s+(.+)$/i.exec(first(headers['authorization']));
  const expected = `${SANDBOX_ONESTOP_API.username}:${SANDBOX_ONESTOP_API.password}`;
  return basic !== null && Buffer.from(basic[1] ?? '', 'base64').toString('utf8') === expected;
}
