import type { DossierDates, DossierState } from '@isohub/events';
import { nationalLabel, parsePortalDate } from '@isohub/mapping';

export const MISMATCH_KINDS = [
  'missing',
  'status',
  'due-date',
  'received-date',
  'finished-date',
  'returned-date',
  'procedure',
] as const;
export type MismatchKind = (typeof MISMATCH_KINDS)[number];

export interface FieldMismatch {
  kind: MismatchKind;
  /** The portal field (DVCQG name) that disagrees. */
  field: string;
  /** What isohub holds from the one-stop system: a status number, an ISO instant, a code; null = none. */
  oneStop: string | null;
  /** What the portal answered, as it wrote it; null = nothing. */
  portal: string | null;
  note: string | null;
}

const DATE_FIELDS: { kind: MismatchKind; field: string; date: keyof DossierDates }[] = [
  { kind: 'due-date', field: 'NgayHenTra', date: 'dueAt' },
  { kind: 'received-date', field: 'NgayTiepNhan', date: 'receivedAt' },
  { kind: 'finished-date', field: 'NgayKetThucXuLy', date: 'processingEndedAt' },
  { kind: 'returned-date', field: 'NgayTra', date: 'returnedAt' },
];

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Portal scalars arrive as strings or numbers (DOMAIN.md §4.5); anything else reads as its JSON. */
function text(v: unknown): string | null {
  if (v === null || v === undefined) {
    return null;
  }
  if (typeof v === 'string') {
    return v.normalize('NFC').trim();
  }
  return typeof v === 'number' || typeof v === 'boolean' ? String(v) : JSON.stringify(v);
}

/** The portal's entry for this dossier in a TraCuuHoSo `result`: the one naming the code, else the first. */
export function pickPortalItem(code: string, items: readonly unknown[]): Record<string, unknown> | null {
  const records = items.filter(isRecord);
  const named = records.find((r) => (text(r['MaHoSo']) ?? text(r['mahoso'])) === code);
  return named ?? records[0] ?? null;
}

function compareStatus(state: DossierState, portal: unknown): FieldMismatch | null {
  const raw = text(portal);
  const portalStatus = raw === null || raw === '' ? null : /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  const ours = state.status.national;
  if (portalStatus === ours) {
    return null;
  }
  // Thanh Hóa sends a pause as "9" (DOMAIN.md §4.7): the portal keeps the wire status, isohub the meaning.
  const asSent =
    state.source.protocol.startsWith('dvcqg-tee') &&
    raw !== null &&
    raw !== '' &&
    raw === state.status.source;
  return {
    kind: 'status',
    field: 'TrangThaiHoSo',
    oneStop: ours === null ? null : String(ours),
    portal: raw,
    note: asSent
      ? `the portal holds the status as the sender sent it; isohub reads it as ${String(ours)} (${nationalLabel(ours) ?? 'none'})`
      : null,
  };
}

function compareDate(
  spec: (typeof DATE_FIELDS)[number],
  ours: string | null,
  portal: unknown,
): FieldMismatch | null {
  const parsed = parsePortalDate(portal);
  const mismatch = (note: string | null): FieldMismatch => ({
    kind: spec.kind,
    field: spec.field,
    oneStop: ours,
    portal: text(portal),
    note,
  });
  if (!parsed.ok) {
    return mismatch(`the portal's value is not a date: ${parsed.reason}`);
  }
  const theirs = parsed.value;
  if (ours === null || theirs === null) {
    return ours === theirs ? null : mismatch(null);
  }
  // Same instant whatever the notation: ISO +07:00 here, yyyyMMddHHmmss Vietnam time there; seconds only.
  return Math.floor(Date.parse(ours) / 1000) === Math.floor(Date.parse(theirs) / 1000)
    ? null
    : mismatch(null);
}

function compareProcedure(state: DossierState, portal: unknown): FieldMismatch | null {
  const theirs = text(portal) ?? '';
  const { nationalCode, localCode } = state.procedure;
  if (theirs === '' && nationalCode === null && localCode === null) {
    return null;
  }
  // The sender may send its local code (`1.001193.000.00.00.H56`) where isohub resolved the national one.
  const same =
    theirs === localCode ||
    theirs === nationalCode ||
    (nationalCode !== null && theirs.startsWith(`${nationalCode}.`));
  return same
    ? null
    : {
        kind: 'procedure',
        field: 'MaTTHC',
        oneStop: localCode ?? nationalCode,
        portal: theirs || null,
        note: null,
      };
}

/**
 * What the one-stop side (isohub's latest state) and the portal's copy disagree on. Pure. `portalItems`
 * is TraCuuHoSo's `result`: empty means the portal does not know the dossier. A field the portal's answer
 * does not carry at all is not compared (its lookup may return a summary); an empty one means "none".
 */
export function compareDossier(state: DossierState, portalItems: readonly unknown[]): FieldMismatch[] {
  const item = pickPortalItem(state.dossierCode, portalItems);
  if (item === null) {
    return [{ kind: 'missing', field: 'MaHoSo', oneStop: state.dossierCode, portal: null, note: null }];
  }
  const out: (FieldMismatch | null)[] = [];
  if ('TrangThaiHoSo' in item) {
    out.push(compareStatus(state, item['TrangThaiHoSo']));
  }
  for (const spec of DATE_FIELDS) {
    if (spec.field in item) {
      out.push(compareDate(spec, state.dates[spec.date], item[spec.field]));
    }
  }
  if ('MaTTHC' in item) {
    out.push(compareProcedure(state, item['MaTTHC']));
  }
  return out.filter((m): m is FieldMismatch => m !== null);
}
