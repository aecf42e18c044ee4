import {
  BadRequestException,
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Inject,
  Param,
  Post,
  Put,
} from '@nestjs/common';
import {
  API_ENDPOINTS,
  API_FAULT_MODES,
  ApiFaults,
  type ApiEndpoint,
  type ApiFaultMode,
  type ApiFaultSettings,
  type ApiFaultState,
} from './api-faults';
import { OnestopSite, type ScenarioOptions, type SiteClock } from './onestop-site';

type Json = Record<string, unknown>;

function optionalInt(b: Json, key: string, min: number, max: number): number | undefined {
  const v = b[key];
  if (v === undefined || v === null) {
    return undefined;
  }
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    throw new BadRequestException(`${key} must be an integer between ${min} and ${max}`);
  }
  return v;
}

function endpointOf(v: string): ApiEndpoint {
  if (!(API_ENDPOINTS as readonly string[]).includes(v)) {
    throw new BadRequestException(`endpoint must be one of ${API_ENDPOINTS.join(', ')}`);
  }
  return v as ApiEndpoint;
}

/** Test and demo controls of the simulated one-stop API: scenario, clock, faults, ground truth. */
@Controller('_sandbox/onestop-api')
export class OnestopApiAdminController {
  constructor(
    @Inject(OnestopSite) private readonly site: OnestopSite,
    @Inject(ApiFaults) private readonly faults: ApiFaults,
  ) {}

  /** Loads a generated day: `{ seed, count, date, spanDays, openCpsShare, clockAt, speed }`; faults are cleared. */
  @Post('scenario')
  @HttpCode(200)
  scenario(@Body() body: Json = {}): ReturnType<OnestopSite['load']> {
    const options: ScenarioOptions = {
      seed: typeof body['seed'] === 'number' || typeof body['seed'] === 'string' ? body['seed'] : 1,
      count: optionalInt(body, 'count', 0, 5000) ?? 20,
      date: typeof body['date'] === 'string' ? body['date'] : undefined,
      spanDays: optionalInt(body, 'spanDays', 1, 60),
      clockAt: typeof body['clockAt'] === 'string' ? body['clockAt'] : undefined,
      speed: typeof body['speed'] === 'number' && body['speed'] >= 0 ? body['speed'] : undefined,
    };
    try {
      this.faults.reset();
      return this.site.load(options);
    } catch (error) {
      throw new BadRequestException(error instanceof Error ? error.message : String(error));
    }
  }

  @Get('clock')
  clock(): SiteClock {
    return this.site.clock();
  }

  /** `{ advanceMs }` moves the site's clock; `{ at, speed }` sets it. */
  @Post('clock')
  @HttpCode(200)
  setClock(@Body() body: Json = {}): SiteClock {
    const advance = optionalInt(body, 'advanceMs', 0, 365 * 24 * 3_600_000);
    if (advance !== undefined) {
      return this.site.advance(advance);
    }
    const at = typeof body['at'] === 'string' ? Date.parse(body['at']) : this.site.now();
    if (Number.isNaN(at)) {
      throw new BadRequestException('at must be an ISO 8601 time');
    }
    const speed = typeof body['speed'] === 'number' && body['speed'] >= 0 ? body['speed'] : undefined;
    return this.site.setClock(at, speed);
  }

  /** Edits a dossier without a new step: its modification time moves to the site's now. */
  @Post('dossiers/:id/touch')
  @HttpCode(200)
  touch(@Param('id') id: string): { touched: boolean } {
    return { touched: this.site.touch(Number(id)) };
  }

  @Get('truth')
  truth(): ReturnType<OnestopSite['truth']> {
    return this.site.truth();
  }

  @Get('faults')
  allFaults(): Record<ApiEndpoint, ApiFaultState> {
    return this.faults.readAll();
  }

  @Put('faults/:endpoint')
  setFault(@Param('endpoint') endpoint: string, @Body() body: Json = {}): ApiFaultState {
    const mode = body['mode'];
    if (typeof mode !== 'string' || !(API_FAULT_MODES as readonly string[]).includes(mode)) {
      throw new BadRequestException(`mode must be one of ${API_FAULT_MODES.join(', ')}`);
    }
    const settings: ApiFaultSettings = {
      mode: mode as ApiFaultMode,
      latencyMs: optionalInt(body, 'latencyMs', 0, 600_000),
      advanceMs: optionalInt(body, 'advanceMs', 0, 365 * 24 * 3_600_000),
      count: optionalInt(body, 'count', 1, 1_000_000),
    };
    return this.faults.set(endpointOf(endpoint), settings);
  }

  @Delete('faults')
  @HttpCode(204)
  clearFaults(): void {
    this.faults.reset();
  }
}
