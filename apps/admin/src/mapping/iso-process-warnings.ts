import type { CatalogueEntry, IsoProcess, StatutoryTimes } from '@isohub/persistence';
import { parseProcessingTime } from '@isohub/timing';

export type ProcessChannel = keyof StatutoryTimes;
const CHANNELS: readonly { key: ProcessChannel; field: 'time_in_person' | 'time_online' | 'time_postal' }[] =
  [
    { key: 'inPerson', field: 'time_in_person' },
    { key: 'online', field: 'time_online' },
    { key: 'postal', field: 'time_postal' },
  ];

export type ProcessWarning =
  | { code: 'steps_exceed_statutory'; channel: ProcessChannel; stepsHours: number; statutoryHours: number }
  | {
      code: 'statutory_differs_from_catalogue';
      channel: ProcessChannel;
      process: { value: number; unit: string } | null;
      catalogue: { value: number; unit: string; text: string };
    };

/**
 * What an admin should look at in an ISO process (warnings, never errors): steps that add up to more than the
 * channel's statutory time, and a statutory time that is not the national catalogue's for that channel.
 */
export function isoProcessWarnings(
  process: Pick<IsoProcess, 'statutory' | 'steps'>,
  catalogue: Pick<CatalogueEntry, 'time_in_person' | 'time_online' | 'time_postal'> | null,
): ProcessWarning[] {
  const warnings: ProcessWarning[] = [];
  for (const { key, field } of CHANNELS) {
    const statutory = process.statutory[key];
    if (statutory?.hours !== undefined) {
      const stepsHours = process.steps.reduce(
        (sum, s) => sum + (s.channelAllowanceHours?.[key] ?? s.allowanceHours),
        0,
      );
      if (stepsHours > statutory.hours + 1e-9) {
        warnings.push({
          code: 'steps_exceed_statutory',
          channel: key,
          stepsHours,
          statutoryHours: statutory.hours,
        });
      }
    }
    const parsed = parseProcessingTime(catalogue?.[field] ?? null);
    if (
      parsed.ok &&
      (statutory?.value !== parsed.duration.value || statutory.unit !== parsed.duration.unit)
    ) {
      warnings.push({
        code: 'statutory_differs_from_catalogue',
        channel: key,
        process: statutory ? { value: statutory.value, unit: statutory.unit } : null,
        catalogue: { value: parsed.duration.value, unit: parsed.duration.unit, text: parsed.text },
      });
    }
  }
  return warnings;
}
