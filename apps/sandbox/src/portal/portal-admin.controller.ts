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
  Post,
  Put,
} from '@nestjs/common';
import {
  FAULT_MODES,
  FAULT_TARGET,
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

function parseTamper(body: unknown): Record<string, string | null> | 'forget' {
  if (typeof body !== 'object' || body === null || Array.isArray(body) || Object.keys(body).length === 0) {
    throw new BadRequestException(
      'body must be a non-empty JSON object of portal fields, or { "forget": true }',
    );
  }
  const record = body as Record<string, unknown>;
  if (record['forget'] === true) {
    return 'forget';
  }
  for (const [key, value] of Object.entries(record)) {
    if (
      !/^[A-Za-z][A-Za-z0-9]*$/.test(key) ||
      key === 'MaHoSo' ||
      (value !== null && typeof value !== 'string')
    ) {
      throw new BadRequestException(`${key}: a portal field other than MaHoSo, with a string or null value`);
    }
  }
  return record as Record<string, string | null>;
}

function faultTarget(target: string): string {
  if (!FAULT_TARGET.test(target)) {
    throw new BadRequestException(
      'target must be auth, integration[.<service>], share[.<service>] or thanhhoa-create|update|progress',
    );
  }
  return target;
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

  /** `{ "<portal field>": "<value>" | null, ... }` overwrites the stored copy; `{ "forget": true }` drops it. */
  @Post('portal/dossiers/:code/tamper')
  @HttpCode(200)
  tamper(@Param('code') code: string, @Body() body: unknown): { maHoSo: string; forgotten: boolean } {
    const maHoSo = code.normalize('NFC');
    const changes = parseTamper(body);
    const done =
      changes === 'forget' ? this.recorder.forget(maHoSo) : this.recorder.tamper(maHoSo, changes) !== null;
    if (!done) {
      throw new NotFoundException(`the portal holds no copy of dossier ${code}`);
    }
    return { maHoSo, forgotten: changes === 'forget' };
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

  /** Every portal fault off, everywhere and per target. */
  @Delete('faults/portal')
  @HttpCode(204)
  clearFaults(): void {
    this.faults.reset();
  }

  /** Per endpoint or service: auth, integration[.Service], share[.Service], thanhhoa-create|update|progress. */
  @Get('faults/portal/:target')
  targetFault(@Param('target') target: string): FaultState {
    return this.faults.read(faultTarget(target));
  }

  @Put('faults/portal/:target')
  setTargetFault(@Param('target') target: string, @Body() body: unknown): FaultState {
    return this.faults.set(parseFaultSettings(body), faultTarget(target));
  }
}
