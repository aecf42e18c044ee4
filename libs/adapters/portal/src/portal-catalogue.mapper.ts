/**
 * Reads one `LayThuTuc` record into the national catalogue's row shape (DOMAIN.md §5.4). Pure.
 *
 * No official DVCQG spec exists (DOMAIN.md §11). The names read here are those public code reads:
 * OpenCPS's syncServiceInfo (`TENTTHC`, `LINHVUCTHUCHIEN[].TENLINHVUC`, `COQUANTHUCHIEN[].TENDONVI`,
 * `CACHTHUCTHUCHIEN[].KENH` with `THOIGIAN[].THOIGIANGIAIQUYET/DONVITINH/MOTA`) and Thanh Hóa's
 * catalogue import (`MATTHC`, the same time fields, units "Ngày làm việc"/"Ngày"). Each is read with
 * tolerant variants (case, nesting, numbers as strings). The issuing body's *name* is in neither:
 * OpenCPS gets only `MACOQUANCONGBO` and looks the name up in the `LayDanhMucCoQuan` list, so the
 * variants below are guesses, and a record without one leaves the stored name alone.
 */

/** The catalogue columns a `LayThuTuc` record can fill (same names as the admin's CatalogueInput). */
export const PORTAL_CATALOGUE_FIELDS = [
  'issuing_body',
  'implementing_agency',
  'field',
  'portal_url',
  'time_in_person',
  'time_online',
  'time_postal',
] as const;
export type PortalCatalogueField = (typeof PORTAL_CATALOGUE_FIELDS)[number];

/**
 * A catalogue row from the portal. A field is `undefined` when the record does not carry it at all
 * (keep what is stored), `null` when it carries it empty.
 */
export type PortalCatalogueRow = { code: string; name: string } & {
  [F in PortalCatalogueField]?: string | null;
};

export type PortalProcedureRead =
  { ok: true; row: PortalCatalogueRow; warnings: string[] } | { ok: false; field: string; problem: string };

/** `KENH` per DOMAIN.md §4.6: 1 in person, 2 online, 3 postal. */
const CHANNEL_COLUMN: Record<string, PortalCatalogueField> = {
  '1': 'time_in_person',
  '2': 'time_online',
  '3': 'time_postal',
};

type Rec = Record<string, unknown>;

const isRecord = (v: unknown): v is Rec => typeof v === 'object' && v !== null && !Array.isArray(v);

function text(value: unknown): string | null {
  if (typeof value === 'number' && Number.isFinite(value)) {
    return String(value);
  }
  if (typeof value !== 'string') {
    return null;
  }
  const t = value.normalize('NFC').replace(/\s+/g, ' ').trim();
  return t === '' ? null : t;
}

/** The first of `keys` the record has (key present, whatever its value), or undefined. */
function pick(record: Rec, keys: readonly string[]): unknown {
  for (const key of keys) {
    if (key in record) {
      return record[key];
    }
  }
  return undefined;
}

/** A list field; a JSON string holding the list is accepted (some connectors store it serialised). */
function list(value: unknown): unknown[] | null {
  if (Array.isArray(value)) {
    return value as unknown[];
  }
  if (isRecord(value)) {
    return [value];
  }
  if (typeof value === 'string' && /^\s*[[{]/.test(value)) {
    try {
      return list(JSON.parse(value) as unknown);
    } catch {
      return null;
    }
  }
  return null;
}

function joinDistinct(values: readonly (string | null)[]): string | null {
  const distinct = [...new Set(values.filter((v): v is string => v !== null))];
  return distinct.length === 0 ? null : distinct.join('; ');
}

/**
 * Names of a list of named objects (or plain strings), joined with "; " as the crawl's columns are.
 * Repeats are kept: the portal lists an agency once per level, and so does the crawl (63 rows).
 */
function names(value: unknown, nameKeys: readonly string[]): string | null | undefined {
  const items = list(value);
  if (items === null) {
    return value === undefined ? undefined : (text(value) ?? null);
  }
  const found = items
    .map((i) => (isRecord(i) ? text(pick(i, nameKeys)) : text(i)))
    .filter((n): n is string => n !== null);
  return found.length === 0 ? null : found.join('; ');
}

function issuingBody(record: Rec): string | null | undefined {
  const value = pick(record, ['TENCOQUANCONGBO', 'TenCoQuanCongBo', 'COQUANCONGBO', 'TENCOQUANBANHANH']);
  if (value === undefined) {
    return undefined;
  }
  return isRecord(value) ? text(pick(value, ['TENCOQUAN', 'TENDONVI', 'TEN'])) : text(value);
}

function number(value: unknown): number | null {
  const t = text(value)?.replace(',', '.');
  if (t === undefined || t === null || !/^\d+(\.\d+)?$/.test(t)) {
    return null;
  }
  return Number(t);
}

/**
 * One time entry as text `parseProcessingTime` reads: "5 Ngày làm việc". A value of 0 or none means the
 * time is in the description ("Trong ngày", "Theo mô tả"), which is then the text.
 */
function timeText(entry: Rec): string | null {
  const value = number(pick(entry, ['THOIGIANGIAIQUYET', 'ThoiGianGiaiQuyet', 'THOIGIAN']));
  const unit = text(pick(entry, ['DONVITINH', 'DonViTinh', 'DONVI']));
  const description = text(pick(entry, ['MOTA', 'MoTa']));
  if (value !== null && unit !== null && (value > 0 || description === null)) {
    return `${value} ${unit}`;
  }
  return description;
}

function channelTimes(
  value: unknown,
  warnings: string[],
): Partial<Record<PortalCatalogueField, string | null>> {
  const ways = list(value);
  if (ways === null) {
    warnings.push('CACHTHUCTHUCHIEN is not a list; statutory times left as stored');
    return {};
  }
  const texts: Record<string, (string | null)[]> = { '1': [], '2': [], '3': [] };
  for (const way of ways) {
    const channel = isRecord(way) ? text(pick(way, ['KENH', 'Kenh', 'kenh'])) : null;
    const bucket = channel === null ? undefined : texts[channel];
    if (!isRecord(way) || bucket === undefined) {
      warnings.push(`CACHTHUCTHUCHIEN entry with KENH ${channel ?? '(none)'} ignored`);
      continue;
    }
    const nested = list(pick(way, ['THOIGIAN', 'ThoiGian']));
    const entries = nested ?? [way];
    bucket.push(...entries.map((e) => (isRecord(e) ? timeText(e) : null)));
  }
  const out: Partial<Record<PortalCatalogueField, string | null>> = {};
  for (const [channel, column] of Object.entries(CHANNEL_COLUMN)) {
    out[column] = joinDistinct(texts[channel] ?? []);
  }
  return out;
}

function portalUrl(record: Rec): string | null | undefined {
  const value = pick(record, ['URL', 'DUONGDAN']);
  if (value === undefined) {
    return undefined;
  }
  const t = text(value);
  return t !== null && /^https?:\/\//i.test(t) ? t : null;
}

/** Reads one record; `requestedCode` is the `maTTHC` asked for (an answer about another code fails). */
export function mapPortalProcedure(record: unknown, requestedCode?: string): PortalProcedureRead {
  if (!isRecord(record)) {
    return { ok: false, field: 'result[0]', problem: 'the procedure record is not an object' };
  }
  const asked = requestedCode?.normalize('NFC').trim();
  const code = text(pick(record, ['MATTHC', 'MaTTHC', 'maTTHC'])) ?? asked ?? null;
  if (code === null) {
    return { ok: false, field: 'MATTHC', problem: 'the record has no procedure code' };
  }
  if (asked !== undefined && asked !== code) {
    return { ok: false, field: 'MATTHC', problem: `asked for ${asked}, the portal answered ${code}` };
  }
  const name = text(pick(record, ['TENTTHC', 'TenTTHC']));
  if (name === null) {
    return { ok: false, field: 'TENTTHC', problem: `${code} has no name` };
  }
  const warnings: string[] = [];
  const agencies = names(record['COQUANTHUCHIEN'], ['TENDONVI', 'TENCOQUAN', 'TenDonVi']);
  const row: PortalCatalogueRow = {
    code,
    name,
    issuing_body: issuingBody(record),
    implementing_agency: agencies ?? text(record['MOTACOQUANTHUCHIEN']) ?? agencies,
    field: names(record['LINHVUCTHUCHIEN'], ['TENLINHVUC', 'TenLinhVuc']),
    portal_url: portalUrl(record),
  };
  if ('CACHTHUCTHUCHIEN' in record) {
    Object.assign(row, channelTimes(record['CACHTHUCTHUCHIEN'], warnings));
  }
  return { ok: true, row, warnings };
}
