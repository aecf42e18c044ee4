import type { LifecycleKind } from '../onestop/dossier-lifecycle';
import type { SimulatedDossier } from '../onestop/day-simulator';

/**
 * How an OpenCPS site shows each lifecycle step: its dossier status and sub-status (the vendor list of
 * DOMAIN.md §3.4; sub-status codes are site data, these are the sandbox's) and the process step the
 * dossier moves to. The development status table (config/pull-sources.dev.json) maps them back to 1..10.
 */
export const VENDOR_STEPS: Readonly<
  Record<
    LifecycleKind,
    { status: string; statusText: string; subStatus: string; stepCode: string; stepName: string }
  >
> = {
  submitted: { status: 'new', statusText: 'Mới', subStatus: '', stepCode: '100', stepName: 'Nộp hồ sơ' },
  refused: {
    status: 'denied',
    statusText: 'Từ chối',
    subStatus: '',
    stepCode: '900',
    stepName: 'Từ chối tiếp nhận',
  },
  received: {
    status: 'processing',
    statusText: 'Đang xử lý',
    subStatus: 'tiep_nhan',
    stepCode: '200',
    stepName: 'Tiếp nhận hồ sơ',
  },
  handover: {
    status: 'processing',
    statusText: 'Đang xử lý',
    subStatus: '',
    stepCode: '300',
    stepName: 'Xử lý hồ sơ',
  },
  sent_back: {
    status: 'processing',
    statusText: 'Đang xử lý',
    subStatus: '',
    stepCode: '300',
    stepName: 'Xử lý hồ sơ',
  },
  supplement_requested: {
    status: 'waiting',
    statusText: 'Chờ bổ sung',
    subStatus: 'cho_bo_sung',
    stepCode: '310',
    stepName: 'Chờ bổ sung hồ sơ',
  },
  supplement_submitted: {
    status: 'waiting',
    statusText: 'Chờ bổ sung',
    subStatus: 'cho_bo_sung',
    stepCode: '310',
    stepName: 'Chờ bổ sung hồ sơ',
  },
  supplement_completed: {
    status: 'processing',
    statusText: 'Đang xử lý',
    subStatus: '',
    stepCode: '300',
    stepName: 'Xử lý hồ sơ',
  },
  payment_requested: {
    status: 'processing',
    statusText: 'Đang xử lý',
    subStatus: 'cho_thanh_toan',
    stepCode: '320',
    stepName: 'Chờ thực hiện nghĩa vụ tài chính',
  },
  payment_completed: {
    status: 'processing',
    statusText: 'Đang xử lý',
    subStatus: '',
    stepCode: '300',
    stepName: 'Xử lý hồ sơ',
  },
  extended: {
    status: 'processing',
    statusText: 'Đang xử lý',
    subStatus: '',
    stepCode: '300',
    stepName: 'Xử lý hồ sơ',
  },
  withdrawn: {
    status: 'cancelled',
    statusText: 'Đã rút',
    subStatus: '',
    stepCode: '910',
    stepName: 'Rút hồ sơ',
  },
  stopped: {
    status: 'unresolved',
    statusText: 'Dừng xử lý',
    subStatus: '',
    stepCode: '920',
    stepName: 'Dừng xử lý',
  },
  finished: {
    status: 'releasing',
    statusText: 'Chờ trả kết quả',
    subStatus: '',
    stepCode: '500',
    stepName: 'Chờ trả kết quả',
  },
  result_returned: {
    status: 'done',
    statusText: 'Hoàn thành',
    subStatus: '',
    stepCode: '600',
    stepName: 'Đã trả kết quả',
  },
};

export const GROUP_ID = '35417';
const FIRST_DOSSIER_ID = 40_000;

/** `yyyyMMddHHmmss` (Vietnam) -> epoch ms. */
export function vnCompactToMs(v: string): number {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(v);
  if (!m) {
    throw new Error(`not a compact date: ${v}`);
  }
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  return Date.UTC(y, mo - 1, d, h - 7, mi, s);
}

const pad = (n: number): string => String(n).padStart(2, '0');

function vnParts(ms: number): [string, string, string, string, string, string] {
  const d = new Date(ms + 7 * 3_600_000);
  return [
    String(d.getUTCFullYear()),
    pad(d.getUTCMonth() + 1),
    pad(d.getUTCDate()),
    pad(d.getUTCHours()),
    pad(d.getUTCMinutes()),
    pad(d.getUTCSeconds()),
  ];
}

/** OpenCPS list dates: `dd/MM/yyyy HH:mm:ss`, Asia/Ho_Chi_Minh (APIDateTimeUtils._NORMAL_PARTTERN). */
export function normalDate(ms: number | null): string {
  if (ms === null) {
    return '';
  }
  const [y, mo, d, h, mi, s] = vnParts(ms);
  return `${d}/${mo}/${y} ${h}:${mi}:${s}`;
}

/** The search index's own `yyyyMMddHHmmss`, which OpenCPS passes through for `dueDate`. */
export function luceneDate(ms: number | null): string {
  return ms === null ? '' : vnParts(ms).join('');
}

/** `dd/MM/yyyy HH:mm:ss`, `dd/MM/yyyy`, `yyyyMMddHHmmss` or epoch ms -> epoch ms; null when unreadable. */
export function parseFilterDate(v: string): number | null {
  const t = v.trim();
  let m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?)?$/.exec(t);
  if (m) {
    const [d, mo, y, h, mi, s] = m.slice(1).map((x) => Number(x ?? 0));
    return Date.UTC(y, mo - 1, d, h - 7, mi, s);
  }
  m = /^\d{14}$/.exec(t);
  if (m) {
    return vnCompactToMs(t);
  }
  if (/^\d{1,13}$/.test(t)) {
    return Number(t);
  }
  const iso = Date.parse(t);
  return Number.isNaN(iso) ? null : iso;
}

export interface VendorStep {
  at: number;
  kind: LifecycleKind;
  action: string;
  note: string;
  user: string;
  role: string;
  stepDeadline: number | null;
  dueAt: number | null;
}

/** One dossier of the simulated site: its static facts and its whole timeline (revealed by the clock). */
export interface VendorDossier {
  dossierId: number;
  truth: SimulatedDossier;
  steps: VendorStep[];
  /** Extra modification times without a step (an edit of the record), revealed by the clock too. */
  touches: number[];
}

export function vendorDossiers(dossiers: readonly SimulatedDossier[]): VendorDossier[] {
  return dossiers.map((truth, i) => ({
    dossierId: FIRST_DOSSIER_ID + i,
    truth,
    touches: [],
    steps: truth.events.map((e) => ({
      at: vnCompactToMs(e.at),
      kind: e.kind,
      action: e.action,
      note: e.note,
      user: e.actor.name,
      role: e.to?.unit ?? e.actor.unit ?? e.actor.title ?? '',
      stepDeadline: e.stepDeadline === null ? null : vnCompactToMs(e.stepDeadline),
      dueAt: e.dueAt === null ? null : vnCompactToMs(e.dueAt),
    })),
  }));
}

/** The dossier as the list answers at `now`; null when it does not exist yet. */
export function dossierAt(
  d: VendorDossier,
  now: number,
): { record: Record<string, unknown>; modifiedMs: number } | null {
  const visible = d.steps.filter((s) => s.at <= now);
  const last = visible.at(-1);
  if (!last) {
    return null;
  }
  const at = (kind: LifecycleKind): number | null => visible.find((s) => s.kind === kind)?.at ?? null;
  const touched = d.touches.filter((t) => t <= now);
  const modified = Math.max(last.at, ...touched);
  const v = VENDOR_STEPS[last.kind];
  const { truth } = d;
  const record = {
    dossierId: d.dossierId,
    groupId: Number(GROUP_ID),
    dossierNo: truth.code,
    referenceUid: `sandbox-${d.dossierId}`,
    serviceCode: `${truth.procedure.code}.000.00.00.H56`,
    serviceName: truth.procedure.name,
    govAgencyCode: truth.agency.code,
    govAgencyName: truth.agency.name,
    domainCode: truth.procedure.sectorCode,
    domainName: truth.procedure.sectorName,
    applicantName: truth.applicant.name,
    applicantIdNo: truth.applicant.idNumber,
    contactTelNo: truth.applicant.phone,
    contactEmail: '',
    submitDate: normalDate(visible[0]?.at ?? null),
    receiveDate: normalDate(at('received')),
    dueDate: luceneDate(last.dueAt),
    finishDate: normalDate(at('finished')),
    releaseDate: normalDate(at('result_returned')),
    createDate: normalDate(visible[0]?.at ?? null),
    modifiedDate: normalDate(modified),
    dossierStatus: v.status,
    dossierStatusText: v.statusText,
    dossierSubStatus: v.subStatus,
    dossierSubStatusText: '',
    stepCode: v.stepCode,
    stepName: v.stepName,
    lastActionDate: normalDate(last.at),
    lastActionName: last.action,
    lastActionUser: last.user,
    online: String(truth.channel === 2),
    viaPostal: 0,
  };
  return { record, modifiedMs: modified };
}

/** The dossier's actions at `now`, as OpenCPS writes DossierAction members (dates as epoch ms). */
export function actionsAt(d: VendorDossier, now: number): Record<string, unknown>[] {
  const visible = d.steps.filter((s) => s.at <= now);
  return visible.map((s, i) => {
    const v = VENDOR_STEPS[s.kind];
    const previous = i === 0 ? null : VENDOR_STEPS[visible[i - 1].kind];
    return {
      dossierActionId: d.dossierId * 100 + i + 1,
      dossierId: d.dossierId,
      previousActionId: i === 0 ? 0 : d.dossierId * 100 + i,
      fromStepCode: previous?.stepCode ?? '',
      fromStepName: previous?.stepName ?? '',
      stepCode: v.stepCode,
      stepName: v.stepName,
      sequenceRole: s.role,
      actionCode: `${s.kind}`,
      actionName: s.action,
      actionNote: s.note,
      actionUser: s.user,
      actionOverdue: 0,
      createDate: s.at,
      modifiedDate: s.at,
      dueDate: s.stepDeadline ?? 0,
      dossierStatus: v.status,
      dossierSubStatus: v.subStatus,
    };
  });
}
