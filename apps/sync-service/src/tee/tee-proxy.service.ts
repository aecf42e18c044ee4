import { createHash } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import express, { type Request, type Response } from 'express';
import type { FieldError } from '@isohub/mapping';
import { SYNC_CONFIG, type SenderConfig, type SyncServiceConfig } from '../config/sync-service.config';
import { IngestService } from '../ingest/ingest.service';
import type { IngestResult } from '../ingest/ingest.types';
import { LgspHandler } from '../lgsp/lgsp.handler';
import { LgspTokenService } from '../lgsp/lgsp-token.service';
import { DeadLetterService } from './dead-letter.service';
import { routeOf, type Answer, type MatchedRoute, type SenderStyle } from './sender-styles';
import { LoginThrottle, SourceLimiter } from './source-limiter';
import { TeeCallStore } from './tee-calls.store';
import { parseJsonBody } from './tee-body';
import { identity, ipAllowed, TeeHandler } from './tee.handler';
import { TeeMetrics } from './tee-metrics';
import { TeeSessionService } from './tee-session.service';
import { relay, type RelayResult } from './upstream-relay';
import { UpstreamSessions, type IssuedTo } from './upstream-sessions.service';

/** An upstream session whose lifetime the answer does not state is remembered this long (or until stale). */
const DEFAULT_SESSION_DAYS = 7;

/** Thrown by the body reader with the status isohub answers (413 too large, 400 unreadable). */
class BodyError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The transparent tee (issue 9, docs/tee.md): every call under the tee and LGSP bases goes to the real
 * upstream with the sender's own bytes and credentials, and the upstream's answer comes back unchanged.
 * Beside that isohub remembers which configured sender each upstream session was issued to, and stores
 * (commits) the dossier data of an identified sender before forwarding it. What a style reads and how it is
 * identified lives in SENDER_STYLES; senders in `takeover` mode are handed to TeeHandler / LgspHandler.
 */
@Injectable()
export class TeeProxy {
  private readonly logger = new Logger(TeeProxy.name);
  private readonly limiter: SourceLimiter;
  private readonly logins: LoginThrottle;
  private readonly readers = new Map<number, express.RequestHandler>();

  constructor(
    @Inject(SYNC_CONFIG) private readonly config: SyncServiceConfig,
    private readonly sessions: UpstreamSessions,
    private readonly calls: TeeCallStore,
    private readonly ingest: IngestService,
    private readonly deadLetters: DeadLetterService,
    private readonly metrics: TeeMetrics,
    private readonly takeoverSessions: TeeSessionService,
    private readonly takeoverTee: TeeHandler,
    private readonly lgspTokens: LgspTokenService,
    private readonly takeoverLgsp: LgspHandler,
  ) {
    const l = config.teeLimits;
    this.limiter = new SourceLimiter(l.ratePerSecond, l.burst, l.concurrency);
    this.logins = new LoginThrottle(l.loginFailures, l.loginWindowSeconds * 1000);
  }

  /** One call under a base; `req.path` is the path below the base. */
  async handle(base: SenderStyle['base'], req: Request, res: Response): Promise<void> {
    const receivedAt = new Date();
    const suffix = req.path;
    const matched = routeOf(base, suffix, this.config);
    if (!matched) {
      res.status(404).end();
      return;
    }
    const { style, route } = matched;
    if (route.kind !== 'pass' && req.method !== 'POST') {
      res.setHeader('Allow', 'POST');
      this.refuse(style, route, res, 405, `phương thức ${req.method} không được hỗ trợ, dùng POST`);
      return;
    }
    // Who is calling, as far as the request says before its body.
    let sender: SenderConfig | null = null;
    if (route.pathKey !== undefined) {
      sender = this.takeoverSessions.senderByPathKey(route.pathKey);
      if (!sender || !ipAllowed(sender, req.ip)) {
        this.logger.warn(`${style.label} call with an unknown path key from ${req.ip ?? '?'}`);
        this.refuse(style, route, res, 404, 'không tìm thấy địa chỉ');
        return;
      }
    }
    const headerCredential = style.headerCredential?.(req) ?? null;
    let issuedTo: IssuedTo | null = null;
    let takeover: SenderConfig | null = sender?.mode === 'takeover' ? sender : null;
    if (headerCredential !== null) {
      takeover = this.lgspTokens.verify(headerCredential);
      issuedTo = takeover ? null : await this.sessions.find(headerCredential);
    }
    const known = sender ?? takeover ?? issuedTo?.sender ?? null;
    const slot = this.limiter.acquire(known ? `sender:${known.id}` : `ip:${req.ip ?? '?'}`);
    if (!slot.ok) {
      res.setHeader('Retry-After', String(slot.retryAfterSeconds));
      this.refuse(style, route, res, 429, 'quá nhiều yêu cầu, vui lòng gửi lại sau');
      return;
    }
    try {
      if (route.kind !== 'pass' && !style.accepts(req.headers['content-type'], route)) {
        this.refuse(
          style,
          route,
          res,
          415,
          `kiểu nội dung ${req.headers['content-type'] ?? ''} không được hỗ trợ`,
        );
        return;
      }
      const limit =
        route.kind === 'login'
          ? this.config.teeLimits.loginBodyBytes
          : known || style.bodyCredential
            ? this.maxBodyBytes()
            : this.config.teeLimits.unidentifiedBodyBytes;
      let raw: Buffer;
      try {
        raw = await this.readBody(req, res, limit);
      } catch (error) {
        if (error instanceof BodyError) {
          this.refuse(style, route, res, error.status, error.message);
          return;
        }
        throw error;
      }
      req.body = raw;
      if (route.kind === 'login') {
        await this.login(style, route, req, res, raw);
        return;
      }
      if (takeover) {
        await this.takeoverCall(style, route, req, res, takeover);
        return;
      }
      await this.call(style, route, req, res, raw, receivedAt, sender, issuedTo, headerCredential);
    } finally {
      slot.release();
    }
  }

  private async login(
    style: SenderStyle,
    route: MatchedRoute,
    req: Request,
    res: Response,
    raw: Buffer,
  ): Promise<void> {
    const account = style.loginAccount(raw, req);
    const sender = account === null ? null : style.senderForAccount(this.config, account);
    if (sender?.mode === 'takeover') {
      const key = `${sender.id}|${req.ip ?? '?'}`;
      if (this.logins.blocked(key)) {
        res.setHeader('Retry-After', String(this.config.teeLimits.loginWindowSeconds));
        this.refuse(style, route, res, 429, 'đăng nhập sai quá nhiều lần, vui lòng thử lại sau');
        return;
      }
      const ok =
        style.name === 'lgsp'
          ? (await this.takeoverLgsp.token(req, res), res.statusCode === 200)
          : await this.takeoverTee.login(req, res);
      if (ok) {
        this.logins.succeed(key);
      } else {
        this.logins.fail(key);
      }
      this.metrics.count(style.label, 'login', ok ? 'taken-over' : 'rejected');
      return;
    }
    if (style.name !== 'lgsp' && !this.readableJson(raw)) {
      this.refuse(style, route, res, 400, 'nội dung yêu cầu không phải JSON hợp lệ');
      return;
    }
    const result = await this.forward(style, route, req, raw, sender);
    if (result.kind === 'answer' && sender && account !== null) {
      const issued = style.issued(result.answer);
      if (issued) {
        const seconds = issued.expiresInSeconds ?? DEFAULT_SESSION_DAYS * 86_400;
        // Recorded before the sender has the session, so its first call is already identified.
        await this.sessions.record(
          issued.token,
          { sender, account, agency: sender.agency },
          new Date(Date.now() + seconds * 1000),
        );
      }
    }
    this.metrics.count(style.label, 'login', this.outcomeOf(style, result, sender !== null));
    this.relayAnswer(style, res, result);
  }

  private async call(
    style: SenderStyle,
    route: MatchedRoute,
    req: Request,
    res: Response,
    raw: Buffer,
    receivedAt: Date,
    pathSender: SenderConfig | null,
    headerIssued: IssuedTo | null,
    headerCredential: string | null,
  ): Promise<void> {
    let body: unknown;
    if (route.kind === 'data') {
      const problem = this.unreadable(raw, style);
      if (problem) {
        await this.deadLetters.rawRequest({
          senderId: pathSender?.id ?? headerIssued?.sender.id ?? 'unauthenticated',
          protocol: style.protocol,
          operation: route.operation,
          raw,
          error: problem,
          receivedAt,
        });
        this.refuse(style, route, res, 400, `nội dung yêu cầu không đọc được: ${problem.message}`, [problem]);
        return;
      }
      body = JSON.parse(stripBom(raw.toString('utf8'))) as unknown; // readable: checked above
    }
    const bodyCredential = route.kind === 'data' ? (style.bodyCredential?.(body) ?? null) : null;
    if (bodyCredential !== null) {
      const takeover = this.takeoverSessions.verify(bodyCredential);
      if (takeover) {
        await this.takeoverCall(style, route, req, res, takeover);
        return;
      }
    }
    const issuedTo =
      headerIssued ?? (bodyCredential === null ? null : await this.sessions.find(bodyCredential));
    const sender = pathSender ?? issuedTo?.sender ?? null;
    if (!sender && raw.length > this.config.teeLimits.unidentifiedBodyBytes) {
      this.refuse(style, route, res, 413, 'nội dung yêu cầu quá lớn');
      return;
    }
    // Dossier data of an identified sender is committed before the upstream sees it.
    let stored: { result: IngestResult; operation: string } | null = null;
    if (route.kind === 'data' && sender) {
      const reading = style.read(body, route, sender);
      if (reading.kind === 'unreadable') {
        await this.deadLetters.rawRequest({
          senderId: sender.id,
          protocol: style.protocol,
          operation: reading.operation,
          raw,
          error: reading.error,
          receivedAt,
        });
      } else if (reading.kind === 'items') {
        const result = await this.ingest.ingest({
          sender: {
            ...identity(sender, reading.madonvi ?? issuedTo?.agency ?? sender.agency),
            literalZ: sender.literalZ,
            lgspStatusMap: sender.statusMap,
          },
          protocol: style.protocol,
          operation: reading.operation,
          items: reading.items,
          receivedAt,
          traceparent: typeof req.headers.traceparent === 'string' ? req.headers.traceparent : undefined,
          forward: null,
        });
        stored = { result, operation: reading.operation };
      }
    }
    const result = await this.forward(style, route, req, raw, sender);
    const credential = headerCredential ?? bodyCredential;
    if (result.kind === 'answer' && credential !== null && issuedTo && style.verdict(result.answer).stale) {
      await this.sessions.markStale(credential);
    }
    const outcome = this.outcomeOf(style, result, sender !== null);
    if (stored && sender) {
      await this.keep(style, sender, stored, result, raw, receivedAt);
    }
    this.metrics.count(style.label, stored ? 'data' : 'pass', outcome);
    this.relayAnswer(style, res, result);
  }

  /** The upstream's answer beside the request; a failure to keep it never costs the sender its answer. */
  private async keep(
    style: SenderStyle,
    sender: SenderConfig,
    stored: { result: IngestResult; operation: string },
    result: RelayResult,
    raw: Buffer,
    receivedAt: Date,
  ): Promise<void> {
    const verdict = result.kind === 'answer' ? style.verdict(result.answer) : null;
    const codes = [
      ...new Set(stored.result.items.flatMap((i) => (i.dossierCode === null ? [] : [i.dossierCode]))),
    ];
    try {
      await this.calls.add({
        sender: sender.id,
        style: style.label,
        operation: stored.operation,
        dossierCodes: codes,
        outcome: verdict ? verdict.outcome : 'unanswered',
        httpStatus: result.kind === 'answer' ? result.answer.status : null,
        errorCode: verdict?.errorCode ?? null,
        message: verdict ? verdict.message : result.kind === 'unreachable' ? result.detail : null,
        requestSha256: createHash('sha256').update(raw).digest('hex'),
        receivedAt,
      });
    } catch (error) {
      this.logger.error(`could not keep the upstream's answer for ${sender.id}: ${String(error)}`);
    }
  }

  private async takeoverCall(
    style: SenderStyle,
    route: MatchedRoute,
    req: Request,
    res: Response,
    sender: SenderConfig,
  ): Promise<void> {
    this.metrics.count(style.label, route.kind, 'taken-over');
    if (style.name === 'thanhhoa') {
      await this.takeoverTee.thanhHoa(req, res, route.pathKey ?? '', route.operation);
    } else if (style.name === 'opencps' && route.kind === 'data') {
      await this.takeoverTee.integration(req, res);
    } else if (style.name === 'lgsp' && route.kind === 'data') {
      const operation = route.operation.endsWith('SyncDocument')
        ? 'LgspSyncDocument'
        : 'LgspUpdateDocumentTraces';
      await this.takeoverLgsp.documents(req, res, sender, operation);
    } else {
      // Takeover answers only the sync services itself; it has no upstream session to relay anything else with.
      this.refuse(style, route, res, 404, 'dịch vụ không được hỗ trợ ở chế độ tiếp quản');
    }
  }

  private async forward(
    style: SenderStyle,
    route: MatchedRoute,
    req: Request,
    raw: Buffer,
    sender: SenderConfig | null,
  ): Promise<RelayResult> {
    const url = style.upstreamUrl(this.config, sender, req.path, queryOf(req.originalUrl), route);
    if (url === null) {
      return { kind: 'unreachable', reason: 'connection', detail: 'no upstream configured' };
    }
    const result = await relay({
      url,
      method: req.method,
      headers: req.headers,
      body: raw,
      timeoutMs: this.config.teeUpstream.timeoutMs,
      maxAnswerBytes: this.config.teeUpstream.maxAnswerBytes,
    });
    if (result.kind === 'unreachable') {
      this.logger.warn(`${style.label} upstream unreachable (${result.reason}): ${result.detail}`);
    }
    return result;
  }

  /** The upstream's answer, byte for byte; or, when there is none, a failure the sender reads as failure. */
  private relayAnswer(style: SenderStyle, res: Response, result: RelayResult): void {
    if (result.kind === 'unreachable') {
      const status = result.reason === 'timeout' ? 504 : 502;
      const what = style.base === 'lgsp' ? 'LGSP' : 'Cổng DVCQG';
      send(res, style.answer(status, `${what} không phản hồi, yêu cầu chưa được chuyển; vui lòng gửi lại`));
      return;
    }
    const a = result.answer;
    for (const [name, value] of Object.entries(a.headers)) {
      res.setHeader(name, value);
    }
    res.status(a.status);
    if (a.contentType !== null) {
      res.setHeader('Content-Type', a.contentType);
    }
    res.end(a.body);
  }

  private outcomeOf(style: SenderStyle, result: RelayResult, identified: boolean): string {
    if (result.kind === 'unreachable') {
      return 'unanswered';
    }
    return identified ? style.verdict(result.answer).outcome : 'unidentified';
  }

  /** isohub's own answer: the request was not forwarded. */
  private refuse(
    style: SenderStyle,
    route: MatchedRoute,
    res: Response,
    status: number,
    message: string,
    errors: FieldError[] = [],
  ): void {
    this.metrics.count(style.label, route.kind, 'rejected');
    send(res, style.answer(status, message, errors));
  }

  private unreadable(raw: Buffer, style: SenderStyle): FieldError | null {
    const parsed = parseJsonBody(raw);
    return parsed.ok ? style.readable(parsed.value) : parsed.error;
  }

  private readableJson(raw: Buffer): boolean {
    return parseJsonBody(raw).ok;
  }

  private maxBodyBytes(): number {
    const limit = this.config.maxBodyBytes;
    const m = /^(\d+)\s*(b|kb|mb|gb)?$/i.exec(limit.trim());
    const units: Record<string, number> = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 };
    return m ? Number(m[1]) * (units[(m[2] ?? 'b').toLowerCase()] ?? 1) : 64 * 1024 ** 2;
  }

  private readBody(req: Request, res: Response, limit: number): Promise<Buffer> {
    let reader = this.readers.get(limit);
    if (!reader) {
      reader = express.raw({ type: () => true, limit });
      this.readers.set(limit, reader);
    }
    const read = reader;
    return new Promise((resolve, reject) => {
      read(req, res, (err?: unknown) => {
        if (err) {
          const status = (err as { status?: number }).status;
          reject(
            status === 413
              ? new BodyError(413, 'nội dung yêu cầu quá lớn')
              : new BodyError(400, 'không đọc được nội dung yêu cầu'),
          );
          return;
        }
        resolve(Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0));
      });
    });
  }
}

function send(res: Response, a: Answer): void {
  res.status(a.status).setHeader('Content-Type', a.contentType);
  res.end(a.body);
}

function queryOf(url: string): string {
  const i = url.indexOf('?');
  return i < 0 ? '' : url.slice(i);
}

function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
