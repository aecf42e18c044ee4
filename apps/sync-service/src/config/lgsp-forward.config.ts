import { ConfigError, type EnvReader } from '@isohub/config';
import {
  LgspConfigError,
  validateLgspConfig,
  type LgspConfig,
  type LgspConfigInput,
  type LgspSoapSourceConfig,
} from '@isohub/adapters/lgsp';
import type { PullSourcesConfig } from '../polling/pull-sources.config';

/** The LGSP services a one-stop system calls, as isohub forwards them (DOMAIN.md §4.4). */
export type LgspForwardOperation = 'SyncDocument' | 'UpdateDocumentTraces';

export interface LgspForwardConfig {
  /** LGSP inbound traffic is stored for delivery to the real bus (forward_job style `lgsp`). */
  enabled: boolean;
  /** isohub as the bus's client (its own client credentials); null when forwarding is off. */
  bus: LgspConfig | null;
  /** Path under the bus's REST base each operation is delivered to. */
  paths: Readonly<Record<LgspForwardOperation, string>>;
  /** Where the bus settings came from (`LGSP_BUS_*` or the pull source named by LGSP_FORWARD_BUS). */
  busFrom: string | null;
}

/** LgspConfig keys and the variables that set them. */
const BUS_ENV: Readonly<Record<string, string>> = {
  baseUrl: 'LGSP_BUS_BASE_URL',
  tokenUrl: 'LGSP_BUS_TOKEN_URL',
  clientId: 'LGSP_BUS_CLIENT_ID',
  clientSecret: 'LGSP_BUS_CLIENT_SECRET',
  clientAuth: 'LGSP_BUS_CLIENT_AUTH',
  scope: 'LGSP_BUS_SCOPE',
  timeoutMs: 'LGSP_BUS_TIMEOUT_MS',
};

/**
 * LGSP_FORWARD_ENABLED and the bus to forward to: either the `lgsp` settings of an `lgsp-soap` pull source
 * (LGSP_FORWARD_BUS=<its id>: one place for isohub's client credentials at the bus), or LGSP_BUS_*. The
 * paths default to the ones one-stop systems call, under the bus's REST base.
 */
export function loadLgspForward(env: EnvReader, pullSources: PullSourcesConfig): LgspForwardConfig {
  const enabled = env.bool('LGSP_FORWARD_ENABLED', false);
  const paths = {
    SyncDocument: restPath(env, 'LGSP_FORWARD_SYNC_PATH', '/Document/SyncDocument'),
    UpdateDocumentTraces: restPath(env, 'LGSP_FORWARD_TRACES_PATH', '/Document/UpdateDocumentTraces'),
  };
  if (!enabled) {
    return { enabled, bus: null, paths, busFrom: null };
  }
  const sourceId = env.optional('LGSP_FORWARD_BUS');
  if (sourceId !== undefined) {
    const source = pullSources.sources.find((s) => s.id === sourceId);
    if (!source || source.type !== 'lgsp-soap') {
      throw new ConfigError(
        'LGSP_FORWARD_BUS',
        `no lgsp-soap pull source "${sourceId}" in PULL_SOURCES_FILE`,
      );
    }
    // A disabled source's settings are kept unvalidated: validate what forwarding needs here.
    const input = (source.settings as Partial<LgspSoapSourceConfig>).lgsp as LgspConfigInput | undefined;
    try {
      return { enabled, bus: validateLgspConfig({ ...input, soap: null }), paths, busFrom: sourceId };
    } catch (error) {
      throw error instanceof LgspConfigError
        ? new ConfigError('LGSP_FORWARD_BUS', `${sourceId}: ${error.message}`)
        : error;
    }
  }
  const input: LgspConfigInput = {
    baseUrl: env.optional(BUS_ENV.baseUrl),
    tokenUrl: env.optional(BUS_ENV.tokenUrl),
    clientId: env.optional(BUS_ENV.clientId),
    clientSecret: env.optional(BUS_ENV.clientSecret),
    clientAuth: env.oneOf(BUS_ENV.clientAuth, ['body', 'basic'] as const, 'body'),
    scope: env.optional(BUS_ENV.scope) ?? null,
    timeoutMs: env.int(BUS_ENV.timeoutMs, 30_000, { min: 100, max: 600_000 }),
  };
  try {
    return { enabled, bus: validateLgspConfig(input), paths, busFrom: 'LGSP_BUS_*' };
  } catch (error) {
    if (error instanceof LgspConfigError) {
      throw new ConfigError(
        BUS_ENV[error.key] ?? 'LGSP_BUS_*',
        `${error.message.replace(/^lgsp config: \S+ /, '')} (LGSP forwarding is on; or set LGSP_FORWARD_BUS)`,
      );
    }
    throw error;
  }
}

function restPath(env: EnvReader, key: string, fallback: string): string {
  const path = env.string(key, fallback);
  if (!path.startsWith('/') || path.startsWith('//')) {
    throw new ConfigError(
      key,
      `must be a path under the bus's REST base starting with one "/" (got "${path}")`,
    );
  }
  return path;
}
