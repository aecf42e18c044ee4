import { readFile } from 'node:fs/promises';
import { parse } from 'csv-parse/sync';
import type { DataSource } from 'typeorm';

/** National procedure code shape `d.dddddd` (DOMAIN.md §5.1); anything else is kept but flagged. */
export const NATIONAL_CODE = /^\d\.\d{6}$/;

export interface CatalogueRow {
  code: string;
  name: string;
  issuing_body: string;
  implementing_agency: string;
  field: string;
  portal_url: string;
  time_in_person: string;
  time_online: string;
  time_postal: string;
}

const fold = (s: string): string =>
  s
    .normalize('NFD')
    .replace(/\p{Mn}/gu, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .toLowerCase();

/** Parse the catalogue CSV (DOMAIN.md §5.4): strips a BOM, NFC-normalises every field. */
export function parseCatalogueCsv(text: string): CatalogueRow[] {
  const rows: Record<string, string>[] = parse(text, { columns: true, bom: true, skip_empty_lines: true });
  return rows.map((r) => {
    const get = (k: string): string => (r[k] ?? '').normalize('NFC').trim();
    return {
      code: get('code'),
      name: get('name'),
      issuing_body: get('issuing_body'),
      implementing_agency: get('implementing_agency'),
      field: get('field'),
      portal_url: get('portal_url'),
      time_in_person: get('time_in_person'),
      time_online: get('time_online'),
      time_postal: get('time_postal'),
    };
  });
}

export class CatalogueStore {
  constructor(private readonly ds: DataSource) {}

  async count(): Promise<number> {
    const [row] = await this.ds.query<
      {
        n: number;
      }[]
    >(`SELECT count(*)::int AS n FROM procedure_catalogue`);
    return row?.n ?? 0;
  }

  /** Seed from the CSV when the catalogue is empty; returns the number of rows inserted. */
  async seedFromCsv(path: string): Promise<number> {
    if ((await this.count()) > 0) {
      return 0;
    }
    const rows = parseCatalogueCsv(await readFile(path, 'utf8')).filter((r) => r.code !== '');
    const chunk = 1000;
    for (let i = 0; i < rows.length; i += chunk) {
      const part = rows.slice(i, i + chunk).map((r) => ({
        ...r,
        name_folded: fold(r.name),
        code_valid: NATIONAL_CODE.test(r.code),
      }));
      await this.ds.query(
        `INSERT INTO procedure_catalogue (code, name, name_folded, issuing_body, implementing_agency, field,
                                          portal_url, time_in_person, time_online, time_postal, code_valid)
         SELECT x.code, x.name, x.name_folded, NULLIF(x.issuing_body, ''), NULLIF(x.implementing_agency, ''),
                NULLIF(x.field, ''), NULLIF(x.portal_url, ''), NULLIF(x.time_in_person, ''),
                NULLIF(x.time_online, ''), NULLIF(x.time_postal, ''), x.code_valid
           FROM jsonb_to_recordset($1::jsonb) AS x(code text, name text, name_folded text, issuing_body text,
                implementing_agency text, field text, portal_url text, time_in_person text, time_online text,
                time_postal text, code_valid boolean)
         ON CONFLICT (code) DO NOTHING`,
        [JSON.stringify(part)],
      );
    }
    return rows.length;
  }

  /** code -> name of every procedure currently valid (for the in-memory resolver). */
  async loadNames(): Promise<Map<string, string>> {
    const rows: { code: string; name: string }[] = await this.ds.query(
      `SELECT code, name FROM procedure_catalogue WHERE valid_to IS NULL`,
    );
    return new Map(rows.map((r) => [r.code, r.name]));
  }

  /** (source system, local code) -> national code. */
  async loadMappings(): Promise<Map<string, string>> {
    const rows: { source_system: string; local_code: string; national_code: string }[] = await this.ds.query(
      `SELECT source_system, local_code, national_code FROM procedure_mapping`,
    );
    return new Map(rows.map((r) => [`${r.source_system}\u0000${r.local_code}`, r.national_code]));
  }

  async upsertMappings(
    mappings: { sourceSystem: string; localCode: string; nationalCode: string }[],
    version: string,
  ): Promise<void> {
    if (mappings.length === 0) {
      return;
    }
    await this.ds.query(
      `INSERT INTO procedure_mapping (source_system, local_code, national_code, version)
       SELECT x.source_system, x.local_code, x.national_code, $2
         FROM jsonb_to_recordset($1::jsonb) AS x(source_system text, local_code text, national_code text)
       ON CONFLICT (source_system, local_code)
       DO UPDATE SET national_code = EXCLUDED.national_code, version = EXCLUDED.version, updated_at = now()`,
      [
        JSON.stringify(
          mappings.map((m) => ({
            source_system: m.sourceSystem,
            local_code: m.localCode.normalize('NFC'),
            national_code: m.nationalCode,
          })),
        ),
        version,
      ],
    );
  }
}
