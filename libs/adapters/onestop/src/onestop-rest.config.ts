import type { StepStatus } from './dossier-page.mapper';
import { OPENCPS_REST_PROFILE, type RestSourceProfile } from './rest-profile';
import { statusTableProblems, type StatusTable } from './status-table';

export type RestAuth =
  /** `Authorization: Basic …`, which OpenCPS's RestAuthFilter accepts for its `/o/rest/v2/*` API. */
  | { kind: 'basic'; username: string; password: string }
  /** OpenCPS's `Token` header (the Liferay p_auth token). */
  | { kind: 'token'; token: string }
  | { kind: 'none' };

export interface OneStopRestConfig {
  id: string;
  agency: string | null;
  /** The API root, e.g. `https://motcua.example.gov.vn/o/rest/v2` (no trailing slash). */
  baseUrl: string;
  /** Site (Liferay group) id, sent in the profile's group header; null = not sent. */
  groupId: string | null;
  /** Sensitive: the password or token is never logged. */
  auth: RestAuth;
  /** Per HTTP request: a deadline for the whole exchange, not an idle timer. */
  timeoutMs: number;
  /** Larger answers are refused (BAD_RESPONSE, not retried); default 16 MiB. */
  maxResponseBytes?: number;
  /** Each run re-reads this many minutes before the last modification time read. */
  overlapMinutes: number;
  /** Where the first run starts (ISO 8601); null = everything the API lists. */
  startFrom: string | null;
  statusTable: StatusTable;
  /** stepCode -> status, for APIs whose actions carry no status (OpenCPS ProcessStep.dossierStatus). */
  stepStatus: Readonly<Record<string, StepStatus>>;
  profile: RestSourceProfile;
  /** Actions calls in flight at once for one page (the upstream's rate limit applies on top). */
  historyConcurrency: number;
}

export const DEFAULT_ONESTOP_REST = {
  timeoutMs: 15_000,
  maxResponseBytes: 16 * 1024 * 1024,
  overlapMinutes: 10,
  historyConcurrency: 4,
  profile: OPENCPS_REST_PROFILE,
} as const;

/** Keys to mask wherever a source's configuration is shown. */
export const ONESTOP_REST_SENSITIVE_KEYS = ['password', 'token'] as const;

/** Problems with a config, each naming the key; empty when usable. */
export function oneStopRestConfigProblems(c: OneStopRestConfig): string[] {
  const problems: string[] = [];
  if (!/^https?:\/\/[^/]+/.test(c.baseUrl) || c.baseUrl.endsWith('/')) {
    problems.push('baseUrl must be an http(s) URL without a trailing slash');
  }
  if (c.auth.kind === 'basic' && (c.auth.username === '' || c.auth.password === '')) {
    problems.push('credentials: basic auth needs username and password (or passwordEnv)');
  }
  if (c.auth.kind === 'token' && c.auth.token === '') {
    problems.push('credentials: token (or tokenEnv) is empty');
  }
  if (!Number.isInteger(c.timeoutMs) || c.timeoutMs < 100) {
    problems.push('timeoutMs must be an integer >= 100');
  }
  if (
    c.maxResponseBytes !== undefined &&
    (!Number.isInteger(c.maxResponseBytes) || c.maxResponseBytes < 1024)
  ) {
    problems.push('maxResponseBytes must be an integer >= 1024');
  }
  if (!Number.isInteger(c.overlapMinutes) || c.overlapMinutes < 0 || c.overlapMinutes > 24 * 60) {
    problems.push('overlapMinutes must be an integer in [0, 1440]');
  }
  if (c.startFrom !== null && Number.isNaN(Date.parse(c.startFrom))) {
    problems.push('startFrom must be an ISO 8601 timestamp');
  }
  if (!Number.isInteger(c.historyConcurrency) || c.historyConcurrency < 1 || c.historyConcurrency > 32) {
    problems.push('historyConcurrency must be an integer in [1, 32]');
  }
  problems.push(
    ...statusTableProblems(c.statusTable).map((p) =>
      p.startsWith('[') ? `statusTable${p}` : `statusTable ${p}`,
    ),
  );
  return problems;
}
