/**
 * ISO time on the ingest path (issue 11 §2–3), pure: for each new canonical event of a dossier, the step
 * instance a handover closes (with its verdict) and the one it opens (allowance, start, deadline and its
 * source), and the QĐ 766 verdict when the dossier ends. The caller loads and saves the rows in the ingest
 * transaction and attaches the returned timing to the event.
 */
import type { CanonicalEvent, Channel, HandoverTiming, Milestone, StepTiming } from '@isohub/events';
import {
  foldStepName,
  type DossierTiming,
  type IsoProcess,
  type IsoProcessStep,
  type StatutoryTimes,
  type StepMatchRule,
} from '@isohub/persistence';
import {
  dossierVerdict,
  stepDeadline,
  stepVerdict,
  type DossierVerdict,
  type DossierVerdictOptions,
  type OutcomeRule,
  type WorkingCalendar,
} from '@isohub/timing';

/** The ISO process a dossier runs on and the published version it was read from. */
export interface ProcessInForce {
  key: string;
  version: string;
  process: IsoProcess;
}

export interface TimingSettings {
  rule: OutcomeRule;
  verdict: DossierVerdictOptions;
}

export interface PlanInput {
  event: CanonicalEvent;
  dossier: DossierTiming;
  /** The instance open before this event, if any. */
  open: StepTiming | null;
  process: ProcessInForce | null;
  /** The source's step match rules. */
  rules: readonly StepMatchRule[];
  calendar: WorkingCalendar;
  settings: TimingSettings;
}

/** What the event does to the dossier's deadline timers (applied in the same transaction). */
export type TimerOp =
  | {
      op: 'arm';
      kind: 'step' | 'dossier';
      instance: number;
      dueAt: Date;
      warnAt: Date | null;
      payload: TimerPayload;
    }
  /** The step or dossier ended: an armed timer is cancelled; a fired one is retracted when it ended in time. */
  | { op: 'close'; kind: 'step' | 'dossier'; instance: number; endedAt: Date; inTime: boolean }
  /** Waiting for a supplement: the dossier's clock is paused. */
  | { op: 'pause'; kind: 'dossier'; instance: 0 };

export interface TimerPayload {
  step: string | null;
  deadlineSource: string;
  processVersion: string | null;
  calendarVersion: string | null;
  startedAt: string | null;
  allowanceHours: number | null;
  /** The agency whose calendar the deadline was computed on (to re-derive it when a calendar is republished). */
  agency: string | null;
}

export interface PlanResult {
  /** Deadline timer changes, in order. */
  timers: TimerOp[];
  dossier: DossierTiming;
  /** Instances to upsert (the closed one, then the opened one). */
  steps: StepTiming[];
  /** Attach to the event's `data.timing`; null when the event changes no step. */
  timing: HandoverTiming | null;
  /** The sender's step name when an ISO process applies but none of its steps matched. */
  unmatchedStep: string | null;
  /** The QĐ 766 verdict when this event ended the dossier. */
  verdict: DossierVerdict | null;
}

/** National statuses that end a dossier (DOMAIN brief §8.2). */
const ENDING_STATUSES = new Set([3, 7, 8, 9, 10]);
/** Milestones after which no step is open any more. */
const CLOSING_MILESTONES = new Set<Milestone>([
  'RESULT_RETURNED',
  'PROCESSING_STOPPED',
  'WITHDRAWAL_REQUESTED',
  'DOSSIER_REJECTED_AT_INTAKE',
]);
/** Milestones whose handover opens no step of their own: before reception, or reception (its first step opens). */
const NON_OPENING_MILESTONES = new Set<Milestone>(['DOSSIER_SUBMITTED', 'DOSSIER_RECEIVED']);
const CHANNEL_KEY: Record<Channel, keyof StatutoryTimes> = {
  in_person: 'inPerson',
  online: 'online',
  postal: 'postal',
};

const VN_OFFSET_MS = 7 * 60 * 60_000;
/** An instant in the Vietnam offset, as every event instant is written (`2026-03-02T08:00:00+07:00`). */
export function vnInstant(at: Date): string {
  return `${new Date(at.getTime() + VN_OFFSET_MS).toISOString().slice(0, 19)}+07:00`;
}
const hours = (minutes: number): number => Math.round((minutes / 60) * 100) / 100;

/** The step's allowance for the dossier's channel, falling back to the step's single allowance. */
export function allowanceFor(step: IsoProcessStep, channel: Channel | null): number {
  const byChannel = channel ? step.channelAllowanceHours?.[CHANNEL_KEY[channel]] : undefined;
  return byChannel ?? step.allowanceHours;
}

/**
 * The ISO step a sender's step is: a rule for this procedure, then a rule for every procedure (`*`), then a
 * step whose code or name reads the same once folded.
 */
export function matchStep(
  senderStep: string,
  process: IsoProcess,
  rules: readonly StepMatchRule[],
): IsoProcessStep | null {
  const folded = foldStepName(senderStep);
  const rule =
    rules.find((r) => r.procedureCode === process.procedureCode && r.senderStep === folded) ??
    rules.find((r) => r.procedureCode === '*' && r.senderStep === folded);
  if (rule) {
    return process.steps.find((s) => s.stepNo === rule.isoStepNo) ?? null;
  }
  return (
    process.steps.find((s) => s.code !== null && foldStepName(s.code) === folded) ??
    process.steps.find((s) => foldStepName(s.name) === folded) ??
    null
  );
}

export function planTiming(input: PlanInput): PlanResult {
  const { event, calendar, settings } = input;
  const data = event.data;
  const occurredAt = new Date(data.occurredAt);
  const history = {
    statuses: [...(input.dossier.history.statuses ?? [])],
    supplements: [...(input.dossier.history.supplements ?? [])],
    originalDueAt: input.dossier.history.originalDueAt ?? null,
    extensions: input.dossier.history.extensions ?? 0,
  };
  const national = data.status.national;
  if (national !== null && national !== data.previousStatus) {
    history.statuses.push({ status: national, at: data.occurredAt });
  }
  if (data.milestone === 'SUPPLEMENT_REQUESTED') {
    history.supplements.push({
      requestedAt: data.dates.supplementRequestedAt ?? data.occurredAt,
      completedAt: null,
    });
  }
  if (data.milestone === 'SUPPLEMENT_RECEIVED') {
    const open = history.supplements.findLast((s) => s.completedAt === null);
    if (open) {
      open.completedAt = data.dates.supplementReceivedAt ?? data.occurredAt;
    }
  }
  if (data.milestone === 'DEADLINE_EXTENDED') {
    history.extensions += 1;
    history.originalDueAt ??= data.dates.previousDueAt;
  }
  const dossier: DossierTiming = {
    ...input.dossier,
    processKey: input.dossier.processKey ?? input.process?.key ?? null,
    processVersion: input.dossier.processVersion ?? input.process?.version ?? null,
    channel: data.channel ?? input.dossier.channel,
    receivedAt: data.dates.receivedAt ? new Date(data.dates.receivedAt) : input.dossier.receivedAt,
    history,
  };

  const steps: StepTiming[] = [];
  const timers: TimerOp[] = [];
  let closed: StepTiming | null = null;
  let opened: StepTiming | null = null;
  let unmatchedStep: string | null = null;
  // One event per real action: a milestone row (supplement, payment, result ready…) carries its handover
  // too, and closes the open step at the handover's time like a plain handover does. It opens the next
  // step unless nothing follows it (a closing milestone) or the process's own first step opens instead.
  const carried = data.handover ?? null;
  const handover =
    carried && !CLOSING_MILESTONES.has(data.milestone) && !NON_OPENING_MILESTONES.has(data.milestone)
      ? carried
      : null;
  const closesAt = carried
    ? new Date(carried.handedOverAt)
    : CLOSING_MILESTONES.has(data.milestone)
      ? occurredAt
      : null;

  if (closesAt && input.open && input.open.endedAt === null) {
    closed = closeStep(input.open, closesAt, calendar, settings.rule);
    steps.push(closed);
    timers.push({
      op: 'close',
      kind: 'step',
      instance: closed.instance,
      endedAt: closesAt,
      inTime: closed.deadline !== null && closesAt.getTime() <= new Date(closed.deadline).getTime(),
    });
    dossier.openInstance = null;
  }
  // Reception opens the process's first step (Tiếp nhận), from the time the clock starts.
  const first =
    data.milestone === 'DOSSIER_RECEIVED' && !input.open ? input.process?.process.steps[0] : undefined;
  const opening = handover
    ? { start: new Date(handover.handedOverAt), senderStep: handover.stepTo ?? handover.unitTo?.name ?? null }
    : first
      ? { start: dossier.receivedAt ?? occurredAt, senderStep: null }
      : null;
  if (opening) {
    const { start, senderStep } = opening;
    const iso =
      first ??
      (senderStep && input.process ? matchStep(senderStep, input.process.process, input.rules) : null);
    if (senderStep && input.process && !iso) {
      unmatchedStep = senderStep;
    }
    const instance = dossier.lastInstance + 1;
    const base = {
      dossierCode: data.dossierCode,
      instance,
      step: senderStep ?? iso?.name ?? null,
      isoStep: iso ? { stepNo: iso.stepNo, code: iso.code, name: iso.name } : null,
      startedAt: vnInstant(start),
      senderDeadline: handover?.stepDeadline ?? null,
      processVersion: dossier.processVersion,
      endedAt: null,
      elapsedWorkingHours: null,
      outcome: null,
      outcomeRule: null,
    };
    if (iso) {
      const allowanceHours = allowanceFor(iso, dossier.channel as Channel | null);
      const due = stepDeadline({ allowanceHours, start, calendar });
      opened = {
        ...base,
        allowanceHours,
        deadline: vnInstant(due.deadline),
        deadlineSource: 'iso_process',
        calendarVersion: due.calendarVersion,
        calendarStatus: due.calendarStatus,
      };
    } else {
      opened = {
        ...base,
        allowanceHours: null,
        deadline: base.senderDeadline,
        deadlineSource: base.senderDeadline ? 'sender' : 'none',
        calendarVersion: calendar.version,
        calendarStatus: calendar.statusOf(Number(base.startedAt.slice(0, 4))),
      };
    }
    steps.push(opened);
    if (opened.deadline) {
      const dueAt = new Date(opened.deadline);
      timers.push({
        op: 'arm',
        kind: 'step',
        instance,
        dueAt,
        warnAt: warningBefore(calendar, dueAt, start),
        payload: {
          step: opened.step,
          deadlineSource: opened.deadlineSource,
          processVersion: opened.processVersion,
          calendarVersion: opened.calendarVersion,
          startedAt: opened.startedAt,
          allowanceHours: opened.allowanceHours,
          agency: agencyOf(data),
        },
      });
    }
    dossier.lastInstance = instance;
    dossier.openInstance = instance;
  }

  let verdict: DossierVerdict | null = null;
  if (
    national !== null &&
    ENDING_STATUSES.has(national) &&
    national !== data.previousStatus &&
    dossier.receivedAt
  ) {
    const statutory = statutoryHours(input.process?.process.statutory, dossier.channel as Channel | null);
    verdict = dossierVerdict({
      receivedAt: dossier.receivedAt,
      dueAt: data.dates.dueAt ? new Date(data.dates.dueAt) : null,
      originalDueAt: history.originalDueAt ? new Date(history.originalDueAt) : null,
      extensionCount: history.extensions,
      statutoryHours: statutory,
      statuses: history.statuses.map((s) => ({ status: s.status, at: new Date(s.at) })),
      supplements: history.supplements.map((s) => ({
        requestedAt: new Date(s.requestedAt),
        completedAt: s.completedAt ? new Date(s.completedAt) : null,
      })),
      asOf: occurredAt,
      calendar,
      options: settings.verdict,
    });
    dossier.verdict = verdict;
    timers.push({
      op: 'close',
      kind: 'dossier',
      instance: 0,
      endedAt: verdict.end,
      inTime: verdict.outcome === 'on_time',
    });
  } else if (!dossier.verdict && dossier.receivedAt && data.dates.dueAt) {
    if (data.milestone === 'SUPPLEMENT_REQUESTED') {
      timers.push({ op: 'pause', kind: 'dossier', instance: 0 });
    } else if (national !== 5) {
      const dueAt = new Date(data.dates.dueAt);
      timers.push({
        op: 'arm',
        kind: 'dossier',
        instance: 0,
        dueAt,
        warnAt: warningBefore(calendar, dueAt, dossier.receivedAt),
        payload: {
          step: null,
          deadlineSource: 'sender',
          processVersion: dossier.processVersion,
          calendarVersion: calendar.version,
          startedAt: vnInstant(dossier.receivedAt),
          allowanceHours: null,
          agency: agencyOf(data),
        },
      });
    }
  }

  return {
    timers,
    dossier,
    steps,
    timing: closed || opened ? { opened, closed } : null,
    unmatchedStep,
    verdict,
  };
}

function closeStep(open: StepTiming, end: Date, calendar: WorkingCalendar, rule: OutcomeRule): StepTiming {
  const start = new Date(open.startedAt);
  if (open.deadlineSource === 'iso_process' && open.allowanceHours !== null) {
    const v = stepVerdict({ allowanceHours: open.allowanceHours, start, end, calendar, rule });
    return {
      ...open,
      endedAt: vnInstant(end),
      elapsedWorkingHours: hours(v.elapsedMinutes),
      outcome: v.outcome,
      outcomeRule: rule,
    };
  }
  const elapsed = Math.max(0, calendar.workingMinutesBetween(calendar.normaliseStart(start), end));
  // The sender's own deadline has no allowance to compare minutes with: the simple comparison is all there is.
  const outcome = open.deadline
    ? end.getTime() <= new Date(open.deadline).getTime()
      ? 'on_time'
      : 'late'
    : null;
  return {
    ...open,
    endedAt: vnInstant(end),
    elapsedWorkingHours: hours(elapsed),
    outcome,
    outcomeRule: outcome ? 'simple' : null,
  };
}

function statutoryHours(statutory: StatutoryTimes | undefined, channel: Channel | null): number | null {
  if (!statutory) {
    return null;
  }
  const time = (channel ? statutory[CHANNEL_KEY[channel]] : undefined) ?? statutory.inPerson;
  return time?.hours ?? null;
}

/**
 * The `deadline-approaching` instant: the same wall-clock time one working day before the deadline (the
 * apology letter is due no later than one day before it); none when that is not after the start.
 */
export function warningBefore(calendar: WorkingCalendar, dueAt: Date, start: Date): Date | null {
  const day = 24 * 60 * 60_000;
  let at = new Date(dueAt.getTime() - day);
  for (let i = 0; i < 31 && !calendar.isWorkingDay(vnInstant(at).slice(0, 10)); i += 1) {
    at = new Date(at.getTime() - day);
  }
  return at.getTime() > start.getTime() ? at : null;
}

/** The agency whose working calendar applies: the processing unit, else the receiving unit, else the sender's. */
export function agencyOf(data: CanonicalEvent['data']): string | null {
  return data.processingUnit?.code ?? data.receivingUnit?.code ?? data.source.agency ?? null;
}

/** A QCVN 102 agency code ends in its province code: `000.00.12.H56` -> `H56`. */
export function provinceOf(agency: string | null): string | null {
  return agency ? (/\.([A-Z]\d{2})$/.exec(agency)?.[1] ?? null) : null;
}
