import type {
  DossierDates,
  DossierState,
  Handover,
  Milestone,
  PersonRef,
  StatusRef,
  UnitRef,
} from '@isohub/events';
import { allowsApplicantField, applicantNameKey } from './applicant';
import { buildEvents, type PendingEvent } from './dossier-event.builder';
import { blankState, sameInstant, statusRef } from './dossier-state';
import { handoverEventId, milestoneEventId } from './event-id';
import { addToTrail, holderBefore, statusBefore, type Holder, type TrailEntry } from './handover-trail';
import type { MapOptions, MapResult, MappingContext } from './mapping.contract';
import {
  isApplicantActionText,
  isSyntheticProgressRow,
  matchProgressRowRule,
  PROFILE_BEHAVIOUR,
  type RowEffect,
} from './profile-rules';
import { DEFINING_DATE, isPastReception, milestoneForTransition, receptionSeen } from './status-transition';
import { isPlainObject, nfc } from './text';
import { compareInstants, toVietnamIso } from './vn-date';
import { pointer, WireReader, type WireStatus } from './wire-fields';

/** Options of every mapper; kept under this name for callers of the progress row mapper. */
export type ProgressRowOptions = MapOptions;

/**
 * What the event id reads instead of the actor's name on a row whose actor is the applicant, so that `ce_id`
 * is not a checkable hash of the applicant's name (every other part of it is in the event).
 */
const APPLICANT_ID_PART = 'role:applicant';

/** Dates a row's milestone sets: reception-like dates only fill gaps (the snapshot's own are better). */
const ROW_DATE: Readonly<Partial<Record<Milestone, { key: keyof DossierDates; mode: 'fill' | 'override' }>>> =
  {
    DOSSIER_SUBMITTED: { key: 'submittedAt', mode: 'fill' },
    DOSSIER_RECEIVED: { key: 'receivedAt', mode: 'fill' },
    DOSSIER_REJECTED_AT_INTAKE: { key: 'rejectedAt', mode: 'fill' },
    RESULT_READY: { key: 'processingEndedAt', mode: 'fill' },
    RESULT_RETURNED: { key: 'returnedAt', mode: 'fill' },
    SUPPLEMENT_REQUESTED: { key: 'supplementRequestedAt', mode: 'override' },
    SUPPLEMENT_RECEIVED: { key: 'supplementReceivedAt', mode: 'override' },
  };

/**
 * The milestone a row reporting national status `to` is, read without the status before it (a row that
 * arrived after newer ones): the status names it, 4 is a handover.
 */
const MILESTONE_OF_STATUS: Readonly<Record<number, Milestone>> = {
  1: 'DOSSIER_SUBMITTED',
  2: 'DOSSIER_RECEIVED',
  3: 'DOSSIER_REJECTED_AT_INTAKE',
  4: 'STEP_HANDOVER',
  5: 'SUPPLEMENT_REQUESTED',
  6: 'PAYMENT_REQUESTED',
  7: 'WITHDRAWAL_REQUESTED',
  8: 'PROCESSING_STOPPED',
  9: 'RESULT_READY',
  10: 'RESULT_RETURNED',
};

/**
 * Maps one CapNhatTienDoHoSoMC row (one control-sheet line, DOMAIN.md §4.3, §6.2) into ONE event: the
 * milestone the row is (receipt, refusal, supplement, payment, withdrawal, stop, result), carrying the row's
 * handover, or a STEP_HANDOVER when it is no other milestone. A sender's synthetic rows (DOMAIN.md §4.9)
 * yield nothing.
 */
export function mapProgressRow(
  row: unknown,
  prev: DossierState | null,
  ctx: MappingContext,
  options: ProgressRowOptions = {},
): MapResult {
  if (!isPlainObject(row)) {
    return {
      ok: false,
      dossierCode: null,
      errors: [{ field: '', code: 'type', message: 'A CapNhatTienDoHoSoMC row must be a JSON object' }],
    };
  }
  const r = new WireReader(nfc(row), ctx);
  const code = r.dossierCode();
  const rowTime = r.date('ThoiDiemXuLy');
  const wireStatus = r.status('TrangThai');
  const stepStartedAt = r.date('NgayBatDau');
  const stepDeadline = r.date('NgayKetThucTheoQuyDinh');
  const officer = r.text('NguoiXuLy');
  const title = r.text('ChucDanh');
  const department = r.text('PhongBanXuLy');
  const text = r.text('NoiDungXuLy');
  const synthetic = isSyntheticProgressRow(ctx.profile, {
    officer,
    text,
    wireStatus: wireStatus.national,
    hasDetails: title !== null || department !== null || stepStartedAt !== null || stepDeadline !== null,
  });
  if (rowTime === null && !synthetic && r.errors.every((e) => e.field !== pointer('ThoiDiemXuLy'))) {
    r.errors.push({ field: pointer('ThoiDiemXuLy'), code: 'required', message: 'ThoiDiemXuLy is required' });
  }
  if (r.errors.length > 0 || code === null) {
    return { ok: false, dossierCode: code, errors: r.errors };
  }
  if (synthetic || rowTime === null) {
    // A sender artefact (DOMAIN.md §4.9): accepted, recorded nowhere.
    return { ok: true, dossierCode: code, events: [], state: prev ?? blankState(code, ctx) };
  }
  const reads = PROFILE_BEHAVIOUR[ctx.profile].progressText;
  return mapProgressFacts(
    {
      dossierCode: code,
      codeField: 'MaHoSo',
      handedOverAt: rowTime,
      status: wireStatus,
      stepStartedAt,
      stepDeadline,
      officer,
      title,
      unitTo: department === null ? null : { code: null, name: department },
      stepTo: null,
      applicantNameField: 'ChuHoSo',
      text,
      action: reads === 'note' ? null : text,
      note: reads === 'action' ? null : text,
    },
    prev,
    ctx,
    options,
  );
}

/** One validated control-sheet line, whatever wire it came from (portal progress row, LGSP trace). */
export interface ProgressFacts {
  dossierCode: string;
  /** Wire name of the dossier code, for the error when the row belongs to another dossier. */
  codeField: string;
  handedOverAt: string;
  status: WireStatus;
  stepStartedAt: string | null;
  stepDeadline: string | null;
  officer: string | null;
  title: string | null;
  unitTo: UnitRef | null;
  /** The step the dossier went to, when the wire names one (neither DVCQG nor LGSP rows do). */
  stepTo: string | null;
  /** The wire field of the applicant's name in this protocol, as `ctx.applicantFields` names it. */
  applicantNameField: 'ChuHoSo' | 'CitizenName';
  /** The row's text as sent: matched against the profile's row rules. */
  text: string | null;
  /**
   * The wire never carries a national status on this kind of row (LGSP traces: OpenCPS writes 0), so a row
   * at the very instant of a milestone isohub already dated is that milestone. A portal row with a blank
   * status (an unmapped vendor status) is not read this way: it stays a handover.
   */
  statusless?: boolean;
  action: string | null;
  note: string | null;
}

/** What one row means, read against the state and trail before it. */
interface RowMeaning {
  milestone: Milestone;
  /** National status true right after the row (null: unknown). */
  after: number | null;
  /** National status true right before the row (null: unknown). */
  before: number | null;
  /** The row is newer than the status isohub holds, so it may move it. */
  current: boolean;
}

/**
 * The wire-independent half of a progress row (portal row, LGSP trace): ONE event, the row's milestone or
 * a STEP_HANDOVER, with both sides of the handover. Same id for the same action from any channel.
 */
export function mapProgressFacts(
  facts: ProgressFacts,
  prev: DossierState | null,
  ctx: MappingContext,
  options: ProgressRowOptions = {},
): MapResult {
  const { dossierCode: code, handedOverAt: at, status: wireStatus, text } = facts;
  if (prev !== null && prev.dossierCode !== code) {
    const message = `${facts.codeField} ${code} does not match the state given (${prev.dossierCode})`;
    return {
      ok: false,
      dossierCode: code,
      errors: [{ field: pointer(facts.codeField), code: 'format', message }],
    };
  }

  const base = prev ?? blankState(code, ctx);
  const trail = options.trail ?? [];
  const rule = matchProgressRowRule({
    profile: ctx.profile,
    text,
    wireStatus: wireStatus.national,
    handedOverAt: at,
    receivedAt: base.dates.receivedAt,
  });
  if (rule?.effect.kind === 'artefact') {
    return { ok: true, dossierCode: code, events: [], state: base };
  }
  const meaning = readRow(facts, rule?.effect, base, trail);

  const pending: PendingEvent[] = [];
  const dates: DossierDates = { ...base.dates };
  let status: StatusRef = base.status;
  let statusAt = base.statusAt;
  let supplementRequests = base.supplementRequests;
  let before = meaning.before;
  const receivedAt = base.dates.receivedAt;
  if (
    meaning.current &&
    meaning.after !== null &&
    isPastReception(meaning.after) &&
    !receptionSeen(base.status.national) &&
    receivedAt !== null &&
    compareInstants(receivedAt, at) <= 0
  ) {
    // First sight of a dossier already past reception: replay the reception so consumers always see it.
    pending.push({
      milestone: 'DOSSIER_RECEIVED',
      occurredAt: receivedAt,
      timeSource: 'wire',
      id: milestoneEventId(code, 'DOSSIER_RECEIVED', receivedAt),
      status: statusRef(2, null),
      previousStatus: before,
      handover: null,
    });
    before = 2;
  }
  if (meaning.current && meaning.after !== null && meaning.after !== base.status.national) {
    status = statusRef(meaning.after, wireStatus.raw);
    statusAt = at;
  } else if (meaning.current && wireStatus.raw !== null) {
    // Same status, or a status a profile rule discards: keep the national one, record the sender's verbatim.
    status = statusRef(base.status.national, wireStatus.raw);
  }
  const effect = ROW_DATE[meaning.milestone];
  if (effect && (dates[effect.key] === null || (effect.mode === 'override' && meaning.current))) {
    if (meaning.milestone === 'SUPPLEMENT_REQUESTED' && !sameInstant(dates.supplementRequestedAt, at)) {
      supplementRequests += 1;
    }
    dates[effect.key] = at;
  }

  const actors = applicantActors(facts, ctx, options.applicantName ?? null);
  const from = holderBefore(trail, at);
  const handover: Handover = {
    stepFrom: from?.step ?? null,
    stepTo: facts.stepTo,
    unitFrom: from?.unit ?? null,
    unitTo: facts.unitTo,
    userFrom: from === null ? null : actors.previous(from.user),
    userTo: actors.current,
    handedOverAt: at,
    stepStartedAt: facts.stepStartedAt,
    stepDeadline: facts.stepDeadline,
    action: facts.action,
    note: facts.note,
  };
  // Only the text decides the marker, so the id does not depend on whether the caller knew the name.
  const actorPart = actors.byText && facts.officer !== null ? APPLICANT_ID_PART : facts.officer;
  pending.push({
    milestone: meaning.milestone,
    occurredAt: at,
    timeSource: 'wire',
    id:
      meaning.milestone === 'STEP_HANDOVER'
        ? handoverEventId(code, at, actorPart)
        : milestoneEventId(code, meaning.milestone, at),
    status: meaning.current ? status : statusRef(meaning.after, wireStatus.raw),
    previousStatus: before,
    handover,
  });

  // The applicant acting (an upload, a withdrawal) does not take the dossier over from the officer.
  const holder: Holder | undefined = actors.isApplicant
    ? undefined
    : { unit: facts.unitTo, user: actors.current, step: facts.stepTo };
  const nextTrail = addToTrail(trail, { at, national: meaning.after, ...(holder ? { holder } : {}) });

  const state: DossierState = {
    ...base,
    status,
    statusAt,
    dates,
    supplementRequests,
    source: ctx.source,
    updatedAt: toVietnamIso(ctx.receivedAt),
  };
  const events = buildEvents(pending, state, ctx);
  return {
    ok: true,
    dossierCode: code,
    events,
    state: { ...state, lastEventId: events.at(-1)?.id ?? base.lastEventId },
    trail: nextTrail,
  };
}

/**
 * Which milestone a row is (DOMAIN.md §3.3, §4.7, §4.9). Every row repeats the dossier's status, so the
 * milestone is read from the transition: a row newer than the held status against it; a row that arrived
 * after newer ones against the status the trail says was true at its time. A row that only repeats a
 * milestone isohub already dated at the same instant (from a snapshot or the other channel) is that
 * milestone again, so it gets the same id; a row without a status is a handover unless it is such a repeat.
 */
function readRow(
  facts: ProgressFacts,
  effect: RowEffect | undefined,
  base: DossierState,
  trail: readonly TrailEntry[],
): RowMeaning {
  const at = facts.handedOverAt;
  // "At or before": a row at the very second the held status was set cannot override it.
  const current = base.statusAt === null || compareInstants(at, base.statusAt) > 0;
  const before = current ? base.status.national : statusBefore(trail, at);
  if (effect?.kind === 'milestone') {
    return { milestone: effect.milestone, after: effect.national, before, current };
  }
  const after =
    effect?.kind === 'ignore-status'
      ? before
      : effect?.kind === 'status'
        ? effect.national
        : facts.status.national;
  const repeat = after === null && facts.statusless !== true ? null : repeatedMilestone(base.dates, at);
  if (after === null || (after === before && effect?.kind !== 'ignore-status')) {
    if (repeat !== null) {
      return { milestone: repeat, after: after ?? statusOf(repeat), before, current };
    }
    return { milestone: 'STEP_HANDOVER', after, before, current };
  }
  if (effect?.kind === 'ignore-status') {
    return { milestone: 'STEP_HANDOVER', after, before, current };
  }
  const milestone =
    before === null ? MILESTONE_OF_STATUS[after] : (milestoneForTransition(before, after) ?? 'STEP_HANDOVER');
  // A status that changes to 4 with no other meaning (2 -> 4) is the handover itself.
  const named = milestone === 'STATUS_CHANGED' && after === 4 ? 'STEP_HANDOVER' : milestone;
  // A once-only milestone the snapshot dated at another instant: this row only repeats the status.
  const key = DEFINING_DATE[named];
  if (!current && key && base.dates[key] !== null && !sameInstant(base.dates[key], at)) {
    return { milestone: 'STEP_HANDOVER', after, before, current };
  }
  return { milestone: named, after, before, current };
}

/** The milestone isohub already dated at exactly `at`, if any (its defining date in the state). */
function repeatedMilestone(dates: DossierDates, at: string): Milestone | null {
  for (const [milestone, key] of Object.entries(DEFINING_DATE) as [Milestone, keyof DossierDates][]) {
    if (sameInstant(dates[key], at)) {
      return milestone;
    }
  }
  return null;
}

function statusOf(milestone: Milestone): number | null {
  const found = Object.entries(MILESTONE_OF_STATUS).find(([, m]) => m === milestone);
  return found ? Number(found[0]) : null;
}

/**
 * Who acted on the row, and who held the dossier before it, with the applicant never named unless
 * configuration allows applicant names (DOMAIN.md §10): the sender's "officer" on an applicant action
 * (a withdrawal, a supplement, an online submission) is the citizen or business itself.
 */
function applicantActors(
  facts: ProgressFacts,
  ctx: MappingContext,
  applicantName: string | null,
): {
  byText: boolean;
  isApplicant: boolean;
  current: PersonRef | null;
  previous: (holder: PersonRef | null) => PersonRef | null;
} {
  const key = applicantName === null ? null : applicantNameKey(applicantName);
  const isApplicantName = (name: string | null): boolean =>
    key !== null && key !== '' && name !== null && applicantNameKey(name) === key;
  const namesAllowed = allowsApplicantField(ctx.applicantFields, facts.applicantNameField);
  const applicant = (name: string | null, title: string | null): PersonRef =>
    namesAllowed
      ? { id: null, name, title, role: 'applicant' }
      : { id: null, name: null, title: null, role: 'applicant' };
  const byText = isApplicantActionText(ctx.profile, facts.text);
  const isApplicant = byText || isApplicantName(facts.officer);
  const current = isApplicant
    ? applicant(facts.officer, facts.title)
    : facts.officer === null && facts.title === null
      ? null
      : { id: null, name: facts.officer, title: facts.title };
  const previous = (holder: PersonRef | null): PersonRef | null =>
    holder !== null && (holder.role === 'applicant' || isApplicantName(holder.name))
      ? applicant(holder.name, holder.title)
      : holder;
  return { byText, isApplicant, current, previous };
}
