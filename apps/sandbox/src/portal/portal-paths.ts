import { DEFAULT_PORTAL_PATHS, DEFAULT_THANHHOA_PATHS } from '@isohub/adapters/portal';

/** The simulated portal serves the paths isohub's portal client and forwarder use by default. */
export const PORTAL_PATHS = {
  auth: DEFAULT_PORTAL_PATHS.authPath,
  integration: DEFAULT_PORTAL_PATHS.integrationPath,
  /** A separate `share_endpoint` for the catalogue services; they are answered on `integration` too. */
  share: '/api/share',
  thanhHoaCreate: DEFAULT_THANHHOA_PATHS.create,
  thanhHoaUpdate: DEFAULT_THANHHOA_PATHS.update,
  thanhHoaProgress: DEFAULT_THANHHOA_PATHS.progress,
} as const;

const ALL = new Set<string>(Object.values(PORTAL_PATHS));

export function isPortalPath(url: string | undefined): boolean {
  return ALL.has((url ?? '').split('?')[0] ?? '');
}
