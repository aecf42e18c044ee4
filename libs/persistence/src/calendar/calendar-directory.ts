import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  type CalendarLayer,
  CalendarDataError,
  layersFromFiles,
  type LunarDates,
  parseCalendarFile,
  parseLunarDates,
} from '@isohub/timing';

export interface CalendarDirectory {
  layers: CalendarLayer[];
  lunar: Map<number, LunarDates>;
}

/**
 * Reads a calendar directory (`config/calendars/`): every `*.json` but `lunar-dates.json` is one scope's
 * year; a broken file is refused with its name and the problems found.
 */
export function readCalendarDirectory(dir: string): CalendarDirectory {
  const names = readdirSync(dir)
    .filter((n) => n.endsWith('.json'))
    .sort();
  const read = (name: string): unknown => JSON.parse(readFileSync(join(dir, name), 'utf8'));
  const files = names
    .filter((n) => n !== 'lunar-dates.json')
    .map((name) => {
      try {
        return parseCalendarFile(read(name));
      } catch (e) {
        if (e instanceof CalendarDataError) {
          throw new CalendarDataError(e.problems.map((p) => ({ ...p, path: `${name}${p.path}` })));
        }
        throw e;
      }
    });
  return {
    layers: layersFromFiles(files),
    lunar: names.includes('lunar-dates.json')
      ? parseLunarDates(read('lunar-dates.json'))
      : new Map<number, LunarDates>(),
  };
}
