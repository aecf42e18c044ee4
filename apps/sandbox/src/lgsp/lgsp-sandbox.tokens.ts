export const LGSP_SANDBOX_CONFIG = Symbol('LGSP_SANDBOX_CONFIG');

/** Where the simulated bus serves its endpoints; `/_sandbox/...` holds its test controls. */
export const LGSP_SANDBOX_PATHS = {
  token: '/lgsp/token',
  rest: '/lgsp/rest',
  soap: '/lgsp/soap/DossierService',
} as const;
