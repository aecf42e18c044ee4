import { type CanonicalEvent, type DossierState, validateEventData } from '@isohub/events';
import {
  mapDossierSync,
  mapProgressRow,
  testMappingContext,
  type MappingContext,
  type MapResult,
  type TrailEntry,
} from '@isohub/mapping';
import { describe, expect, it } from 'vitest';
import { simulateDay, type SimulatedDay } from './day-simulator';

const day = simulateDay({ seed: 'applicant-privacy', count: 300 });

/** The mapping of the sync service, fed the day's traffic in order: one state and trail per dossier. */
function replay(sim: SimulatedDay, applicantFields: readonly string[]) {
  const ctxOf = (sender: 'opencps' | 'thanhhoa'): MappingContext =>
    testMappingContext({ profile: sender, applicantFields, source: { system: `${sender}-sim` } });
  const states = new Map<string, DossierState>();
  const trails = new Map<string, TrailEntry[]>();
  const events: CanonicalEvent[] = [];
  const errors: string[] = [];
  for (const m of sim.messages) {
    const ctx = ctxOf(m.sender);
    const progress =
      m.sender === 'opencps' ? m.service === 'CapNhatTienDoHoSoMC' : m.operation === 'progress';
    if (m.sender === 'opencps' && m.service === 'TraCuuHoSo') {
      continue;
    }
    for (const item of m.sender === 'opencps' ? (m.body.data ?? []) : m.body) {
      const key = `${m.sender} ${String(item['MaHoSo'])}`;
      const prev = states.get(key) ?? null;
      const options = { trail: trails.get(key) ?? [] };
      const r: MapResult = progress
        ? mapProgressRow(item, prev, ctx, options)
        : mapDossierSync(item, prev, ctx, options);
      if (!r.ok) {
        errors.push(`${key}: ${JSON.stringify(r.errors)}`);
        continue;
      }
      states.set(key, r.state);
      events.push(...r.events);
      if (r.trail) {
        trails.set(key, r.trail);
      }
    }
  }
  return { events, errors };
}

/** Applicants whose name no officer of the day also bears (a shared name would be the officer's to show). */
function applicantNames(sim: SimulatedDay): string[] {
  const officers = new Set(
    sim.dossiers.flatMap((d) => d.events.map((e) => e.actor.name).filter((n) => n !== d.applicant.name)),
  );
  return [...new Set(sim.dossiers.map((d) => d.applicant.name.normalize('NFC')))].filter(
    (n) => !officers.has(n),
  );
}

describe('applicant names in the events of a simulated day, both senders with their quirks', () => {
  const names = applicantNames(day);
  const acting = day.dossiers.filter((d) => d.events.some((e) => e.actor.name === d.applicant.name));

  it('appear nowhere in any event by default, though applicants act on many dossiers', () => {
    const { events, errors } = replay(day, []);
    expect(errors).toEqual([]);
    expect(names.length).toBeGreaterThan(150);
    expect(acting.length).toBeGreaterThan(50);
    expect(events.filter((e) => e.data.handover?.userTo?.role === 'applicant').length).toBeGreaterThan(50);
    // The applicant acting never takes the dossier over, so it is never the side a handover left.
    expect(events.filter((e) => e.data.handover?.userFrom?.role === 'applicant')).toEqual([]);
    expect(events.filter((e) => e.data.handover?.userFrom?.name).length).toBeGreaterThan(50);
    for (const e of events) {
      expect(validateEventData(e.data).errors).toEqual([]);
    }
    const text = JSON.stringify(events.map((e) => e.data));
    expect(names.filter((n) => text.includes(n))).toEqual([]);
  }, 30_000);

  it('appear when applicantFields names ChuHoSo, as the applicant, for every row an applicant sent', () => {
    const { events } = replay(day, ['ChuHoSo']);
    const named = new Set(
      events.map((e) => e.data.handover?.userTo).flatMap((u) => (u?.role === 'applicant' ? [u.name] : [])),
    );
    // OpenCPS sends only the current action per sync, so some applicant actions never reach the wire.
    const sent = new Set(
      day.messages
        .filter((m) =>
          m.sender === 'opencps' ? m.service === 'CapNhatTienDoHoSoMC' : m.operation === 'progress',
        )
        .flatMap((m) => (m.sender === 'opencps' ? (m.body.data ?? []) : m.body))
        .map((row) => String(row['NguoiXuLy']).normalize('NFC')),
    );
    const actors = names.filter((n) => sent.has(n));
    expect(actors.length).toBeGreaterThan(50);
    expect(actors.filter((n) => !named.has(n))).toEqual([]);
  });
});
