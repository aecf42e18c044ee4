export const LGSP_CONFIG = Symbol('LGSP_CONFIG');

/** Operation names of the dossier service, as its WSDL spells them. */
export interface LgspSoapOperations {
  /** Dossiers changed since a time, page by page. */
  listChanged: string;
  /** One dossier's processing history (control-sheet-like trace rows). */
  history: string;
}

export interface LgspSoapConfig {
  /** Where the WSDL is published, e.g. `https://lgsp.example.gov.vn/soap/DossierService?wsdl`. */
  wsdlUrl: string;
  /**
   * Overrides the WSDL's `soap:address`: buses behind a reverse proxy often advertise an internal host name.
   * null: call the address the WSDL gives.
   */
  endpointUrl: string | null;
  operations: LgspSoapOperations;
}

export interface LgspConfig {
  /** Base URL of the bus's REST services (`callRest` paths are appended), without a trailing slash. */
  baseUrl: string;
  /** Absolute token URL (OAuth2 client credentials). Default `{baseUrl}/token` (DOMAIN.md §4.4). */
  tokenUrl: string;
  clientId: string;
  /** Sensitive: masked by `redactLgspConfig`, never logged. */
  clientSecret: string;
  /**
   * How the client authenticates at the token URL (RFC 6749 §2.3.1): `body` posts `client_id` and
   * `client_secret` as form fields, as OpenCPS's LGSP client does; `basic` sends them as HTTP Basic, as
   * WSO2 API Manager documents it.
   */
  clientAuth: 'body' | 'basic';
  /** Optional `scope` for the token request. */
  scope: string | null;
  /** Whole-call deadline per HTTP request (connect + answer). */
  timeoutMs: number;
  /**
   * A cached token is renewed this long before it expires, or at half its lifetime when that comes first
   * (so a 2-minute token is not refreshed on every call when the skew is larger than it).
   */
  tokenRefreshSkewMs: number;
  /** Lifetime assumed when a token answer has no `expires_in`. */
  defaultTokenTtlSeconds: number;
  /** Answers larger than this are refused (BAD_RESPONSE): a bus answer is pages of metadata, not files. */
  maxResponseBytes: number;
  /** Extra headers on every call (a gateway routing header, an API key…). */
  headers: Readonly<Record<string, string>>;
  /** The SOAP dossier service; null when this bus is used over REST only. */
  soap: LgspSoapConfig | null;
}

/** Keys whose values must be masked wherever configuration is shown or logged. */
export const LGSP_CONFIG_SENSITIVE_KEYS: readonly (keyof LgspConfig)[] = ['clientSecret'];

export const DEFAULT_LGSP_TOKEN_PATH = '/token';
export const DEFAULT_LGSP_TIMEOUT_MS = 30_000;
export const DEFAULT_LGSP_TOKEN_REFRESH_SKEW_MS = 60_000;
export const DEFAULT_LGSP_TOKEN_TTL_SECONDS = 300;
export const DEFAULT_LGSP_MAX_RESPONSE_BYTES = 16 * 1024 * 1024;
/**
 * No public LGSP publishes a dossier SOAP service (DOMAIN.md §11): these are the names the sandbox's WSDL uses,
 * and a starting point; each deployment configures the names its bus's WSDL gives.
 */
export const DEFAULT_LGSP_SOAP_OPERATIONS: LgspSoapOperations = {
  listChanged: 'ListChangedDossiers',
  history: 'GetDossierHistory',
};

export class LgspConfigError extends Error {
  override readonly name = 'LgspConfigError';

  constructor(
    readonly key: string,
    problem: string,
  ) {
    super(`lgsp config: ${key} ${problem}`);
  }
}

export interface LgspConfigInput {
  baseUrl?: string;
  tokenUrl?: string;
  clientId?: string;
  clientSecret?: string;
  clientAuth?: 'body' | 'basic';
  scope?: string | null;
  timeoutMs?: number;
  tokenRefreshSkewMs?: number;
  defaultTokenTtlSeconds?: number;
  maxResponseBytes?: number;
  headers?: Record<string, string>;
  soap?: {
    wsdlUrl?: string;
    endpointUrl?: string | null;
    operations?: Partial<LgspSoapOperations>;
  } | null;
}

export function requireText(key: string, value: string | undefined): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new LgspConfigError(key, 'is required');
  }
  return value;
}

export function requireHttpUrl(key: string, value: string | undefined): string {
  const text = requireText(key, value);
  let protocol: string;
  try {
    protocol = new URL(text).protocol;
  } catch {
    throw new LgspConfigError(key, `is not a URL (got "${text}")`);
  }
  if (protocol !== 'http:' && protocol !== 'https:') {
    throw new LgspConfigError(key, `must be http or https (got "${protocol}")`);
  }
  return text;
}

export function requireInt(key: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new LgspConfigError(key, `must be an integer between ${min} and ${max} (got ${value})`);
  }
  return value;
}

function validateSoap(input: NonNullable<LgspConfigInput['soap']>): LgspSoapConfig {
  const endpointUrl =
    input.endpointUrl === undefined || input.endpointUrl === null || input.endpointUrl === ''
      ? null
      : requireHttpUrl('soap.endpointUrl', input.endpointUrl);
  return {
    wsdlUrl: requireHttpUrl('soap.wsdlUrl', input.wsdlUrl),
    endpointUrl,
    operations: {
      listChanged: requireText(
        'soap.operations.listChanged',
        input.operations?.listChanged ?? DEFAULT_LGSP_SOAP_OPERATIONS.listChanged,
      ),
      history: requireText(
        'soap.operations.history',
        input.operations?.history ?? DEFAULT_LGSP_SOAP_OPERATIONS.history,
      ),
    },
  };
}

/** Validates and completes an LGSP configuration; the error names the first wrong key. */
export function validateLgspConfig(input: LgspConfigInput): LgspConfig {
  const baseUrl = requireHttpUrl('baseUrl', input.baseUrl).replace(/\/+$/, '');
  const clientAuth = input.clientAuth ?? 'body';
  if (clientAuth !== 'body' && clientAuth !== 'basic') {
    throw new LgspConfigError('clientAuth', `must be "body" or "basic" (got "${String(clientAuth)}")`);
  }
  const scope = typeof input.scope === 'string' && input.scope.trim() !== '' ? input.scope : null;
  return {
    baseUrl,
    tokenUrl: requireHttpUrl('tokenUrl', input.tokenUrl ?? `${baseUrl}${DEFAULT_LGSP_TOKEN_PATH}`),
    clientId: requireText('clientId', input.clientId),
    clientSecret: requireText('clientSecret', input.clientSecret),
    clientAuth,
    scope,
    timeoutMs: requireInt('timeoutMs', input.timeoutMs ?? DEFAULT_LGSP_TIMEOUT_MS, 1, 600_000),
    tokenRefreshSkewMs: requireInt(
      'tokenRefreshSkewMs',
      input.tokenRefreshSkewMs ?? DEFAULT_LGSP_TOKEN_REFRESH_SKEW_MS,
      0,
      3_600_000,
    ),
    defaultTokenTtlSeconds: requireInt(
      'defaultTokenTtlSeconds',
      input.defaultTokenTtlSeconds ?? DEFAULT_LGSP_TOKEN_TTL_SECONDS,
      1,
      86_400,
    ),
    maxResponseBytes: requireInt(
      'maxResponseBytes',
      input.maxResponseBytes ?? DEFAULT_LGSP_MAX_RESPONSE_BYTES,
      1_024,
      1024 * 1024 * 1024,
    ),
    headers: { ...input.headers },
    soap: input.soap ? validateSoap(input.soap) : null,
  };
}

/** The configuration with sensitive values masked, for logs and the admin UI. */
export function redactLgspConfig(config: LgspConfig): Record<string, unknown> {
  const shown: Record<string, unknown> = { ...config };
  for (const key of LGSP_CONFIG_SENSITIVE_KEYS) {
    shown[key] = '***';
  }
  // Gateways are often given an API key as an extra header.
  shown['headers'] = Object.fromEntries(
    Object.entries(config.headers).map(([name, value]) => [
      name,
      SENSITIVE_HEADER.test(name) ? '***' : value,
    ]),
  );
  return shown;
}

const SENSITIVE_HEADER = /auth|key|secret|token|cookie|password/i;
