import { Injectable } from '@nestjs/common';
import { resolveDayOptions, simulateDay, type DaySimulationOptions } from '../onestop/day-simulator';
import { actionsAt, dossierAt, vendorDossiers, type VendorDossier } from './vendor-timeline';

export interface ScenarioOptions extends DaySimulationOptions {
  /** Where the site's clock starts: `start` (before the day's first step), `end` (after its last) or an ISO time. */
  clockAt?: string;
  /** Simulated milliseconds per real millisecond; 0 = frozen (moved only by `advance`). */
  speed?: number;
}

export interface SiteClock {
  now: string;
  speed: number;
}

export interface ListQuery {
  since: number | null;
  start: number;
  end: number;
  /** OpenCPS's `dossierNo` filter (DossierSearchModel): only that dossier. */
  dossierNo?: string | null;
}

/**
 * The simulated one-stop site behind the OpenCPS-shaped API: a generated day of dossiers (the day
 * simulator's lifecycles, ground truth included) revealed step by step by the site's own clock, so
 * dossiers move through their lifecycles while isohub polls. Tests freeze the clock and move it.
 */
@Injectable()
export class OnestopSite {
  private dossiers: VendorDossier[] = [];
  private simAnchor = 0;
  private realAnchor = Date.now();
  private speed = 0;
  private options: Required<DaySimulationOptions> | null = null;

  constructor() {
    // A live default for `npm start`: today's working day, one simulated minute per real second.
    const today = new Date(Date.now() + 7 * 3_600_000).toISOString().slice(0, 10);
    this.load({ seed: 1, count: 20, date: today, clockAt: 'start', speed: 60 });
  }

  load(options: ScenarioOptions): {
    dossiers: number;
    firstStepAt: string;
    lastStepAt: string;
    clock: SiteClock;
  } {
    // The pull site numbers its dossiers in its own series (the tee demo uses 0, the LGSP bus 2).
    const resolved = resolveDayOptions({ ...options, series: options.series ?? 1 });
    const day = simulateDay(resolved);
    this.options = resolved;
    this.dossiers = vendorDossiers(day.dossiers);
    const times = this.dossiers.flatMap((d) => d.steps.map((s) => s.at));
    const first = times.length > 0 ? Math.min(...times) : Date.now();
    const last = times.length > 0 ? Math.max(...times) : Date.now();
    const at = options.clockAt ?? 'end';
    const sim = at === 'start' ? first - 1000 : at === 'end' ? last + 1000 : Date.parse(at);
    if (Number.isNaN(sim)) {
      throw new RangeError(`clockAt must be "start", "end" or an ISO time, got "${at}"`);
    }
    this.setClock(sim, options.speed ?? 0);
    return {
      dossiers: this.dossiers.length,
      firstStepAt: new Date(first).toISOString(),
      lastStepAt: new Date(last).toISOString(),
      clock: this.clock(),
    };
  }

  now(): number {
    return this.simAnchor + (Date.now() - this.realAnchor) * this.speed;
  }

  clock(): SiteClock {
    return { now: new Date(this.now()).toISOString(), speed: this.speed };
  }

  setClock(simMs: number, speed = this.speed): SiteClock {
    this.simAnchor = simMs;
    this.realAnchor = Date.now();
    this.speed = speed;
    return this.clock();
  }

  advance(ms: number): SiteClock {
    return this.setClock(this.now() + ms);
  }

  /** Records an edit without a new step (the dossier's modification time moves, nothing else). */
  touch(dossierId: number, atMs = this.now()): boolean {
    const d = this.dossiers.find((x) => x.dossierId === dossierId);
    if (!d) {
      return false;
    }
    d.touches.push(atMs);
    return true;
  }

  /** `GET /dossiers`: modified at or after `since`, ascending by modification time then id, [start, end). */
  list(q: ListQuery): { total: number; data: Record<string, unknown>[] } {
    const now = this.now();
    const visible = this.dossiers
      .map((d) => dossierAt(d, now))
      .filter(
        (x): x is NonNullable<typeof x> =>
          x !== null &&
          (q.since === null || x.modifiedMs >= q.since) &&
          (!q.dossierNo || x.record['dossierNo'] === q.dossierNo),
      )
      .sort(
        (a, b) =>
          a.modifiedMs - b.modifiedMs ||
          (a.record['dossierId'] as number) - (b.record['dossierId'] as number),
      );
    return { total: visible.length, data: visible.slice(q.start, q.end).map((x) => x.record) };
  }

  /** `GET /dossiers/{id}/actions`, oldest first; null when the dossier does not exist (yet). */
  actions(id: string, start: number, end: number): { total: number; data: Record<string, unknown>[] } | null {
    const now = this.now();
    const d = this.dossiers.find((x) => String(x.dossierId) === id || x.truth.code === id);
    if (!d || dossierAt(d, now) === null) {
      return null;
    }
    const all = actionsAt(d, now);
    return { total: all.length, data: all.slice(start, end) };
  }

  /** What a receiver should have made of the site: the ground truth of every dossier visible now. */
  truth(): { options: Required<DaySimulationOptions> | null; clock: SiteClock; dossiers: unknown[] } {
    const now = this.now();
    return {
      options: this.options,
      clock: this.clock(),
      dossiers: this.dossiers.flatMap((d) => {
        const steps = d.steps.filter((s) => s.at <= now);
        if (steps.length === 0) {
          return [];
        }
        return [
          {
            dossierId: d.dossierId,
            code: d.truth.code,
            procedure: d.truth.procedure.code,
            statuses: d.truth.statuses.slice(0, steps.length),
            kinds: steps.map((s) => s.kind),
            complete: steps.length === d.steps.length,
          },
        ];
      }),
    };
  }
}
