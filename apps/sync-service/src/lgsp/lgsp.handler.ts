import { Injectable, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { SenderConfig } from '../config/sync-service.config';
import { problem, sendProblem } from '../http/problem';
import { IngestService } from '../ingest/ingest.service';
import type { IngestOperation, SenderIdentity } from '../ingest/ingest.types';
import { TakeoverUpstreams } from '../forward/takeover-upstreams';
import { DeadLetterService } from '../tee/dead-letter.service';
import { asciiJson } from '../tee/tee-answer';
import { parseItemsBody } from '../tee/tee-body';
import { lgspAnswer } from './lgsp-answer';
import { bearerToken, readTokenRequest } from './lgsp-token-request';
import { LgspTokenService } from './lgsp-token.service';

export const LGSP_PROTOCOL = 'lgsp-rest';
const REALM = 'isohub-lgsp';

/**
 * The LGSP face of the hub for senders in `takeover` mode (docs/tee.md): one-stop systems that push to their
 * provincial LGSP (OpenCPS's LGSP client, DOMAIN.md §4.4) get isohub's own OAuth2 token, and their calls are
 * answered at commit; the body as received is stored for the real bus in the same transaction and delivered
 * by the forwarder with the sender's own bus client. Transparent senders (the default) never reach it:
 * TeeProxy relays them. Tokens and secrets are never logged.
 */
@Injectable()
export class LgspHandler {
  private readonly logger = new Logger(LgspHandler.name);

  constructor(
    private readonly tokens: LgspTokenService,
    private readonly ingest: IngestService,
    private readonly deadLetters: DeadLetterService,
    private readonly upstreams: TakeoverUpstreams,
  ) {}

  /** RFC 6749 §4.4 and §5: 200 with the token, or 400/401 `{ error, error_description }`. */
  async token(req: Request, res: Response): Promise<void> {
    const read = readTokenRequest(req.body as Buffer, req.headers['content-type'], req.headers.authorization);
    if (!read.ok) {
      this.tokenError(req, res, read.error, read.description, read.basic);
      return;
    }
    const sender = this.tokens.authenticate(read.clientId, read.clientSecret);
    if (!sender) {
      this.tokenError(req, res, 'invalid_client', 'unknown client or wrong secret', true);
      return;
    }
    if (read.grantType !== 'client_credentials') {
      this.tokenError(req, res, 'unsupported_grant_type', 'only client_credentials is supported', false);
      return;
    }
    const issued = this.tokens.issue(sender);
    noStore(res);
    sendAscii(res, 200, {
      access_token: issued.accessToken,
      token_type: 'Bearer',
      expires_in: issued.expiresIn,
      scope: 'default',
    });
  }

  /** Express middleware for the Document routes: refuses before a (possibly large) body is read. */
  authenticate(req: Request, res: Response): SenderConfig | null {
    const header = req.headers.authorization;
    const presented = /^Bearer\s/i.test(header ?? '');
    const token = bearerToken(header);
    const sender = token === null ? null : this.tokens.verify(token);
    if (sender) {
      return sender;
    }
    const challenge = presented
      ? `Bearer realm="${REALM}", error="invalid_token"`
      : `Bearer realm="${REALM}"`;
    res.setHeader('WWW-Authenticate', challenge);
    this.logger.warn(
      `lgsp call refused from ${req.ip ?? '?'}: ${presented ? 'invalid or expired token' : 'no token'}`,
    );
    sendProblem(
      res,
      problem(401, 'Unauthorized', presented ? 'invalid or expired token' : 'Bearer token required', [], {
        Status: 401,
        Message: 'invalid_token',
      }),
    );
    return null;
  }

  async documents(
    req: Request,
    res: Response,
    sender: SenderConfig,
    operation: IngestOperation,
  ): Promise<void> {
    const receivedAt = new Date();
    const raw = req.body as Buffer;
    // OpenCPS posts one object per call; a batch as an array is accepted too.
    const parsed = parseItemsBody(raw, 'a JSON object or an array of objects');
    if (!parsed.ok) {
      const error = parsed.error;
      await this.deadLetters.rawRequest({
        senderId: sender.id,
        protocol: LGSP_PROTOCOL,
        operation,
        raw,
        error,
        receivedAt,
      });
      sendProblem(
        res,
        problem(400, 'Invalid request body', error.message, [error], { Status: 400, Message: error.message }),
      );
      return;
    }
    const result = await this.ingest.ingest({
      sender: identity(sender),
      protocol: LGSP_PROTOCOL,
      operation,
      items: parsed.items,
      receivedAt,
      traceparent: typeof req.headers.traceparent === 'string' ? req.headers.traceparent : undefined,
      // Queued for delivery only when isohub can deliver as this sender (its own bus client configured).
      forward: !this.upstreams.sender(sender.id)
        ? null
        : {
            style: 'lgsp',
            operation: operation === 'LgspSyncDocument' ? 'SyncDocument' : 'UpdateDocumentTraces',
            madonvi: null,
            isUpdating: null,
            body: raw,
          },
    });
    const answer = lgspAnswer(result);
    if (answer.Status === 200) {
      sendAscii(res, 200, answer);
      return;
    }
    const errors = result.items.flatMap((i) =>
      i.errors.map((e) => ({ ...e, field: `/${i.index}${e.field}` })),
    );
    res
      .status(answer.Status)
      .type('application/problem+json')
      .send(asciiJson(problem(answer.Status, 'Items rejected', answer.Message, errors, { ...answer })));
  }

  private tokenError(
    req: Request,
    res: Response,
    error: 'invalid_request' | 'invalid_client' | 'unsupported_grant_type',
    description: string,
    challenge: boolean,
  ): void {
    const status = error === 'invalid_client' ? 401 : 400;
    if (status === 401 && challenge) {
      res.setHeader('WWW-Authenticate', `Basic realm="${REALM}"`);
    }
    this.logger.warn(`lgsp token refused from ${req.ip ?? '?'}: ${error}`);
    noStore(res);
    sendAscii(res, status, { error, error_description: description });
  }
}

function identity(sender: SenderConfig): SenderIdentity {
  return {
    id: sender.id,
    profile: sender.profile,
    agency: sender.agency,
    applicantFields: sender.applicantFields,
    literalZ: sender.literalZ,
    lgspStatusMap: sender.statusMap,
  };
}

/** RFC 6749 §5.1: token answers must not be cached. */
function noStore(res: Response): void {
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('Pragma', 'no-cache');
}

function sendAscii(res: Response, status: number, body: unknown): void {
  res.status(status).type('application/json; charset=utf-8').send(asciiJson(body));
}
