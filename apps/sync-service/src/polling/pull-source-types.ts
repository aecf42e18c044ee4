import { ConfigError } from '@isohub/config';
import {
  DEFAULT_ONESTOP_REST,
  OneStopRestAdapter,
  oneStopRestConfigProblems,
  REST_PROFILES,
  withOverrides,
  type OneStopRestConfig,
  type RequestGate,
  type RestAuth,
  type StatusLookup,
  type StatusTable,
  type StepStatus,
} from '@isohub/adapters/onestop';
import {
  createLgspSoapSource,
  LgspConfigError,
  lgspLookupOf,
  lgspSoapSourceFromEntry,
  type LgspSoapSourceConfig,
} from '@isohub/adapters/lgsp';
import type { SourcePort } from '@isohub/adapters/source';
import {
  DEFAULT_LGSP_STATUS_MAP,
  lgspStatusMapProblems,
  type LgspStatusMap,
  type SenderProfile,
} from '@isohub/mapping';
import type { SenderIdentity } from '../ingest/ingest.types';

/** Reads a secret named by an `*Env` key (process.env stays in the config file). */
export type SecretLookup = (envName: string) => string | undefined;

export interface SourceDeps {
  /** The upstream's rate limit and concurrency, for every HTTP call the source makes. */
  gate: RequestGate;
  /** The admin console's published status mappings for the source's `sourceSystem`. */
  statusLookup?: StatusLookup;
}

/**
 * One kind of pull source: how its settings are read from PULL_SOURCES_FILE (throwing ConfigError naming
 * the key), which upstream it calls (the default key for rate limits and the circuit breaker), and how the
 * source is built. A new upstream kind (e.g. an LGSP SOAP dossier service) is one more entry.
 */
export interface PullSourceType<S = unknown> {
  parse(entry: Record<string, unknown>, where: string, secret: SecretLookup, enabled: boolean): S;
  upstreamOf(settings: S): string;
  create(settings: S, deps: SourceDeps): SourcePort;
  /** How the mappers read this source's wire items (DOMAIN.md §4.7 quirks). */
  senderProfile: SenderProfile;
  /** Ingest `protocol` of its items (dead letters, event source). */
  protocol: string;
  /** How the ingest's mappers read its statuses, when they map them (LGSP items carry the raw `Status`). */
  statusReading?(settings: S, deps: SourceDeps): Pick<SenderIdentity, 'lgspStatusMap' | 'lgspStatusLookup'>;
}

function str(o: Record<string, unknown>, key: string): string | undefined {
  const v = o[key];
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
}

function readAuth(c: Record<string, unknown>, secret: SecretLookup): RestAuth {
  const fromEnv = (envKey: string, inline: string): string | undefined => {
    const name = str(c, envKey);
    return (name ? secret(name) : undefined) ?? str(c, inline);
  };
  const token = fromEnv('tokenEnv', 'token');
  if (token !== undefined) {
    return { kind: 'token', token };
  }
  const username = str(c, 'username');
  if (username !== undefined) {
    return { kind: 'basic', username, password: fromEnv('passwordEnv', 'password') ?? '' };
  }
  return { kind: 'none' };
}

const onestopRest: PullSourceType<OneStopRestConfig> = {
  senderProfile: 'opencps',
  protocol: 'opencps-rest',
  parse(entry, where, secret, enabled) {
    const credentials = (entry['credentials'] ?? {}) as Record<string, unknown>;
    const profileName = str(entry, 'profile') ?? DEFAULT_ONESTOP_REST.profile.name;
    const base = REST_PROFILES[profileName];
    if (!base) {
      throw new ConfigError(`${where}.profile`, `must be one of ${Object.keys(REST_PROFILES).join(', ')}`);
    }
    const num = (key: string, fallback: number): number => {
      const v = entry[key];
      return typeof v === 'number' ? v : fallback;
    };
    const config: OneStopRestConfig = {
      id: String(entry['id']),
      agency: (entry['agency'] as string | null) ?? null,
      baseUrl: str(entry, 'baseUrl') ?? '',
      groupId: str(credentials, 'groupId') ?? null,
      auth: readAuth(credentials, secret),
      timeoutMs: num('timeoutMs', DEFAULT_ONESTOP_REST.timeoutMs),
      overlapMinutes: num('overlapMinutes', DEFAULT_ONESTOP_REST.overlapMinutes),
      startFrom: str(entry, 'startFrom') ?? null,
      statusTable: (entry['statusTable'] ?? []) as StatusTable,
      stepStatus: (entry['stepStatus'] ?? {}) as Record<string, StepStatus>,
      profile: withOverrides(base, entry['profileOverrides'] ?? {}),
      historyConcurrency: num('historyConcurrency', DEFAULT_ONESTOP_REST.historyConcurrency),
    };
    const problems = oneStopRestConfigProblems(config);
    if (enabled && problems.length > 0) {
      throw new ConfigError(where, problems.join('; '));
    }
    return config;
  },
  upstreamOf(settings) {
    try {
      return new URL(settings.baseUrl).origin;
    } catch {
      return settings.baseUrl;
    }
  },
  create(settings, deps) {
    return new OneStopRestAdapter(settings, { gate: deps.gate, statusLookup: deps.statusLookup });
  },
};

type LgspSoapSettings = LgspSoapSourceConfig & { statusMap: LgspStatusMap };

/**
 * LGSP SOAP dossier service (libs/adapters/lgsp): changed dossiers page by page, then their history. Its
 * `Status` values map through the published status mappings of its `sourceSystem` (sub-status `*`), then its
 * `statusMap` (LGSP `Status` -> national status, default DEFAULT_LGSP_STATUS_MAP) as for pushed LGSP traffic.
 */
const lgspSoap: PullSourceType<LgspSoapSettings> = {
  senderProfile: 'opencps',
  protocol: 'lgsp-soap',
  parse(entry, where, secret, enabled) {
    const statusMap = (entry['statusMap'] ?? DEFAULT_LGSP_STATUS_MAP) as LgspStatusMap;
    const problems = lgspStatusMapProblems(statusMap);
    if (enabled && problems.length > 0) {
      throw new ConfigError(`${where}.statusMap`, problems.join('; '));
    }
    try {
      return { ...lgspSoapSourceFromEntry(entry, where, secret), statusMap };
    } catch (error) {
      if (!enabled) {
        return { ...(entry as unknown as LgspSoapSourceConfig), statusMap };
      }
      throw error instanceof LgspConfigError
        ? new ConfigError(error.key, error.message.replace(/^lgsp config: \S+ /, ''))
        : error;
    }
  },
  upstreamOf: (s) => new URL(s.lgsp.soap.wsdlUrl).origin,
  create: (s, deps) =>
    createLgspSoapSource(s, { gate: deps.gate, statusLookup: deps.statusLookup, statusMap: s.statusMap }),
  statusReading: (s, deps) => ({
    lgspStatusMap: s.statusMap,
    lgspStatusLookup: lgspLookupOf(deps.statusLookup),
  }),
};

export const PULL_SOURCE_TYPES: Readonly<Record<string, PullSourceType<unknown>>> = {
  'opencps-rest': onestopRest,
  'lgsp-soap': lgspSoap,
};
