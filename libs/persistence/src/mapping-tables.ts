import type { EntityManager } from 'typeorm';
import type { KindSpec } from './mapping-model';

/** Serialises every draft write and publishing, so a publish copies one consistent draft. */
export const MAPPING_LOCK = 4_172_002;

export interface ListFilter {
  /** column -> exact value */
  equals?: Record<string, string | undefined>;
  /** Case-insensitive substring over the kind's search columns. */
  q?: string;
  limit?: number;
  offset?: number;
}

const selectList = (spec: KindSpec<unknown>): string =>
  [
    ...Object.entries(spec.columns).map(([c, type]) =>
      type === 'date' ? `to_char(${c}, 'YYYY-MM-DD') AS ${c}` : c,
    ),
    'updated_by',
    'updated_at',
  ].join(', ');

/** Rows of one version of one kind, in key order. */
export async function selectRows<T>(
  m: EntityManager,
  spec: KindSpec<T>,
  version: string,
  filter: ListFilter = {},
): Promise<{ rows: T[]; total: number }> {
  const params: unknown[] = [version];
  const where = ['version = $1'];
  for (const [column, value] of Object.entries(filter.equals ?? {})) {
    if (value !== undefined && column in spec.columns) {
      params.push(value);
      where.push(`${column}::text = $${params.length}`);
    }
  }
  if (filter.q) {
    params.push(`%${filter.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    where.push(`(${spec.searchColumns.map((c) => `${c} ILIKE $${params.length}`).join(' OR ')})`);
  }
  const order = spec.keyColumns.join(', ');
  const limit = filter.limit === undefined ? '' : `LIMIT ${Math.max(0, Math.trunc(filter.limit))}`;
  const offset = filter.offset ? `OFFSET ${Math.max(0, Math.trunc(filter.offset))}` : '';
  const rows = await m.query<Record<string, unknown>[]>(
    `SELECT ${selectList(spec)}, count(*) OVER () AS total_rows
       FROM ${spec.table} WHERE ${where.join(' AND ')} ORDER BY ${order} ${limit} ${offset}`,
    params,
  );
  const total = rows.length > 0 ? Number(rows[0]?.total_rows) : 0;
  return { rows: rows.map((r) => spec.fromDb(r)), total };
}

export async function selectMap<T>(
  m: EntityManager,
  spec: KindSpec<T>,
  version: string,
): Promise<Map<string, T>> {
  const { rows } = await selectRows(m, spec, version);
  return new Map(rows.map((r) => [spec.key(r), r]));
}

/** Fetches the rows with these keys (locked when `forUpdate`). */
export async function selectByKeys<T>(
  m: EntityManager,
  spec: KindSpec<T>,
  version: string,
  rows: T[],
  forUpdate = false,
): Promise<Map<string, T>> {
  if (rows.length === 0) {
    return new Map();
  }
  const keyDefs = spec.keyColumns.map((c) => `${c} ${spec.columns[c]}`).join(', ');
  const found = await m.query<Record<string, unknown>[]>(
    `SELECT ${selectList(spec)} FROM ${spec.table} t
      WHERE t.version = $1
        AND (${spec.keyColumns.join(', ')}) IN (
          SELECT ${spec.keyColumns.map((c) => `k.${c}`).join(', ')}
            FROM jsonb_to_recordset($2::jsonb) AS k(${keyDefs}))
      ${forUpdate ? 'FOR UPDATE' : ''}`,
    [version, JSON.stringify(rows.map((r) => spec.toDb(r)))],
  );
  return new Map(found.map((r) => spec.fromDb(r)).map((r) => [spec.key(r), r]));
}

export async function upsertRows<T>(
  m: EntityManager,
  spec: KindSpec<T>,
  version: string,
  rows: T[],
  actor: string,
): Promise<void> {
  if (rows.length === 0) {
    return;
  }
  const columns = Object.keys(spec.columns);
  const defs = Object.entries(spec.columns)
    .map(([c, t]) => `${c} ${t}`)
    .join(', ');
  const updates = columns
    .filter((c) => !spec.keyColumns.includes(c))
    .map((c) => `${c} = EXCLUDED.${c}`)
    .concat(['updated_by = EXCLUDED.updated_by', 'updated_at = now()'])
    .join(', ');
  await m.query(
    `INSERT INTO ${spec.table} (version, ${columns.join(', ')}, updated_by)
     SELECT $2, ${columns.map((c) => `x.${c}`).join(', ')}, $3
       FROM jsonb_to_recordset($1::jsonb) AS x(${defs})
     ON CONFLICT (version, ${spec.keyColumns.join(', ')}) DO UPDATE SET ${updates}`,
    [JSON.stringify(rows.map((r) => spec.toDb(r))), version, actor],
  );
}

export async function deleteRows<T>(
  m: EntityManager,
  spec: KindSpec<T>,
  version: string,
  rows: T[],
): Promise<void> {
  if (rows.length === 0) {
    return;
  }
  const keyDefs = spec.keyColumns.map((c) => `${c} ${spec.columns[c]}`).join(', ');
  await m.query(
    `DELETE FROM ${spec.table}
      WHERE version = $1
        AND (${spec.keyColumns.join(', ')}) IN (
          SELECT ${spec.keyColumns.map((c) => `k.${c}`).join(', ')}
            FROM jsonb_to_recordset($2::jsonb) AS k(${keyDefs}))`,
    [version, JSON.stringify(rows.map((r) => spec.toDb(r)))],
  );
}

/** Copies every row of `from` into the new version `to` (publishing). */
export async function copyVersion<T>(
  m: EntityManager,
  spec: KindSpec<T>,
  from: string,
  to: string,
): Promise<void> {
  const columns = [...Object.keys(spec.columns), 'updated_by', 'updated_at'].join(', ');
  await m.query(
    `INSERT INTO ${spec.table} (version, ${columns}) SELECT $2, ${columns} FROM ${spec.table} WHERE version = $1`,
    [from, to],
  );
}

/** TypeORM answers an UPDATE or DELETE with `[rows, affected]`; this returns the RETURNING rows. */
export async function queryReturning<T>(m: EntityManager, sql: string, params: unknown[]): Promise<T[]> {
  const raw = (await m.query(sql, params)) as unknown;
  if (Array.isArray(raw) && raw.length === 2 && Array.isArray(raw[0]) && typeof raw[1] === 'number') {
    return raw[0] as T[];
  }
  return raw as T[];
}
