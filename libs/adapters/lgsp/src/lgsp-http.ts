import axios, { type AxiosInstance, type AxiosResponse, getAdapter, isAxiosError } from 'axios';
import type { LgspConfig } from './lgsp.config';
import { isLgspError, LgspError } from './lgsp.errors';

const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'EHOSTDOWN',
  'ERR_NETWORK',
]);
const TIMEOUT_CODES = new Set(['ECONNABORTED', 'ETIMEDOUT', 'ESOCKETTIMEDOUT']);

/** A short label for logs and error messages: method and path, never the query (it may carry a key). */
export function describeRequest(method: string | undefined, url: string | undefined): string {
  let path = url ?? '?';
  try {
    path = new URL(url ?? '').pathname;
  } catch {
    // keep what we have
  }
  return `${(method ?? 'get').toUpperCase()} ${path}`;
}

/**
 * Converts an HTTP client failure into an LgspError. The cause is rebuilt from code and message only: the
 * client's error object holds the request headers (the bearer token) and body (client credentials).
 */
export function toLgspError(error: unknown, what: string): LgspError {
  if (isLgspError(error)) {
    return error;
  }
  const code = isAxiosError(error) ? (error.code ?? '') : '';
  const detail = error instanceof Error ? error.message : String(error);
  const cause = Object.assign(new Error(detail), { code });
  const deadlinePassed =
    isAxiosError(error) && (error.config?.signal as AbortSignal | undefined)?.aborted === true;
  if (TIMEOUT_CODES.has(code) || (code === 'ERR_CANCELED' && deadlinePassed)) {
    return new LgspError('TIMEOUT', `${what}: LGSP did not answer in time`, { cause });
  }
  if (UNAVAILABLE_CODES.has(code) || /socket hang up/i.test(detail)) {
    return new LgspError('UNAVAILABLE', `${what}: LGSP unreachable (${code || detail})`, { cause });
  }
  if (/maxContentLength/i.test(detail)) {
    return new LgspError('BAD_RESPONSE', `${what}: answer larger than maxResponseBytes; refused`, {
      cause,
      retryable: false,
    });
  }
  if (code.startsWith('ERR_FR_') || code === 'ERR_BAD_RESPONSE') {
    return new LgspError('BAD_RESPONSE', `${what}: unusable answer (${code})`, { cause });
  }
  return new LgspError('UNAVAILABLE', `${what}: request failed (${code || detail})`, { cause });
}

/**
 * Runs an upstream call under the caller's limits (a poller's rate limit and concurrency cap for the bus);
 * the same shape as the one-stop adapters' RequestGate.
 */
export type LgspRequestGate = <T>(call: () => Promise<T>) => Promise<T>;

/**
 * An axios instance for one bus: bodies as text (parsing is ours, so XML never meets a parser we did not
 * configure), every status resolved (callers classify), no redirects (a redirected POST loses its body and
 * a bearer token must not follow it to another host), a whole-call deadline per request, answers capped at
 * `maxResponseBytes`, transport failures rejected as LgspError, and each exchange run through `gate` if given.
 */
export function createLgspHttp(
  config: Pick<LgspConfig, 'timeoutMs' | 'maxResponseBytes' | 'headers'>,
  gate?: LgspRequestGate,
): AxiosInstance {
  const transport = getAdapter(axios.defaults.adapter);
  const http = axios.create({
    // Every HTTP exchange (token, REST, WSDL, SOAP) passes the gate, whoever starts it.
    ...(gate ? { adapter: (request) => gate(() => transport(request)) } : {}),
    timeout: config.timeoutMs,
    maxContentLength: config.maxResponseBytes,
    maxRedirects: 0,
    responseType: 'text',
    transformResponse: [(data: unknown) => data],
    validateStatus: () => true,
  });
  http.interceptors.request.use((request) => {
    // axios's `timeout` is an idle timer: a server dripping bytes never trips it. The signal is a deadline.
    request.signal ??= AbortSignal.timeout(config.timeoutMs);
    for (const [name, value] of Object.entries(config.headers)) {
      if (!request.headers.has(name)) {
        request.headers.set(name, value);
      }
    }
    return request;
  });
  http.interceptors.response.use(undefined, (error: unknown) =>
    Promise.reject(
      toLgspError(
        error,
        isAxiosError(error) ? describeRequest(error.config?.method, error.config?.url) : 'LGSP call',
      ),
    ),
  );
  return http;
}

/** The answer body as text, whatever axios handed over. */
export function bodyText(response: AxiosResponse): string {
  const data: unknown = response.data;
  if (typeof data === 'string') {
    return data;
  }
  if (Buffer.isBuffer(data)) {
    return data.toString('utf8');
  }
  return data === undefined || data === null ? '' : JSON.stringify(data);
}

/** The `Content-Type` of an answer, lower-cased, without parameters; '' when absent. */
export function contentTypeOf(response: AxiosResponse): string {
  const raw: unknown = response.headers['content-type'];
  const text = Array.isArray(raw) ? String(raw[0]) : typeof raw === 'string' ? raw : '';
  return text.split(';')[0]?.trim().toLowerCase() ?? '';
}
