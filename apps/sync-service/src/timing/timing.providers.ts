import type { Provider } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { CalendarStore, DeadlineTimerStore } from '@isohub/persistence';
import { SYNC_CONFIG, type SyncServiceConfig } from '../config/sync-service.config';
import { DATA_SOURCE } from '../infra/infra.module';
import { DeadlineScheduler, TIMING_CLOCK, type Clock } from './deadline-scheduler.service';
import type { TimingSettings } from './timing-planner';
import { TIMING_CALENDARS, TIMING_SETTINGS, TimingService, type CalendarLoader } from './timing.service';

export const TIMING_PROVIDERS: Provider[] = [
  {
    provide: TIMING_CALENDARS,
    inject: [DATA_SOURCE],
    useFactory: (ds: DataSource): CalendarLoader => new CalendarStore(ds),
  },
  {
    provide: TIMING_SETTINGS,
    inject: [SYNC_CONFIG],
    useFactory: (c: SyncServiceConfig): TimingSettings => ({
      rule: c.timing.outcomeRule,
      verdict: { tolling: c.timing.tolling, withdrawal: c.timing.withdrawal },
    }),
  },
  { provide: TIMING_CLOCK, useFactory: (): Clock => ({ now: () => new Date() }) },
  {
    provide: DeadlineTimerStore,
    inject: [DATA_SOURCE],
    useFactory: (ds: DataSource) => new DeadlineTimerStore(ds),
  },
  TimingService,
  DeadlineScheduler,
];
