import { All, Controller, Get, Inject, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { LgspBusRecorder } from './lgsp-bus-recorder';
import { LgspBusStats } from './lgsp-bus-stats';
import { LgspDossierWorld } from './lgsp-dossier-world';
import { dossierServiceWsdl } from './lgsp-dossier.wsdl';
import { LgspFaultInjector, type LgspFaultMode, LIST_OPERATION } from './lgsp-faults';
import { applyTransportFault, bearerOf, originOf, rawBody } from './lgsp-http';
import { LGSP_SANDBOX_PATHS } from './lgsp-sandbox.tokens';
import {
  bombResponse,
  escapeXml,
  faultResponse,
  historyResponse,
  listResponse,
  readSoapRequest,
  truncated,
  xxeResponse,
} from './lgsp-soap-xml';
import { LgspTokenStore } from './lgsp-token.store';

const XML = 'text/xml; charset=utf-8';
const MAX_PAGE_SIZE = 1_000;

function basicCredentials(header: string | undefined): { id: string; secret: string } | null {
  const m = /^Basic\s+(\S+)\s*$/i.exec(header ?? '');
  if (!m) {
    return null;
  }
  const decoded = Buffer.from(m[1] ?? '', 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) {
    return null;
  }
  const unform = (s: string) => decodeURIComponent(s.replace(/\+/g, ' '));
  return { id: unform(decoded.slice(0, colon)), secret: unform(decoded.slice(colon + 1)) };
}

/** Form (OpenCPS, RFC 6749) or JSON body parameters. */
function tokenParams(body: Buffer, contentType: string | undefined): URLSearchParams {
  const text = body.toString('utf8');
  if (/json/i.test(contentType ?? '')) {
    try {
      const json = JSON.parse(text) as Record<string, unknown>;
      return new URLSearchParams(
        Object.entries(json).filter((e): e is [string, string] => typeof e[1] === 'string'),
      );
    } catch {
      return new URLSearchParams();
    }
  }
  return new URLSearchParams(text);
}

/**
 * The simulated provincial service bus: an OAuth2 token endpoint (client credentials), a REST echo service
 * behind Bearer tokens, and a SOAP dossier service with its WSDL, each with run-time faults.
 */
@Controller()
export class LgspBusController {
  constructor(
    @Inject(LgspBusStats) private readonly stats: LgspBusStats,
    @Inject(LgspTokenStore) private readonly tokens: LgspTokenStore,
    @Inject(LgspDossierWorld) private readonly world: LgspDossierWorld,
    @Inject(LgspFaultInjector) private readonly faults: LgspFaultInjector,
    @Inject(LgspBusRecorder) private readonly recorder: LgspBusRecorder,
  ) {}

  @Post(LGSP_SANDBOX_PATHS.token)
  async token(@Req() req: Request, @Res() res: Response): Promise<void> {
    this.stats.calls.token += 1;
    const body = await rawBody(req);
    const fault = this.faults.take('token');
    if (await applyTransportFault(fault, req, res, this.faults)) {
      return;
    }
    res.setHeader('Cache-Control', 'no-store');
    if (fault?.mode === 'malformed') {
      res.status(200).type('application/json').send('{"access_token":"');
      return;
    }
    const params = tokenParams(body, req.headers['content-type']);
    const basic = basicCredentials(req.headers.authorization);
    const id = basic?.id ?? params.get('client_id') ?? '';
    const secret = basic?.secret ?? params.get('client_secret') ?? '';
    if (!this.tokens.authenticate(id, secret)) {
      res.status(401).json({ error: 'invalid_client', error_description: 'unknown client or wrong secret' });
      return;
    }
    if (params.get('grant_type') !== 'client_credentials') {
      res.status(400).json({ error: 'unsupported_grant_type', error_description: 'client_credentials only' });
      return;
    }
    const issued = this.tokens.issue();
    res.status(200).json({
      access_token: issued.accessToken,
      token_type: 'Bearer',
      expires_in: issued.expiresIn,
      scope: 'default',
    });
  }

  /**
   * Echoes any call back (JSON, or XML when the client prefers it), so clients can be tested end to end,
   * and records it. The echo is an LGSP `MResult` (`Status`, `Message`) with the request added. Fault
   * `clientFault` refuses the call as the bus refuses bad data: HTTP 400 with an MResult saying why.
   */
  @All([LGSP_SANDBOX_PATHS.rest, `${LGSP_SANDBOX_PATHS.rest}/*path`])
  async rest(@Req() req: Request, @Res() res: Response): Promise<void> {
    this.stats.calls.rest += 1;
    const body = await rawBody(req);
    if (!this.authorised(req, res, 'json')) {
      return;
    }
    const fault = this.faults.take('rest');
    const path = req.path.slice(LGSP_SANDBOX_PATHS.rest.length) || '/';
    const text = body.toString('utf8');
    const note = (status: number | null): void =>
      this.recorder.record({
        method: req.method,
        path,
        contentType: req.headers['content-type'] ?? null,
        rawBody: text,
        fault: fault?.mode ?? null,
        status,
      });
    if (await applyTransportFault(fault, req, res, this.faults)) {
      note(fault?.mode === 'http500' ? 500 : null);
      return;
    }
    if (fault?.mode === 'clientFault') {
      note(400);
      res
        .status(400)
        .json({ Status: 400, Message: 'Dữ liệu không hợp lệ: DocCode không tồn tại trên hệ thống' });
      return;
    }
    note(200);
    if (fault?.mode === 'xxe' || fault?.mode === 'bomb') {
      res
        .status(200)
        .type('application/xml')
        .send(fault.mode === 'xxe' ? xxeResponse('Echo') : bombResponse('Echo'));
      return;
    }
    if (fault?.mode === 'malformed') {
      res.status(200).type('application/json').send('{"Status":200,"Message":"O');
      return;
    }
    if (/xml/i.test(req.headers.accept ?? '') && !/json/i.test(req.headers.accept?.split(',')[0] ?? '')) {
      res
        .status(200)
        .type('application/xml')
        .send(
          `<?xml version="1.0" encoding="utf-8"?>\n<EchoResult><Status>200</Status><Method>${req.method}</Method>` +
            `<Path>${escapeXml(path)}</Path><Body>${escapeXml(text)}</Body></EchoResult>\n`,
        );
      return;
    }
    let echoed: unknown = text;
    try {
      echoed = text === '' ? null : JSON.parse(text);
    } catch {
      // not JSON: echo the text
    }
    res.status(200).json({
      Status: 200,
      Message: 'OK',
      Method: req.method,
      Path: path,
      Query: req.query,
      ContentType: req.headers['content-type'] ?? null,
      Body: echoed,
    });
  }

  @Get(LGSP_SANDBOX_PATHS.soap)
  async wsdl(@Req() req: Request, @Res() res: Response): Promise<void> {
    this.stats.calls.wsdl += 1;
    const fault = this.faults.take('wsdl');
    if (await applyTransportFault(fault, req, res, this.faults)) {
      return;
    }
    const text = dossierServiceWsdl(`${originOf(req)}${LGSP_SANDBOX_PATHS.soap}`);
    if (fault?.mode === 'xxe' || fault?.mode === 'bomb') {
      const dtd =
        fault.mode === 'xxe'
          ? '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
          : '<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>';
      res
        .status(200)
        .type(XML)
        .send(text.replace(/^(<\?xml[^>]*>)/, `$1\n${dtd}`));
      return;
    }
    res
      .status(200)
      .type(XML)
      .send(fault?.mode === 'malformed' ? truncated(text) : text);
  }

  @Post(LGSP_SANDBOX_PATHS.soap)
  async soap(@Req() req: Request, @Res() res: Response): Promise<void> {
    this.stats.calls.soap += 1;
    const body = await rawBody(req);
    if (!this.authorised(req, res, 'soap')) {
      return;
    }
    const request = readSoapRequest(body.toString('utf8'));
    if (!request.ok) {
      res.status(500).type(XML).send(faultResponse('soap:Client', request.reason));
      return;
    }
    const { operation, args } = request;
    const fault = this.faults.take('soap', operation);
    if (await applyTransportFault(fault, req, res, this.faults)) {
      return;
    }
    const content = fault === null ? null : this.contentFault(fault.mode, operation);
    if (content !== null) {
      res.status(content.status).type(XML).send(content.xml);
      return;
    }
    const answer = this.answer(operation, args, fault?.mode ?? 'none');
    res
      .status(answer.status)
      .type(XML)
      .send(fault?.mode === 'malformed' ? truncated(answer.xml) : answer.xml);
  }

  /** The faults that replace the answer's content; null for those that shape it (or none). */
  private contentFault(mode: LgspFaultMode, operation: string): { status: number; xml: string } | null {
    switch (mode) {
      case 'soapFault':
        return { status: 500, xml: faultResponse('soap:Server', 'Hệ thống đang bận, vui lòng thử lại sau') };
      case 'clientFault':
        return { status: 500, xml: faultResponse('soap:Client', 'Yêu cầu không hợp lệ') };
      case 'xxe':
        return { status: 200, xml: xxeResponse(operation) };
      case 'bomb':
        return { status: 200, xml: bombResponse(operation) };
      case 'none':
      case 'slow':
      case 'http500':
      case 'timeout':
      case 'drop':
      case 'malformed':
      case 'emptyPage':
      case 'changeDuringPaging':
        return null;
    }
  }

  private answer(
    operation: string,
    args: Record<string, string>,
    mode: string,
  ): { status: number; xml: string } {
    if (operation === LIST_OPERATION) {
      const since = Date.parse(args['Since'] ?? '');
      const page = Number(args['Page'] ?? '1');
      const pageSize = Number(args['PageSize'] ?? '50');
      if (
        Number.isNaN(since) ||
        !Number.isInteger(page) ||
        page < 1 ||
        !Number.isInteger(pageSize) ||
        pageSize < 1
      ) {
        return {
          status: 500,
          xml: faultResponse('soap:Client', 'Since must be an instant, Page and PageSize positive'),
        };
      }
      const size = Math.min(pageSize, MAX_PAGE_SIZE);
      if (mode === 'emptyPage') {
        return { status: 200, xml: listResponse([], { total: 0, page, pageSize: size, hasMore: false }) };
      }
      if (mode === 'changeDuringPaging') {
        this.world.touchOldest(since);
      }
      const { total, items } = this.world.listChanged(since, page, size);
      return {
        status: 200,
        xml: listResponse(items, { total, page, pageSize: size, hasMore: page * size < total }),
      };
    }
    if (operation === 'GetDossierHistory') {
      const code = args['DocCode'] ?? '';
      const traces = this.world.history(code);
      if (traces === null) {
        return { status: 500, xml: faultResponse('soap:Client', `Không tìm thấy hồ sơ ${code}`) };
      }
      return { status: 200, xml: historyResponse(code, traces) };
    }
    return { status: 500, xml: faultResponse('soap:Client', `unknown operation ${operation}`) };
  }

  /** 401 with a challenge unless the call carries a live token (RFC 6750 §3). */
  private authorised(req: Request, res: Response, style: 'json' | 'soap'): boolean {
    const token = bearerOf(req);
    if (this.tokens.isValid(token)) {
      return true;
    }
    this.stats.calls.unauthorized += 1;
    res.setHeader(
      'WWW-Authenticate',
      token === null ? 'Bearer realm="lgsp-sandbox"' : 'Bearer realm="lgsp-sandbox", error="invalid_token"',
    );
    if (style === 'soap') {
      res.status(401).type(XML).send(faultResponse('soap:Client', 'Invalid or expired access token'));
    } else {
      res.status(401).json({ Status: 401, Message: 'invalid_token' });
    }
    return false;
  }
}
