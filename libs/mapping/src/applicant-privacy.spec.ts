import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { CanonicalEvent, DossierState } from '@isohub/events';
import { describe, expect, it } from 'vitest';
import { mapDossierSync } from './dossier-sync.mapper';
import type { TrailEntry } from './handover-trail';
import type { MappingContext, SenderProfile } from './mapping.contract';
import { mapProgressRow } from './progress-row.mapper';
import { testMappingContext } from './testing/context';
import { expectOk } from './testing/map-helpers';

/** Recorded sender bodies kept by the portal adapter (see its __fixtures__/README.md). */
const OK = resolve(__dirname, '../../adapters/portal/src/__fixtures__/ok');

type Item = Record<string, unknown>;

/** Every item of every ok fixture, snapshots first, each with the sender profile its file belongs to. */
function okItems(): { snapshots: [Item, SenderProfile][]; rows: [Item, SenderProfile][] } {
  const snapshots: [Item, SenderProfile][] = [];
  const rows: [Item, SenderProfile][] = [];
  for (const file of readdirSync(OK).filter((f) => f.endsWith('.json'))) {
    const body = JSON.parse(readFileSync(join(OK, file), 'utf8')) as unknown;
    const profile: SenderProfile = file.startsWith('thanhhoa-') ? 'thanhhoa' : 'opencps';
    const list = Array.isArray(body) ? body : ((body as { data?: unknown[] }).data ?? []);
    for (const item of list as Item[]) {
      if ('ThoiDiemXuLy' in item) {
        rows.push([item, profile]);
      } else if ('TrangThaiHoSo' in item) {
        snapshots.push([item, profile]);
      }
    }
  }
  return { snapshots, rows };
}

/**
 * Maps everything as the sync service would, one dossier state and trail per dossier and sender
 * (the two senders' fixtures reuse dossier codes).
 */
function replay(applicantFields: readonly string[]): CanonicalEvent[] {
  const ctx = (profile: SenderProfile): MappingContext =>
    testMappingContext({
      profile,
      applicantFields,
      source: { system: `${profile}-fixtures` },
      receivedAt: new Date('2025-07-05T02:00:00Z'),
    });
  const states = new Map<string, DossierState>();
  const trails = new Map<string, TrailEntry[]>();
  const events: CanonicalEvent[] = [];
  const { snapshots, rows } = okItems();
  for (const [item, profile] of snapshots) {
    const code = `${profile} ${String(item['MaHoSo'])}`;
    const r = expectOk(mapDossierSync(item, states.get(code) ?? null, ctx(profile)));
    states.set(code, r.state);
    events.push(...r.events);
  }
  for (const [item, profile] of rows) {
    const code = `${profile} ${String(item['MaHoSo'])}`;
    const result = mapProgressRow(item, states.get(code) ?? null, ctx(profile), {
      trail: trails.get(code) ?? [],
    });
    const r = expectOk(result);
    states.set(code, r.state);
    events.push(...r.events);
    if (result.ok && result.trail) {
      trails.set(code, result.trail);
    }
  }
  return events;
}

const applicants = [
  ...new Set(okItems().snapshots.map(([item]) => String(item['ChuHoSo']).normalize('NFC'))),
];

describe('applicant names in events from every ok fixture', () => {
  it('appear nowhere in any event by default, handovers included', () => {
    const events = replay([]);
    expect(applicants.length).toBeGreaterThanOrEqual(4);
    expect(events.some((e) => e.data.handover?.userTo?.role === 'applicant')).toBe(true);
    const text = JSON.stringify(events.map((e) => e.data));
    for (const name of applicants) {
      expect(text, name).not.toContain(name);
    }
  });

  it('appear only when applicantFields names ChuHoSo, handovers then keeping the applicant named', () => {
    const events = replay(['ChuHoSo']);
    const text = JSON.stringify(events.map((e) => e.data));
    for (const name of applicants) {
      expect(text, name).toContain(name);
    }
    const actors = events.map((e) => e.data.handover?.userTo).filter((u) => u?.role === 'applicant');
    expect(actors.map((u) => u?.name)).toEqual(
      expect.arrayContaining(['Nguyễn Thị Hồng Nhung', 'Lê Văn Bình']),
    );
  });
});
