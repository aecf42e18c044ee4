import { setTimeout as sleep } from 'node:timers/promises';
import { Controller, Inject, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { FaultInjector } from './fault-injector';
import { answers, type PortalStyleAnswer } from './portal-answers';
import { PORTAL_PATHS } from './portal-paths';
import { type PortalEndpoint, PortalRecorder } from './portal-recorder';
import { PortalSimulator, type ThanhHoaOperation } from './portal-simulator.service';

const SERVER_ERROR_PAGE =
  '<html><head><title>500 Internal Server Error</title></head><body><h1>Internal Server Error</h1></body></html>';

interface Envelope {
  service?: unknown;
  madonvi?: unknown;
  isUpdating?: unknown;
}

const THANHHOA_SERVICE: Record<ThanhHoaOperation, { service: string; isUpdating: string | null }> = {
  create: { service: 'DongBoHoSoMC', isUpdating: 'False' },
  update: { service: 'DongBoHoSoMC', isUpdating: 'True' },
  progress: { service: 'CapNhatTienDoHoSoMC', isUpdating: null },
};

function field(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

/** Fault `malformed`: a 200 whose JSON stops mid-way, as a dropped connection behind a proxy leaves it. */
const MALFORMED_BODY = '{"error_code":"0","message":"Th';

/** Fault targets of a request, most specific first (fault-injector.ts FAULT_TARGET). */
function faultTargets(endpoint: PortalEndpoint, body: unknown): string[] {
  if (endpoint === 'login') {
    return ['auth'];
  }
  if (endpoint === 'integration' || endpoint === 'share') {
    const service = typeof body === 'object' && body !== null ? field((body as Envelope).service) : null;
    return service ? [`${endpoint}.${service}`, endpoint] : [endpoint];
  }
  return [endpoint];
}

/** Catalogue answers are kept as a count: a full pull would otherwise keep megabytes per refresh. */
function compact(answer: unknown): unknown {
  const result = (answer as PortalStyleAnswer | null)?.result;
  if (
    Array.isArray(result) &&
    result.length > 0 &&
    typeof result[0] === 'object' &&
    result[0] !== null &&
    'MATTHC' in result[0]
  ) {
    return { ...(answer as PortalStyleAnswer), result: `${result.length} procedure record(s)` };
  }
  return answer;
}

/** The body as JSON (a leading BOM tolerated), or undefined when it is not JSON. */
function parseBody(raw: string): unknown {
  try {
    return JSON.parse(raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw) as unknown;
  } catch {
    return undefined;
  }
}

/** What the request log keeps of a request; a login password is masked. */
function describe(endpoint: PortalEndpoint, path: string, raw: string, body: unknown) {
  const fields = typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Envelope) : {};
  if (endpoint === 'login') {
    const masked = body === undefined ? '***' : JSON.stringify({ ...fields, password: '***' });
    return { endpoint, path, service: null, madonvi: null, isUpdating: null, rawBody: masked };
  }
  if (endpoint === 'integration' || endpoint === 'share') {
    return {
      endpoint,
      path,
      service: field(fields.service),
      madonvi: field(fields.madonvi),
      isUpdating: field(fields.isUpdating),
      rawBody: raw,
    };
  }
  const operation = endpoint.slice('thanhhoa-'.length) as ThanhHoaOperation;
  return { endpoint, path, madonvi: null, rawBody: raw, ...THANHHOA_SERVICE[operation] };
}

/**
 * The portal's answer bytes as the two sender styles see them: ASCII-only JSON (non-ASCII as \u escapes) on
 * the session endpoints, as OpenCPS is answered, and literal UTF-8 on the Thanh Hóa URLs, where the sender
 * matches "thành công" in the raw text. The tee must relay both byte for byte.
 */
function send(res: Response, endpoint: PortalEndpoint, answer: unknown): void {
  const json = JSON.stringify(answer);
  const body = endpoint.startsWith('thanhhoa-')
    ? json
    : json.replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  res.status(200).type('application/json; charset=utf-8').send(body);
}

/** The national portal's endpoints, at the paths isohub's portal client uses by default. */
@Controller()
export class PortalSimulatorController {
  constructor(
    @Inject(PortalSimulator) private readonly simulator: PortalSimulator,
    @Inject(PortalRecorder) private readonly recorder: PortalRecorder,
    @Inject(FaultInjector) private readonly faults: FaultInjector,
  ) {}

  @Post(PORTAL_PATHS.auth)
  async login(@Req() req: Request, @Res() res: Response): Promise<void> {
    await this.handle('login', req, res, (body) => this.simulator.login(body));
  }

  @Post(PORTAL_PATHS.integration)
  async integration(@Req() req: Request, @Res() res: Response): Promise<void> {
    await this.handle('integration', req, res, (body) => this.simulator.integration(body));
  }

  @Post(PORTAL_PATHS.share)
  async share(@Req() req: Request, @Res() res: Response): Promise<void> {
    await this.handle('share', req, res, (body) => this.simulator.share(body));
  }

  @Post(PORTAL_PATHS.thanhHoaCreate)
  async thanhHoaCreate(@Req() req: Request, @Res() res: Response): Promise<void> {
    await this.handle('thanhhoa-create', req, res, (body) => this.simulator.thanhHoa('create', body));
  }

  @Post(PORTAL_PATHS.thanhHoaUpdate)
  async thanhHoaUpdate(@Req() req: Request, @Res() res: Response): Promise<void> {
    await this.handle('thanhhoa-update', req, res, (body) => this.simulator.thanhHoa('update', body));
  }

  @Post(PORTAL_PATHS.thanhHoaProgress)
  async thanhHoaProgress(@Req() req: Request, @Res() res: Response): Promise<void> {
    await this.handle('thanhhoa-progress', req, res, (body) => this.simulator.thanhHoa('progress', body));
  }

  private async handle(
    endpoint: PortalEndpoint,
    req: Request,
    res: Response,
    produce: (body: unknown) => PortalStyleAnswer,
  ): Promise<void> {
    const raw = Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '';
    const body = parseBody(raw);
    const fault = this.faults.take(faultTargets(endpoint, body));
    const record = (answer: unknown, faultName: string | null) =>
      this.recorder.logRequest({
        ...describe(endpoint, req.path, raw, body),
        fault: faultName,
        answer: compact(answer),
      });
    switch (fault?.mode) {
      case 'malformed':
        record(null, 'malformed');
        res.status(200).type('application/json').send(MALFORMED_BODY);
        return;
      case 'down':
        record(null, 'down');
        req.socket.destroy();
        return;
      case 'timeout':
        record(null, 'timeout');
        this.faults.hold(res);
        return;
      case 'http500':
        record(null, 'http500');
        res.status(500).type('html').send(SERVER_ERROR_PAGE);
        return;
      case 'reject': {
        const refused = answers.refused();
        record(refused, 'reject');
        send(res, endpoint, refused);
        return;
      }
      case 'slow':
        await sleep(fault.latencyMs);
        break;
      case undefined:
        break;
    }
    // A slow portal still processes a request whose caller gave up waiting, as a real one does.
    const answer = body === undefined ? answers.invalid('nội dung yêu cầu không phải JSON') : produce(body);
    record(answer, fault ? fault.mode : null);
    if (!res.destroyed) {
      send(res, endpoint, answer);
    }
  }
}
