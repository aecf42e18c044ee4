import {
  type Actor,
  type Applicant,
  type LifecycleKind,
  type PlannedDossier,
  planDossier,
} from './dossier-lifecycle';
import { openCpsMessages } from './opencps-sender';
import { prepareWireDossier, type WireDossier } from './sender-shared';
import {
  AGENCIES,
  BUSINESS_NAMES,
  FAMILY_NAMES,
  GIVEN_NAMES,
  MIDDLE_NAMES,
  PROCEDURES,
} from './sim-catalogue';
import { SimRandom } from './sim-random';
import type { SimulatedMessage } from './simulated-traffic';
import { thanhHoaMessages } from './thanhhoa-sender';
import { WorkingClock } from './working-clock';

export type { OpenCpsEnvelope, OpenCpsMessage, SimulatedMessage, ThanhHoaMessage } from './simulated-traffic';
export { VALID_STATUS_TRANSITIONS } from './dossier-lifecycle';
export { isWithinWorkingHours } from './working-clock';

export interface DaySimulationOptions {
  seed: number | string;
  /** How many dossiers are received during the day (0–5000). */
  count: number;
  /** The Vietnam calendar day, `yyyy-MM-dd`; a weekend rolls forward to Monday. Default 2025-07-01. */
  date?: string;
  /** Share of dossiers sent by the OpenCPS-style sender, the rest Thanh Hóa-style. Default 0.5. */
  openCpsShare?: number;
  /** Working days over which lifecycles may run (1 = everything within the day). Default 1. */
  spanDays?: number;
  /** Reproduce the real senders' known quirks (docs/research/wire-formats.md). Default true. */
  quirks?: boolean;
  /**
   * Which simulated system numbers the dossiers (0–9): its codes run from `series`·1000 + 1 per unit and
   * day, so two simulated senders of the same day (the tee demo, the pull site, the LGSP bus) never reuse
   * each other's dossier codes. Default 0.
   */
  series?: number;
}

export interface SimulatedEvent {
  kind: LifecycleKind;
  /** The true `TrangThaiHoSo` after the event. */
  status: number;
  at: string;
  action: string;
  note: string;
  actor: Actor;
  from: Actor | null;
  to: Actor | null;
  stepDeadline: string | null;
  dueAt: string | null;
}

/** Ground truth for one dossier, to compare with what a receiver made of the traffic. */
export interface SimulatedDossier {
  code: string;
  sender: 'opencps' | 'thanhhoa';
  agency: { code: string; name: string };
  procedure: { code: string; name: string; sectorCode: string; sectorName: string; allowanceDays: number };
  channel: 1 | 2;
  applicant: Applicant;
  statuses: number[];
  events: SimulatedEvent[];
  dates: Record<
    | 'submittedAt'
    | 'receivedAt'
    | 'dueAt'
    | 'previousDueAt'
    | 'processingEndedAt'
    | 'returnedAt'
    | 'rejectedAt',
    string | null
  >;
}

export interface SimulatedDay {
  seed: string;
  date: string;
  quirks: boolean;
  dossiers: SimulatedDossier[];
  /** Everything both senders send, in time order. */
  messages: SimulatedMessage[];
}

function personName(rng: SimRandom): string {
  const gender = rng.chance(0.5) ? 'male' : 'female';
  return `${rng.pick(FAMILY_NAMES)} ${rng.pick(MIDDLE_NAMES[gender])} ${rng.pick(GIVEN_NAMES[gender])}`;
}

function applicantFor(rng: SimRandom, kind: 'citizen' | 'business'): Applicant {
  const phone = `0${rng.pick(['9', '8', '3'])}${rng.digits(8)}`;
  if (kind === 'business') {
    return { name: rng.pick(BUSINESS_NAMES), kind, idNumber: `28${rng.digits(8)}`, phone };
  }
  // 038 is Thanh Hóa's prefix on 12-digit personal ids; some applicants still hold a 9-digit CMND.
  const idNumber = rng.chance(0.15) ? `17${rng.digits(7)}` : `038${rng.digits(9)}`;
  return { name: personName(rng), kind, idNumber, phone };
}

/** Options with defaults applied; throws RangeError naming the first bad one. */
export function resolveDayOptions(options: DaySimulationOptions): Required<DaySimulationOptions> {
  const resolved = {
    seed: options.seed,
    count: options.count,
    date: options.date ?? '2025-07-01',
    openCpsShare: options.openCpsShare ?? 0.5,
    spanDays: options.spanDays ?? 1,
    quirks: options.quirks ?? true,
    series: options.series ?? 0,
  };
  if (!Number.isInteger(resolved.count) || resolved.count < 0 || resolved.count > 5_000) {
    throw new RangeError(`count must be an integer in [0, 5000], got ${resolved.count}`);
  }
  if (!(resolved.openCpsShare >= 0 && resolved.openCpsShare <= 1)) {
    throw new RangeError(`openCpsShare must be in [0, 1], got ${resolved.openCpsShare}`);
  }
  if (!Number.isInteger(resolved.series) || resolved.series < 0 || resolved.series > 9) {
    throw new RangeError(`series must be an integer in [0, 9], got ${resolved.series}`);
  }
  if (!Number.isInteger(resolved.spanDays) || resolved.spanDays < 1 || resolved.spanDays > 60) {
    throw new RangeError(`spanDays must be an integer in [1, 60], got ${resolved.spanDays}`);
  }
  try {
    new WorkingClock(resolved.date);
  } catch (error) {
    throw new RangeError(error instanceof Error ? error.message : String(error), { cause: error });
  }
  return resolved;
}

/**
 * Dossier codes `{agency}-{yyMMdd}-{NNNN}`: a counter per agency per day, in order of receipt (DOMAIN §5.3),
 * starting at the system's series so that simulated senders never share a code.
 */
function assignCodes(planned: PlannedDossier[], clock: WorkingClock, series: number): string[] {
  const order = [...planned].sort(
    (a, b) => (a.steps[0]?.at ?? 0) - (b.steps[0]?.at ?? 0) || a.index - b.index,
  );
  const counters = new Map<string, number>();
  const codes: string[] = [];
  for (const dossier of order) {
    const n = (counters.get(dossier.agency.code) ?? series * 1000) + 1;
    counters.set(dossier.agency.code, n);
    codes[dossier.index] = `${dossier.agency.code}-${clock.dayStamp()}-${String(n).padStart(4, '0')}`;
  }
  return codes;
}

function truthOf(d: WireDossier, sender: SimulatedDossier['sender']): SimulatedDossier {
  const { planned } = d;
  const last = planned.steps[planned.steps.length - 1];
  const date = (s: number | null | undefined) => (s === null || s === undefined ? null : d.clock.format(s));
  return {
    code: d.code,
    sender,
    agency: { code: planned.agency.code, name: planned.agency.name },
    procedure: {
      code: planned.procedure.code,
      name: planned.procedure.name,
      sectorCode: planned.procedure.sectorCode,
      sectorName: planned.procedure.sectorName,
      allowanceDays: planned.procedure.allowanceDays,
    },
    channel: planned.channel,
    applicant: planned.applicant,
    statuses: planned.steps.map((s) => s.status),
    events: planned.steps.map((s) => ({
      kind: s.kind,
      status: s.status,
      at: d.clock.format(s.at),
      action: s.action,
      note: s.note,
      actor: s.actor,
      from: s.from,
      to: s.to,
      stepDeadline: date(s.stepDeadline),
      dueAt: date(s.dates.dueAt),
    })),
    dates: {
      submittedAt: date(last?.dates.submittedAt),
      receivedAt: date(last?.dates.receivedAt),
      dueAt: date(last?.dates.dueAt),
      previousDueAt: date(last?.dates.previousDueAt),
      processingEndedAt: date(last?.dates.processingEndedAt),
      returnedAt: date(last?.dates.returnedAt),
      rejectedAt: date(last?.dates.rejectedAt),
    },
  };
}

/**
 * A day of one-stop traffic as the two real senders would send it to the national portal: OpenCPS
 * envelopes (TraCuuHoSo, DongBoHoSoMC snapshots, CapNhatTienDoHoSoMC rows) and Thanh Hóa bare arrays,
 * plus the ground truth behind them. Pure and deterministic: the same options give the same day.
 */
export function simulateDay(options: DaySimulationOptions): SimulatedDay {
  const { seed, count, date, openCpsShare, spanDays, quirks, series } = resolveDayOptions(options);
  const clock = new WorkingClock(date);
  const root = new SimRandom(seed);
  const planned: PlannedDossier[] = [];
  const senders: SimulatedDossier['sender'][] = [];
  for (let i = 0; i < count; i++) {
    const rng = root.fork(`dossier-${i}`);
    const procedure = rng.pick(PROCEDURES);
    const agency = AGENCIES[rng.pick(procedure.agencies)];
    senders.push(rng.chance(openCpsShare) ? 'opencps' : 'thanhhoa');
    planned.push(planDossier(rng, i, agency, procedure, applicantFor(rng, procedure.applicant), spanDays));
  }
  const codes = assignCodes(planned, clock, series);
  const timed: { atSecond: number; index: number; order: number; message: SimulatedMessage }[] = [];
  const dossiers = planned.map((p, i) => {
    const rng = root.fork(`wire-${i}`);
    const wire = prepareWireDossier(p, codes[i], clock, rng);
    const sender = senders[i];
    const messages =
      sender === 'opencps' ? openCpsMessages(wire, rng, quirks) : thanhHoaMessages(wire, rng, quirks);
    messages.forEach(({ atSecond, message }, order) => timed.push({ atSecond, index: i, order, message }));
    return truthOf(wire, sender);
  });
  timed.sort((a, b) => a.atSecond - b.atSecond || a.index - b.index || a.order - b.order);
  return { seed: String(seed), date: clock.date, quirks, dossiers, messages: timed.map((t) => t.message) };
}
