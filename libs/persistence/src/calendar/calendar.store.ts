import {
  buildWorkingCalendar,
  type CalendarDay,
  calendarDayProblems,
  type CalendarLayer,
  type CalendarYear,
  calendarYearProblems,
  type ExplainedWorkingCalendar,
  type LayerScope,
  type LunarDates,
  scopeLabel,
  type TimeWindow,
  type Weekday,
  type WeeklyWindows,
  weeklyProblems,
} from '@isohub/timing';
import { Client } from 'pg';
import type { DataSource, EntityManager } from 'typeorm';
import { AuditStore } from '../audit.store';
import { canonicalJson, sha256Hex } from '../canonical-json';
import { diffHash, keyedDiff, type KeyedDiff } from '../keyed-diff';
import { MappingStoreError } from '../mapping-store.errors';
import {
  copyCalendarVersion,
  ensureLayer,
  type Queryable,
  readLayers,
  readLunarDates,
  scopeKey,
  scopeOf,
  writeWeekly,
  writeYear,
} from './calendar-tables';

export const CALENDAR_DRAFT = 'draft';
/** Serialises calendar edits and publishing. */
const CALENDAR_LOCK = 4_172_011;
/** Published on publish; the sync service listens and re-derives what depends on the calendar. */
export const CALENDAR_CHANNEL = 'isohub_calendar';
const VERSION_NAME = /^cal-(\d+)$/;
const MAX_CACHED_CALENDARS = 1_000;

/** Which province and agency a computation runs for; absent ones fall back to the national layer. */
export interface CalendarScopeRef {
  province?: string | null;
  agency?: string | null;
}

export interface CalendarVersionInfo {
  version: string;
  seq: number;
  publishedAt: string;
  publishedBy: string;
  note: string | null;
  summary: Record<string, unknown>;
}

export interface LayerSummary {
  scope: LayerScope;
  weekly: WeeklyWindows;
  years: { year: number; status: CalendarYear['status']; days: number; sources: string[] }[];
}

/** A flat row of a layer's content, keyed for diffs: a weekday, a year or a day. */
interface ContentRow {
  key: string;
  content: unknown;
}

export interface CalendarChanges {
  against: string | null;
  added: string[];
  changed: string[];
  removed: string[];
}

export interface YearImportPlan {
  scope: LayerScope;
  year: number;
  diff: KeyedDiff<CalendarDay>;
  /** Year row (status, sources, note) changes. */
  yearChanged: boolean;
  diffHash: string;
}

export interface CalendarStoreOptions {
  /** How long `load` trusts its cached idea of the current version (ms). */
  versionTtlMs?: number;
  audit?: AuditStore;
}

const invalid = (problems: { path: string; message: string }[]) =>
  new MappingStoreError(
    'INVALID',
    'invalid calendar data',
    problems.map((p) => ({ field: p.path, code: 'invalid', message: p.message })),
  );

const scopeId = (scope: LayerScope) => {
  const k = scopeKey(scope);
  return k.level === 'national' ? 'national' : `${k.level}:${k.code}`;
};

/**
 * Working calendars in PostgreSQL: national, province and agency layers, edited as `draft` and published
 * as `cal-<n>` (every write audited in its transaction). `load({ province, agency })` gives the calendar in
 * force as a `WorkingCalendar`, cached per version.
 */
export class CalendarStore {
  private readonly audit: AuditStore;
  private readonly versionTtlMs: number;
  private current: { version: string | null; checkedAt: number } | null = null;
  private readonly cache = new Map<string, Promise<ExplainedWorkingCalendar>>();
  private lunar: Promise<Map<number, LunarDates>> | null = null;

  constructor(
    private readonly ds: DataSource,
    options: CalendarStoreOptions = {},
  ) {
    this.audit = options.audit ?? new AuditStore(ds);
    this.versionTtlMs = options.versionTtlMs ?? 5_000;
  }

  // ----- the calendar in force ------------------------------------------------------------------------

  /** The latest published version, or null before anything is published. */
  async currentVersion(): Promise<string | null> {
    const [row] = await this.ds.query<{ version: string }[]>(
      `SELECT version FROM calendar_version ORDER BY seq DESC LIMIT 1`,
    );
    return row?.version ?? null;
  }

  /**
   * The calendar in force for a province and agency: the latest published national layer overlaid by the
   * province's and the agency's (when they exist). Nothing published: the statutory skeleton, provisional.
   */
  async load(ref: CalendarScopeRef = {}): Promise<ExplainedWorkingCalendar> {
    const now = Date.now();
    if (!this.current || now - this.current.checkedAt > this.versionTtlMs) {
      this.current = { version: await this.currentVersion(), checkedAt: now };
    }
    return this.loadVersion(this.current.version, ref);
  }

  /** The calendar of one version (`draft`, `cal-<n>`, or null for the skeleton alone). */
  loadVersion(version: string | null, ref: CalendarScopeRef = {}): Promise<ExplainedWorkingCalendar> {
    if (version === CALENDAR_DRAFT) {
      return this.build(version, ref); // the draft changes under us: never cached
    }
    const key = `${version ?? ''}\u0000${ref.province ?? ''}\u0000${ref.agency ?? ''}`;
    let hit = this.cache.get(key);
    if (!hit) {
      if (this.cache.size >= MAX_CACHED_CALENDARS) {
        this.cache.clear(); // many agencies over time: start again rather than grow without bound
      }
      hit = this.build(version, ref);
      this.cache.set(key, hit);
      hit.catch(() => this.cache.delete(key));
    }
    return hit;
  }

  /**
   * Listens for publishes (`NOTIFY isohub_calendar`, from any process) on a connection of its own: drops
   * the caches at once and calls `onPublished` with the new version (re-derive what depends on the
   * calendar there). A lost connection is reopened after `retryMs`. Returns the function that stops it.
   */
  async watch(
    onPublished: (version: string) => void,
    options: { retryMs?: number } = {},
  ): Promise<() => Promise<void>> {
    const url = (this.ds.options as { url?: string }).url;
    if (!url) {
      throw new Error('CalendarStore.watch needs a data source configured with a url');
    }
    let client: Client | null = null;
    let stopped = false;
    let timer: NodeJS.Timeout | null = null;
    const connect = async (): Promise<void> => {
      const c = new Client({ connectionString: url, application_name: 'isohub-calendar-watch' });
      c.on('notification', (n) => {
        if (n.channel === CALENDAR_CHANNEL && n.payload) {
          this.invalidate();
          onPublished(n.payload);
        }
      });
      c.on('error', () => {
        client = null;
        void c.end().catch(() => undefined);
        if (!stopped) {
          timer = setTimeout(() => void connect().catch(() => undefined), options.retryMs ?? 5_000);
        }
      });
      await c.connect();
      await c.query(`LISTEN ${CALENDAR_CHANNEL}`);
      client = c;
    };
    await connect();
    return async () => {
      stopped = true;
      if (timer) {
        clearTimeout(timer);
      }
      await client?.end().catch(() => undefined);
    };
  }

  /** Forget cached versions and calendars (after a publish seen from elsewhere). */
  invalidate(): void {
    this.current = null;
    this.cache.clear();
    this.lunar = null;
  }

  private async build(version: string | null, ref: CalendarScopeRef): Promise<ExplainedWorkingCalendar> {
    const scopes: LayerScope[] = [{ level: 'national' }];
    if (ref.province) {
      scopes.push({ level: 'province', province: ref.province });
    }
    if (ref.agency) {
      scopes.push({ level: 'agency', agency: ref.agency });
    }
    this.lunar ??= readLunarDates(this.ds.manager);
    const layers = version ? await readLayers(this.ds.manager, version, scopes) : [];
    const lunar = await this.lunar;
    const labels = layers.length > 0 ? layers.map((l) => scopeLabel(l.scope)) : ['skeleton'];
    return buildWorkingCalendar(layers, { version: `${version ?? 'none'} (${labels.join(' + ')})`, lunar });
  }

  // ----- reading ----------------------------------------------------------------------------------------

  async listVersions(): Promise<CalendarVersionInfo[]> {
    const rows = await this.ds.query<
      {
        version: string;
        seq: number;
        published_at: Date;
        published_by: string;
        note: string | null;
        summary: Record<string, unknown>;
      }[]
    >(`SELECT * FROM calendar_version ORDER BY seq DESC`);
    return rows.map((r) => ({
      version: r.version,
      seq: r.seq,
      publishedAt: r.published_at.toISOString(),
      publishedBy: r.published_by,
      note: r.note,
      summary: r.summary,
    }));
  }

  /** `draft`, `current` or `cal-<n>`. */
  async resolveVersion(ref: string | undefined): Promise<string> {
    if (ref === undefined || ref === '' || ref === CALENDAR_DRAFT) {
      return CALENDAR_DRAFT;
    }
    if (ref === 'current') {
      const current = await this.currentVersion();
      if (!current) {
        throw new MappingStoreError('NOT_FOUND', 'no calendar has been published yet');
      }
      return current;
    }
    const [row] = VERSION_NAME.test(ref)
      ? await this.ds.query<{ version: string }[]>(
          `SELECT version FROM calendar_version WHERE version = $1`,
          [ref],
        )
      : [];
    if (!row) {
      throw new MappingStoreError('NOT_FOUND', `calendar version ${ref} does not exist`, [
        { field: '/version', code: 'not_found', message: `no version ${ref}` },
      ]);
    }
    return row.version;
  }

  /** Every layer of a version with its years (day counts, not the days). */
  async listLayers(version: string): Promise<LayerSummary[]> {
    const layers = await this.allLayers(this.ds.manager, version);
    return layers.map((l) => ({
      scope: l.scope,
      weekly: l.weekly ?? {},
      years: l.years.map((y) => ({
        year: y.year,
        status: y.status,
        days: y.days.length,
        sources: y.sources,
      })),
    }));
  }

  async getLayer(version: string, scope: LayerScope): Promise<CalendarLayer | null> {
    const [layer] = await readLayers(this.ds.manager, version, [scope]);
    return layer ?? null;
  }

  async getYear(version: string, scope: LayerScope, year: number): Promise<CalendarYear | null> {
    const layer = await this.getLayer(version, scope);
    return layer?.years.find((y) => y.year === year) ?? null;
  }

  // ----- drafting ---------------------------------------------------------------------------------------

  /** Sets the weekdays a layer redefines (the others inherit); creates the layer if needed. */
  async saveWeekly(actor: string, scope: LayerScope, weekly: WeeklyWindows): Promise<void> {
    const problems = weeklyProblems(weekly);
    if (problems.length > 0) {
      throw invalid(problems);
    }
    await this.write(async (m) => {
      const before = (await this.getLayerIn(m, scope))?.weekly ?? {};
      await ensureLayer(m, CALENDAR_DRAFT, scope, actor);
      await writeWeekly(m, CALENDAR_DRAFT, scope, weekly);
      await this.audit.append(m, {
        actor,
        action: 'calendar.weekly.update',
        entityType: 'calendar_layer',
        entityId: scopeId(scope),
        before,
        after: weekly,
      });
    });
  }

  /** Creates or replaces a whole year of a layer in the draft (status, sources, every day). */
  async saveYear(actor: string, scope: LayerScope, year: CalendarYear): Promise<void> {
    const problems = calendarYearProblems(year);
    if (problems.length > 0) {
      throw invalid(problems);
    }
    await this.write(async (m) => {
      const before = (await this.getLayerIn(m, scope))?.years.find((y) => y.year === year.year) ?? null;
      await ensureLayer(m, CALENDAR_DRAFT, scope, actor);
      await writeYear(m, CALENDAR_DRAFT, scope, year);
      await this.audit.append(m, {
        actor,
        action: before ? 'calendar.year.update' : 'calendar.year.create',
        entityType: 'calendar_year',
        entityId: `${scopeId(scope)}:${year.year}`,
        before,
        after: year,
      });
    });
  }

  /** Adds or replaces one day of a year the draft has (the year row must exist: create it first). */
  async saveDay(actor: string, scope: LayerScope, day: CalendarDay): Promise<void> {
    const problems = calendarDayProblems(day, '');
    if (problems.length > 0) {
      throw invalid(problems);
    }
    const yearNo = Number(day.date.slice(0, 4));
    await this.write(async (m) => {
      const year = (await this.getLayerIn(m, scope))?.years.find((y) => y.year === yearNo);
      if (!year) {
        throw new MappingStoreError(
          'NOT_FOUND',
          `${scopeId(scope)} has no ${yearNo} in the draft: create the year first`,
        );
      }
      const before = year.days.find((d) => d.date === day.date) ?? null;
      const days = [...year.days.filter((d) => d.date !== day.date), day].sort((a, b) =>
        a.date.localeCompare(b.date),
      );
      await writeYear(m, CALENDAR_DRAFT, scope, { ...year, days });
      await this.audit.append(m, {
        actor,
        action: before ? 'calendar.day.update' : 'calendar.day.create',
        entityType: 'calendar_day',
        entityId: `${scopeId(scope)}:${day.date}`,
        before,
        after: day,
      });
    });
  }

  async removeDay(actor: string, scope: LayerScope, date: string): Promise<void> {
    const yearNo = Number(date.slice(0, 4));
    await this.write(async (m) => {
      const year = (await this.getLayerIn(m, scope))?.years.find((y) => y.year === yearNo);
      const before = year?.days.find((d) => d.date === date);
      if (!year || !before) {
        throw new MappingStoreError('NOT_FOUND', `${scopeId(scope)} has no day ${date} in the draft`);
      }
      await writeYear(m, CALENDAR_DRAFT, scope, { ...year, days: year.days.filter((d) => d.date !== date) });
      await this.audit.append(m, {
        actor,
        action: 'calendar.day.delete',
        entityType: 'calendar_day',
        entityId: `${scopeId(scope)}:${date}`,
        before,
        after: null,
      });
    });
  }

  /** Removes a province or agency layer from the draft (the national layer stays). */
  async removeLayer(actor: string, scope: LayerScope): Promise<void> {
    if (scope.level === 'national') {
      throw new MappingStoreError('CONFLICT', 'the national layer cannot be removed');
    }
    await this.write(async (m) => {
      const before = await this.getLayerIn(m, scope);
      if (!before) {
        throw new MappingStoreError('NOT_FOUND', `no ${scopeId(scope)} layer in the draft`);
      }
      const key = scopeKey(scope);
      await m.query(
        `DELETE FROM calendar_layer WHERE version = $1 AND scope_level = $2 AND scope_code = $3`,
        [CALENDAR_DRAFT, key.level, key.code],
      );
      await this.audit.append(m, {
        actor,
        action: 'calendar.layer.delete',
        entityType: 'calendar_layer',
        entityId: scopeId(scope),
        before,
        after: null,
      });
    });
  }

  // ----- import (dry run, then commit exactly what it showed) -------------------------------------------

  /** What importing `year` for `scope` would change in the draft: the year is replaced as a whole. */
  async planYearImport(
    scope: LayerScope,
    year: CalendarYear,
    m: Queryable = this.ds.manager,
  ): Promise<YearImportPlan> {
    const problems = calendarYearProblems(year);
    if (problems.length > 0) {
      throw invalid(problems);
    }
    const [layer] = await readLayers(m, CALENDAR_DRAFT, [scope]);
    const before = layer?.years.find((y) => y.year === year.year);
    const current = new Map((before?.days ?? []).map((d) => [d.date, d]));
    const incoming = new Map(year.days.map((d) => [d.date, d]));
    const diff = keyedDiff(
      current,
      incoming,
      (d) => d,
      () => true,
    );
    const yearChanged =
      !before ||
      canonicalJson({ s: before.status, src: before.sources, n: before.note ?? null }) !==
        canonicalJson({ s: year.status, src: year.sources, n: year.note ?? null });
    return {
      scope,
      year: year.year,
      diff,
      yearChanged,
      diffHash: sha256Hex(
        canonicalJson({
          days: diffHash(diff, (d) => d),
          year: yearChanged ? { status: year.status, sources: year.sources, note: year.note ?? null } : null,
        }),
      ),
    };
  }

  /** Applies an import if the draft still gives the dry run's `diffHash`; refuses with CONFLICT otherwise. */
  async commitYearImport(
    actor: string,
    scope: LayerScope,
    year: CalendarYear,
    expectedHash: string,
  ): Promise<YearImportPlan> {
    return this.write(async (m) => {
      const plan = await this.planYearImport(scope, year, m);
      if (plan.diffHash !== expectedHash) {
        throw new MappingStoreError('CONFLICT', 'the draft changed since the dry run: run it again', [
          { field: '/diffHash', code: 'stale', message: 'does not match the current draft' },
        ]);
      }
      await ensureLayer(m, CALENDAR_DRAFT, scope, actor);
      await writeYear(m, CALENDAR_DRAFT, scope, year);
      await this.audit.append(m, {
        actor,
        action: 'calendar.import',
        entityType: 'calendar_year',
        entityId: `${scopeId(scope)}:${year.year}`,
        before: null,
        after: {
          added: plan.diff.added.map((d) => d.date),
          changed: plan.diff.changed.map((c) => c.key),
          removed: plan.diff.removed.map((d) => d.date),
          status: year.status,
        },
      });
      return plan;
    });
  }

  // ----- publishing -------------------------------------------------------------------------------------

  /** What publishing now would change against the latest published version (keys like `province:H56:2026-03-10`). */
  async draftChanges(m: Queryable = this.ds.manager): Promise<CalendarChanges> {
    const [last] = await m.query<{ version: string }[]>(
      `SELECT version FROM calendar_version ORDER BY seq DESC LIMIT 1`,
    );
    const rowsOf = async (version: string | null) =>
      new Map((version ? await this.contentRows(m, version) : []).map((r) => [r.key, r] as const));
    const published = await rowsOf(last?.version ?? null);
    const draft = await rowsOf(CALENDAR_DRAFT);
    const diff = keyedDiff(
      published,
      draft,
      (r) => r.content,
      () => true,
    );
    return {
      against: last?.version ?? null,
      added: diff.added.map((r) => r.key),
      changed: diff.changed.map((c) => c.key),
      removed: diff.removed.map((r) => r.key),
    };
  }

  /** Freezes the draft as `cal-<n>` and tells listeners (NOTIFY) so dependants are re-derived. */
  async publish(actor: string, options: { note?: string | null } = {}): Promise<CalendarVersionInfo> {
    const info = await this.write(async (m) => {
      const changes = await this.draftChanges(m);
      if (changes.against && changes.added.length + changes.changed.length + changes.removed.length === 0) {
        throw new MappingStoreError('CONFLICT', 'the draft has no changes to publish');
      }
      const [last] = await m.query<{ seq: number }[]>(
        `SELECT seq FROM calendar_version ORDER BY seq DESC LIMIT 1`,
      );
      const seq = (last?.seq ?? 0) + 1;
      const version = `cal-${seq}`;
      await copyCalendarVersion(m, CALENDAR_DRAFT, version);
      const summary = {
        against: changes.against,
        added: changes.added.length,
        changed: changes.changed.length,
        removed: changes.removed.length,
        keys: [...changes.added, ...changes.changed, ...changes.removed].slice(0, 200),
      };
      const [row] = await m.query<{ published_at: Date }[]>(
        `INSERT INTO calendar_version (version, seq, published_by, note, summary) VALUES ($1, $2, $3, $4, $5)
         RETURNING published_at`,
        [version, seq, actor, options.note ?? null, JSON.stringify(summary)],
      );
      await this.audit.append(m, {
        actor,
        action: 'calendar.publish',
        entityType: 'calendar_version',
        entityId: version,
        before: null,
        after: { ...summary, note: options.note ?? null },
      });
      await m.query(`SELECT pg_notify($1, $2)`, [CALENDAR_CHANNEL, version]);
      return {
        version,
        seq,
        publishedAt: (row?.published_at ?? new Date()).toISOString(),
        publishedBy: actor,
        note: options.note ?? null,
        summary,
      };
    });
    this.invalidate();
    return info;
  }

  /**
   * For the console's alert: each year's status in the latest published national layer (a year with no
   * published data is `provisional`, basis `skeleton`).
   */
  async yearStatuses(
    years: number[],
  ): Promise<{ year: number; status: CalendarYear['status']; basis: string }[]> {
    const calendar = await this.loadVersion(await this.currentVersion(), {});
    return years.map((year) => {
      const info = calendar.yearInfo(year);
      return { year, status: info.status, basis: info.basis };
    });
  }

  // ----- internals --------------------------------------------------------------------------------------

  private async write<T>(work: (m: EntityManager) => Promise<T>): Promise<T> {
    return this.ds.transaction(async (m) => {
      await m.query(`SELECT pg_advisory_xact_lock($1)`, [CALENDAR_LOCK]);
      return work(m);
    });
  }

  private async getLayerIn(m: Queryable, scope: LayerScope): Promise<CalendarLayer | null> {
    const [layer] = await readLayers(m, CALENDAR_DRAFT, [scope]);
    return layer ?? null;
  }

  private async allLayers(m: Queryable, version: string): Promise<CalendarLayer[]> {
    const scopes = await m.query<{ scope_level: string; scope_code: string }[]>(
      `SELECT scope_level, scope_code FROM calendar_layer WHERE version = $1 ORDER BY scope_level, scope_code`,
      [version],
    );
    const layers = await readLayers(
      m,
      version,
      scopes.map((s) => scopeOf(s.scope_level, s.scope_code)),
    );
    const order = (l: CalendarLayer) =>
      `${{ national: 0, province: 1, agency: 2 }[l.scope.level]}${scopeId(l.scope)}`;
    return layers.sort((a, b) => order(a).localeCompare(order(b)));
  }

  private async contentRows(m: Queryable, version: string): Promise<ContentRow[]> {
    const rows: ContentRow[] = [];
    for (const layer of await this.allLayers(m, version)) {
      const id = scopeId(layer.scope);
      rows.push({ key: id, content: 'layer' });
      for (const [weekday, windows] of Object.entries(layer.weekly ?? {}) as [Weekday, TimeWindow[]][]) {
        rows.push({ key: `${id}:${weekday}`, content: windows });
      }
      for (const year of layer.years) {
        rows.push({
          key: `${id}:${year.year}`,
          content: { status: year.status, sources: year.sources, note: year.note ?? null },
        });
        for (const day of year.days) {
          rows.push({ key: `${id}:${day.date}`, content: day });
        }
      }
    }
    return rows;
  }
}
