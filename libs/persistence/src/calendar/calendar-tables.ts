/**
 * Row access for the calendar tables, shared by the seed migration and `CalendarStore`. A scope is
 * stored as (scope_level, scope_code), the national layer with code ''.
 */
import {
  type CalendarDay,
  type CalendarLayer,
  type CalendarYear,
  type LayerScope,
  type LunarDates,
  type TimeWindow,
  type Weekday,
  WEEKDAYS,
} from '@isohub/timing';

/** EntityManager and QueryRunner both answer this. */
export interface Queryable {
  query<T = unknown>(sql: string, parameters?: unknown[]): Promise<T>;
}

export interface ScopeKey {
  level: LayerScope['level'];
  code: string;
}

export const scopeKey = (scope: LayerScope): ScopeKey => ({
  level: scope.level,
  code: scope.level === 'national' ? '' : scope.level === 'province' ? scope.province : scope.agency,
});

export const scopeOf = (level: string, code: string): LayerScope =>
  level === 'province'
    ? { level: 'province', province: code }
    : level === 'agency'
      ? { level: 'agency', agency: code }
      : { level: 'national' };

interface DayRow {
  scope_level: string;
  scope_code: string;
  year: number;
  day: string;
  kind: CalendarDay['kind'];
  name: string;
  source: string;
  official: boolean;
  note: string | null;
  windows: TimeWindow[] | null;
  replaces: string | null;
}

interface YearRow {
  scope_level: string;
  scope_code: string;
  year: number;
  official: boolean;
  sources: string[];
  note: string | null;
}

const DAY_COLUMNS = `scope_level, scope_code, year, to_char(day, 'YYYY-MM-DD') AS day, kind, name, source, official,
  note, windows, to_char(replaces, 'YYYY-MM-DD') AS replaces`;

export const dayFromRow = (r: DayRow): CalendarDay => ({
  date: r.day,
  kind: r.kind,
  name: r.name,
  source: r.source,
  status: r.official ? 'official' : 'provisional',
  ...(r.note ? { note: r.note } : {}),
  ...(r.windows ? { windows: r.windows } : {}),
  ...(r.replaces ? { replaces: r.replaces } : {}),
});

export async function ensureLayer(
  m: Queryable,
  version: string,
  scope: LayerScope,
  actor: string,
): Promise<void> {
  const key = scopeKey(scope);
  await m.query(
    `INSERT INTO calendar_layer (version, scope_level, scope_code, updated_by) VALUES ($1, $2, $3, $4)
     ON CONFLICT (version, scope_level, scope_code) DO UPDATE SET updated_by = EXCLUDED.updated_by, updated_at = now()`,
    [version, key.level, key.code, actor],
  );
}

export async function writeWeekly(
  m: Queryable,
  version: string,
  scope: LayerScope,
  weekly: Partial<Record<Weekday, TimeWindow[]>>,
): Promise<void> {
  const key = scopeKey(scope);
  await m.query(`DELETE FROM calendar_weekday WHERE version = $1 AND scope_level = $2 AND scope_code = $3`, [
    version,
    key.level,
    key.code,
  ]);
  for (const weekday of WEEKDAYS) {
    const windows = weekly[weekday];
    if (windows !== undefined) {
      await m.query(
        `INSERT INTO calendar_weekday (version, scope_level, scope_code, weekday, windows) VALUES ($1, $2, $3, $4, $5)`,
        [version, key.level, key.code, weekday, JSON.stringify(windows)],
      );
    }
  }
}

/** Replaces one scope's year (its row and every day) in `version`. */
export async function writeYear(
  m: Queryable,
  version: string,
  scope: LayerScope,
  year: CalendarYear,
): Promise<void> {
  const key = scopeKey(scope);
  await m.query(
    `DELETE FROM calendar_year WHERE version = $1 AND scope_level = $2 AND scope_code = $3 AND year = $4`,
    [version, key.level, key.code, year.year],
  );
  await m.query(
    `INSERT INTO calendar_year (version, scope_level, scope_code, year, official, sources, note)
     VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [
      version,
      key.level,
      key.code,
      year.year,
      year.status === 'official',
      JSON.stringify(year.sources),
      year.note ?? null,
    ],
  );
  for (const d of year.days) {
    await m.query(
      `INSERT INTO calendar_day (version, scope_level, scope_code, year, day, kind, name, source, official, note,
         windows, replaces)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
      [
        version,
        key.level,
        key.code,
        year.year,
        d.date,
        d.kind,
        d.name,
        d.source,
        d.status === 'official',
        d.note ?? null,
        d.windows ? JSON.stringify(d.windows) : null,
        d.replaces ?? null,
      ],
    );
  }
}

/** Writes a whole layer (weekly windows if any, and every year) into `version`. */
export async function writeLayerYears(m: Queryable, version: string, layer: CalendarLayer, actor: string) {
  await ensureLayer(m, version, layer.scope, actor);
  if (layer.weekly) {
    await writeWeekly(m, version, layer.scope, layer.weekly);
  }
  for (const year of layer.years) {
    await writeYear(m, version, layer.scope, year);
  }
}

export async function writeLunarDates(m: Queryable, lunar: ReadonlyMap<number, LunarDates>): Promise<void> {
  for (const [year, d] of lunar) {
    await m.query(
      `INSERT INTO calendar_lunar_date (year, tet, hung_kings) VALUES ($1, $2, $3)
       ON CONFLICT (year) DO UPDATE SET tet = EXCLUDED.tet, hung_kings = EXCLUDED.hung_kings`,
      [year, d.tet, d.hungKings],
    );
  }
}

export async function readLunarDates(m: Queryable): Promise<Map<number, LunarDates>> {
  const rows = await m.query<{ year: number; tet: string; hung_kings: string }[]>(
    `SELECT year, to_char(tet, 'YYYY-MM-DD') AS tet, to_char(hung_kings, 'YYYY-MM-DD') AS hung_kings
       FROM calendar_lunar_date`,
  );
  return new Map(rows.map((r) => [r.year, { tet: r.tet, hungKings: r.hung_kings }]));
}

/** The layers of `scopes` that exist in `version`, fully read. */
export async function readLayers(
  m: Queryable,
  version: string,
  scopes: readonly LayerScope[],
): Promise<CalendarLayer[]> {
  const keys = scopes.map(scopeKey);
  const levels = keys.map((k) => k.level);
  const codes = keys.map((k) => k.code);
  const match = `version = $1 AND (scope_level, scope_code) IN (SELECT * FROM unnest($2::text[], $3::text[]))`;
  const params = [version, levels, codes];
  // One after another: inside a transaction they share one connection.
  const layers = await m.query<{ scope_level: string; scope_code: string }[]>(
    `SELECT scope_level, scope_code FROM calendar_layer WHERE ${match}`,
    params,
  );
  const weekdays = await m.query<
    { scope_level: string; scope_code: string; weekday: Weekday; windows: TimeWindow[] }[]
  >(`SELECT scope_level, scope_code, weekday, windows FROM calendar_weekday WHERE ${match}`, params);
  const years = await m.query<YearRow[]>(
    `SELECT scope_level, scope_code, year, official, sources, note FROM calendar_year WHERE ${match}`,
    params,
  );
  const days = await m.query<DayRow[]>(
    `SELECT ${DAY_COLUMNS} FROM calendar_day WHERE ${match} ORDER BY day`,
    params,
  );
  return layers.map((l) => {
    const mine = <T extends { scope_level: string; scope_code: string }>(rows: T[]) =>
      rows.filter((r) => r.scope_level === l.scope_level && r.scope_code === l.scope_code);
    const weekly = Object.fromEntries(mine(weekdays).map((w) => [w.weekday, w.windows]));
    const myDays = mine(days);
    return {
      scope: scopeOf(l.scope_level, l.scope_code),
      ...(Object.keys(weekly).length > 0 ? { weekly } : {}),
      years: mine(years)
        .sort((a, b) => a.year - b.year)
        .map((y) => ({
          year: y.year,
          status: y.official ? 'official' : 'provisional',
          sources: y.sources,
          ...(y.note ? { note: y.note } : {}),
          days: myDays.filter((d) => d.year === y.year).map(dayFromRow),
        })),
    };
  });
}

/** Copies every calendar row of `from` into `to` (publishing). */
export async function copyCalendarVersion(m: Queryable, from: string, to: string): Promise<void> {
  await m.query(
    `INSERT INTO calendar_layer (version, scope_level, scope_code, updated_by, updated_at)
     SELECT $2, scope_level, scope_code, updated_by, updated_at FROM calendar_layer WHERE version = $1`,
    [from, to],
  );
  await m.query(
    `INSERT INTO calendar_weekday (version, scope_level, scope_code, weekday, windows)
     SELECT $2, scope_level, scope_code, weekday, windows FROM calendar_weekday WHERE version = $1`,
    [from, to],
  );
  await m.query(
    `INSERT INTO calendar_year (version, scope_level, scope_code, year, official, sources, note)
     SELECT $2, scope_level, scope_code, year, official, sources, note FROM calendar_year WHERE version = $1`,
    [from, to],
  );
  await m.query(
    `INSERT INTO calendar_day (version, scope_level, scope_code, year, day, kind, name, source, official, note, windows,
       replaces)
     SELECT $2, scope_level, scope_code, year, day, kind, name, source, official, note, windows, replaces
       FROM calendar_day WHERE version = $1`,
    [from, to],
  );
}
