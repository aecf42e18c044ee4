export const LGSP_SANDBOX_CONFIG = Symbol('LGSP_SANDBOX_CONFIG');

/** Where the simulated bus serves its endpoints; `/_sandbox/...` holds its test controls. */
export const LGSP_SANDBOX_PATHS = {
  token: '/lgsp/token',
  rest: '/lgsp/rest',
  soap: '/lgsp/soap/DossierService',
} as const;

/** REST calls keep their exact bytes (the sandbox app reads them raw) so the recorder can compare them. */
export function isLgspRestPath(url: string | undefined): boolean {
  const path = (url ?? '').split('?')[0] ?? '';
  return path === LGSP_SANDBOX_PATHS.rest || path.startsWith(`${LGSP_SANDBOX_PATHS.rest}/`);
}
