import { Inject, Injectable } from '@nestjs/common';
import { type SimulatedDossier, type SimulatedEvent, simulateDay } from '../onestop/day-simulator';
import { LGSP_SANDBOX_CONFIG } from './lgsp-sandbox.tokens';
import type { LgspSandboxConfig } from './lgsp-sandbox.config';

/** OpenCPS's "no date" (ConverterTerm.SUCCESS_DATE_DEFAULT), DOMAIN.md §4.5. */
export const LGSP_NO_DATE = '0000-00-00T00:00:00.000+0700';
const VIETNAM_OFFSET_MS = 7 * 3_600_000;
const TERMINAL = new Set([3, 7, 8, 10]);

/** `yyyyMMddHHmmss` Vietnam wall time -> epoch ms. */
export function vietnamToEpoch(value: string): number {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(value);
  if (!m) {
    throw new Error(`not a yyyyMMddHHmmss date: ${value}`);
  }
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  return Date.UTC(y, mo - 1, d, h, mi, s) - VIETNAM_OFFSET_MS;
}

/** As OpenCPS's LGSP client writes dates on a JVM running in GMT: genuine UTC with the literal Z. */
export function lgspDate(epochMs: number): string {
  return new Date(epochMs).toISOString();
}

interface TimedEvent {
  ms: number;
  event: SimulatedEvent;
}

interface WorldDossier {
  truth: SimulatedDossier;
  events: TimedEvent[];
  /** Numeric internal id (OpenCPS `dossierId`), sent as trace `DocumentId`. */
  internalId: number;
}

export type LgspDocument = Record<string, unknown>;

export interface ListedDossier {
  modifiedMs: number;
  document: LgspDocument;
}

/**
 * The dossiers behind the simulated bus's SOAP service: a simulated day of one-stop work (the same generator
 * the portal demo uses), revealed as a simulated clock passes each step. A dossier's `ModifiedTime` is its
 * latest visible step, or a later "touch" (a change with no new step, as the `changeDuringPaging` fault makes).
 */
@Injectable()
export class LgspDossierWorld {
  private readonly dossiers: WorldDossier[];
  private readonly byCode = new Map<string, WorldDossier>();
  private readonly touches = new Map<string, number>();
  private anchor: { simMs: number; realMs: number; speed: number };

  constructor(@Inject(LGSP_SANDBOX_CONFIG) config: LgspSandboxConfig) {
    const day = simulateDay({
      seed: config.dossiers.seed,
      count: config.dossiers.count,
      date: config.dossiers.date,
      spanDays: config.dossiers.spanDays,
      quirks: false,
      // its own code series: never the codes the tee demo (0) or the pull site (1) send
      series: 2,
    });
    this.dossiers = day.dossiers.map((truth, i) => ({
      truth,
      events: truth.events.map((event) => ({ ms: vietnamToEpoch(event.at), event })),
      internalId: 70_001 + i,
    }));
    for (const d of this.dossiers) {
      this.byCode.set(d.truth.code, d);
    }
    const opening = vietnamToEpoch(`${day.date.replace(/-/g, '')}070000`);
    const start = config.clock.startAt === null ? opening : Date.parse(config.clock.startAt);
    this.anchor = { simMs: start, realMs: Date.now(), speed: config.clock.speed };
  }

  /** Simulated now (epoch ms). */
  now(): number {
    return Math.floor(this.anchor.simMs + (Date.now() - this.anchor.realMs) * this.anchor.speed);
  }

  clock(): { now: string; speed: number } {
    return { now: new Date(this.now()).toISOString(), speed: this.anchor.speed };
  }

  setClock(settings: { at?: string; speed?: number; advanceMs?: number }): { now: string; speed: number } {
    let simMs = settings.at === undefined ? this.now() : Date.parse(settings.at);
    simMs += settings.advanceMs ?? 0;
    this.anchor = { simMs, realMs: Date.now(), speed: settings.speed ?? this.anchor.speed };
    return this.clock();
  }

  /** Every dossier visible now, in list order (change time, then code). */
  visible(now = this.now()): ListedDossier[] {
    const listed: ListedDossier[] = [];
    for (const d of this.dossiers) {
      const seen = d.events.filter((e) => e.ms <= now);
      const last = seen.at(-1);
      if (last === undefined) {
        continue;
      }
      const touched = this.touches.get(d.truth.code);
      const modifiedMs = touched !== undefined && touched > last.ms ? touched : last.ms;
      listed.push({ modifiedMs, document: documentOf(d, seen) });
    }
    return listed.sort(
      (a, b) =>
        a.modifiedMs - b.modifiedMs ||
        String(a.document['DocCode']).localeCompare(String(b.document['DocCode'])),
    );
  }

  /** The `ListChangedDossiers` page: dossiers changed at or after `sinceMs`, offset-paged. */
  listChanged(sinceMs: number, page: number, pageSize: number): { total: number; items: ListedDossier[] } {
    const all = this.visible().filter((d) => d.modifiedMs >= sinceMs);
    return { total: all.length, items: all.slice((page - 1) * pageSize, page * pageSize) };
  }

  /** A change with no new step: the oldest dossier changed at or after `sinceMs` moves to the end of the list. */
  touchOldest(sinceMs: number): string | null {
    const listed = this.visible();
    const first = listed.find((d) => d.modifiedMs >= sinceMs);
    if (!first) {
      return null;
    }
    // Strictly after every change so far, so the dossier really moves to the end of the list.
    const at = Math.max(this.now(), ...listed.map((d) => d.modifiedMs + 1));
    const code = String(first.document['DocCode']);
    this.touches.set(code, at);
    return code;
  }

  /** The dossier's visible steps as `UpdateDocumentTraces` rows, oldest first; null when unknown or not yet visible. */
  history(code: string): LgspDocument[] | null {
    const d = this.byCode.get(code);
    const now = this.now();
    const seen = d?.events.filter((e) => e.ms <= now) ?? [];
    if (!d || seen.length === 0) {
      return null;
    }
    return seen.map(({ ms, event }) => ({
      DocumentId: d.internalId,
      DocCode: d.truth.code,
      UserName: event.actor.name,
      UserPosition: event.actor.title ?? '',
      DateCreated: lgspDate(ms),
      Comment: event.note || event.action,
      // OpenCPS always sends 0 (OpenCPSConverter.convertToDocumentTraces).
      Status: 0,
      OrganizationInchargeIdLevel1: d.truth.agency.code,
      OrganizationInchargeName: event.to?.unit ?? event.actor.unit ?? d.truth.agency.name,
    }));
  }

  /** Ground truth for tests: code, status and change time of every visible dossier. */
  summary(): { code: string; status: number; modifiedAt: string; steps: number }[] {
    const now = this.now();
    return this.visible(now).map((d) => {
      const code = String(d.document['DocCode']);
      const steps = this.byCode.get(code)?.events.filter((e) => e.ms <= now) ?? [];
      return {
        code,
        status: steps.at(-1)?.event.status ?? 0,
        modifiedAt: lgspDate(d.modifiedMs),
        steps: steps.length,
      };
    });
  }

  /** When the last step of the simulation happens (for tests and demos that want "everything"). */
  lastStepAt(): string | null {
    const all = this.dossiers.flatMap((d) => d.events.map((e) => e.ms));
    return all.length === 0 ? null : lgspDate(Math.max(...all));
  }
}

/**
 * The dossier as OpenCPSConverter.convertDossierToLGSPJSON writes it at this point of its life: `Status` 2
 * while the result waits and 1 otherwise, `ReturnedDate` holding the due date until the result is returned,
 * `DateReceived` absent until the counter has received it, placeholders for dates that never happened.
 */
function documentOf(d: WorldDossier, seen: TimedEvent[]): LgspDocument {
  const { truth } = d;
  const last = seen[seen.length - 1];
  const status = last.event.status;
  const find = (kind: SimulatedEvent['kind']) => seen.find((e) => e.event.kind === kind);
  const received = find('received');
  const finished = [...seen].reverse().find((e) => e.event.kind === 'finished');
  const returned = find('result_returned');
  const supplement = [...seen].reverse().find((e) => e.event.kind === 'supplement_requested');
  const dueAt = last.event.dueAt === null ? null : lgspDate(vietnamToEpoch(last.event.dueAt));
  return {
    DocTypeCode: truth.procedure.code,
    DocTypeName: truth.procedure.name,
    DocCode: truth.code,
    CitizenName: truth.applicant.name,
    CitizenInfo: '',
    ApplicantsId: truth.applicant.idNumber,
    ApplicantsType: truth.applicant.kind === 'business' ? 2 : 1,
    Address: '',
    Email: '',
    Phone: truth.applicant.phone,
    Compendium: `${truth.procedure.name} - ${truth.applicant.name}`,
    ...(received ? { DateReceived: lgspDate(received.ms) } : {}),
    ...(dueAt ? { DateAppointed: dueAt } : {}),
    IsSuccess: status === 9,
    SuccessDate: finished ? lgspDate(finished.ms) : LGSP_NO_DATE,
    IsReturned: status === 10,
    ReturnedDate: returned ? lgspDate(returned.ms) : (dueAt ?? LGSP_NO_DATE),
    ReturnedType: 0,
    FinishedDate: TERMINAL.has(status) ? lgspDate(last.ms) : LGSP_NO_DATE,
    Status: status === 9 ? 2 : 1,
    ProcessingOrganName: truth.agency.name,
    HasSupplementary: status === 5,
    ...(status === 5 && supplement ? { RequireSupplementaryDate: lgspDate(supplement.ms) } : {}),
    DocFees: [{ FeeName: 'Lệ phí', FeeType: 1, Price: 0 }],
    OrganInchargeIdLevel1: truth.agency.code,
    OrganInchargeName: truth.agency.name,
  };
}
