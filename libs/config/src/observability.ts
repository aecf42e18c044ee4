import { ConsoleLogger, type LogLevel } from '@nestjs/common';
import { ConfigError, type EnvReader } from './env';

/** What an operator asks for with LOG_LEVEL; `info` is Nest's `log`. */
export const LOG_LEVELS = ['error', 'warn', 'info', 'debug', 'trace'] as const;
export type LogLevelName = (typeof LOG_LEVELS)[number];

export interface ObservabilityConfig {
  /** LOG_LEVEL: default `info`; `debug` on request (never in production by default). */
  logLevel: LogLevelName;
  /** LOG_FORMAT: `json` (default, one object a line) or `text` (Nest's coloured lines, for a terminal). */
  logFormat: 'json' | 'text';
  /**
   * OTEL_EXPORTER_OTLP_ENDPOINT (or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT): where traces go over OTLP/HTTP;
   * null = tracing off (the default), and then nothing is installed on the hot path.
   */
  otlpTracesUrl: string | null;
  /** OTEL_SERVICE_NAME, the `service.name` of every span. */
  serviceName: string;
}

/** Reads the logging and tracing settings every app shares (standard OpenTelemetry variable names). */
export function readObservability(env: EnvReader, defaultServiceName: string): ObservabilityConfig {
  const tracesUrl = env.optional('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT');
  const base = env.optional('OTEL_EXPORTER_OTLP_ENDPOINT');
  const otlpTracesUrl = tracesUrl ?? (base === undefined ? null : `${base.replace(/\/+$/, '')}/v1/traces`);
  if (otlpTracesUrl !== null && !/^https?:\/\/\S+$/.test(otlpTracesUrl)) {
    throw new ConfigError(
      tracesUrl === undefined ? 'OTEL_EXPORTER_OTLP_ENDPOINT' : 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT',
      'must be an http(s) URL',
    );
  }
  return {
    logLevel: env.oneOf('LOG_LEVEL', LOG_LEVELS, 'info'),
    logFormat: env.oneOf('LOG_FORMAT', ['json', 'text'] as const, 'json'),
    otlpTracesUrl,
    serviceName: env.string('OTEL_SERVICE_NAME', defaultServiceName),
  };
}

/** Nest's levels at and above the one asked for (`info` = error, warn, log). */
export function nestLogLevels(level: LogLevelName): LogLevel[] {
  const order: LogLevel[] = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'];
  const upTo: Record<LogLevelName, LogLevel> = {
    error: 'error',
    warn: 'warn',
    info: 'log',
    debug: 'debug',
    trace: 'verbose',
  };
  return order.slice(0, order.indexOf(upTo[level]) + 1);
}

/**
 * Secrets that may appear inside a message someone logs by mistake: bearer tokens, basic credentials,
 * `password=`/`"password":"…"`-style pairs and the user part of URLs. Each is replaced by `***`.
 */
const SECRET_KEYS =
  'password|passwd|pwd|secret|client_?secret|token|access_token|refresh_token|session|api_?key|matkhau';
const SECRET_PATTERNS: [RegExp, string][] = [
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi, '$1 ***'],
  // "password":"a b" (to its closing quote), password='x', password=x&…, client_secret: x
  [
    new RegExp(`(?<![\\w/.-])(["']?(?:${SECRET_KEYS})["']?\\s*[:=]\\s*)"(?:[^"\\\\]|\\\\.)*"`, 'gi'),
    '$1"***"',
  ],
  [new RegExp(`(?<![\\w/.-])(["']?(?:${SECRET_KEYS})["']?\\s*[:=]\\s*)'[^']*'`, 'gi'), "$1'***'"],
  [new RegExp(`(?<![\\w/.-])(["']?(?:${SECRET_KEYS})["']?\\s*[:=]\\s*)(?!["'*])[^"'&\\s,}]+`, 'gi'), '$1***'],
  [/(\b[a-z][a-z0-9+.-]*:\/\/)[^/@\s:]+:[^/@\s]+@/gi, '$1***:***@'],
];

export function redactSecrets(text: string): string {
  return SECRET_PATTERNS.reduce((s, [re, to]) => s.replace(re, to), text);
}

/**
 * The apps' logger: Nest's ConsoleLogger in JSON mode (one object a line on stdout/stderr: level, pid,
 * timestamp, context, message) at the configured level, with secrets masked in every message.
 */
export class IsohubLogger extends ConsoleLogger {
  constructor(config: Pick<ObservabilityConfig, 'logLevel' | 'logFormat'>) {
    super({
      logLevels: nestLogLevels(config.logLevel),
      json: config.logFormat === 'json',
      colors: config.logFormat === 'text' && process.stdout.isTTY,
    });
  }

  /** Every message, text or JSON, strings and lazy messages alike, passes here before it is printed. */
  protected override resolveMessage(message: unknown): unknown {
    const resolved = super.resolveMessage(message);
    return typeof resolved === 'string' ? redactSecrets(resolved) : resolved;
  }
}
