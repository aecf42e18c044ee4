import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { MigrationInterface, QueryRunner } from 'typeorm';
import { AuditStore } from '../audit.store';
import { readCalendarDirectory } from '../calendar/calendar-directory';
import { writeLayerYears, writeLunarDates } from '../calendar/calendar-tables';

/**
 * Working calendars (issue 11 §1): national, province and agency layers, each with weekday windows, years
 * (official or provisional, with their sources) and dated days (day off, make-up day, half day; kind,
 * legal source, official flag). Edits go to version `draft`; publishing freezes the draft as `cal-<n>`.
 * Seeded from the shipped `config/calendars/` files (2026 official, 2027 provisional) as draft and cal-1.
 */
export class WorkingCalendar1763900005000 implements MigrationInterface {
  name = 'WorkingCalendar1763900005000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE calendar_version (
        version       text PRIMARY KEY,
        seq           integer NOT NULL UNIQUE,
        published_at  timestamptz NOT NULL DEFAULT now(),
        published_by  text NOT NULL,
        note          text,
        summary       jsonb NOT NULL DEFAULT '{}'::jsonb
      )`);
    await q.query(`
      CREATE TABLE calendar_layer (
        version      text NOT NULL,
        scope_level  text NOT NULL CHECK (scope_level IN ('national', 'province', 'agency')),
        scope_code   text NOT NULL,
        updated_by   text NOT NULL,
        updated_at   timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (version, scope_level, scope_code),
        CHECK ((scope_level = 'national') = (scope_code = ''))
      )`);
    // A weekday the layer redefines; windows [] makes it a rest day. Weekdays not listed inherit.
    await q.query(`
      CREATE TABLE calendar_weekday (
        version      text NOT NULL,
        scope_level  text NOT NULL,
        scope_code   text NOT NULL,
        weekday      text NOT NULL CHECK (weekday IN ('mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun')),
        windows      jsonb NOT NULL,
        PRIMARY KEY (version, scope_level, scope_code, weekday),
        FOREIGN KEY (version, scope_level, scope_code) REFERENCES calendar_layer ON DELETE CASCADE
      )`);
    await q.query(`
      CREATE TABLE calendar_year (
        version      text NOT NULL,
        scope_level  text NOT NULL,
        scope_code   text NOT NULL,
        year         integer NOT NULL CHECK (year BETWEEN 1900 AND 2200),
        official     boolean NOT NULL,
        sources      jsonb NOT NULL DEFAULT '[]'::jsonb,
        note         text,
        PRIMARY KEY (version, scope_level, scope_code, year),
        FOREIGN KEY (version, scope_level, scope_code) REFERENCES calendar_layer ON DELETE CASCADE
      )`);
    await q.query(`
      CREATE TABLE calendar_day (
        version      text NOT NULL,
        scope_level  text NOT NULL,
        scope_code   text NOT NULL,
        year         integer NOT NULL,
        day          date NOT NULL,
        kind         text NOT NULL CHECK (kind IN ('day_off', 'make_up', 'half_day')),
        name         text NOT NULL,
        source       text NOT NULL,
        official     boolean NOT NULL,
        note         text,
        windows      jsonb,
        replaces     date,
        PRIMARY KEY (version, scope_level, scope_code, day),
        FOREIGN KEY (version, scope_level, scope_code, year) REFERENCES calendar_year ON DELETE CASCADE,
        CHECK (EXTRACT(YEAR FROM day)::integer = year)
      )`);
    await q.query(`
      CREATE TABLE calendar_lunar_date (
        year        integer PRIMARY KEY,
        tet         date NOT NULL,
        hung_kings  date NOT NULL
      )`);

    const dir = resolve(process.cwd(), 'config/calendars');
    if (!existsSync(dir)) {
      return; // no shipped files here: every year is the provisional skeleton until one is published
    }
    const shipped = readCalendarDirectory(dir);
    await writeLunarDates(q, shipped.lunar);
    const actor = 'system:seed';
    for (const version of ['draft', 'cal-1']) {
      for (const layer of shipped.layers) {
        await writeLayerYears(q, version, layer, actor);
      }
    }
    const summary = { seeded: shipped.layers.flatMap((l) => l.years.map((y) => `${y.year} ${y.status}`)) };
    await q.query(
      `INSERT INTO calendar_version (version, seq, published_by, note, summary) VALUES ('cal-1', 1, $1, $2, $3)`,
      [actor, 'Lịch làm việc kèm theo bản phát hành (config/calendars)', JSON.stringify(summary)],
    );
    await new AuditStore(q.connection).append(q.manager, {
      actor,
      action: 'calendar.publish',
      entityType: 'calendar_version',
      entityId: 'cal-1',
      before: null,
      after: summary,
    });
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'calendar_lunar_date',
      'calendar_day',
      'calendar_year',
      'calendar_weekday',
      'calendar_layer',
      'calendar_version',
    ]) {
      await q.query(`DROP TABLE ${table}`);
    }
  }
}
