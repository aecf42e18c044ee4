import {
  BadRequestException,
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Inject,
  Param,
  Put,
  Query,
} from '@nestjs/common';
import { LgspBusRecorder, type RecordedBusCall } from './lgsp-bus-recorder';
import { LgspBusStats } from './lgsp-bus-stats';
import { LgspDossierWorld } from './lgsp-dossier-world';
import {
  LGSP_ENDPOINTS,
  LGSP_FAULT_MODES,
  type LgspEndpoint,
  LgspFaultInjector,
  type LgspFaultMode,
  type LgspFaultSettings,
  type LgspFaultState,
} from './lgsp-faults';
import { LgspTokenStore } from './lgsp-token.store';

function record(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new BadRequestException('body must be a JSON object');
  }
  return body as Record<string, unknown>;
}

function optionalNumber(
  body: Record<string, unknown>,
  key: string,
  min: number,
  max: number,
): number | undefined {
  const value = body[key];
  if (value === undefined || value === null) {
    return undefined;
  }
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    throw new BadRequestException(`${key} must be a number between ${min} and ${max}`);
  }
  return value;
}

function optionalInt(
  body: Record<string, unknown>,
  key: string,
  min: number,
  max: number,
): number | undefined {
  const value = optionalNumber(body, key, min, max);
  if (value !== undefined && !Number.isInteger(value)) {
    throw new BadRequestException(`${key} must be an integer`);
  }
  return value;
}

function endpointOf(name: string): LgspEndpoint {
  if (!(LGSP_ENDPOINTS as readonly string[]).includes(name)) {
    throw new BadRequestException(`endpoint must be one of ${LGSP_ENDPOINTS.join(', ')}`);
  }
  return name as LgspEndpoint;
}

function parseFault(body: unknown): LgspFaultSettings {
  const r = record(body);
  const mode = r['mode'];
  if (typeof mode !== 'string' || !(LGSP_FAULT_MODES as readonly string[]).includes(mode)) {
    throw new BadRequestException(`mode must be one of ${LGSP_FAULT_MODES.join(', ')}`);
  }
  const operation = r['operation'];
  if (operation !== undefined && typeof operation !== 'string') {
    throw new BadRequestException('operation must be a string');
  }
  return {
    mode: mode as LgspFaultMode,
    latencyMs: optionalInt(r, 'latencyMs', 0, 600_000),
    count: optionalInt(r, 'count', 1, 1_000_000),
    ...(operation === undefined ? {} : { operation }),
  };
}

/** Test and demo controls of the simulated LGSP. Not part of the bus's API. */
@Controller('_sandbox')
export class LgspAdminController {
  constructor(
    @Inject(LgspFaultInjector) private readonly faults: LgspFaultInjector,
    @Inject(LgspTokenStore) private readonly tokens: LgspTokenStore,
    @Inject(LgspDossierWorld) private readonly world: LgspDossierWorld,
    @Inject(LgspBusStats) private readonly bus: LgspBusStats,
    @Inject(LgspBusRecorder) private readonly recorder: LgspBusRecorder,
  ) {}

  /** The REST calls the bus received past its token check, in order; `?path=/Document/SyncDocument` filters. */
  @Get('lgsp/received')
  received(@Query('path') path?: string): { calls: RecordedBusCall[] } {
    return { calls: this.recorder.received(path) };
  }

  @Delete('lgsp/received')
  @HttpCode(204)
  resetReceived(): void {
    this.recorder.reset();
  }

  @Get('faults/lgsp/:endpoint')
  fault(@Param('endpoint') endpoint: string): LgspFaultState {
    return this.faults.read(endpointOf(endpoint));
  }

  @Put('faults/lgsp/:endpoint')
  setFault(@Param('endpoint') endpoint: string, @Body() body: unknown): LgspFaultState {
    return this.faults.set(endpointOf(endpoint), parseFault(body));
  }

  @Delete('faults/lgsp')
  @HttpCode(204)
  clearFaults(): void {
    this.faults.reset();
  }

  /** "Expire tokens now": every token issued so far is refused from the next call on. */
  @Delete('lgsp/tokens')
  expireTokens(): { expired: number } {
    return { expired: this.tokens.expireAll() };
  }

  @Put('lgsp/token-settings')
  tokenSettings(@Body() body: unknown): ReturnType<LgspTokenStore['stats']> {
    const ttl = optionalInt(record(body), 'ttlSeconds', 1, 86_400);
    if (ttl !== undefined) {
      this.tokens.setTtl(ttl);
    }
    return this.tokens.stats();
  }

  @Get('lgsp/stats')
  stats(): { tokens: ReturnType<LgspTokenStore['stats']>; calls: LgspBusStats['calls'] } {
    return { tokens: this.tokens.stats(), calls: { ...this.bus.calls } };
  }

  @Get('lgsp/clock')
  clock(): ReturnType<LgspDossierWorld['clock']> & { lastStepAt: string | null } {
    return { ...this.world.clock(), lastStepAt: this.world.lastStepAt() };
  }

  /** `{ at?, speed?, advanceMs? }`: set the simulated time, its pace (0 freezes), or move it on. */
  @Put('lgsp/clock')
  setClock(@Body() body: unknown): ReturnType<LgspDossierWorld['clock']> {
    const r = record(body);
    const at = r['at'];
    if (at !== undefined && (typeof at !== 'string' || Number.isNaN(Date.parse(at)))) {
      throw new BadRequestException('at must be an ISO 8601 instant');
    }
    return this.world.setClock({
      ...(typeof at === 'string' ? { at } : {}),
      speed: optionalNumber(r, 'speed', 0, 100_000),
      advanceMs: optionalInt(r, 'advanceMs', 0, 365 * 86_400_000),
    });
  }

  /** Ground truth: the dossiers the SOAP service shows now. */
  @Get('lgsp/dossiers')
  dossiers(): ReturnType<LgspDossierWorld['summary']> {
    return this.world.summary();
  }
}
