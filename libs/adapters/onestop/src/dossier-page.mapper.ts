import type { RestSourceProfile } from './rest-profile';
import { resolveStatus, type StatusLookup, type StatusTable } from './status-table';
import { millis, readVendorDate, toWireDate } from './vendor-dates';

export type VendorRecord = Record<string, unknown>;
export type WireItem = Record<string, unknown>;

/** One dossier as the list answered it, with what keyset paging needs read out. */
export interface ListedDossier {
  /** The vendor's internal id (for the actions call); null when the item has none. */
  id: string | null;
  /** Modification time as an ISO instant; null when missing or unreadable (the item is kept, not placed). */
  modifiedAt: string | null;
  raw: VendorRecord;
}

export interface ListPage {
  dossiers: ListedDossier[];
  /** Items in the answer, as sent (before de-duplication). */
  rawCount: number;
  total: number | null;
}

export type ListRead = { ok: true; page: ListPage } | { ok: false; reason: string };

function isRecord(v: unknown): v is VendorRecord {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function text(v: unknown): string | null {
  if (typeof v === 'number' && Number.isFinite(v)) {
    return String(v);
  }
  if (typeof v !== 'string') {
    return null;
  }
  const t = v.normalize('NFC').trim();
  return t === '' ? null : t;
}

function intOrNull(v: unknown): number | null {
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
  return typeof n === 'number' && Number.isInteger(n) && n >= 0 ? n : null;
}

/** `{ total, data: [...] }` (field names from the profile). A page that is not that shape is unreadable. */
export function readListPage(body: unknown, profile: RestSourceProfile): ListRead {
  const layout = profile.list;
  if (!isRecord(body)) {
    return { ok: false, reason: 'the list answer is not a JSON object' };
  }
  const data = body[layout.dataField];
  if (data !== undefined && data !== null && !Array.isArray(data)) {
    return { ok: false, reason: `"${layout.dataField}" is not an array` };
  }
  const items = (data ?? []) as unknown[];
  const total = layout.totalField === null ? null : intOrNull(body[layout.totalField]);
  const f = profile.dossier;
  const dossiers = items.filter(isRecord).map((raw): ListedDossier => {
    const modified = readVendorDate(raw[f.modified], f.dateFormat);
    return { id: text(raw[f.id]), modifiedAt: modified.ok ? modified.iso : null, raw };
  });
  if (dossiers.length !== items.length) {
    return { ok: false, reason: `"${layout.dataField}" holds something other than objects` };
  }
  return { ok: true, page: { dossiers, rawCount: items.length, total } };
}

/** The actions (processing history) answer: `{ total, data: [...] }` or a bare array. */
export function readActions(
  body: unknown,
  profile: RestSourceProfile,
): { ok: true; actions: VendorRecord[]; total: number | null } | { ok: false; reason: string } {
  const layout = profile.actions;
  const data = Array.isArray(body) ? body : isRecord(body) ? body[layout.dataField] : undefined;
  if (data !== undefined && data !== null && !Array.isArray(data)) {
    return { ok: false, reason: `"${layout.dataField}" is not an array` };
  }
  const items = (data ?? []) as unknown[];
  if (!items.every(isRecord)) {
    return { ok: false, reason: 'an action is not a JSON object' };
  }
  const total = isRecord(body) && layout.totalField !== null ? intOrNull(body[layout.totalField]) : null;
  return { ok: true, actions: items, total };
}

/**
 * Duplicates collapse to the latest copy (an item can appear twice when it changes while the list is
 * paged), then the page is put in keyset order: modification time, then id.
 */
export function orderDossiers(dossiers: readonly ListedDossier[]): ListedDossier[] {
  const byKey = new Map<string, ListedDossier>();
  dossiers.forEach((d, i) => {
    const key = d.id ?? `#${i}`;
    const seen = byKey.get(key);
    if (!seen || compareModified(d, seen) > 0) {
      byKey.set(key, d);
    }
  });
  return [...byKey.values()].sort((a, b) => compareModified(a, b) || compareIds(a.id, b.id));
}

function compareModified(a: ListedDossier, b: ListedDossier): number {
  const ma = a.modifiedAt === null ? -Infinity : millis(a.modifiedAt);
  const mb = b.modifiedAt === null ? -Infinity : millis(b.modifiedAt);
  return ma === mb ? 0 : ma < mb ? -1 : 1;
}

export function compareIds(a: string | null, b: string | null): number {
  const x = a ?? '';
  const y = b ?? '';
  if (/^\d+$/.test(x) && /^\d+$/.test(y) && x.length !== y.length) {
    return x.length - y.length;
  }
  return x < y ? -1 : x > y ? 1 : 0;
}

export interface StepStatus {
  status: string;
  subStatus?: string | null;
}

export interface DossierMappingOptions {
  profile: RestSourceProfile;
  statusTable: StatusTable;
  /** Published status mappings, consulted before `statusTable` (see `resolveStatus`). */
  statusLookup?: StatusLookup;
  /** stepCode -> the status the step puts the dossier in, for APIs whose actions do not say. */
  stepStatus?: Readonly<Record<string, StepStatus>>;
  /**
   * Start of the window this pull reads (null = from the beginning). A dossier whose whole history is
   * after it is seen for the first time; ids never depend on it.
   */
  since: string | null;
}

/** A vendor status with no national status in the source's table (sent on without one, and flagged). */
export interface UnmappedStatus {
  status: string;
  subStatus: string | null;
  /** When the change happened (the action's time, or the listed modification time); null when unknown. */
  at: string | null;
}

/**
 * One dossier as DVCQG-shaped wire items, in the order they are to be ingested: `header` (identity and
 * static dates, no status), `rows` (the processing history, oldest first), `current` (the dossier now).
 */
export interface DossierWire {
  code: string | null;
  header: WireItem;
  rows: WireItem[];
  current: WireItem;
  unmapped: UnmappedStatus[];
}

interface TimedAction {
  raw: VendorRecord;
  id: string | null;
  at: string | null;
  national: number | null;
  row: WireItem;
}

/**
 * Vendor dossier + its actions -> `DongBoHoSoMC` snapshots and `CapNhatTienDoHoSoMC` rows, so that the
 * existing pure mappers make the canonical events (same milestones, same id rules as pushed traffic).
 *
 * Why this order. Status changes are read from the dated rows: a row sets the dossier's status time to
 * the action's own time, so a later re-read of the history (overlap window, re-poll, cursor reset) finds
 * every old row at or before it and cannot move the status back. The header gives the rows the procedure,
 * unit and reception date first, and carries NgayHenTra only on first sight (the reception event then has
 * its due date); the current snapshot comes last and adds what rows cannot say (result and return dates,
 * a status changed without an action). A due date read at the same status as the one held is an extension
 * (DOMAIN.md §3.3), so a due date the site moves together with a status change between two polls (after a
 * supplement, say) reads as one: the pull sees the two facts apart. The ids never depend on the order.
 */
export function dossierToWire(
  dossier: ListedDossier,
  actions: readonly VendorRecord[],
  options: DossierMappingOptions,
): DossierWire {
  const { profile } = options;
  const f = profile.dossier;
  const raw = dossier.raw;
  const code = text(raw[f.code]);
  const date = (field: string | null): unknown =>
    field === null ? '' : toWireDate(readVendorDate(raw[field], f.dateFormat));
  const unmapped: UnmappedStatus[] = [];
  const national = (status: string | null, sub: string | null, at: string | null): string => {
    const n = resolveStatus(options.statusLookup, options.statusTable, status, sub, at);
    if (n === null && status !== null) {
      unmapped.push({ status, subStatus: sub, at });
    }
    return n === null ? '' : String(n);
  };

  const timed = orderActions(actions, profile).map((a) => actionRow(a, code, options, national));
  const sinceMs = options.since === null ? null : millis(options.since);
  const firstSight =
    sinceMs === null || (timed.length > 0 && timed.every((a) => a.at !== null && millis(a.at) > sinceMs));

  const identity: WireItem = {
    MaHoSo: code ?? '',
    MaTTHC: text(raw[f.procedureCode]) ?? '',
    TenTTHC: text(raw[f.procedureName]) ?? '',
    MaLinhVuc: text(raw[f.sectorCode]) ?? '',
    TenLinhVuc: text(raw[f.sectorName]) ?? '',
    KenhThucHien: channel(raw, profile),
    DonViXuLy: text(raw[f.agencyName]) ?? '',
    NgayNopHoSo: date(f.submitted),
    NgayTiepNhan: date(f.received),
  };
  // The applicant's name rides on the header too, so that isohub knows it (as a keyed hash, never published)
  // before the rows of the first page, and can tell a row the applicant performed.
  const header: WireItem = {
    ...identity,
    TrangThaiHoSo: '',
    ...(firstSight ? { NgayHenTra: date(f.due) } : {}),
    ChuHoSo: text(raw[f.applicantName]) ?? '',
  };
  const status = text(raw[f.status]);
  const subStatus = text(raw[f.subStatus]);
  const refusal = [...timed].reverse().find((a) => a.national === 3)?.at ?? null;
  // The list and the history are read at different moments: a history newer than the listed copy means
  // the dossier changed in between. Its listed status and due date are then older than the rows and must
  // not be applied after them (it is listed again, up to date, in the next run).
  const modifiedMs = dossier.modifiedAt === null ? null : millis(dossier.modifiedAt);
  const listedIsOlder = modifiedMs !== null && timed.some((a) => a.at !== null && millis(a.at) > modifiedMs);
  const current: WireItem = {
    ...identity,
    TrangThaiHoSo: listedIsOlder ? '' : national(status, subStatus, dossier.modifiedAt),
    ...(listedIsOlder ? {} : { NgayHenTra: date(f.due) }),
    NgayKetThucXuLy: date(f.finished),
    NgayTra: date(f.released),
    NgayTuChoi: f.refused !== null ? date(f.refused) : toWireDate({ ok: true, iso: refusal }),
    HinhThuc: viaPostal(raw, profile) ? '1' : '0',
    ChuHoSo: text(raw[f.applicantName]) ?? '',
    SoGiayToChuHoSo: text(raw[f.applicantIdNo]) ?? '',
    SoDienThoai: text(raw[f.phone]) ?? '',
    Email: text(raw[f.email]) ?? '',
  };
  return { code, header, rows: timed.map((a) => a.row), current, unmapped };
}

/** Duplicates (same id) collapse; the history is put in time order, then id order. */
function orderActions(actions: readonly VendorRecord[], profile: RestSourceProfile): VendorRecord[] {
  const f = profile.action;
  const seen = new Set<string>();
  const unique = actions.filter((a) => {
    const key = text(a[f.id]) ?? JSON.stringify(a);
    if (seen.has(key)) {
      return false;
    }
    seen.add(key);
    return true;
  });
  const at = (a: VendorRecord): number => {
    const d = readVendorDate(a[f.time], f.dateFormat);
    return d.ok && d.iso !== null ? millis(d.iso) : Infinity;
  };
  return unique.sort((a, b) => at(a) - at(b) || compareIds(text(a[f.id]), text(b[f.id])));
}

function actionRow(
  a: VendorRecord,
  code: string | null,
  options: DossierMappingOptions,
  national: (status: string | null, sub: string | null, at: string | null) => string,
): TimedAction {
  const f = options.profile.action;
  const at = readVendorDate(a[f.time], f.dateFormat);
  const step = f.stepCode === null ? null : text(a[f.stepCode]);
  const fromStep = step === null ? undefined : options.stepStatus?.[step];
  const ownStatus = f.status === null ? null : text(a[f.status]);
  const status = ownStatus ?? fromStep?.status ?? null;
  const sub =
    ownStatus !== null ? (f.subStatus === null ? null : text(a[f.subStatus])) : (fromStep?.subStatus ?? null);
  const trangThai = national(status, sub, at.ok ? at.iso : null);
  const name = text(a[f.actionName]) ?? '';
  const note = text(a[f.actionNote]);
  const deadline =
    f.stepDeadline === null
      ? { ok: true as const, iso: null }
      : readVendorDate(a[f.stepDeadline], f.dateFormat);
  return {
    raw: a,
    id: text(a[f.id]),
    at: at.ok ? at.iso : null,
    national: trangThai === '' ? null : Number(trangThai),
    // OpenCPS's own CapNhatTienDoHoSoMC row (2021): `actionName-actionNote`, ChucDanh and NgayBatDau empty.
    row: {
      MaHoSo: code ?? '',
      NguoiXuLy: text(a[f.user]) ?? '',
      ChucDanh: f.userTitle === null ? '' : (text(a[f.userTitle]) ?? ''),
      ThoiDiemXuLy: toWireDate(at),
      PhongBanXuLy: f.unit === null ? '' : (text(a[f.unit]) ?? ''),
      NoiDungXuLy: note ? `${name}-${note}` : name,
      TrangThai: trangThai,
      NgayBatDau: '',
      NgayKetThucTheoQuyDinh: toWireDate(deadline),
    },
  };
}

function truthy(v: unknown): boolean {
  return v === true || (typeof v === 'string' && /^(true|1)$/i.test(v.trim())) || v === 1;
}

function channel(raw: VendorRecord, profile: RestSourceProfile): string {
  const f = profile.dossier.online;
  if (f === null || raw[f] === undefined || raw[f] === null || raw[f] === '') {
    return '';
  }
  return truthy(raw[f]) ? '2' : '1';
}

/** OpenCPS sends HinhThuc "1" when `viaPostal` is neither 0 nor 1 (docs/research/wire-formats.md §1.7). */
function viaPostal(raw: VendorRecord, profile: RestSourceProfile): boolean {
  const f = profile.dossier.viaPostal;
  const n = f === null ? null : intOrNull(raw[f]);
  return n !== null && n > 1;
}
