import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { problem, sendProblem } from '../http/problem';
import { IngestService } from '../ingest/ingest.service';
import type { IngestOperation, IngestRequest, SenderIdentity } from '../ingest/ingest.types';
import { SYNC_CONFIG, type SenderConfig, type SyncServiceConfig } from '../config/sync-service.config';
import { TakeoverUpstreams } from '../forward/takeover-upstreams';
import { DeadLetterService } from './dead-letter.service';
import { LookupService } from './lookup.service';
import { asciiJson, ingestAnswer } from './tee-answer';
import { isRecord, parseItemsBody, parseJsonBody } from './tee-body';
import { TeeSessionService } from './tee-session.service';

const INGEST_SERVICES: readonly string[] = ['DongBoHoSoMC', 'CapNhatTienDoHoSoMC'];
const TH_OPERATIONS: Record<string, { op: IngestOperation; forward: 'create' | 'update' | 'progress' }> = {
  themmoi: { op: 'DongBoHoSoMC', forward: 'create' },
  capnhat: { op: 'DongBoHoSoMC', forward: 'update' },
  dongbotientrinh: { op: 'CapNhatTienDoHoSoMC', forward: 'progress' },
};

/**
 * The portal tee for senders in `takeover` mode (docs/tee.md): isohub logs the sender in itself, answers
 * at commit and delivers later with the sender's own portal account (the forwarder). Two sender styles
 * (DOMAIN.md §4.1): OpenCPS (session login + envelope) and Thanh Hóa (bare arrays to three URLs,
 * no credentials, so the sender is identified by a secret path key and an optional IP allow-list).
 * Transparent senders (the default) never reach it: TeeProxy relays them.
 */
@Injectable()
export class TeeHandler {
  private readonly logger = new Logger(TeeHandler.name);

  constructor(
    private readonly sessions: TeeSessionService,
    private readonly ingest: IngestService,
    private readonly deadLetters: DeadLetterService,
    private readonly lookup: LookupService,
    private readonly upstreams: TakeoverUpstreams,
    @Inject(SYNC_CONFIG) private readonly config: SyncServiceConfig,
  ) {}

  /** Takeover login (isohub's own session); false when the credentials were wrong. */
  async login(req: Request, res: Response): Promise<boolean> {
    const body = parseJsonBody(req.body as Buffer);
    const creds = body.ok && isRecord(body.value) ? body.value : {};
    const result = this.sessions.login(creds['username'], creds['password']);
    if (!result) {
      this.logger.warn(`portal login refused from ${req.ip ?? '?'}`);
      sendAscii(res, 401, { error_code: '401', message: 'Sai tên đăng nhập hoặc mật khẩu' });
      return false;
    }
    sendAscii(res, 200, { error_code: '0', message: 'Đăng nhập thành công', session: result.session });
    return true;
  }

  async integration(req: Request, res: Response): Promise<void> {
    const receivedAt = new Date();
    const raw = req.body as Buffer;
    const body = parseJsonBody(raw);
    if (!body.ok || !isRecord(body.value)) {
      const error = body.ok
        ? { field: '/', code: 'type' as const, message: 'body must be a JSON object' }
        : body.error;
      await this.deadLetters.rawRequest({
        senderId: 'unauthenticated',
        protocol: 'dvcqg-tee',
        operation: null,
        raw,
        error,
        receivedAt,
      });
      sendProblem(res, problem(400, 'Invalid request body', error.message, [error], { error_code: '-1' }));
      return;
    }
    const env = body.value;
    const sender = this.sessions.verify(env['session']);
    if (!sender) {
      // OpenCPS re-logs in when the answer says its session is stale.
      sendProblem(
        res,
        problem(
          401,
          'Session invalid or expired',
          'log in again',
          [{ field: '/session', code: 'required', message: 'invalid or expired session' }],
          { error_code: '401' },
        ),
      );
      return;
    }
    const service = typeof env['service'] === 'string' ? env['service'] : '';
    if (service === 'TraCuuHoSo') {
      const own = this.upstreams.sender(sender.id);
      sendAscii(res, 200, await this.lookup.lookup(env, own ? this.upstreams.portal(own) : null));
      return;
    }
    if (!INGEST_SERVICES.includes(service)) {
      const error = {
        field: '/service',
        code: 'range' as const,
        message: `unsupported service "${service}"`,
      };
      sendProblem(res, problem(400, 'Unsupported service', error.message, [error], { error_code: '-1' }));
      return;
    }
    if (!Array.isArray(env['data'])) {
      const error = { field: '/data', code: 'type' as const, message: 'data must be an array of items' };
      await this.deadLetters.rawRequest({
        senderId: sender.id,
        protocol: 'dvcqg-tee',
        operation: service,
        raw,
        error,
        receivedAt,
      });
      sendProblem(res, problem(422, 'Invalid envelope', error.message, [error], { error_code: '-1' }));
      return;
    }
    const madonvi = typeof env['madonvi'] === 'string' ? env['madonvi'] : null;
    const flag = env['isUpdating'];
    const isUpdating = typeof flag === 'string' || typeof flag === 'boolean' ? String(flag) : null;
    await this.run(res, 'opencps', {
      sender: identity(sender, madonvi),
      protocol: 'dvcqg-tee',
      operation: service as IngestOperation,
      items: env['data'],
      receivedAt,
      traceparent: header(req, 'traceparent'),
      forward: { style: 'opencps', operation: service, madonvi, isUpdating, body: raw },
    });
  }

  async thanhHoa(req: Request, res: Response, key: string, action: string): Promise<void> {
    const receivedAt = new Date();
    const sender = this.sessions.senderByPathKey(key);
    const route = TH_OPERATIONS[action.toLowerCase()];
    if (!sender || !route || !ipAllowed(sender, req.ip)) {
      this.logger.warn(`thanhhoa-style call refused from ${req.ip ?? '?'}`);
      sendProblem(res, problem(404, 'Not found', 'unknown endpoint', [], { error_code: '-1' }));
      return;
    }
    const raw = req.body as Buffer;
    const parsed = parseItemsBody(raw, 'a JSON array of items');
    if (!parsed.ok) {
      const error = parsed.error;
      await this.deadLetters.rawRequest({
        senderId: sender.id,
        protocol: 'dvcqg-tee-thanhhoa',
        operation: route.op,
        raw,
        error,
        receivedAt,
      });
      sendProblem(res, problem(400, 'Invalid request body', error.message, [error], { error_code: '-1' }));
      return;
    }
    await this.run(res, 'thanhhoa', {
      sender: identity(sender, sender.agency),
      protocol: 'dvcqg-tee-thanhhoa',
      operation: route.op,
      items: parsed.items,
      receivedAt,
      traceparent: header(req, 'traceparent'),
      forward: {
        style: 'thanhhoa',
        operation: route.forward,
        madonvi: sender.agency,
        isUpdating: null,
        body: raw,
      },
    });
  }

  private async run(res: Response, style: 'opencps' | 'thanhhoa', request: IngestRequest): Promise<void> {
    // Queued for delivery only when isohub can deliver as this sender (its own upstream account configured).
    const deliverable = this.upstreams.sender(request.sender.id) !== null;
    const result = await this.ingest.ingest({ ...request, forward: deliverable ? request.forward : null });
    const answer = ingestAnswer(result);
    if (answer.status === 200) {
      if (style === 'opencps') {
        sendAscii(res, 200, answer.body);
      } else {
        res.status(200).type('application/json; charset=utf-8').send(JSON.stringify(answer.body));
      }
      return;
    }
    const errors = result.items.flatMap((i) =>
      i.errors.map((e) => ({ ...e, field: `/${i.index}${e.field}` })),
    );
    sendProblem(
      res,
      problem(answer.status, 'Every item was rejected', answer.body.message, errors, { ...answer.body }),
    );
  }
}

function sendAscii(res: Response, status: number, body: unknown): void {
  res.status(status).type('application/json; charset=utf-8').send(asciiJson(body));
}

export function identity(sender: SenderConfig, agency: string | null): SenderIdentity {
  return {
    id: sender.id,
    profile: sender.profile,
    agency: agency ?? sender.agency,
    applicantFields: sender.applicantFields,
  };
}

function header(req: Request, name: string): string | undefined {
  const v = req.headers[name];
  return typeof v === 'string' ? v : undefined;
}

export function ipAllowed(sender: SenderConfig, ip: string | undefined): boolean {
  if (sender.allowFrom.length === 0) {
    return true;
  }
  const normalised = ip?.replace(/^::ffff:/, '');
  return normalised !== undefined && sender.allowFrom.includes(normalised);
}
