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
import { blankState, statusRef } from './dossier-state';
import type { MapResult, MappingContext } from './mapping.contract';
import {
  isApplicantActionText,
  isSyntheticProgressRow,
  matchProgressRowRule,
  PROFILE_BEHAVIOUR,
} from './profile-rules';
import { isPastReception, milestoneForTransition, receptionSeen } from './status-transition';
import { isPlainObject, nfc } from './text';
import { compareInstants, toVietnamIso } from './vn-date';
import { pointer, WireReader, type WireStatus } from './wire-fields';

export interface ProgressRowOptions {
  /**
   * The dossier's latest STEP_HANDOVER as the caller stored it, if any. Its receiver becomes this row's
   * `unitFrom`/`userFrom` when this row is not older; the dossier state has no slot for the holder.
   */
  lastHandover?: Handover | null;
  /**
   * The dossier's applicant name (ChuHoSo / CitizenName) when the caller knows it from a store that is
   * never published (the state topic must not carry it). An actor with this name (NFC, case-insensitive,
   * whitespace collapsed) is the applicant, whatever the row's text says.
   */
  applicantName?: string | null;
}

/**
 * What the event id reads instead of the actor's name on a row whose text names an applicant action, so
 * that `ce_id` is not a checkable hash of the applicant's name (every other part of it is in the event).
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
 * Maps one CapNhatTienDoHoSoMC row (one control-sheet line, DOMAIN.md §4.3, §6.2) into a STEP_HANDOVER and,
 * when the row moves the national status forward in time, the status milestone before it.
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
  const synthetic = rowTime === null && isSyntheticProgressRow(ctx.profile, officer, text);
  // A synthetic row is dated at reception; before reception is known it records nothing at all.
  const handedOverAt = rowTime ?? (synthetic ? (prev?.dates.receivedAt ?? null) : null);
  if (rowTime === null && !synthetic && r.errors.every((e) => e.field !== pointer('ThoiDiemXuLy'))) {
    r.errors.push({ field: pointer('ThoiDiemXuLy'), code: 'required', message: 'ThoiDiemXuLy is required' });
  }
  if (r.errors.length > 0 || code === null) {
    return { ok: false, dossierCode: code, errors: r.errors };
  }
  if (handedOverAt === null) {
    return { ok: true, dossierCode: code, events: [], state: prev ?? blankState(code, ctx) };
  }
  const reads = PROFILE_BEHAVIOUR[ctx.profile].progressText;
  return mapProgressFacts(
    {
      dossierCode: code,
      codeField: 'MaHoSo',
      handedOverAt,
      status: wireStatus,
      stepStartedAt,
      stepDeadline,
      officer,
      title,
      unitTo: department === null ? null : { code: null, name: department },
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
  /** The wire field of the applicant's name in this protocol, as `ctx.applicantFields` names it. */
  applicantNameField: 'ChuHoSo' | 'CitizenName';
  /** The row's text as sent: matched against the profile's row rules and part of the event id. */
  text: string | null;
  action: string | null;
  note: string | null;
}

/**
 * The wire-independent half of a progress row (portal row, LGSP trace): a STEP_HANDOVER and, when the row
 * moves the national status forward in time, the status milestone before it. Same ids for the same change.
 */
export function mapProgressFacts(
  facts: ProgressFacts,
  prev: DossierState | null,
  ctx: MappingContext,
  options: ProgressRowOptions = {},
): MapResult {
  const { dossierCode: code, handedOverAt, status: wireStatus, text } = facts;
  if (prev !== null && prev.dossierCode !== code) {
    const message = `${facts.codeField} ${code} does not match the state given (${prev.dossierCode})`;
    return {
      ok: false,
      dossierCode: code,
      errors: [{ field: pointer(facts.codeField), code: 'format', message }],
    };
  }

  const base = prev ?? blankState(code, ctx);
  const system = ctx.source.system;
  const rule = matchProgressRowRule({
    profile: ctx.profile,
    text,
    wireStatus: wireStatus.national,
    handedOverAt,
    receivedAt: base.dates.receivedAt,
  });
  const next =
    rule?.effect.kind === 'ignore-status'
      ? null
      : rule?.effect.kind === 'status'
        ? rule.effect.national
        : wireStatus.national;
  const prevNational = base.status.national;
  // "At or before": a row at the very second the current status was set cannot override it (Thanh Hóa's
  // synthetic reception row repeats NgayTiepNhan on every run).
  const stale = base.statusAt !== null && compareInstants(handedOverAt, base.statusAt) <= 0;

  const pending: PendingEvent[] = [];
  const dates: DossierDates = { ...base.dates };
  let status: StatusRef = base.status;
  let statusAt = base.statusAt;
  let supplementRequests = base.supplementRequests;
  if (next !== null && next !== prevNational && !stale) {
    let from = prevNational;
    const receivedAt = base.dates.receivedAt;
    if (isPastReception(next) && !receptionSeen(prevNational) && receivedAt !== null) {
      pending.push({
        milestone: 'DOSSIER_RECEIVED',
        occurredAt: receivedAt,
        idParts: [system, code, 'DOSSIER_RECEIVED', receivedAt, 2],
        status: statusRef(2, wireStatus.raw),
        previousStatus: from,
        handover: null,
      });
      from = 2;
    }
    const milestone = milestoneForTransition(from, next) ?? 'STATUS_CHANGED';
    status = statusRef(next, wireStatus.raw);
    statusAt = handedOverAt;
    pending.push({
      milestone,
      occurredAt: handedOverAt,
      idParts: [system, code, milestone, handedOverAt, next],
      status,
      previousStatus: from,
      handover: null,
    });
    const effect = ROW_DATE[milestone];
    if (effect && (effect.mode === 'override' || dates[effect.key] === null)) {
      dates[effect.key] = handedOverAt;
    }
    if (milestone === 'SUPPLEMENT_REQUESTED') {
      supplementRequests += 1;
    }
  } else if (!stale && wireStatus.raw !== null) {
    // Same status, or a status a profile rule discards: keep the national one, record the sender's verbatim.
    status = statusRef(prevNational, wireStatus.raw);
  }

  const actors = applicantActors(facts, ctx, options.applicantName ?? null);
  const last = options.lastHandover ?? null;
  const holderKnown = last !== null && compareInstants(handedOverAt, last.handedOverAt) >= 0;
  const handover: Handover = {
    stepFrom: base.currentStep,
    stepTo: null,
    unitFrom: holderKnown ? last.unitTo : null,
    unitTo: facts.unitTo,
    userFrom: holderKnown ? actors.previous(last.userTo) : null,
    userTo: actors.current,
    handedOverAt,
    stepStartedAt: facts.stepStartedAt,
    stepDeadline: facts.stepDeadline,
    action: facts.action,
    note: facts.note,
  };
  pending.push({
    milestone: 'STEP_HANDOVER',
    occurredAt: handedOverAt,
    idParts: [
      system,
      code,
      'handover',
      handedOverAt,
      actors.byText && facts.officer !== null ? APPLICANT_ID_PART : facts.officer,
      facts.unitTo?.name ?? null,
      wireStatus.raw,
      text,
    ],
    status,
    previousStatus: status.national,
    handover,
  });

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
  };
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
): { byText: boolean; current: PersonRef | null; previous: (holder: PersonRef | null) => PersonRef | null } {
  const key = applicantName === null ? null : applicantNameKey(applicantName);
  const isApplicantName = (name: string | null): boolean =>
    key !== null && key !== '' && name !== null && applicantNameKey(name) === key;
  const namesAllowed = allowsApplicantField(ctx.applicantFields, facts.applicantNameField);
  const applicant = (name: string | null, title: string | null): PersonRef =>
    namesAllowed
      ? { id: null, name, title, role: 'applicant' }
      : { id: null, name: null, title: null, role: 'applicant' };
  const byText = isApplicantActionText(ctx.profile, facts.text);
  const current =
    byText || isApplicantName(facts.officer)
      ? applicant(facts.officer, facts.title)
      : facts.officer === null && facts.title === null
        ? null
        : { id: null, name: facts.officer, title: facts.title };
  const previous = (holder: PersonRef | null): PersonRef | null =>
    holder !== null && (holder.role === 'applicant' || isApplicantName(holder.name))
      ? applicant(holder.name, holder.title)
      : holder;
  return { byText, current, previous };
}
