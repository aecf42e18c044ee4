import type { Request } from 'express';
import type { FieldError } from '@isohub/mapping';
import type { SenderConfig, SyncServiceConfig } from '../config/sync-service.config';
import type { IngestOperation } from '../ingest/ingest.types';
import { bearerToken, readTokenRequest } from '../lgsp/lgsp-token-request';
import { problem } from '../http/problem';
import { asciiJson } from './tee-answer';
import { isRecord } from './tee-body';
import type { UpstreamAnswer } from './upstream-relay';

/** `login`: the sender gets a session or token; `data`: dossier data; `pass`: anything else, relayed as is. */
export type RouteKind = 'login' | 'data' | 'pass';

export interface MatchedRoute {
  kind: RouteKind;
  /** The Thanh Hóa action (`ThemMoi`…) or the LGSP path; the OpenCPS service is read from the envelope. */
  operation: string;
  /** Thanh Hóa: the secret key in the path. */
  pathKey?: string;
}

/** What isohub reads of a data call: its items for ingest, or why the request cannot be read as items. */
export type DataReading =
  | { kind: 'items'; operation: IngestOperation; items: unknown[]; madonvi: string | null }
  | { kind: 'unreadable'; operation: string; error: FieldError }
  /** Readable, but no dossier data (TraCuuHoSo, LayThuTuc, a service isohub does not know). */
  | { kind: 'none'; operation: string };

export interface Verdict {
  outcome: 'delivered' | 'refused';
  errorCode: string | null;
  message: string | null;
  /** The upstream says the session or token is no longer valid. */
  stale: boolean;
}

export interface Answer {
  status: number;
  contentType: string;
  body: Buffer;
}

/**
 * One sender style: the routes it serves under its base, how its sender is identified, how its dossier data
 * is read, where its calls go upstream, how the upstream's answer is judged and how isohub answers when it
 * must answer itself. A third vendor is one more entry (plus a sandbox sender); the proxy is generic.
 */
export interface SenderStyle {
  /** The `style` of senders of this kind in the senders file. */
  name: SenderConfig['style'];
  /** Name shown to operators and in metrics. */
  label: 'opencps' | 'thanhhoa' | 'lgsp-rest';
  /** Which configured path prefix it is served under. */
  base: 'tee' | 'lgsp';
  /** Ingest and dead-letter protocol. */
  protocol: string;
  /** The route of a path under the base, or null when the path is not this style's. */
  match(suffix: string, config: SyncServiceConfig): MatchedRoute | null;
  /** Media types read on login and data routes (415 otherwise). */
  accepts(contentType: string | undefined, route: MatchedRoute): boolean;
  /** The session or token the request presents before its body is read (LGSP Bearer), if any. */
  headerCredential?(req: Request): string | null;
  /** The session or token inside a parsed body (OpenCPS envelope), if any. */
  bodyCredential?(body: unknown): string | null;
  /** A login request's account (username or client id); null when it names none. The secret is never read out. */
  loginAccount(raw: Buffer, req: Request): string | null;
  /** The configured sender an account belongs to (in this style). */
  senderForAccount(config: SyncServiceConfig, account: string): SenderConfig | null;
  /** The session or token an upstream login answer carries, with its lifetime when it states one. */
  issued(answer: UpstreamAnswer): { token: string; expiresInSeconds: number | null } | null;
  /** The dossier data of a parsed data call. */
  read(body: unknown, route: MatchedRoute, sender: SenderConfig): DataReading;
  /** Whether a parsed body is the right shape to read at all (an OpenCPS envelope is a JSON object). */
  readable(body: unknown): FieldError | null;
  /** The upstream URL of a call, or null when none is configured. */
  upstreamUrl(
    config: SyncServiceConfig,
    sender: SenderConfig | null,
    suffix: string,
    query: string,
    route: MatchedRoute,
  ): string | null;
  verdict(answer: UpstreamAnswer): Verdict;
  /**
   * isohub's own answer (refusals before forwarding, an unreachable upstream): never a success. RFC 9457
   * problem details with the style's own members (`error_code` "-1" and `message`; LGSP `Status`, `Message`),
   * which is what the sender reads.
   */
  answer(status: number, message: string, errors?: FieldError[]): Answer;
}

const PORTAL_DATA_SERVICES: Record<string, IngestOperation> = {
  DongBoHoSoMC: 'DongBoHoSoMC',
  CapNhatTienDoHoSoMC: 'CapNhatTienDoHoSoMC',
};

const THANHHOA_ACTIONS: Record<string, IngestOperation> = {
  themmoi: 'DongBoHoSoMC',
  capnhat: 'DongBoHoSoMC',
  dongbotientrinh: 'CapNhatTienDoHoSoMC',
};

const LGSP_DATA_PATHS: Record<string, IngestOperation> = {
  '/Document/SyncDocument': 'LgspSyncDocument',
  '/Document/UpdateDocumentTraces': 'LgspUpdateDocumentTraces',
};

/** JSON, or text that is JSON (Thanh Hóa sends `application/json` without a charset), or nothing said. */
function jsonish(contentType: string | undefined): boolean {
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  return (
    type === '' ||
    type === 'application/json' ||
    type.endsWith('+json') ||
    type === 'text/plain' ||
    type === 'text/json'
  );
}

function text(v: unknown): string | null {
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : null;
}

function parseJson(body: Buffer): unknown {
  try {
    const t = body.toString('utf8');
    return JSON.parse(t.charCodeAt(0) === 0xfeff ? t.slice(1) : t) as unknown;
  } catch {
    return undefined;
  }
}

/** The portal's verdict (DOMAIN.md §4.2): success is `error_code` "0" (older copies "00"), as the senders read it. */
function portalVerdict(answer: UpstreamAnswer): Verdict {
  const parsed = parseJson(answer.body);
  const code = isRecord(parsed) ? text(parsed['error_code']) : null;
  const message = isRecord(parsed) ? text(parsed['message']) : null;
  if (answer.status === 200 && (code === '0' || code === '00')) {
    return { outcome: 'delivered', errorCode: code, message, stale: false };
  }
  return {
    outcome: 'refused',
    errorCode: code ?? `HTTP ${answer.status}`,
    message: message ?? (parsed === undefined ? answer.body.subarray(0, 200).toString('utf8') : null),
    // OpenCPS learns that its session is stale from an error answer (DOMAIN.md §4.7).
    stale: answer.status === 401 || /phiên|session|đăng nhập lại|hết hạn/i.test(message ?? ''),
  };
}

const TITLES: Record<number, string> = {
  400: 'Unreadable request',
  404: 'Not found',
  405: 'Method not allowed',
  413: 'Request too large',
  415: 'Unsupported media type',
  429: 'Too many requests',
  502: 'Upstream unreachable',
  504: 'Upstream timeout',
};

function ownAnswer(
  status: number,
  message: string,
  errors: FieldError[],
  members: object,
  ascii: boolean,
): Answer {
  const value = problem(status, TITLES[status] ?? 'Refused', message, errors, { ...members });
  return {
    status,
    contentType: 'application/problem+json; charset=utf-8',
    body: Buffer.from(ascii ? asciiJson(value) : JSON.stringify(value), 'utf8'),
  };
}

/** OpenCPS reads answers in the JVM's platform charset: isohub's own answers to it are ASCII-only JSON. */
function portalAnswer(ascii: boolean) {
  return (status: number, message: string, errors: FieldError[] = []): Answer =>
    ownAnswer(status, message, errors, { error_code: '-1', message }, ascii);
}

const opencps: SenderStyle = {
  name: 'opencps',
  label: 'opencps',
  base: 'tee',
  protocol: 'dvcqg-tee',
  match(suffix, config) {
    if (suffix === config.authPath) {
      return { kind: 'login', operation: 'login' };
    }
    if (suffix === config.integrationPath) {
      return { kind: 'data', operation: 'integration' };
    }
    return { kind: 'pass', operation: suffix };
  },
  accepts: (contentType) => jsonish(contentType),
  bodyCredential: (body) => (isRecord(body) && typeof body['session'] === 'string' ? body['session'] : null),
  loginAccount(raw) {
    const body = parseJson(raw);
    return isRecord(body) && typeof body['username'] === 'string' ? body['username'] : null;
  },
  senderForAccount: (config, account) =>
    config.senders.find((s) => s.style === 'opencps' && s.username === account) ?? null,
  issued(answer) {
    const body = parseJson(answer.body);
    const v = portalVerdict(answer);
    const session = isRecord(body) ? body['session'] : undefined;
    return v.outcome === 'delivered' && typeof session === 'string' && session !== ''
      ? { token: session, expiresInSeconds: null }
      : null;
  },
  readable: (body) =>
    isRecord(body) ? null : { field: '/', code: 'type', message: 'body must be a JSON object (an envelope)' },
  read(body) {
    const env = body as Record<string, unknown>;
    const service = typeof env['service'] === 'string' ? env['service'] : '';
    const operation = PORTAL_DATA_SERVICES[service];
    if (!operation) {
      return { kind: 'none', operation: service };
    }
    if (!Array.isArray(env['data'])) {
      return {
        kind: 'unreadable',
        operation: service,
        error: { field: '/data', code: 'type', message: 'data must be an array of items' },
      };
    }
    const madonvi = typeof env['madonvi'] === 'string' ? env['madonvi'] : null;
    return { kind: 'items', operation, items: env['data'], madonvi };
  },
  upstreamUrl(config, sender, suffix, query) {
    const base = sender?.upstream.baseUrl ?? config.teeUpstream.portalBaseUrl;
    return base ? `${base}${suffix}${query}` : null;
  },
  verdict: portalVerdict,
  answer: portalAnswer(true),
};

const thanhhoa: SenderStyle = {
  name: 'thanhhoa',
  label: 'thanhhoa',
  base: 'tee',
  protocol: 'dvcqg-tee-thanhhoa',
  match(suffix) {
    const m = /^\/th\/([^/]+)\/([^/]+)$/.exec(suffix);
    return m
      ? { kind: 'data', operation: decodeURIComponent(m[2] ?? ''), pathKey: decodeURIComponent(m[1] ?? '') }
      : null;
  },
  accepts: (contentType) => jsonish(contentType),
  loginAccount: () => null,
  senderForAccount: () => null,
  issued: () => null,
  readable: (body) =>
    Array.isArray(body) || isRecord(body)
      ? null
      : { field: '/', code: 'type', message: 'body must be a JSON array of items' },
  read(body, route) {
    const operation = THANHHOA_ACTIONS[route.operation.toLowerCase()];
    if (!operation) {
      return { kind: 'none', operation: route.operation };
    }
    return { kind: 'items', operation, items: Array.isArray(body) ? body : [body], madonvi: null };
  },
  upstreamUrl(config, sender, _suffix, query, route) {
    const urls = { ...config.portal.thanhhoa, ...pick(sender?.upstream) };
    const action = route.operation.toLowerCase();
    const url =
      action === 'themmoi'
        ? urls.createUrl
        : action === 'capnhat'
          ? urls.updateUrl
          : action === 'dongbotientrinh'
            ? urls.progressUrl
            : '';
    return url ? `${url}${query}` : null;
  },
  verdict: portalVerdict,
  // Thanh Hóa matches "thành công" on the raw text: its answers stay literal UTF-8 (and never say it on failure).
  answer: portalAnswer(false),
};

function pick(
  u: SenderConfig['upstream'] | undefined,
): Partial<Record<'createUrl' | 'updateUrl' | 'progressUrl', string>> {
  const out: Partial<Record<'createUrl' | 'updateUrl' | 'progressUrl', string>> = {};
  for (const k of ['createUrl', 'updateUrl', 'progressUrl'] as const) {
    if (u?.[k]) {
      out[k] = u[k];
    }
  }
  return out;
}

const lgspRest: SenderStyle = {
  name: 'lgsp',
  label: 'lgsp-rest',
  base: 'lgsp',
  protocol: 'lgsp-rest',
  match(suffix) {
    if (suffix === '/token') {
      return { kind: 'login', operation: 'token' };
    }
    return { kind: LGSP_DATA_PATHS[suffix] ? 'data' : 'pass', operation: suffix };
  },
  accepts(contentType, route) {
    const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
    // OpenCPS posts its token request without a Content-Type (the JDK then sends a form).
    return route.kind === 'login'
      ? type === '' || type === 'application/x-www-form-urlencoded' || jsonish(type)
      : jsonish(type);
  },
  headerCredential: (req) => bearerToken(req.headers.authorization),
  loginAccount(raw, req) {
    const read = readTokenRequest(raw, req.headers['content-type'], req.headers.authorization);
    return read.ok ? read.clientId : null;
  },
  senderForAccount: (config, account) =>
    config.senders.find((s) => s.style === 'lgsp' && s.clientId === account) ?? null,
  issued(answer) {
    const body = parseJson(answer.body);
    if (answer.status !== 200 || !isRecord(body) || typeof body['access_token'] !== 'string') {
      return null;
    }
    const expires = Number(body['expires_in']);
    return {
      token: body['access_token'],
      expiresInSeconds: Number.isFinite(expires) && expires > 0 ? expires : null,
    };
  },
  readable: (body) =>
    Array.isArray(body) || isRecord(body)
      ? null
      : { field: '/', code: 'type', message: 'body must be a JSON object or an array of objects' },
  read(body, route) {
    const operation = LGSP_DATA_PATHS[route.operation];
    return operation
      ? { kind: 'items', operation, items: Array.isArray(body) ? body : [body], madonvi: null }
      : { kind: 'none', operation: route.operation };
  },
  upstreamUrl(config, sender, suffix, query) {
    if (suffix === '/token') {
      const url =
        sender?.upstream.tokenUrl ??
        (sender?.upstream.baseUrl ? `${sender.upstream.baseUrl}/token` : config.teeUpstream.lgspTokenUrl);
      return url ? `${url}${query}` : null;
    }
    const base = sender?.upstream.baseUrl ?? config.teeUpstream.lgspBaseUrl;
    return base ? `${base}${suffix}${query}` : null;
  },
  /** OpenCPS's LGSP client counts only HTTP 200 as delivered; an `MResult` body's `Status` must agree. */
  verdict(answer) {
    const body = parseJson(answer.body);
    const status = isRecord(body) ? body['Status'] : undefined;
    const message = isRecord(body) ? text(body['Message']) : null;
    const ok = answer.status === 200 && (status === undefined || Number(status) === 200);
    return {
      outcome: ok ? 'delivered' : 'refused',
      errorCode: ok ? null : (text(status) ?? `HTTP ${answer.status}`),
      message: ok ? null : (message ?? answer.body.subarray(0, 200).toString('utf8')),
      stale: answer.status === 401,
    };
  },
  answer: (status, message, errors = []) =>
    ownAnswer(status, message, errors, { Status: status, Message: message }, true),
};

/** Every sender style, most specific routes first (Thanh Hóa's `/th/...` before OpenCPS's catch-all). */
export const SENDER_STYLES: readonly SenderStyle[] = [thanhhoa, opencps, lgspRest];

/** The style and route of a path under a base; the first style that claims it. */
export function routeOf(
  base: SenderStyle['base'],
  suffix: string,
  config: SyncServiceConfig,
): { style: SenderStyle; route: MatchedRoute } | null {
  for (const style of SENDER_STYLES) {
    if (style.base !== base) {
      continue;
    }
    const route = style.match(suffix, config);
    if (route) {
      return { style, route };
    }
  }
  return null;
}
