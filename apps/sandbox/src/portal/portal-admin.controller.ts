import {
  BadRequestException,
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Inject,
  NotFoundException,
  Param,
  Put,
} from '@nestjs/common';
import {
  FAULT_MODES,
  FaultInjector,
  type FaultMode,
  type FaultSettings,
  type FaultState,
} from './fault-injector';
import { type RecordedDossier, PortalRecorder } from './portal-recorder';
import { PortalSimulator } from './portal-simulator.service';

function optionalInt(
  body: Record<string, unknown>,
  key: string,
  min: number,
  max: number,
): number | undefined {
  const value = body[key];
  if (value === undefined || value === null) {
    return undefined;
  }
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new BadRequestException(`${key} must be an integer between ${min} and ${max}`);
  }
  return value;
}

function parseFaultSettings(body: unknown): FaultSettings {
  if (typeof body !== 'object' || body === null) {
    throw new BadRequestException('body must be a JSON object');
  }
  const record = body as Record<string, unknown>;
  const mode = record['mode'];
  if (typeof mode !== 'string' || !(FAULT_MODES as readonly string[]).includes(mode)) {
    throw new BadRequestException(`mode must be one of ${FAULT_MODES.join(', ')}`);
  }
  return {
    mode: mode as FaultMode,
    latencyMs: optionalInt(record, 'latencyMs', 0, 600_000),
    count: optionalInt(record, 'count', 1, 1_000_000),
  };
}

/** Test and demo controls: what the portal received, and its faults. Not part of the portal's API. */
@Controller('_sandbox')
export class PortalAdminController {
  constructor(
    @Inject(PortalRecorder) private readonly recorder: PortalRecorder,
    @Inject(PortalSimulator) private readonly simulator: PortalSimulator,
    @Inject(FaultInjector) private readonly faults: FaultInjector,
  ) {}

  @Get('portal/received')
  received(): ReturnType<PortalRecorder['received']> {
    return this.recorder.received();
  }

  @Delete('portal/received')
  @HttpCode(204)
  reset(): void {
    this.recorder.reset();
  }

  @Get('portal/dossiers/:code')
  dossier(@Param('code') code: string): RecordedDossier {
    const dossier = this.recorder.find(code.normalize('NFC'));
    if (!dossier) {
      throw new NotFoundException(`the portal has received nothing for dossier ${code}`);
    }
    return dossier;
  }

  @Delete('portal/sessions')
  expireSessions(): { expired: number } {
    return { expired: this.simulator.expireSessions() };
  }

  @Get('faults/portal')
  fault(): FaultState {
    return this.faults.read();
  }

  @Put('faults/portal')
  setFault(@Body() body: unknown): FaultState {
    return this.faults.set(parseFaultSettings(body));
  }
}
