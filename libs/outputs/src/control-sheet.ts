import type { DossierState, Handover, PersonRef, StepTiming, UnitRef } from '@isohub/events';

/**
 * The phiếu kiểm soát quá trình giải quyết hồ sơ: Mẫu 05 of Thông tư 01/2018/TT-VPCP (A5) for dossiers
 * received before 15/09/2025, Mẫu 06 of Thông tư 03/2025/TT-VPCP from that day (a province may override).
 */
export type ControlSheetEdition = 'TT01-2018-M05' | 'TT03-2025-M06';

export interface EditionInfo {
  edition: ControlSheetEdition;
  /** "Mẫu số 05", "Mẫu số 06". */
  formNo: string;
  /** The circular that prescribes the form. */
  circular: string;
  paper: 'A5' | 'A4';
}

export const EDITIONS: Record<ControlSheetEdition, EditionInfo> = {
  'TT01-2018-M05': {
    edition: 'TT01-2018-M05',
    formNo: 'Mẫu số 05',
    circular: 'Thông tư số 01/2018/TT-VPCP',
    paper: 'A5',
  },
  'TT03-2025-M06': {
    edition: 'TT03-2025-M06',
    formNo: 'Mẫu số 06',
    circular: 'Thông tư số 03/2025/TT-VPCP',
    paper: 'A4',
  },
};

/** The first day (Vietnam date) on which Mẫu 06 of TT 03/2025/TT-VPCP applies. */
export const EDITION_2025_FROM = '2025-09-15';

export type RowResult = 'Trước hạn' | 'Đúng hạn' | 'Quá hạn' | 'Đang xử lý';

export interface ControlSheetParty {
  unit: string | null;
  person: string | null;
}

export interface ControlSheetRow {
  /** 1, 2, … in handover order. */
  no: number;
  giao: ControlSheetParty;
  /** Null on the open step's row: nobody has received it yet. */
  nhan: ControlSheetParty | null;
  /** "1. Giao: … 2. Nhận: …" as the form's TÊN CƠ QUAN column prints it. */
  agencyText: string;
  /** The handover instant (ISO, Vietnam offset); the open step's start on its row. */
  at: string;
  /** "HH giờ mm phút, ngày dd tháng MM năm yyyy" in Vietnam time. */
  timeText: string;
  /** The giver's step as it ended (the step instance the handover closed); "Đang xử lý" on the open step. */
  result: RowResult | null;
  note: string | null;
  /** The step instance the row reports on, null when isohub could not tell. */
  instance: number | null;
}

export interface ControlSheet {
  edition: EditionInfo;
  /** The agency's ISO form code (e.g. BM-VP01.03). */
  isoFormCode: string;
  title: 'PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ';
  header: {
    dossierCode: string;
    /** Blank (null) unless configuration allows applicant data on the sheet. */
    applicantName: string | null;
    applicantPhone: string | null;
    applicantAddress: string | null;
    procedureCode: string | null;
    procedureName: string | null;
    receivedAt: string | null;
    receivedAtText: string | null;
    dueAt: string | null;
    dueAtText: string | null;
    processingUnit: string | null;
  };
  rows: ControlSheetRow[];
}

/** One handover as an event carried it, with the step instance it closed when the event said so. */
export interface ControlSheetHandover {
  handover: Handover;
  closedInstance: number | null;
}

export interface ControlSheetInput {
  state: Pick<DossierState, 'dossierCode' | 'procedure' | 'processingUnit' | 'receivingUnit' | 'dates'>;
  /** In event order. */
  handovers: ControlSheetHandover[];
  /** The dossier's step instances (step-timing records). */
  steps: StepTiming[];
  /** Applicant fields an event carried (only when configuration named them). */
  applicant?: { name?: string | null; phone?: string | null; address?: string | null } | null;
}

export interface ControlSheetOptions {
  /** Forces an edition (a province's override); otherwise chosen by the receipt date. */
  edition?: ControlSheetEdition;
  isoFormCode?: string;
  /** Print the applicant's name, phone and address (Nghị định 13/2023/NĐ-CP: off unless configured). */
  applicantFields?: boolean;
}

export const DEFAULT_ISO_FORM_CODE = 'BM-VP01.03';

const VN_OFFSET_MS = 7 * 3_600_000;
const pad = (n: number): string => String(n).padStart(2, '0');

/** The Vietnam wall clock (UTC+7, no daylight saving) of an instant. */
function vietnamParts(at: string): { y: number; mo: number; d: number; h: number; mi: number } | null {
  const ms = Date.parse(at);
  if (Number.isNaN(ms)) {
    return null;
  }
  const t = new Date(ms + VN_OFFSET_MS);
  return {
    y: t.getUTCFullYear(),
    mo: t.getUTCMonth() + 1,
    d: t.getUTCDate(),
    h: t.getUTCHours(),
    mi: t.getUTCMinutes(),
  };
}

/** "08 giờ 05 phút, ngày 02 tháng 03 năm 2026" (Vietnam time); null for an unreadable instant. */
export function vietnameseTime(at: string | null): string | null {
  const p = at ? vietnamParts(at) : null;
  return p ? `${pad(p.h)} giờ ${pad(p.mi)} phút, ngày ${pad(p.d)} tháng ${pad(p.mo)} năm ${p.y}` : null;
}

/** The edition in force on a receipt instant (Vietnam date); Mẫu 06 when the date is unknown. */
export function editionFor(receivedAt: string | null): ControlSheetEdition {
  const p = receivedAt ? vietnamParts(receivedAt) : null;
  if (!p) {
    return 'TT03-2025-M06';
  }
  const day = `${p.y}-${pad(p.mo)}-${pad(p.d)}`;
  return day < EDITION_2025_FROM ? 'TT01-2018-M05' : 'TT03-2025-M06';
}

const RESULT: Record<NonNullable<StepTiming['outcome']>, RowResult> = {
  early: 'Trước hạn',
  on_time: 'Đúng hạn',
  late: 'Quá hạn',
};

const nfc = (s: string | null | undefined): string | null => {
  const t = s?.normalize('NFC').trim();
  return t ? t : null;
};
const unitName = (u: UnitRef | null): string | null => nfc(u?.name) ?? nfc(u?.code);
/** An applicant actor is printed as "Người nộp hồ sơ" (never by name). */
const personName = (p: PersonRef | null): string | null =>
  p?.role === 'applicant'
    ? 'Người nộp hồ sơ'
    : [nfc(p?.name), nfc(p?.title)].filter((x): x is string => x !== null).join(', ') || null;

const partyText = (p: ControlSheetParty): string =>
  [p.unit, p.person].filter((x): x is string => x !== null).join(' – ') || '…';

/** The step instance a handover closed: the event's word, else the instance that ended at that instant. */
function closedStep(h: ControlSheetHandover, steps: StepTiming[]): StepTiming | null {
  if (h.closedInstance !== null) {
    return steps.find((s) => s.instance === h.closedInstance) ?? null;
  }
  const at = Date.parse(h.handover.handedOverAt);
  return steps.find((s) => s.endedAt !== null && Date.parse(s.endedAt) === at) ?? null;
}

/** The control sheet of one dossier from its snapshot, its handovers and its step-timing records. */
export function buildControlSheet(input: ControlSheetInput, options: ControlSheetOptions = {}): ControlSheet {
  const { state } = input;
  const receivedAt = state.dates.receivedAt ?? null;
  const edition = EDITIONS[options.edition ?? editionFor(receivedAt)];
  const applicant = options.applicantFields ? (input.applicant ?? null) : null;
  const rows: ControlSheetRow[] = input.handovers.map((h, i) => {
    const giao = { unit: unitName(h.handover.unitFrom), person: personName(h.handover.userFrom) };
    const nhan = { unit: unitName(h.handover.unitTo), person: personName(h.handover.userTo) };
    const step = closedStep(h, input.steps);
    return {
      no: i + 1,
      giao,
      nhan,
      agencyText: `1. Giao: ${partyText(giao)}\n2. Nhận: ${partyText(nhan)}`,
      at: h.handover.handedOverAt,
      timeText: vietnameseTime(h.handover.handedOverAt) ?? h.handover.handedOverAt,
      result: step?.outcome ? RESULT[step.outcome] : null,
      note: nfc(h.handover.note),
      instance: step?.instance ?? null,
    };
  });
  const open = [...input.steps].reverse().find((s) => s.endedAt === null);
  if (open) {
    const last = input.handovers.at(-1)?.handover;
    const giao = {
      unit: unitName(last?.unitTo ?? null) ?? unitName(state.processingUnit),
      person: personName(last?.userTo ?? null),
    };
    rows.push({
      no: rows.length + 1,
      giao,
      nhan: null,
      agencyText: `1. Giao: ${partyText(giao)}\n2. Nhận: …`,
      at: open.startedAt,
      timeText: vietnameseTime(open.startedAt) ?? open.startedAt,
      result: 'Đang xử lý',
      note: nfc(open.isoStep?.name) ?? nfc(open.step),
      instance: open.instance,
    });
  }
  return {
    edition,
    isoFormCode: nfc(options.isoFormCode) ?? DEFAULT_ISO_FORM_CODE,
    title: 'PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ',
    header: {
      dossierCode: state.dossierCode,
      applicantName: nfc(applicant?.name),
      applicantPhone: nfc(applicant?.phone),
      applicantAddress: nfc(applicant?.address),
      procedureCode: state.procedure.nationalCode ?? state.procedure.localCode,
      procedureName: nfc(state.procedure.name),
      receivedAt,
      receivedAtText: vietnameseTime(receivedAt),
      dueAt: state.dates.dueAt ?? null,
      dueAtText: vietnameseTime(state.dates.dueAt ?? null),
      processingUnit: unitName(state.processingUnit) ?? unitName(state.receivingUnit),
    },
    rows,
  };
}
