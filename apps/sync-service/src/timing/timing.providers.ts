import type { Provider } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { CalendarStore } from '@isohub/persistence';
import { DEFAULT_DOSSIER_VERDICT_OPTIONS } from '@isohub/timing';
import { DATA_SOURCE } from '../infra/infra.module';
import type { TimingSettings } from './timing-planner';
import { TIMING_CALENDARS, TIMING_SETTINGS, TimingService, type CalendarLoader } from './timing.service';

/**
 * Step verdicts by the vendor's minute rule and the QĐ 766 verdict with the national KPI's tolling
 * (subtract the supplement time), withdrawal ranked with "stopped".
 */
export const DEFAULT_TIMING_SETTINGS: TimingSettings = {
  rule: 'minute',
  verdict: DEFAULT_DOSSIER_VERDICT_OPTIONS,
};

export const TIMING_PROVIDERS: Provider[] = [
  {
    provide: TIMING_CALENDARS,
    inject: [DATA_SOURCE],
    useFactory: (ds: DataSource): CalendarLoader => new CalendarStore(ds),
  },
  { provide: TIMING_SETTINGS, useValue: DEFAULT_TIMING_SETTINGS },
  TimingService,
];
