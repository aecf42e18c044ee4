/** Test support: the shipped `config/calendars/` files, read from disk as the persistence seed reads them. */
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  buildWorkingCalendar,
  type BuildOptions,
  type ExplainedWorkingCalendar,
} from '../build-working-calendar';
import { type CalendarFile, layersFromFiles, parseCalendarFile } from '../calendar-files';
import type { CalendarLayer, CalendarYear } from '../calendar-model';
import { type LunarDates, parseLunarDates } from '../statutory-skeleton';

const DIR = resolve(__dirname, '../../../../../config/calendars');
const read = (name: string): unknown => JSON.parse(readFileSync(resolve(DIR, name), 'utf8'));

export const SHIPPED_FILES: readonly CalendarFile[] = readdirSync(DIR)
  .filter((name) => /^vn-\d{4}\.json$/.test(name))
  .sort()
  .map((name) => parseCalendarFile(read(name)));

export const SHIPPED_NATIONAL_YEARS: readonly CalendarYear[] = SHIPPED_FILES;
export const SHIPPED_NATIONAL_LAYER: CalendarLayer = layersFromFiles(SHIPPED_FILES)[0];
export const SHIPPED_LUNAR_DATES: ReadonlyMap<number, LunarDates> = parseLunarDates(read('lunar-dates.json'));

export function shippedWorkingCalendar(options: BuildOptions = {}): ExplainedWorkingCalendar {
  return buildWorkingCalendar([SHIPPED_NATIONAL_LAYER], {
    version: 'shipped',
    lunar: SHIPPED_LUNAR_DATES,
    ...options,
  });
}
