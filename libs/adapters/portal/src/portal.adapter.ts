import { Logger } from '@nestjs/common';
import axios, { type AxiosInstance, isAxiosError } from 'axios';
import {
  type CircuitBreakerPolicy,
  ConsecutiveBreaker,
  circuitBreaker,
  handleWhen,
  isBrokenCircuitError,
  isIsolatedCircuitError,
} from 'cockatiel';
import {
  parseJsonBody,
  parsePortalAnswer,
  parseRawPostAnswer,
  readLookupResult,
  readText,
} from './portal-answer';
import { parseCatalogueAnswer, readProcedureList, readProcedureRecord } from './portal-catalogue-answer';
import type { PortalConfig } from './portal.config';
import { isPortalError, PortalError, portalErrorForStatus } from './portal.errors';
import type {
  GetProcedureParams,
  ListProceduresParams,
  LookupDossierParams,
  PortalAnswer,
  PortalConnectionCheck,
  PortalLookupAnswer,
  PortalPort,
  PortalProcedureAnswer,
  PortalProcedureListAnswer,
  PostRawParams,
  SendEnvelopeParams,
} from './portal.port';
import { isStaleSessionAnswer } from './portal-session';

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
]);
const TIMEOUT_CODES = new Set(['ECONNABORTED', 'ETIMEDOUT', 'ESOCKETTIMEDOUT']);

/**
 * Converts an HTTP client failure into a PortalError. The cause is rebuilt from code and message
 * only: the client's error object holds the request body and headers (password, session).
 */
function toPortalError(error: unknown, what: string, deadline: AbortSignal): PortalError {
  if (isPortalError(error)) {
    return error;
  }
  const code = isAxiosError(error) ? (error.code ?? '') : '';
  const detail = error instanceof Error ? error.message : String(error);
  const cause = Object.assign(new Error(detail), { code });
  if (TIMEOUT_CODES.has(code) || (code === 'ERR_CANCELED' && deadline.aborted)) {
    return new PortalError('TIMEOUT', `${what}: portal did not answer in time`, { cause });
  }
  if (UNAVAILABLE_CODES.has(code)) {
    return new PortalError('UNAVAILABLE', `${what}: portal unreachable (${code})`, { cause });
  }
  if (/maxContentLength/i.test(detail)) {
    return new PortalError('BAD_RESPONSE', `${what}: answer larger than maxResponseBytes; refused`, {
      cause,
      retryable: false,
    });
  }
  if (code.startsWith('ERR_FR_') || code === 'ERR_BAD_RESPONSE') {
    return new PortalError('BAD_RESPONSE', `${what}: unusable answer (${code})`, { cause });
  }
  return new PortalError('UNAVAILABLE', `${what}: request failed (${code || detail})`, { cause });
}

function toTrueFalse(value: boolean | 'True' | 'False'): 'True' | 'False' {
  if (typeof value === 'boolean') {
    return value ? 'True' : 'False';
  }
  return value;
}

/**
 * DVCQG client over axios. One cached session per instance, renewed after `sessionMaxAgeMs` or when
 * an answer says it is stale. A circuit breaker per portal origin stops calls while the portal is
 * down; retries and backoff belong to the caller's store-and-forward queue, so a call retries only
 * once, after a re-login.
 */
export class PortalAdapter implements PortalPort {
  private readonly logger = new Logger(PortalAdapter.name);
  private readonly http: AxiosInstance;
  private readonly breakers = new Map<string, CircuitBreakerPolicy>();
  private session: { token: string; obtainedAt: number } | null = null;
  private pendingLogin: Promise<string> | null = null;

  constructor(private readonly config: PortalConfig) {
    this.http = axios.create({
      timeout: config.timeoutMs,
      maxContentLength: config.maxResponseBytes,
      responseType: 'text',
      transformRequest: [(data: unknown) => data],
      transformResponse: [(data: unknown) => data],
      validateStatus: () => true,
      // A redirected POST becomes a GET and loses its body; a moved portal is a configuration fix.
      maxRedirects: 0,
    });
  }

  async sendEnvelope({ service, madonvi, isUpdating, data }: SendEnvelopeParams): Promise<PortalAnswer> {
    return this.withSession(service, async (session) => {
      const envelope = {
        session,
        madonvi,
        service,
        ...(isUpdating === undefined ? {} : { isUpdating: toTrueFalse(isUpdating) }),
        data,
      };
      return this.post(this.integrationUrl(), JSON.stringify(envelope), service, (text) =>
        parsePortalAnswer(parseJsonBody(text, service)),
      );
    });
  }

  async lookupDossier({ madonvi, maHoSo }: LookupDossierParams): Promise<PortalLookupAnswer> {
    return this.withSession('TraCuuHoSo', async (session) => {
      // Lower-case `mahoso`, as OpenCPS's searchDossier sends it (docs/research/wire-formats.md §1.5).
      const body = JSON.stringify({ session, madonvi, service: 'TraCuuHoSo', mahoso: maHoSo });
      const answer = await this.post(this.integrationUrl(), body, 'TraCuuHoSo', (text) =>
        parsePortalAnswer(parseJsonBody(text, 'TraCuuHoSo')),
      );
      return { ...answer, dossiers: readLookupResult(answer.raw) };
    });
  }

  /** `{session, madonvi, service}` to the share endpoint, as OC21's getSharingDictCollection posts it. */
  async listProcedures({ madonvi }: ListProceduresParams): Promise<PortalProcedureListAnswer> {
    const what = 'LayDanhSachTTHC';
    return this.withSession(what, async (session) => {
      const body = JSON.stringify({ session, madonvi, service: what });
      return this.post(this.shareUrl(), body, what, (text) => {
        const { answer, result } = parseCatalogueAnswer(text, what);
        const procedures = answer.outcome === 'success' ? readProcedureList(result ?? [], what) : [];
        return { ...answer, procedures };
      });
    });
  }

  /** `{madonvi, maTTHC, session, service}` to the integration endpoint, as OpenCPS's LayThuTuc call. */
  async getProcedure({ madonvi, maTTHC }: GetProcedureParams): Promise<PortalProcedureAnswer> {
    const what = 'LayThuTuc';
    return this.withSession(what, async (session) => {
      const body = JSON.stringify({ madonvi, maTTHC, session, service: what });
      return this.post(this.integrationUrl(), body, what, (text) => {
        const { answer, result } = parseCatalogueAnswer(text, what);
        const procedure = answer.outcome === 'success' ? readProcedureRecord(result, what) : null;
        return { ...answer, procedure };
      });
    });
  }

  async postRaw({ url, body }: PostRawParams): Promise<PortalAnswer> {
    let protocol = '';
    try {
      protocol = new URL(url).protocol;
    } catch {
      // fall through to the error below
    }
    if (protocol !== 'http:' && protocol !== 'https:') {
      throw new PortalError('REJECTED', 'postRaw: url must be an absolute http(s) URL');
    }
    const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
    return this.post(url, bytes, 'postRaw', (text) => parseRawPostAnswer(text, 'postRaw'));
  }

  /** Logs in afresh, past the circuit breaker: the admin's "test connection" must see the portal itself. */
  async checkConnection(): Promise<PortalConnectionCheck> {
    const target = `${this.config.baseUrl}${this.config.authPath}`;
    try {
      await this.login({ bypassBreaker: true });
      return { ok: true, detail: `logged in at ${target}` };
    } catch (error) {
      const failure = isPortalError(error)
        ? error
        : new PortalError('UNAVAILABLE', `login: ${String(error)}`);
      return { ok: false, detail: `${failure.code}: ${failure.message} (${target})` };
    }
  }

  private integrationUrl(): string {
    return `${this.config.baseUrl}${this.config.integrationPath}`;
  }

  private shareUrl(): string {
    return `${this.config.baseUrl}${this.config.sharePath}`;
  }

  private async withSession<T extends PortalAnswer>(
    what: string,
    call: (session: string) => Promise<T>,
  ): Promise<T> {
    const session = this.cachedSession() ?? (await this.login());
    const first = await this.callRecognisingStaleSession(call, session);
    if (first !== 'stale') {
      return first;
    }
    this.logger.warn(`${what}: portal refused the cached session; logging in again`);
    if (this.session?.token === session) {
      this.session = null;
    }
    const second = await this.callRecognisingStaleSession(call, await this.login());
    if (second === 'stale') {
      throw new PortalError('AUTH_FAILED', `${what}: portal refused a fresh session`);
    }
    return second;
  }

  private cachedSession(): string | null {
    if (this.session && Date.now() - this.session.obtainedAt < this.config.sessionMaxAgeMs) {
      return this.session.token;
    }
    return null;
  }

  private async callRecognisingStaleSession<T extends PortalAnswer>(
    call: (session: string) => Promise<T>,
    session: string,
  ): Promise<T | 'stale'> {
    try {
      const answer = await call(session);
      return isStaleSessionAnswer(answer) ? 'stale' : answer;
    } catch (error) {
      if (isPortalError(error) && error.code === 'AUTH_FAILED' && error.httpStatus !== null) {
        return 'stale';
      }
      throw error;
    }
  }

  /** One login at a time: concurrent calls that find no session share it. */
  private login(options: { bypassBreaker?: boolean } = {}): Promise<string> {
    if (options.bypassBreaker) {
      return this.doLogin(true);
    }
    this.pendingLogin ??= this.doLogin(false).finally(() => {
      this.pendingLogin = null;
    });
    return this.pendingLogin;
  }

  private async doLogin(bypassBreaker: boolean): Promise<string> {
    const url = `${this.config.baseUrl}${this.config.authPath}`;
    const body = JSON.stringify({ username: this.config.username, password: this.config.password });
    const parse = (text: string) => parseJsonBody(text, 'login');
    const raw = bypassBreaker
      ? parse(await this.postOnce(url, body, 'login'))
      : await this.post(url, body, 'login', parse);
    const record = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>) : {};
    const errorCode = readText(record['error_code']) ?? '';
    const session = record['session'];
    if ((errorCode === '0' || errorCode === '00') && typeof session === 'string' && session !== '') {
      this.session = { token: session, obtainedAt: Date.now() };
      this.logger.log(`logged in to the portal as ${this.config.username}`);
      return session;
    }
    const message = typeof record['message'] === 'string' ? record['message'].normalize('NFC') : '';
    throw new PortalError(
      'AUTH_FAILED',
      `login refused (error_code "${errorCode}"${message ? `: ${message}` : ''})`,
    );
  }

  /**
   * Posts through the origin's circuit breaker. Parsing runs inside it, so a portal that keeps answering
   * with something unusable (a maintenance page) opens the circuit like one that is down.
   */
  private async post<T>(
    url: string,
    body: string | Buffer,
    what: string,
    parse: (text: string) => T,
  ): Promise<T> {
    const breaker = this.breakerFor(url);
    try {
      return await breaker.execute(async () => parse(await this.postOnce(url, body, what)));
    } catch (error) {
      if (isBrokenCircuitError(error) || isIsolatedCircuitError(error)) {
        throw new PortalError(
          'UNAVAILABLE',
          `${what}: circuit open after repeated portal failures; not calling`,
          {
            cause: new Error(error.message),
          },
        );
      }
      throw error;
    }
  }

  private async postOnce(url: string, body: string | Buffer, what: string): Promise<string> {
    const deadline = AbortSignal.timeout(this.config.timeoutMs);
    const started = Date.now();
    let status: number;
    let text: string;
    try {
      const response = await this.http.post<string>(url, body, {
        headers: { ...this.config.headers, 'Content-Type': 'application/json', Accept: 'application/json' },
        signal: deadline,
      });
      status = response.status;
      text = typeof response.data === 'string' ? response.data : String(response.data ?? '');
    } catch (error) {
      const failure = toPortalError(error, what, deadline);
      this.logger.warn(`${what}: ${failure.code} after ${Date.now() - started} ms: ${failure.message}`);
      throw failure;
    }
    this.logger.debug(`${what}: HTTP ${status} in ${Date.now() - started} ms`);
    if (status >= 300 && status < 400) {
      throw new PortalError(
        'BAD_RESPONSE',
        `${what}: portal redirected (HTTP ${status}); configure the final URL`,
        {
          httpStatus: status,
          retryable: false,
        },
      );
    }
    if (status >= 400) {
      throw portalErrorForStatus(status, what);
    }
    return text;
  }

  private breakerFor(url: string): CircuitBreakerPolicy {
    const origin = new URL(url).origin;
    let breaker = this.breakers.get(origin);
    if (!breaker) {
      const created = circuitBreaker(
        handleWhen((error) => isPortalError(error) && error.retryable),
        {
          halfOpenAfter: this.config.breaker.halfOpenAfterMs,
          breaker: new ConsecutiveBreaker(this.config.breaker.consecutiveFailures),
        },
      );
      created.onBreak(() => this.logger.error(`circuit to ${origin} opened: the portal keeps failing`));
      created.onReset(() => this.logger.log(`circuit to ${origin} closed: the portal answers again`));
      breaker = created;
      this.breakers.set(origin, breaker);
    }
    return breaker;
  }
}
