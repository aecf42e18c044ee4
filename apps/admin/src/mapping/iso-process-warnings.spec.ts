import type { IsoProcessStep } from '@isohub/persistence';
import { describe, expect, it } from 'vitest';
import { isoProcessWarnings } from './iso-process-warnings';

const step = (allowanceHours: number, extra: Partial<IsoProcessStep> = {}): IsoProcessStep => ({
  stepNo: 1,
  code: null,
  name: 'Bước',
  responsibleUnit: null,
  allowanceHours,
  nationalStatus: null,
  formCodes: [],
  ...extra,
});
const threeDays = { value: 3, unit: 'working_days' as const, hours: 24 };

describe('isoProcessWarnings', () => {
  it('says nothing when the steps fit and the catalogue agrees', () => {
    const process = {
      statutory: { inPerson: threeDays },
      steps: [step(2), step(12), step(4), step(4), step(0)],
    };
    const catalogue = { time_in_person: '3 Ngày làm việc', time_online: null, time_postal: null };
    expect(isoProcessWarnings(process, catalogue)).toEqual([]);
  });

  it('warns when the steps of a channel add up to more than its statutory time, with channel allowances', () => {
    const process = {
      statutory: { inPerson: threeDays, online: { value: 2, unit: 'working_days' as const, hours: 16 } },
      steps: [
        step(12, { channelAllowanceHours: { online: 4 } }),
        step(12, { channelAllowanceHours: { online: 4 } }),
        step(4),
      ],
    };
    expect(isoProcessWarnings(process, null)).toEqual([
      { code: 'steps_exceed_statutory', channel: 'inPerson', stepsHours: 28, statutoryHours: 24 },
    ]);
  });

  it('warns when the statutory time is not the national catalogue one', () => {
    const process = { statutory: { inPerson: threeDays }, steps: [step(8)] };
    const catalogue = {
      time_in_person: '5 Ngày làm việc',
      time_online: '3 Ngày làm việc',
      time_postal: 'Theo mô tả',
    };
    expect(isoProcessWarnings(process, catalogue)).toEqual([
      {
        code: 'statutory_differs_from_catalogue',
        channel: 'inPerson',
        process: { value: 3, unit: 'working_days' },
        catalogue: { value: 5, unit: 'working_days', text: '5 Ngày làm việc' },
      },
      {
        code: 'statutory_differs_from_catalogue',
        channel: 'online',
        process: null,
        catalogue: { value: 3, unit: 'working_days', text: '3 Ngày làm việc' },
      },
    ]);
  });
});
