import type { SimAgency, SimOfficer, SimProcedure } from './sim-catalogue';
import type { SimRandom } from './sim-random';
import { WORKING_DAY_SECONDS } from './working-clock';

export type LifecycleKind =
  | 'submitted'
  | 'refused'
  | 'received'
  | 'handover'
  | 'sent_back'
  | 'supplement_requested'
  | 'supplement_submitted'
  | 'supplement_completed'
  | 'payment_requested'
  | 'payment_completed'
  | 'extended'
  | 'withdrawn'
  | 'stopped'
  | 'finished'
  | 'result_returned';

/** `TrangThaiHoSo` values a dossier may move to from each state (DOMAIN §3.1, §3.3); 0 = not yet known. */
export const VALID_STATUS_TRANSITIONS: Readonly<Record<number, readonly number[]>> = {
  0: [1, 2, 3],
  1: [2, 3],
  2: [4, 7],
  4: [4, 5, 6, 7, 8, 9],
  5: [5, 4, 7],
  6: [4, 7],
  9: [10],
  3: [],
  7: [],
  8: [],
  10: [],
};

export interface Actor {
  name: string;
  title: string | null;
  unit: string | null;
  roleCode: string | null;
}

export interface Applicant {
  name: string;
  kind: 'citizen' | 'business';
  idNumber: string;
  phone: string;
}

/** Dossier dates as working seconds (see WorkingClock); null when not (yet) set. */
export interface LifecycleDates {
  submittedAt: number | null;
  receivedAt: number | null;
  dueAt: number | null;
  previousDueAt: number | null;
  supplementRequestedAt: number | null;
  supplementReceivedAt: number | null;
  processingEndedAt: number | null;
  returnedAt: number | null;
  rejectedAt: number | null;
}

export interface LifecycleStep {
  kind: LifecycleKind;
  /** The true `TrangThaiHoSo` after this step. */
  status: number;
  at: number;
  action: string;
  note: string;
  actor: Actor;
  from: Actor | null;
  to: Actor | null;
  /** Deadline of the step this handover starts, in working seconds. */
  stepDeadline: number | null;
  /** Dossier dates after this step. */
  dates: LifecycleDates;
}

export interface PlannedDossier {
  index: number;
  agency: SimAgency;
  procedure: SimProcedure;
  channel: 1 | 2;
  applicant: Applicant;
  /** False for the few dossiers a sender keeps without a due date (Thanh Hóa then sends `NgayHenTra: null`). */
  hasDueDate: boolean;
  steps: LifecycleStep[];
}

type Draft = Omit<LifecycleStep, 'at' | 'stepDeadline' | 'dates'> & {
  stepShare?: number;
  extendDays?: number;
};

function asActor(officer: SimOfficer): Actor {
  return { name: officer.name, title: officer.title, unit: officer.unit, roleCode: officer.roleCode };
}

function applicantActor(applicant: Applicant): Actor {
  return { name: applicant.name, title: null, unit: null, roleCode: null };
}

/** What happens to one dossier, in order, before any time is attached. */
function draftSteps(
  rng: SimRandom,
  agency: SimAgency,
  procedure: SimProcedure,
  applicant: Applicant,
  online: boolean,
  hasDueDate: boolean,
): Draft[] {
  const counter = asActor(rng.pick(agency.counter));
  const specialist = asActor(rng.pick(agency.specialists));
  const head = asActor(rng.pick(agency.heads));
  const leader = asActor(rng.pick(agency.leaders));
  const citizen = applicantActor(applicant);
  const step = (
    kind: LifecycleKind,
    status: number,
    actor: Actor,
    action: string,
    note = '',
    extra: Partial<Draft> = {},
  ): Draft => ({
    kind,
    status,
    actor,
    action,
    note,
    from: null,
    to: null,
    ...extra,
  });
  const handover = (from: Actor, to: Actor, action: string, stepShare: number, note = ''): Draft =>
    step('handover', 4, from, action, note, { from, to, stepShare });

  const steps: Draft[] = [];
  if (online) {
    steps.push(step('submitted', 1, citizen, 'Nộp hồ sơ trực tuyến'));
  }
  if (rng.chance(online ? 0.1 : 0.04)) {
    steps.push(
      step('refused', 3, counter, 'Từ chối tiếp nhận hồ sơ', 'Hồ sơ không đúng thành phần theo quy định'),
    );
    return steps;
  }
  steps.push(
    step('received', 2, counter, 'Tiếp nhận hồ sơ', 'Hồ sơ đầy đủ, hợp lệ', { to: counter, stepShare: 0.1 }),
  );
  steps.push(handover(counter, specialist, 'Chuyển xử lý', 0.5, 'Chuyển phòng chuyên môn thẩm định'));

  if (rng.chance(0.15)) {
    steps.push(
      step(
        'supplement_requested',
        5,
        specialist,
        'Yêu cầu bổ sung hồ sơ',
        'Đề nghị bổ sung bản sao giấy tờ tùy thân',
      ),
    );
    if (rng.chance(0.15)) {
      steps.push(step('withdrawn', 7, citizen, 'Công dân rút hồ sơ', 'Không bổ sung được giấy tờ'));
      return steps;
    }
    steps.push(step('supplement_submitted', 5, citizen, 'Công dân gửi bổ sung hồ sơ'));
    steps.push(step('supplement_completed', 4, counter, 'Hoàn thành bổ sung hồ sơ', '', { to: specialist }));
  }
  if (rng.chance(0.03)) {
    steps.push(step('withdrawn', 7, citizen, 'Công dân rút hồ sơ', 'Công dân có đơn xin rút hồ sơ'));
    return steps;
  }
  if (rng.chance(0.03)) {
    steps.push(step('stopped', 8, specialist, 'Dừng xử lý hồ sơ', 'Hồ sơ không đủ điều kiện giải quyết'));
    return steps;
  }
  if (rng.chance(procedure.fee > 0 ? 0.5 : 0.05)) {
    steps.push(
      step(
        'payment_requested',
        6,
        specialist,
        'Yêu cầu thực hiện nghĩa vụ tài chính',
        'Nộp phí, lệ phí theo quy định',
      ),
    );
    steps.push(step('payment_completed', 4, citizen, 'Hoàn thành nghĩa vụ tài chính'));
  }
  steps.push(handover(specialist, head, 'Trình lãnh đạo phòng', 0.2));
  if (rng.chance(0.1)) {
    steps.push(
      step('sent_back', 4, head, 'Trả lại bước trước', 'Đề nghị rà soát lại nội dung thẩm định', {
        from: head,
        to: specialist,
        stepShare: 0.1,
      }),
    );
    steps.push(handover(specialist, head, 'Trình lãnh đạo phòng', 0.1, 'Đã rà soát lại'));
  }
  if (hasDueDate && rng.chance(0.08)) {
    steps.push(
      step('extended', 4, head, 'Gia hạn thời gian xử lý', 'Cần xác minh thêm thông tin', {
        extendDays: rng.int(1, 3),
      }),
    );
  }
  const signer = procedure.allowanceDays > 1 || rng.chance(0.5) ? leader : head;
  if (signer === leader) {
    steps.push(handover(head, leader, 'Trình lãnh đạo ký duyệt', 0.2));
  }
  steps.push(
    step('finished', 9, signer, 'Hoàn thành xử lý, chuyển kết quả về bộ phận một cửa', '', {
      from: signer,
      to: counter,
    }),
  );
  if (rng.chance(0.8)) {
    steps.push(step('result_returned', 10, counter, 'Trả kết quả cho công dân', 'Đã trả kết quả trực tiếp'));
  }
  return steps;
}

/** Attaches times (sorted working seconds from `start` to `end`) and derives the dossier dates. */
function timeSteps(
  drafts: Draft[],
  times: number[],
  procedure: SimProcedure,
  hasDueDate: boolean,
): LifecycleStep[] {
  const allowance = procedure.allowanceDays * WORKING_DAY_SECONDS;
  let dates: LifecycleDates = {
    submittedAt: null,
    receivedAt: null,
    dueAt: null,
    previousDueAt: null,
    supplementRequestedAt: null,
    supplementReceivedAt: null,
    processingEndedAt: null,
    returnedAt: null,
    rejectedAt: null,
  };
  return drafts.map(({ stepShare, extendDays, ...draft }, i) => {
    const at = times[i];
    const next = { ...dates };
    switch (draft.kind) {
      case 'submitted':
        next.submittedAt = at;
        break;
      case 'received':
        next.submittedAt ??= at;
        next.receivedAt = at;
        next.dueAt = hasDueDate ? at + allowance : null;
        break;
      case 'refused':
        next.submittedAt ??= at;
        next.rejectedAt = at;
        break;
      case 'supplement_requested':
        next.supplementRequestedAt = at;
        break;
      case 'supplement_completed':
        next.supplementReceivedAt = at;
        // Thanh Hóa moves the due date by the length of the pause (DOMAIN §7.3).
        if (next.dueAt !== null && next.supplementRequestedAt !== null) {
          next.dueAt += at - next.supplementRequestedAt;
        }
        break;
      case 'extended':
        if (next.dueAt !== null) {
          next.previousDueAt = next.dueAt;
          next.dueAt += (extendDays ?? 1) * WORKING_DAY_SECONDS;
        }
        break;
      case 'finished':
        next.processingEndedAt = at;
        break;
      case 'result_returned':
        next.returnedAt = at;
        break;
      case 'handover':
      case 'sent_back':
      case 'supplement_submitted':
      case 'payment_requested':
      case 'payment_completed':
      case 'withdrawn':
      case 'stopped':
        break;
    }
    dates = next;
    const stepDeadline = stepShare === undefined ? null : at + Math.max(1, Math.round(stepShare * allowance));
    return { ...draft, at, stepDeadline, dates };
  });
}

/**
 * One dossier's life from receipt to its last step, all within `spanDays` working days of the first
 * day: the day simulator compresses waits (a supplement may come back within the hour) so that a
 * day of traffic holds whole lifecycles.
 */
export function planDossier(
  rng: SimRandom,
  index: number,
  agency: SimAgency,
  procedure: SimProcedure,
  applicant: Applicant,
  spanDays: number,
): PlannedDossier {
  const online = rng.chance(0.4);
  const hasDueDate = !rng.chance(0.05);
  const drafts = draftSteps(rng, agency, procedure, applicant, online, hasDueDate);
  const end = spanDays * WORKING_DAY_SECONDS - 1;
  const start = rng.int(60, WORKING_DAY_SECONDS - 15 * 60);
  const times = [start, ...rng.distinctSorted(drafts.length - 1, start + 1, end)];
  return {
    index,
    agency,
    procedure,
    channel: online ? 2 : 1,
    applicant,
    hasDueDate,
    steps: timeSteps(drafts, times, procedure, hasDueDate),
  };
}
