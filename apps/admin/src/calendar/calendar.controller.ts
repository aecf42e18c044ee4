import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Inject,
  Param,
  Post,
  Put,
  Query,
  UploadedFile,
  UseInterceptors,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiConsumes, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { type AuthUser, Roles } from '@isohub/auth';
import { CalendarStore, MappingStoreError } from '@isohub/persistence';
import {
  type CalendarDay,
  type CalendarYear,
  type LayerScope,
  type LocalDate,
  scopeLabel,
  VN_ZONE,
} from '@isohub/timing';
import { DateTime } from 'luxon';
import { CurrentUser } from '../http/current-user.decorator';
import { ProblemException } from '../http/problem';
import { boolParam, intParam, textParam, type UploadedFileLike } from '../http/query-params';
import { MAX_UPLOAD_BYTES } from '../mapping/mapping.config';
import { readTable, TableReadError } from '../mapping/tabular';
import { readCalendarRows, readScope } from './calendar-import';

const scopeParam = (value: unknown): LayerScope => {
  const scope = readScope(textParam(value));
  if (!scope) {
    throw ProblemException.badRequest('/scope', 'scope must be national, province:<code> or agency:<code>');
  }
  return scope;
};

const yearParam = (value: unknown): number =>
  intParam(value, 'year', DateTime.now().setZone(VN_ZONE).year, 1900, 2200);

const asObject = (body: unknown): Record<string, unknown> =>
  body && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : {};

const nfc = (v: unknown): string | undefined =>
  typeof v === 'string' ? v.normalize('NFC').trim() : undefined;

/** The calendar in force for a scope: national alone, or with the province's or the agency's layer over it. */
const refOf = (scope: LayerScope) =>
  scope.level === 'province'
    ? { province: scope.province }
    : scope.level === 'agency'
      ? { agency: scope.agency }
      : {};

@ApiTags('working calendar')
@Controller('api/calendar')
export class CalendarController {
  constructor(@Inject(CalendarStore) private readonly store: CalendarStore) {}

  @Get('overview')
  @Roles('viewer')
  @ApiOperation({
    summary: 'Versions, layers of the draft, what publishing would change, and the alert years',
    description:
      'alerts: the current and the next year (Vietnam time) when the latest published national calendar has ' +
      'no official data for them (the statutory skeleton or a provisional year stands in).',
  })
  async overview() {
    const thisYear = DateTime.now().setZone(VN_ZONE).year;
    const [current, versions, layers, changes, statuses] = await Promise.all([
      this.store.currentVersion(),
      this.store.listVersions(),
      this.store.listLayers('draft'),
      this.store.draftChanges(),
      this.store.yearStatuses([thisYear, thisYear + 1]),
    ]);
    return {
      current,
      versions,
      layers: layers.map((l) => ({ ...l, scope: scopeLabel(l.scope), level: l.scope.level })),
      changes,
      years: statuses,
      alerts: statuses.filter((s) => s.status === 'provisional'),
    };
  }

  @Get('year')
  @Roles('viewer')
  @ApiOperation({
    summary: 'Every day of a year as the calendar decides it, with the layer’s own year record',
    description:
      'scope = national | province:<code> | agency:<code>; version = draft (default) | current | cal-<n>.',
  })
  @ApiQuery({ name: 'scope', required: false })
  @ApiQuery({ name: 'year', required: false, type: Number })
  @ApiQuery({ name: 'version', required: false })
  async year(@Query() q: Record<string, unknown>) {
    const scope = scopeParam(q.scope);
    const year = yearParam(q.year);
    const version = await this.store.resolveVersion(textParam(q.version));
    const calendar = await this.store.loadVersion(version, refOf(scope));
    const layer = await this.store.getLayer(version, scope);
    const days: ReturnType<typeof calendar.dayInfo>[] = [];
    for (
      let d = DateTime.fromObject({ year, month: 1, day: 1 }, { zone: VN_ZONE });
      d.year === year;
      d = d.plus({ days: 1 })
    ) {
      days.push(calendar.dayInfo(d.toISODate() as LocalDate));
    }
    return {
      version,
      calendarVersion: calendar.version,
      scope: scopeLabel(scope),
      year,
      info: calendar.yearInfo(year),
      record: layer?.years.find((y) => y.year === year) ?? null,
      weekly: layer?.weekly ?? {},
      days,
    };
  }

  @Put('years/:scope/:year')
  @Roles('admin')
  @ApiOperation({
    summary: 'Create or update a layer’s year in the draft (status, sources, note; days kept unless given)',
  })
  async saveYear(
    @CurrentUser() user: AuthUser,
    @Param('scope') scopeText: string,
    @Param('year') yearText: string,
    @Body() body: unknown,
  ) {
    const scope = scopeParam(scopeText);
    const year = intParam(yearText, 'year', 0, 1900, 2200);
    const b = asObject(body);
    const existing = await this.store.getYear('draft', scope, year);
    const input = {
      year,
      status: b.status,
      sources: Array.isArray(b.sources) ? b.sources.map(nfc).filter((s) => s) : (existing?.sources ?? []),
      ...(nfc(b.note) ? { note: nfc(b.note) } : {}),
      days: Array.isArray(b.days) ? (b.days as unknown[]) : (existing?.days ?? []),
    } as CalendarYear;
    await this.store.saveYear(user.sub, scope, input);
    return this.store.getYear('draft', scope, year);
  }

  @Put('days/:scope/:date')
  @Roles('admin')
  @ApiOperation({ summary: 'Add or replace one day (day off, make-up day, half day) of a drafted year' })
  async saveDay(
    @CurrentUser() user: AuthUser,
    @Param('scope') scopeText: string,
    @Param('date') date: string,
    @Body() body: unknown,
  ) {
    const scope = scopeParam(scopeText);
    const b = asObject(body);
    const day = {
      date,
      kind: b.kind,
      name: nfc(b.name),
      source: nfc(b.source),
      status: b.status ?? 'official',
      ...(nfc(b.note) ? { note: nfc(b.note) } : {}),
      ...(Array.isArray(b.windows) && b.windows.length > 0 ? { windows: b.windows } : {}),
      ...(nfc(b.replaces) ? { replaces: nfc(b.replaces) } : {}),
    } as CalendarDay;
    await this.store.saveDay(user.sub, scope, day);
    return day;
  }

  @Delete('days/:scope/:date')
  @HttpCode(204)
  @Roles('admin')
  @ApiOperation({ summary: 'Remove one day from a drafted year' })
  async removeDay(
    @CurrentUser() user: AuthUser,
    @Param('scope') scopeText: string,
    @Param('date') date: string,
  ) {
    await this.store.removeDay(user.sub, scopeParam(scopeText), date);
  }

  @Put('weekly/:scope')
  @Roles('admin')
  @ApiOperation({ summary: 'Weekday windows a layer redefines ({ sat: [{ from, to }] }; [] = rest day)' })
  async saveWeekly(@CurrentUser() user: AuthUser, @Param('scope') scopeText: string, @Body() body: unknown) {
    const scope = scopeParam(scopeText);
    await this.store.saveWeekly(user.sub, scope, asObject(body));
    return (await this.store.getLayer('draft', scope))?.weekly ?? {};
  }

  @Delete('layers/:scope')
  @HttpCode(204)
  @Roles('admin')
  @ApiOperation({ summary: 'Remove a province or agency layer from the draft' })
  async removeLayer(@CurrentUser() user: AuthUser, @Param('scope') scopeText: string) {
    await this.store.removeLayer(user.sub, scopeParam(scopeText));
  }

  @Post('imports')
  @HttpCode(200)
  @Roles('admin')
  @UseInterceptors(FileInterceptor('file', { limits: { fileSize: MAX_UPLOAD_BYTES } }))
  @ApiConsumes('multipart/form-data')
  @ApiOperation({
    summary: 'Import one year of a layer from CSV/XLSX into the draft (dry run by default)',
    description:
      'Columns: date, kind, name, source, status, note, windows, replaces. The year is replaced as a whole. ' +
      'The dry run returns the diff and a diffHash; dryRun=false with expectedDiffHash applies exactly that ' +
      '(409 when the draft changed meanwhile). Query: scope, year, status (of the year), source (the notice).',
  })
  async import(
    @CurrentUser() user: AuthUser,
    @Query() q: Record<string, unknown>,
    @UploadedFile() file: UploadedFileLike | undefined,
  ) {
    if (!file) {
      throw ProblemException.badRequest('/file', 'attach the CSV or XLSX file as "file"');
    }
    const scope = scopeParam(q.scope);
    const year = yearParam(q.year);
    const dryRun = boolParam(q.dryRun, 'dryRun', true);
    let table;
    try {
      table = await readTable(file.buffer);
    } catch (e) {
      if (e instanceof TableReadError) {
        throw ProblemException.badRequest('/file', e.message);
      }
      throw ProblemException.badRequest('/file', 'the file is neither CSV nor XLSX');
    }
    const { days, errors } = readCalendarRows(table, year);
    const existing = await this.store.getYear('draft', scope, year);
    const source = textParam(q.source);
    const status = textParam(q.status) ?? 'official';
    const input = {
      year,
      status,
      sources: source ? [source] : (existing?.sources ?? [...new Set(days.map((d) => d.source))]),
      ...(existing?.note ? { note: existing.note } : {}),
      days,
    } as CalendarYear;
    const plan = errors.length === 0 ? await this.store.planYearImport(scope, input) : null;
    const view = (p: NonNullable<typeof plan>) => ({
      added: p.diff.added,
      changed: p.diff.changed.map((c) => ({ date: c.key, before: c.before, after: c.after })),
      removed: p.diff.removed,
      unchanged: p.diff.unchanged,
      yearChanged: p.yearChanged,
      diffHash: p.diffHash,
    });
    if (dryRun || !plan) {
      if (!dryRun && errors.length > 0) {
        throw ProblemException.invalid(errors, 'the file has row errors; nothing written');
      }
      return {
        dryRun: true,
        scope: scopeLabel(scope),
        year,
        rows: table.rows.length,
        errors,
        plan: plan ? view(plan) : null,
      };
    }
    const expected = textParam(q.expectedDiffHash);
    if (!expected) {
      throw new MappingStoreError('CONFLICT', 'give expectedDiffHash from the dry run to apply it', [
        { field: '/expectedDiffHash', code: 'required', message: 'run the dry run first' },
      ]);
    }
    const applied = await this.store.commitYearImport(user.sub, scope, input, expected);
    return {
      dryRun: false,
      scope: scopeLabel(scope),
      year,
      rows: table.rows.length,
      errors: [],
      plan: view(applied),
    };
  }

  @Get('draft/changes')
  @Roles('viewer')
  @ApiOperation({ summary: 'What publishing the calendar draft would change against the latest version' })
  changes() {
    return this.store.draftChanges();
  }

  @Get('versions')
  @Roles('viewer')
  @ApiOperation({ summary: 'Published calendar versions, newest first' })
  async versions() {
    return { current: await this.store.currentVersion(), items: await this.store.listVersions() };
  }

  @Post('publish')
  @HttpCode(200)
  @Roles('admin')
  @ApiOperation({
    summary: 'Publish the calendar draft as cal-<n>',
    description: 'In force at once; the sync service is notified and re-derives deadlines that depend on it.',
  })
  publish(@CurrentUser() user: AuthUser, @Body() body: unknown) {
    return this.store.publish(user.sub, { note: nfc(asObject(body).note) ?? null });
  }
}
