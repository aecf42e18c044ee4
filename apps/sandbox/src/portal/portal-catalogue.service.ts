import { readFileSync } from 'node:fs';
import { Inject, Injectable } from '@nestjs/common';
import { parse } from 'csv-parse/sync';
import { type DurationUnit, parseProcessingTime } from '@isohub/timing';
import { SANDBOX_CONFIG, type SandboxConfig } from '../sandbox.config';
import { type CatalogueDrift, type CatalogueRow, type Channel, applyDrift } from './portal-catalogue-drift';

/** `KENH` per DOMAIN.md §4.6. */
const KENH: Record<Channel, number> = { in_person: 1, online: 2, postal: 3 };

/** `DONVITINH` as Thanh Hóa's catalogue import compares it ("Ngày làm việc", "Ngày"). */
const UNIT_LABEL: Partial<Record<DurationUnit, string>> = {
  working_days: 'Ngày làm việc',
  calendar_days: 'Ngày',
  months: 'Tháng',
  years: 'Năm',
  working_hours: 'Giờ làm việc',
};

/** Splits a crawl column on the "; " it joins lists with; repeats are kept, as the crawl keeps them. */
function split(value: string): string[] {
  return value
    .split('; ')
    .map((s) => s.trim())
    .filter(Boolean);
}

/**
 * One channel's `THOIGIAN` entry from the crawl's raw time text: a readable duration becomes
 * `THOIGIANGIAIQUYET` + `DONVITINH`, anything else (free text, same day) value 0 with the text in `MOTA`.
 */
function timeEntry(raw: string): Record<string, unknown> {
  const parsed = parseProcessingTime(raw);
  const label = parsed.ok ? UNIT_LABEL[parsed.duration.unit] : undefined;
  if (parsed.ok && label !== undefined && parsed.duration.value > 0) {
    return { THOIGIANGIAIQUYET: parsed.duration.value, DONVITINH: label, MOTA: raw, PHILEPHI: [] };
  }
  return { THOIGIANGIAIQUYET: 0, DONVITINH: '', MOTA: raw, PHILEPHI: [] };
}

/**
 * The simulated portal's procedure catalogue: `../shared/data/procedures.csv` (DOMAIN.md §5.4), read on
 * first use, served as `LayDanhSachTTHC` and `LayThuTuc` records in the field names public code reads
 * (libs/adapters/portal/README.md). Text goes out as the crawl has it, NFD names included, so the
 * reader's NFC normalisation is exercised. Drift (`portal-catalogue-drift.ts`) changes it at run time.
 */
@Injectable()
export class PortalCatalogue {
  private base: CatalogueRow[] | null = null;
  private rows: CatalogueRow[] | null = null;
  private index = new Map<string, CatalogueRow>();
  private readonly drift: CatalogueDrift[] = [];

  constructor(@Inject(SANDBOX_CONFIG) private readonly config: SandboxConfig) {}

  /** `result` of LayDanhSachTTHC. */
  list(): Record<string, unknown>[] {
    return this.current().map((r) => ({ MATTHC: r.code, TENTTHC: r.name }));
  }

  /** `result[0]` of LayThuTuc, or null for a code the portal does not list. */
  record(code: string): Record<string, unknown> | null {
    this.current();
    const row = this.index.get(code.trim());
    if (!row) {
      return null;
    }
    const channels = (Object.keys(KENH) as Channel[]).filter((c) => row.times[c] !== '');
    return {
      MATTHC: row.code,
      TENTTHC: row.name,
      MACOQUANCONGBO: '',
      TENCOQUANCONGBO: row.issuing_body,
      LOAITTHC: '',
      TRANGTHAI: '1',
      URL: row.portal_url,
      LINHVUCTHUCHIEN: split(row.field).map((name) => ({ MALINHVUC: '', TENLINHVUC: name })),
      COQUANTHUCHIEN: split(row.implementing_agency).map((name) => ({ MADONVI: '', TENDONVI: name })),
      CACHTHUCTHUCHIEN: channels.map((c) => ({ KENH: KENH[c], THOIGIAN: [timeEntry(row.times[c])] })),
      TRINHTUTHUCHIEN: [],
      THANHPHANHOSO: [],
      CANCUPHAPLY: [],
    };
  }

  state(): { source: string | null; procedures: number; drift: CatalogueDrift[] } {
    return {
      source: this.config.portal.catalogueCsv ?? null,
      procedures: this.current().length,
      drift: [...this.drift],
    };
  }

  /** Applies drift in order; an invalid step throws before anything changes. */
  apply(steps: readonly CatalogueDrift[]): void {
    let next = this.current();
    for (const step of steps) {
      next = applyDrift(next, step);
    }
    this.setRows(next);
    this.drift.push(...steps);
  }

  reset(): void {
    this.drift.length = 0;
    this.setRows(this.load());
  }

  private current(): CatalogueRow[] {
    if (this.rows === null) {
      this.setRows(this.load());
    }
    return this.rows ?? [];
  }

  private setRows(rows: CatalogueRow[]): void {
    this.rows = rows;
    this.index = new Map(rows.map((r) => [r.code, r]));
  }

  private load(): CatalogueRow[] {
    const path = this.config.portal.catalogueCsv ?? null;
    if (path === null) {
      return [];
    }
    this.base ??= parse<Record<string, string>>(readFileSync(path), {
      bom: true,
      columns: true,
      skip_empty_lines: true,
    }).map((c) => ({
      code: (c.code ?? '').trim(),
      name: c.name ?? '',
      issuing_body: c.issuing_body ?? '',
      implementing_agency: c.implementing_agency ?? '',
      field: c.field ?? '',
      portal_url: c.portal_url ?? '',
      times: { in_person: c.time_in_person ?? '', online: c.time_online ?? '', postal: c.time_postal ?? '' },
    }));
    return this.base.map((r) => ({ ...r, times: { ...r.times } }));
  }
}
