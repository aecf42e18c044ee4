/**
 * Calendar data files (`config/calendars/*.json`): one file per scope and year, a `CalendarYear` plus its
 * `scope`; `lunar-dates.json` holds the lunar holiday dates of skeleton years. Parsing and grouping only;
 * reading the directory is the caller's (libs/persistence seeds the database from it).
 */
import {
  type CalendarLayer,
  type CalendarProblem,
  type CalendarYear,
  CalendarDataError,
  calendarYearProblems,
  type LayerScope,
  parseCalendarYear,
  scopeLabel,
} from './calendar-model';

export interface CalendarFile extends CalendarYear {
  scope: LayerScope;
}

const CODE = /^[A-Za-z0-9._-]{1,64}$/;

export function scopeProblems(value: unknown, path = '/scope'): CalendarProblem[] {
  const s = value as Partial<{ level: string; province: string; agency: string }> | null;
  if (!s || typeof s !== 'object') {
    return [{ path, message: 'scope must be { level: national | province | agency }' }];
  }
  if (s.level === 'national') {
    return [];
  }
  if (s.level === 'province') {
    return typeof s.province === 'string' && CODE.test(s.province)
      ? []
      : [{ path: `${path}/province`, message: 'a province scope needs its province code' }];
  }
  if (s.level === 'agency') {
    return typeof s.agency === 'string' && CODE.test(s.agency)
      ? []
      : [{ path: `${path}/agency`, message: 'an agency scope needs its agency code' }];
  }
  return [{ path: `${path}/level`, message: 'level must be national, province or agency' }];
}

export function parseCalendarFile(value: unknown): CalendarFile {
  const scope = (value as { scope?: unknown } | null)?.scope;
  const problems = [...scopeProblems(scope), ...calendarYearProblems(value)];
  if (problems.length > 0) {
    throw new CalendarDataError(problems);
  }
  return { scope: normaliseScope(scope as LayerScope), ...parseCalendarYear(value) };
}

export function normaliseScope(scope: LayerScope): LayerScope {
  return scope.level === 'national'
    ? { level: 'national' }
    : scope.level === 'province'
      ? { level: 'province', province: scope.province }
      : { level: 'agency', agency: scope.agency };
}

/** Groups year files into one layer per scope; two files for one scope and year are refused. */
export function layersFromFiles(files: readonly CalendarFile[]): CalendarLayer[] {
  const layers = new Map<string, CalendarLayer>();
  for (const { scope, ...year } of files) {
    const key = `${scope.level}:${scopeLabel(scope)}`;
    const layer = layers.get(key) ?? { scope, years: [] };
    if (layer.years.some((y) => y.year === year.year)) {
      throw new CalendarDataError([
        { path: `/${key}/${year.year}`, message: 'two files for one scope and year' },
      ]);
    }
    layer.years.push(year);
    layers.set(key, layer);
  }
  return [...layers.values()];
}
