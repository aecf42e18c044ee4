import {
  type LgspConfig,
  type LgspConfigInput,
  LgspConfigError,
  redactLgspConfig,
  requireInt,
  requireText,
  validateLgspConfig,
} from './lgsp.config';

export const LGSP_SOAP_SOURCE_KIND = 'lgsp-soap';

/** One pulled LGSP SOAP dossier service, as a poller's source entry. */
export interface LgspSoapSourceConfig {
  kind: typeof LGSP_SOAP_SOURCE_KIND;
  /** Stable source id: cursors and health are kept under it (e.g. `lgsp-soap-h56`). */
  id: string;
  /** Agency code the source belongs to (QCVN 102), when it serves one. */
  agency: string | null;
  /** The bus; its `soap` section is required. */
  lgsp: LgspConfig & { soap: NonNullable<LgspConfig['soap']> };
  /** Where the first pull ever starts (ISO 8601 instant). */
  startFrom: string;
  /** How far back a caught-up poll re-reads, for changes the bus commits late (see lgsp-cursor.ts). */
  overlapMs: number;
  /** Upper bound on the page size asked of the bus, whatever the poller's limit. */
  maxPageSize: number;
  /** History calls in flight at once while a page is read. */
  historyConcurrency: number;
}

export interface LgspSoapSourceConfigInput {
  kind?: string;
  id?: string;
  agency?: string | null;
  lgsp?: LgspConfigInput;
  startFrom?: string;
  overlapMs?: number;
  maxPageSize?: number;
  historyConcurrency?: number;
}

export const DEFAULT_LGSP_SOURCE_START_FROM = '1970-01-01T00:00:00.000Z';
export const DEFAULT_LGSP_SOURCE_OVERLAP_MS = 2 * 60_000;
export const DEFAULT_LGSP_SOURCE_MAX_PAGE_SIZE = 100;
export const DEFAULT_LGSP_SOURCE_HISTORY_CONCURRENCY = 4;

/** Validates a source entry; the error names the first wrong key, prefixed with `where`. */
export function validateLgspSoapSourceConfig(
  input: LgspSoapSourceConfigInput,
  where = 'source',
): LgspSoapSourceConfig {
  const at = (key: string) => `${where}.${key}`;
  try {
    if (input.kind !== undefined && input.kind !== LGSP_SOAP_SOURCE_KIND) {
      throw new LgspConfigError('kind', `must be "${LGSP_SOAP_SOURCE_KIND}" (got "${input.kind}")`);
    }
    const id = requireText('id', input.id);
    if (!/^[a-z0-9][a-z0-9._-]*$/.test(id)) {
      throw new LgspConfigError('id', 'must be lower-case letters, digits, dot, dash or underscore');
    }
    let lgsp: LgspConfig;
    try {
      lgsp = validateLgspConfig(input.lgsp ?? {});
    } catch (error) {
      throw error instanceof LgspConfigError ? rekey(error, `lgsp.${error.key}`) : error;
    }
    if (lgsp.soap === null) {
      throw new LgspConfigError('lgsp.soap', 'is required for an lgsp-soap source (soap.wsdlUrl at least)');
    }
    const startFrom = input.startFrom ?? DEFAULT_LGSP_SOURCE_START_FROM;
    if (!/^\d{4}-\d{2}-\d{2}T/.test(startFrom) || Number.isNaN(Date.parse(startFrom))) {
      throw new LgspConfigError('startFrom', `must be an ISO 8601 instant (got "${startFrom}")`);
    }
    return {
      kind: LGSP_SOAP_SOURCE_KIND,
      id,
      agency: input.agency === undefined || input.agency === '' ? null : input.agency,
      lgsp: { ...lgsp, soap: lgsp.soap },
      startFrom: new Date(Date.parse(startFrom)).toISOString(),
      overlapMs: requireInt(
        'overlapMs',
        input.overlapMs ?? DEFAULT_LGSP_SOURCE_OVERLAP_MS,
        0,
        24 * 3_600_000,
      ),
      maxPageSize: requireInt(
        'maxPageSize',
        input.maxPageSize ?? DEFAULT_LGSP_SOURCE_MAX_PAGE_SIZE,
        1,
        1_000,
      ),
      historyConcurrency: requireInt(
        'historyConcurrency',
        input.historyConcurrency ?? DEFAULT_LGSP_SOURCE_HISTORY_CONCURRENCY,
        1,
        32,
      ),
    };
  } catch (error) {
    throw error instanceof LgspConfigError ? rekey(error, at(error.key)) : error;
  }
}

function rekey(error: LgspConfigError, key: string): LgspConfigError {
  return new LgspConfigError(key, error.message.replace(/^lgsp config: \S+ /, ''));
}

/**
 * Reads a source entry as a JSON configuration file holds it: the secret may be named by
 * `lgsp.clientSecretEnv` and looked up with `secret` (the app's one reader of the environment), the inline
 * `lgsp.clientSecret` being a development fallback. Throws LgspConfigError naming the key under `where`.
 */
export function lgspSoapSourceFromEntry(
  entry: Record<string, unknown>,
  where: string,
  secret: (envName: string) => string | undefined,
): LgspSoapSourceConfig {
  const lgsp = (typeof entry['lgsp'] === 'object' && entry['lgsp'] !== null ? entry['lgsp'] : {}) as Record<
    string,
    unknown
  >;
  const envName = lgsp['clientSecretEnv'];
  const fromEnv = typeof envName === 'string' && envName !== '' ? secret(envName) : undefined;
  const { clientSecretEnv: _name, ...rest } = lgsp;
  return validateLgspSoapSourceConfig(
    {
      ...(entry as LgspSoapSourceConfigInput),
      kind: LGSP_SOAP_SOURCE_KIND,
      lgsp: { ...(rest as LgspConfigInput), ...(fromEnv === undefined ? {} : { clientSecret: fromEnv }) },
    },
    where,
  );
}

export function redactLgspSoapSourceConfig(config: LgspSoapSourceConfig): Record<string, unknown> {
  return { ...config, lgsp: redactLgspConfig(config.lgsp) };
}
