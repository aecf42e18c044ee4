import { Inject, Injectable } from '@nestjs/common';
import type { AuthUser } from '@isohub/auth';
import {
  CATALOGUE_FIELDS,
  CatalogueAdminStore,
  type CatalogueHistoryEntry,
  type CatalogueInput,
  type CatalogueProcedure,
} from '@isohub/persistence';
import {
  CHANNELS,
  type Duration,
  parseCatalogueTimes,
  parseProcessingTime,
  type UnparsedReason,
} from '@isohub/timing';
import { isObject } from './field-reader';
import { ProblemException } from '../http/problem';
import { detectFormat, readTable, TableReadError } from './tabular';

const CHANNEL_NAMES = { in_person: 'inPerson', online: 'online', postal: 'postal' } as const;
const TIME_COLUMN = { in_person: 'time_in_person', online: 'time_online', postal: 'time_postal' } as const;

export interface ParsedTime {
  channel: 'inPerson' | 'online' | 'postal';
  text: string;
  duration: Duration | null;
  reason: UnparsedReason | null;
}

export interface UnparsedItem {
  code: string;
  name: string;
  channel: 'inPerson' | 'online' | 'postal';
  text: string;
  reason: UnparsedReason;
}

export interface RefreshSource {
  body?: unknown;
  file?: { buffer: Buffer; originalname?: string };
}

@Injectable()
export class CatalogueService {
  constructor(@Inject(CatalogueAdminStore) private readonly store: CatalogueAdminStore) {}

  async search(query: Parameters<CatalogueAdminStore['search']>[0]): Promise<{
    items: CatalogueProcedure[];
    total: number;
    tookMs: number;
  }> {
    const started = performance.now();
    const result = await this.store.search(query);
    return { ...result, tookMs: Math.round((performance.now() - started) * 100) / 100 };
  }

  async detail(
    code: string,
  ): Promise<
    CatalogueProcedure & { times: ParsedTime[]; resolvesTo: string | null; history: CatalogueHistoryEntry[] }
  > {
    const p = await this.store.get(code);
    if (!p) {
      throw ProblemException.notFound(`procedure ${code} is not in the catalogue`);
    }
    const times: ParsedTime[] = [];
    for (const channel of CHANNELS) {
      const text = p[TIME_COLUMN[channel]];
      if (text) {
        const r = parseProcessingTime(text);
        times.push({
          channel: CHANNEL_NAMES[channel],
          text: r.text,
          duration: r.ok ? r.duration : null,
          reason: r.ok ? null : r.reason,
        });
      }
    }
    const resolved = await this.store.resolveCode(p.code);
    return {
      ...p,
      times,
      resolvesTo: resolved?.code ?? null,
      history: await this.store.history({ code: p.code }),
    };
  }

  /** Time texts of current procedures that `parseProcessingTime` cannot read, for a human to settle. */
  async unparsed(filter: { reason?: string; q?: string; limit: number; offset: number }): Promise<{
    filled: number;
    parsed: number;
    parsedShare: number;
    total: number;
    items: UnparsedItem[];
  }> {
    let filled = 0;
    let parsed = 0;
    const all: UnparsedItem[] = [];
    for (const row of await this.store.timeTexts()) {
      const r = parseCatalogueTimes(row);
      const n = Object.keys(r.parsed).length;
      filled += n + r.unparsed.length;
      parsed += n;
      for (const u of r.unparsed) {
        all.push({
          code: row.code,
          name: row.name,
          channel: CHANNEL_NAMES[u.channel],
          text: u.text,
          reason: u.reason,
        });
      }
    }
    const q = filter.q?.toLowerCase();
    const matching = all.filter(
      (u) =>
        (!filter.reason || u.reason === filter.reason) &&
        (!q || u.code.includes(q) || u.text.toLowerCase().includes(q)),
    );
    return {
      filled,
      parsed,
      parsedShare: filled === 0 ? 1 : Math.round((parsed / filled) * 10_000) / 10_000,
      total: matching.length,
      items: matching.slice(filter.offset, filter.offset + filter.limit),
    };
  }

  /** Reads a new catalogue from a JSON body (`{ rows }` or an array) or an uploaded CSV/XLSX. */
  async readRefresh(source: RefreshSource): Promise<{ rows: CatalogueInput[]; origin: string }> {
    if (source.file) {
      let table;
      try {
        table = await readTable(
          source.file.buffer,
          detectFormat(source.file.buffer, source.file.originalname),
        );
      } catch (error) {
        if (error instanceof TableReadError) {
          throw ProblemException.badRequest('/file', error.message);
        }
        throw error;
      }
      for (const column of ['code', 'name']) {
        if (!table.columns.includes(column)) {
          throw ProblemException.badRequest('/file', `the header has no column "${column}"`);
        }
      }
      const rows = table.rows.map(({ row, cells }) => {
        const input: CatalogueInput = { code: cells.code ?? '', replaces: cells.replaces ?? null, row };
        for (const f of CATALOGUE_FIELDS) {
          input[f] = cells[f] ?? null;
        }
        return input;
      });
      return { rows, origin: `file:${source.file.originalname ?? 'upload'}` };
    }
    const body = source.body;
    const list = Array.isArray(body) ? body : isObject(body) ? body.rows : undefined;
    if (!Array.isArray(list)) {
      throw ProblemException.badRequest(
        '/rows',
        'send { "rows": [...] } as JSON or upload a CSV/XLSX file as "file"',
      );
    }
    const errors: { field: string; code: string; message: string }[] = [];
    const rows: CatalogueInput[] = [];
    list.forEach((item, i) => {
      if (!isObject(item)) {
        errors.push({ field: `/rows/${i}`, code: 'type', message: 'must be an object' });
        return;
      }
      const input: CatalogueInput = { code: '', row: i };
      for (const f of ['code', 'replaces', ...CATALOGUE_FIELDS] as const) {
        const v = item[f];
        if (v !== undefined && v !== null && typeof v !== 'string') {
          errors.push({ field: `/rows/${i}/${f}`, code: 'type', message: 'must be a string' });
        } else if (f === 'code') {
          input.code = v ?? '';
        } else {
          input[f] = v ?? null;
        }
      }
      rows.push(input);
    });
    if (errors.length > 0) {
      throw ProblemException.invalid(errors);
    }
    return { rows, origin: 'json' };
  }

  async refresh(
    user: AuthUser,
    source: RefreshSource,
    options: { dryRun: boolean; expectedDiffHash?: string },
  ) {
    const { rows, origin } = await this.readRefresh(source);
    return this.planOrCommit(user, rows, origin, options);
  }

  /** Plans (dry run) or commits a complete new catalogue, and answers with the diff. */
  async planOrCommit(
    user: AuthUser,
    rows: CatalogueInput[],
    origin: string,
    options: { dryRun: boolean; expectedDiffHash?: string },
  ) {
    const plan = options.dryRun
      ? { ...(await this.store.planRefresh(rows)), version: null }
      : await this.store.commitRefresh(user.sub, rows, {
          expectedDiffHash: options.expectedDiffHash,
          source: origin,
        });
    const { diff } = plan;
    return {
      dryRun: options.dryRun,
      version: plan.version,
      diffHash: plan.diffHash,
      summary: {
        rows: rows.length,
        added: diff.added.length,
        restored: diff.restored.length,
        changed: diff.changed.length,
        removed: diff.removed.length,
        unchanged: diff.unchanged,
        errors: diff.errors.length,
        warnings: diff.warnings.length,
      },
      added: diff.added,
      restored: diff.restored,
      changed: diff.changed.map((c) => ({
        code: c.code,
        fields: c.fields,
        before: Object.fromEntries(c.fields.map((f) => [f, c.before[f]])),
        after: Object.fromEntries(c.fields.map((f) => [f, c.after[f]])),
      })),
      removed: diff.removed.map((r) => ({
        code: r.code,
        name: r.before.name,
        replacedBy: r.replacedBy,
        replacedHow: r.replacedHow,
      })),
      renamedAgencies: diff.renamedAgencies,
      errors: diff.errors,
      warnings: diff.warnings,
    };
  }
}
