import { BadRequestException, Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import {
  type DaySimulationOptions,
  resolveDayOptions,
  type SimulatedDay,
  simulateDay,
} from './day-simulator';
import { type ReplayTargets, replayTraffic } from './traffic-replayer';

function optionalNumber(value: unknown, key: string): number | undefined {
  if (value === undefined || value === '') {
    return undefined;
  }
  const n = Number(value);
  if (!Number.isFinite(n)) {
    throw new BadRequestException(`${key} must be a number`);
  }
  return n;
}

function readOptions(input: Record<string, unknown>): DaySimulationOptions {
  const quirks = input['quirks'];
  const options: DaySimulationOptions = {
    seed: typeof input['seed'] === 'number' || typeof input['seed'] === 'string' ? input['seed'] : 1,
    count: optionalNumber(input['count'], 'count') ?? 20,
    date: typeof input['date'] === 'string' ? input['date'] : undefined,
    openCpsShare: optionalNumber(input['openCpsShare'], 'openCpsShare'),
    spanDays: optionalNumber(input['spanDays'], 'spanDays'),
    quirks: quirks === undefined ? undefined : quirks === true || quirks === 'true',
    series: optionalNumber(input['series'], 'series'),
  };
  try {
    return resolveDayOptions(options);
  } catch (error) {
    throw new BadRequestException(error instanceof Error ? error.message : String(error));
  }
}

/** The simulated one-stop systems: a generated day of their traffic, and a replay of it to a receiver. */
@Controller('_sandbox/onestop')
export class OnestopController {
  @Get('day')
  day(@Query() query: Record<string, unknown>): SimulatedDay {
    return simulateDay(readOptions(query));
  }

  /** Sends a generated day to `targets` (e.g. isohub's tee) the way both senders would, in time order. */
  @Post('replay')
  @HttpCode(200)
  async replay(@Body() body: Record<string, unknown> & { targets?: ReplayTargets }) {
    if (!body.targets || (!body.targets.openCps && !body.targets.thanhHoa)) {
      throw new BadRequestException('targets.openCps and/or targets.thanhHoa are required');
    }
    const day = simulateDay(readOptions(body));
    const speed = optionalNumber(body['speed'], 'speed');
    const calls = await replayTraffic(day.messages, body.targets, speed && speed > 0 ? { speed } : {});
    return {
      seed: day.seed,
      date: day.date,
      dossiers: day.dossiers.length,
      messages: day.messages.length,
      calls: calls.length,
      acknowledged: calls.filter((c) => c.acknowledged).length,
      unanswered: calls.filter((c) => c.status === 0).length,
      notAcknowledged: calls
        .filter((c) => !c.acknowledged)
        .slice(0, 50)
        .map((c) => ({ dossierCode: c.message.dossierCode, url: c.url, status: c.status, answer: c.answer })),
    };
  }
}
