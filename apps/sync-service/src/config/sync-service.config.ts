import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConfigError, EnvReader, readObservability, type ObservabilityConfig } from '@isohub/config';
import { topicNames } from '@isohub/events';
import {
  OUTCOME_RULES,
  TOLLING_MODES,
  WITHDRAWAL_RANKS,
  type OutcomeRule,
  type TollingMode,
  type WithdrawalRank,
} from '@isohub/timing';
import {
  lgspStatusMapProblems,
  type LgspStatusMap,
  type LiteralZone,
  type SenderProfile,
} from '@isohub/mapping';
import { loadPullSources, type PullSourcesConfig } from '../polling/pull-sources.config';
import { loadLgspForward, type LgspForwardConfig } from './lgsp-forward.config';
import { loadGuardsConfig, type GuardsConfig } from './guards.config';
import { DEV_SECRETS, refuseDevelopmentDefaults } from './development-defaults';

export const SYNC_CONFIG = Symbol('SYNC_CONFIG');

export interface SenderConfig {
  id: string;
  /**
   * `opencps`: session login + JSON envelope; `thanhhoa`: bare arrays to three URLs, key in the path;
   * `lgsp`: OAuth2 client credentials + Bearer REST calls, as one-stop systems call their LGSP (DOMAIN.md §4.4).
   */
  style: 'opencps' | 'thanhhoa' | 'lgsp';
  /**
   * `transparent` (default): the sender's login and every call go to the real upstream and its answer comes
   * back unchanged; isohub keeps what it reads (docs/tee.md). `takeover`: isohub answers at commit and
   * delivers later with this sender's own upstream account (`upstreamAccount` / `upstreamClient`).
   */
  mode: SenderMode;
  /** This sender's upstream, in place of the global one (PORTAL_BASE_URL, LGSP_UPSTREAM_BASE_URL). */
  upstream: SenderUpstream;
  /** Takeover, OpenCPS style: this sender's own portal account (one per sender and agency, never shared). */
  upstreamAccount?: { username: string; password: string };
  /** Takeover, LGSP style: this sender's own client credentials at the bus. */
  upstreamClient?: { clientId: string; clientSecret: string };
  profile: SenderProfile;
  agency: string | null;
  /** OpenCPS style: the credentials the one-stop system logs in with. */
  username?: string;
  password?: string;
  /** Thanh Hóa style: the secret path segment configured in the sender's URLs. */
  pathKey?: string;
  /** LGSP style: the OAuth2 client credentials (a WSO2-style consumer key and secret). */
  clientId?: string;
  clientSecret?: string;
  /** LGSP style: zone of the literal `Z` in its timestamps (DOMAIN.md §4.5); default `utc`. */
  literalZ?: LiteralZone;
  /** LGSP style: `Status` -> national status table; default DEFAULT_LGSP_STATUS_MAP. */
  statusMap?: LgspStatusMap;
  /** Optional allow-list of caller IPs (Thanh Hóa senders send no credentials, DOMAIN.md §4.7). */
  allowFrom: string[];
  applicantFields: string[];
}

export type SenderMode = 'transparent' | 'takeover';

/** Where a sender's calls go upstream; every key optional (the global upstream otherwise). */
export interface SenderUpstream {
  /** OpenCPS: the portal base (`adapter_url`); LGSP: the bus's REST base. */
  baseUrl?: string;
  /** LGSP: the token URL; default `{baseUrl}/token`. */
  tokenUrl?: string;
  /** Thanh Hóa: the sender's three portal URLs (`URLThemMoi`, `URLCapNhat`, `URLDongBoTienTrinh`). */
  createUrl?: string;
  updateUrl?: string;
  progressUrl?: string;
}

/** The real upstreams of the transparent tee and the limits it applies before it forwards anything. */
export interface TeeUpstreamConfig {
  /** The portal base the tee relays OpenCPS-style calls to (PORTAL_BASE_URL); null = none. */
  portalBaseUrl: string | null;
  /** The bus's REST base and token URL LGSP calls are relayed to (LGSP_UPSTREAM_*); null = none. */
  lgspBaseUrl: string | null;
  lgspTokenUrl: string | null;
  /** Whole-call deadline of one relayed call (TEE_UPSTREAM_TIMEOUT_MS). */
  timeoutMs: number;
  /** An upstream answer larger than this is not relayed (502). */
  maxAnswerBytes: number;
}

export interface TeeLimitsConfig {
  /** Body limit of a login or token request (bytes). */
  loginBodyBytes: number;
  /** Body limit of a call whose credentials isohub does not know (bytes). */
  unidentifiedBodyBytes: number;
  /** Per source (sender, or the caller's address before it is known): sustained calls per second… */
  ratePerSecond: number;
  /** …with bursts up to this many. */
  burst: number;
  /** Per source: calls in progress at once. */
  concurrency: number;
  /** Takeover logins: failures per account and address within `loginWindowSeconds` before 429. */
  loginFailures: number;
  loginWindowSeconds: number;
}

export interface PortalForwardConfig {
  enabled: boolean;
  baseUrl: string;
  authPath: string;
  integrationPath: string;
  username: string;
  password: string;
  timeoutMs: number;
  thanhhoa: { createUrl: string; updateUrl: string; progressUrl: string };
  maxAttempts: number;
}

export interface SyncServiceConfig {
  host: string;
  port: number;
  databaseUrl: string;
  databasePoolMax: number;
  kafkaBrokers: string[];
  kafkaClientId: string;
  topicPrefix: string;
  topics: ReturnType<typeof topicNames>;
  topicPartitions: number;
  topicReplication: number;
  relayBatchSize: number;
  relayIdleMs: number;
  outboxRetainHours: number;
  mappingVersion: string;
  /** `flag`: unmapped procedure codes flow with mappingStatus "unmapped"; `hold`: their events wait until mapped. */
  unmappedPolicy: 'flag' | 'hold';
  mappingReloadMs: number;
  /** ISO time (docs/iso-time.md): the step outcome rule, QĐ 766 tolling and withdrawal, the deadline scheduler. */
  timing: {
    outcomeRule: OutcomeRule;
    tolling: TollingMode;
    withdrawal: WithdrawalRank;
    scheduler: boolean;
    schedulerIntervalMs: number;
  };
  catalogueCsv: string | null;
  deriveFromSuffix: boolean;
  procedureMappings: { sourceSystem: string; localCode: string; nationalCode: string }[];
  senders: SenderConfig[];
  /** The transparent tee's upstreams and limits (docs/tee.md). */
  teeUpstream: TeeUpstreamConfig;
  teeLimits: TeeLimitsConfig;
  sessionSecret: string;
  sessionTtlHours: number;
  /**
   * Keys the applicant's name stored per dossier (HMAC, never the name) to recognise the applicant as a
   * row's actor (sensitive: with it, a stored key can be checked against a guessed name).
   */
  applicantKeySecret: string;
  /** The path prefix of the LGSP-compatible endpoints (`{base}/token`, `{base}/Document/...`). */
  lgspBasePath: string;
  lgspTokenTtlSeconds: number;
  /** The path prefix under which the portal-compatible endpoints are served. */
  teeBasePath: string;
  authPath: string;
  integrationPath: string;
  portal: PortalForwardConfig;
  /** Forwarding of LGSP inbound traffic to the real bus (LGSP_FORWARD_*). */
  lgspForward: LgspForwardConfig;
  maxBodyBytes: string;
  /** One-stop APIs (and other upstreams) polled for changes (PULL_SOURCES_FILE); none when unset. */
  pullSources: PullSourcesConfig;
  /** Bearer token of the operator API under /ops (sensitive); null = that API refuses every call. */
  opsToken: string | null;
  reconciliation: ReconciliationConfig;
  /** LOG_LEVEL, LOG_FORMAT and the OpenTelemetry exporter (OTEL_EXPORTER_OTLP_ENDPOINT, OTEL_SERVICE_NAME). */
  observability: ObservabilityConfig;
  /** Limits, timeouts and retention that keep the stream going (guards.config.ts). */
  guards: GuardsConfig;
}

/** TraCuuHoSo reconciliation with the portal; never runs while forwarding to the portal is off. */
export interface ReconciliationConfig {
  /** 0 = no scheduled runs (on demand only). */
  intervalMinutes: number;
  windowHours: number;
  maxDossiers: number;
  concurrency: number;
  ratePerSecond: number;
}

interface SendersFile {
  senders: (Partial<Omit<SenderConfig, 'upstreamAccount' | 'upstreamClient'>> & {
    passwordEnv?: string;
    pathKeyEnv?: string;
    clientSecretEnv?: string;
    upstreamAccount?: { username?: string; password?: string; passwordEnv?: string };
    upstreamClient?: { clientId?: string; clientSecret?: string; clientSecretEnv?: string };
  })[];
  procedureMappings?: { sourceSystem: string; localCode: string; nationalCode: string }[];
}

function loadSenders(path: string, env: EnvReader): Pick<SyncServiceConfig, 'senders' | 'procedureMappings'> {
  if (!existsSync(path)) {
    throw new ConfigError('SENDERS_FILE', `file not found: ${path}`);
  }
  let file: SendersFile;
  try {
    file = JSON.parse(readFileSync(path, 'utf8')) as SendersFile;
  } catch (error) {
    throw new ConfigError('SENDERS_FILE', `not valid JSON: ${String(error)}`);
  }
  const senders = (file.senders ?? []).map((s, i): SenderConfig => {
    const where = `SENDERS_FILE senders[${i}]`;
    if (!s.id || !/^[a-z0-9][a-z0-9._-]*$/.test(s.id)) {
      throw new ConfigError(where, 'id must be lower-case letters, digits, dot, dash or underscore');
    }
    if (s.style !== 'opencps' && s.style !== 'thanhhoa' && s.style !== 'lgsp') {
      throw new ConfigError(`${where}.style`, 'must be "opencps", "thanhhoa" or "lgsp"');
    }
    // An *Env key names the environment variable holding the secret; the inline value is a dev fallback.
    const password = (s.passwordEnv ? env.optional(s.passwordEnv) : undefined) ?? s.password;
    const pathKey = (s.pathKeyEnv ? env.optional(s.pathKeyEnv) : undefined) ?? s.pathKey;
    const clientSecret = (s.clientSecretEnv ? env.optional(s.clientSecretEnv) : undefined) ?? s.clientSecret;
    const mode = s.mode ?? 'transparent';
    if (mode !== 'transparent' && mode !== 'takeover') {
      throw new ConfigError(`${where}.mode`, 'must be "transparent" or "takeover"');
    }
    const takeover = mode === 'takeover';
    if (s.style === 'lgsp') {
      checkLgspSender(where, s, clientSecret, takeover);
    }
    if (s.style === 'opencps' && (!s.username || (takeover && !password))) {
      throw new ConfigError(
        `${where}`,
        takeover
          ? 'an opencps-style sender in takeover mode needs username and password (or passwordEnv)'
          : 'an opencps-style sender needs the username it logs in to the portal with',
      );
    }
    if (s.style === 'thanhhoa' && (!pathKey || pathKey.length < 12)) {
      throw new ConfigError(`${where}`, 'a thanhhoa-style sender needs a pathKey of at least 12 characters');
    }
    const upstream = readUpstream(`${where}.upstream`, s.upstream);
    const account = s.upstreamAccount;
    const upstreamAccount =
      account?.username !== undefined
        ? {
            username: account.username,
            password:
              (account.passwordEnv ? env.optional(account.passwordEnv) : undefined) ?? account.password ?? '',
          }
        : undefined;
    const client = s.upstreamClient;
    const upstreamClient =
      client?.clientId !== undefined
        ? {
            clientId: client.clientId,
            clientSecret:
              (client.clientSecretEnv ? env.optional(client.clientSecretEnv) : undefined) ??
              client.clientSecret ??
              '',
          }
        : undefined;
    if (takeover) {
      checkTakeover(where, s.style, upstream, upstreamAccount, upstreamClient);
    }
    return {
      id: s.id,
      style: s.style,
      mode,
      upstream,
      upstreamAccount,
      upstreamClient,
      profile: s.profile ?? (s.style === 'thanhhoa' ? 'thanhhoa' : 'opencps'),
      agency: s.agency ?? null,
      username: s.username,
      password,
      pathKey,
      clientId: s.clientId,
      clientSecret,
      literalZ: s.literalZ,
      statusMap: s.statusMap,
      allowFrom: s.allowFrom ?? [],
      applicantFields: s.applicantFields ?? [],
    };
  });
  const clientIds = senders.flatMap((s) => (s.clientId === undefined ? [] : [s.clientId]));
  const duplicate = clientIds.find((id, i) => clientIds.indexOf(id) !== i);
  if (duplicate !== undefined) {
    throw new ConfigError('SENDERS_FILE', `clientId "${duplicate}" is used by more than one lgsp sender`);
  }
  // One upstream account per sender and agency: a takeover account shared by two senders would make the
  // upstream see one sender for both (and one stale session log both out).
  const accounts = senders.flatMap((s) => {
    const id = s.upstreamAccount?.username ?? s.upstreamClient?.clientId;
    return s.mode === 'takeover' && id !== undefined ? [`${s.style}:${id}`] : [];
  });
  const shared = accounts.find((a, i) => accounts.indexOf(a) !== i);
  if (shared !== undefined) {
    throw new ConfigError(
      'SENDERS_FILE',
      `upstream account "${shared}" is used by more than one takeover sender`,
    );
  }
  return { senders, procedureMappings: file.procedureMappings ?? [] };
}

function readUpstream(where: string, u: SenderUpstream | undefined): SenderUpstream {
  const out: SenderUpstream = {};
  for (const key of ['baseUrl', 'tokenUrl', 'createUrl', 'updateUrl', 'progressUrl'] as const) {
    const value = u?.[key];
    if (value === undefined) {
      continue;
    }
    if (typeof value !== 'string' || !/^https?:\/\/[^\s]+$/.test(value)) {
      throw new ConfigError(`${where}.${key}`, 'must be an http(s) URL');
    }
    out[key] = value.replace(/\/+$/, '');
  }
  return out;
}

/** Takeover answers on the upstream's behalf, so it must deliver as this sender, never as a shared account. */
function checkTakeover(
  where: string,
  style: SenderConfig['style'],
  upstream: SenderUpstream,
  account: SenderConfig['upstreamAccount'],
  client: SenderConfig['upstreamClient'],
): void {
  if (style === 'opencps' && (!account?.username || !account.password)) {
    throw new ConfigError(
      `${where}.upstreamAccount`,
      "takeover needs this sender's own portal account (username and password or passwordEnv)",
    );
  }
  if (style === 'lgsp' && (!client?.clientId || !client.clientSecret)) {
    throw new ConfigError(
      `${where}.upstreamClient`,
      "takeover needs this sender's own LGSP client (clientId and clientSecret or clientSecretEnv)",
    );
  }
  if (style === 'thanhhoa' && (!upstream.createUrl || !upstream.updateUrl || !upstream.progressUrl)) {
    throw new ConfigError(
      `${where}.upstream`,
      "takeover needs this sender's own portal URLs (createUrl, updateUrl, progressUrl)",
    );
  }
}

function checkLgspSender(
  where: string,
  s: Pick<Partial<SenderConfig>, 'clientId' | 'literalZ' | 'statusMap'>,
  clientSecret: string | undefined,
  takeover: boolean,
): void {
  if (!s.clientId || (takeover && (!clientSecret || clientSecret.length < 16))) {
    throw new ConfigError(
      where,
      takeover
        ? 'an lgsp-style sender in takeover mode needs clientId and a clientSecret (or clientSecretEnv) of at least 16 characters'
        : 'an lgsp-style sender needs the clientId it asks the bus for tokens with',
    );
  }
  if (s.literalZ !== undefined && s.literalZ !== 'utc' && s.literalZ !== 'vietnam') {
    throw new ConfigError(`${where}.literalZ`, 'must be "utc" or "vietnam"');
  }
  if (s.statusMap !== undefined) {
    const problems = lgspStatusMapProblems(s.statusMap);
    if (problems.length > 0) {
      throw new ConfigError(`${where}.statusMap`, problems.join('; '));
    }
  }
}

/** The only place the sync service reads process.env. */
export function loadSyncServiceConfig(envVars: NodeJS.ProcessEnv = process.env): SyncServiceConfig {
  const env = new EnvReader(envVars);
  const root = process.cwd();
  refuseDevelopmentDefaults(envVars, root);
  const topicPrefix = env.string('TOPIC_PREFIX', 'isohub');
  const sendersPath = resolve(env.string('SENDERS_FILE', resolve(root, 'config/senders.dev.json')));
  const defaultCsv = resolve(root, '../shared/data/procedures.csv');
  const csv = env.optional('CATALOGUE_CSV') ?? (existsSync(defaultCsv) ? defaultCsv : null);
  const portalBase = env.optional('PORTAL_BASE_URL');
  const lgspUpstream = env.optional('LGSP_UPSTREAM_BASE_URL') ?? env.optional('LGSP_BUS_BASE_URL');
  // The portal the tee relays to; PORTAL_BASE_URL (isohub's own client of the portal) unless set apart.
  const teePortal = env.optional('TEE_PORTAL_BASE_URL') ?? portalBase;
  const sessionSecret = env.string(
    'SESSION_SECRET',
    envVars.NODE_ENV === 'production' ? undefined : DEV_SECRETS.SESSION_SECRET,
  );
  if (sessionSecret.length < 16) {
    throw new ConfigError('SESSION_SECRET', 'must be at least 16 characters');
  }
  // Changing it only makes stored keys miss until each dossier's next snapshot: rows then fall back to the text rule.
  const applicantKeySecret = env.string(
    'APPLICANT_KEY_SECRET',
    envVars.NODE_ENV === 'production' ? undefined : DEV_SECRETS.APPLICANT_KEY_SECRET,
  );
  if (applicantKeySecret.length < 16) {
    throw new ConfigError('APPLICANT_KEY_SECRET', 'must be at least 16 characters');
  }
  const opsToken =
    env.optional('OPS_TOKEN') ?? (envVars.NODE_ENV === 'production' ? null : DEV_SECRETS.OPS_TOKEN);
  if (opsToken !== null && opsToken.length < 16) {
    throw new ConfigError('OPS_TOKEN', 'must be at least 16 characters');
  }
  const pullSourcesFile = env.optional('PULL_SOURCES_FILE');
  const pullSources = loadPullSources(
    pullSourcesFile === undefined ? undefined : resolve(pullSourcesFile),
    (name) => env.optional(name),
  );
  return {
    host: env.string('HOST', '127.0.0.1'),
    port: env.int('PORT', 8080, { min: 0, max: 65535 }),
    databaseUrl: env.string('DATABASE_URL'),
    databasePoolMax: env.int('DATABASE_POOL_MAX', 10, { min: 1, max: 100 }),
    kafkaBrokers: env.list('KAFKA_BROKERS', ['127.0.0.1:9092']),
    kafkaClientId: env.string('KAFKA_CLIENT_ID', 'isohub-sync-service'),
    topicPrefix,
    topics: topicNames(topicPrefix),
    topicPartitions: env.int('TOPIC_PARTITIONS', 6, { min: 1, max: 1000 }),
    topicReplication: env.int('TOPIC_REPLICATION_FACTOR', 1, { min: 1, max: 7 }),
    relayBatchSize: env.int('RELAY_BATCH_SIZE', 500, { min: 1, max: 10_000 }),
    relayIdleMs: env.int('RELAY_IDLE_MS', 250, { min: 10, max: 60_000 }),
    outboxRetainHours: env.int('OUTBOX_RETAIN_HOURS', 72, { min: 0 }),
    mappingVersion: env.string('MAPPING_VERSION', 'config-1'),
    unmappedPolicy: env.oneOf('UNMAPPED_POLICY', ['flag', 'hold'] as const, 'flag'),
    mappingReloadMs: env.int('MAPPING_RELOAD_MS', 15_000, { min: 100 }),
    timing: {
      outcomeRule: env.oneOf('TIMING_OUTCOME_RULE', OUTCOME_RULES, 'minute'),
      tolling: env.oneOf('TIMING_TOLLING', TOLLING_MODES, 'subtract_elapsed'),
      withdrawal: env.oneOf('TIMING_WITHDRAWAL', WITHDRAWAL_RANKS, 'with_stopped'),
      scheduler: env.bool('DEADLINE_SCHEDULER', true),
      schedulerIntervalMs: env.int('DEADLINE_SCHEDULER_MS', 30_000, { min: 50 }),
    },
    catalogueCsv: csv,
    deriveFromSuffix: env.bool('DERIVE_NATIONAL_CODE_FROM_SUFFIX', true),
    ...loadSenders(sendersPath, env),
    sessionSecret,
    applicantKeySecret,
    sessionTtlHours: env.int('SESSION_TTL_HOURS', 12, { min: 1, max: 24 * 30 }),
    teeUpstream: {
      portalBaseUrl: teePortal?.replace(/\/+$/, '') ?? null,
      lgspBaseUrl: lgspUpstream?.replace(/\/+$/, '') ?? null,
      lgspTokenUrl:
        env.optional('LGSP_UPSTREAM_TOKEN_URL') ??
        env.optional('LGSP_BUS_TOKEN_URL') ??
        (lgspUpstream ? `${lgspUpstream.replace(/\/+$/, '')}/token` : null),
      timeoutMs: env.int('TEE_UPSTREAM_TIMEOUT_MS', 30_000, { min: 100, max: 600_000 }),
      maxAnswerBytes: env.int('TEE_UPSTREAM_MAX_ANSWER_BYTES', 16 * 1024 * 1024, { min: 1024 }),
    },
    teeLimits: {
      loginBodyBytes: env.int('TEE_LOGIN_MAX_BODY_BYTES', 16 * 1024, { min: 256 }),
      unidentifiedBodyBytes: env.int('TEE_UNIDENTIFIED_MAX_BODY_BYTES', 256 * 1024, { min: 1024 }),
      ratePerSecond: env.int('TEE_RATE_PER_SECOND', 50, { min: 1 }),
      burst: env.int('TEE_RATE_BURST', 200, { min: 1 }),
      concurrency: env.int('TEE_CONCURRENCY', 16, { min: 1 }),
      loginFailures: env.int('TEE_LOGIN_FAILURES', 5, { min: 1 }),
      loginWindowSeconds: env.int('TEE_LOGIN_WINDOW_SECONDS', 300, { min: 1 }),
    },
    teeBasePath: env.string('TEE_BASE_PATH', '/dvcqg'),
    lgspBasePath: env.string('LGSP_BASE_PATH', '/lgsp'),
    lgspTokenTtlSeconds: env.int('LGSP_TOKEN_TTL_SECONDS', 3600, { min: 60, max: 7 * 24 * 3600 }),
    authPath: env.string('TEE_AUTH_PATH', '/api/auth'),
    integrationPath: env.string('TEE_INTEGRATION_PATH', '/api/integration'),
    maxBodyBytes: env.string('MAX_BODY', '64mb'),
    pullSources,
    lgspForward: loadLgspForward(env, pullSources),
    opsToken,
    observability: readObservability(env, 'isohub-sync-service'),
    guards: loadGuardsConfig(env),
    reconciliation: {
      intervalMinutes: env.int('RECONCILE_INTERVAL_MINUTES', 360, { min: 0, max: 7 * 24 * 60 }),
      windowHours: env.int('RECONCILE_WINDOW_HOURS', 24, { min: 1, max: 366 * 24 }),
      maxDossiers: env.int('RECONCILE_MAX_DOSSIERS', 2000, { min: 1, max: 100_000 }),
      concurrency: env.int('RECONCILE_CONCURRENCY', 4, { min: 1, max: 64 }),
      ratePerSecond: env.int('RECONCILE_RATE_PER_SECOND', 5, { min: 1, max: 1000 }),
    },
    portal: {
      enabled: portalBase !== undefined && env.bool('FORWARD_ENABLED', true),
      baseUrl: portalBase ?? '',
      authPath: env.string('PORTAL_AUTH_PATH', '/api/auth'),
      integrationPath: env.string('PORTAL_INTEGRATION_PATH', '/api/integration'),
      username: env.string('PORTAL_USERNAME', ''),
      password: env.string('PORTAL_PASSWORD', ''),
      timeoutMs: env.int('PORTAL_TIMEOUT_MS', 15_000, { min: 100 }),
      thanhhoa: {
        createUrl: env.string('PORTAL_TH_CREATE_URL', teePortal ? `${teePortal}/thanhhoa/ThemMoi` : ''),
        updateUrl: env.string('PORTAL_TH_UPDATE_URL', teePortal ? `${teePortal}/thanhhoa/CapNhat` : ''),
        progressUrl: env.string(
          'PORTAL_TH_PROGRESS_URL',
          teePortal ? `${teePortal}/thanhhoa/DongBoTienTrinh` : '',
        ),
      },
      maxAttempts: env.int('FORWARD_MAX_ATTEMPTS', 0, { min: 0 }),
    },
  };
}
