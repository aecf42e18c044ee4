import { Logger } from '@nestjs/common';
import { describe, expect, it, vi } from 'vitest';
import type { DossierRead, SourcePort } from '@isohub/adapters/source';
import type { RereadCandidate, UnmappedStatusStore } from '@isohub/persistence';
import type { IngestService } from '../ingest/ingest.service';
import type { PulledIngestRequest } from '../ingest/ingest.types';
import { planReread, rereadMappedDossiers } from './status-reread';

const candidate = (over: Partial<RereadCandidate>): RereadCandidate => ({
  sourceSystem: 'site',
  status: 'releasing',
  subStatus: '',
  dossierCode: 'A',
  lastChangeAt: '2025-07-01T02:00:00.000Z',
  queued: false,
  ...over,
});

describe('planReread', () => {
  it('reads again the dossiers whose status now maps, at most `limit`, and requeues the rest', () => {
    const rows = [
      candidate({ dossierCode: 'A' }),
      candidate({ dossierCode: 'B' }),
      candidate({ dossierCode: 'A', status: 'pausing' }),
      candidate({ dossierCode: 'C', status: 'pausing', queued: true }),
      candidate({ dossierCode: 'D', lastChangeAt: '2024-01-01T00:00:00.000Z' }),
    ];
    const plan = planReread(rows, (c) => c.status === 'releasing' && c.lastChangeAt! >= '2025', 1);
    expect(plan.codes).toEqual(['A']);
    expect(plan.more).toBe(true);
    expect(plan.due).toEqual([rows[0]]);
    // pausing for A is not queued and does not map: back in the queue; C is still queued; D's date too early
    expect(plan.requeue).toEqual([
      { sourceSystem: 'site', status: 'pausing', subStatus: '' },
      { sourceSystem: 'site', status: 'releasing', subStatus: '' },
    ]);
  });
});

describe('rereadMappedDossiers', () => {
  const deps = (rows: RereadCandidate[]) => {
    const ingested: PulledIngestRequest[] = [];
    const store = {
      rereadCandidates: vi.fn(async () => rows),
      requeue: vi.fn(async () => undefined),
      queued: vi.fn(async () => [
        { sourceSystem: 'site', status: 'releasing', subStatus: '', lastChangeAt: null },
      ]),
      dropResolved: vi.fn(async () => 1),
    };
    const ingest = {
      ingestPulled: vi.fn(async (req: PulledIngestRequest) => {
        ingested.push(req);
        return { items: [], accepted: 0, rejected: 0, events: 2 };
      }),
    };
    return {
      ingested,
      store,
      deps: {
        store: store as unknown as UnmappedStatusStore,
        ingest: ingest as unknown as IngestService,
        sender: { id: 'src', profile: 'opencps' as const, agency: null, applicantFields: [] },
        protocol: 'opencps-rest',
        sourceSystem: 'site',
        call: <T>(fn: () => Promise<T>) => fn(),
        now: () => new Date('2025-07-02T00:00:00Z'),
        logger: new Logger('test'),
      },
    };
  };
  const source = (reads: Record<string, DossierRead>): SourcePort => ({
    id: 'src',
    agency: null,
    pull: () => Promise.reject(new Error('not here')),
    checkConnection: () => Promise.resolve({ ok: true, detail: '' }),
    fetchDossier: ({ dossierCode }) =>
      Promise.resolve(reads[dossierCode] ?? { found: false, batches: [], unmapped: [] }),
    mapsStatus: ({ status }) => status === 'releasing',
  });

  it('ingests each dossier again with its rows taken off the list in the same request, no cursor', async () => {
    const rows = [candidate({ dossierCode: 'A' }), candidate({ dossierCode: 'GONE' })];
    const { deps: d, ingested, store } = deps(rows);
    const read: DossierRead = {
      found: true,
      batches: [{ operation: 'CapNhatTienDoHoSoMC', items: [{ MaHoSo: 'A' }] }],
      unmapped: [{ dossierCode: 'A', status: 'pausing', subStatus: null, at: null }],
    };
    const out = await rereadMappedDossiers(source({ A: read }), d);
    expect(out).toEqual({ dossiers: 2, events: 2, more: false });
    expect(ingested).toHaveLength(1);
    const req = ingested[0];
    expect(req.cursor).toBeUndefined();
    expect(req.batches).toEqual(read.batches);
    expect(req.reread).toEqual({ sourceId: 'src', rows });
    expect(req.unmapped).toEqual({ sourceId: 'src', sourceSystem: 'site', notes: read.unmapped });
    expect(store.dropResolved).toHaveBeenCalledWith([
      { sourceSystem: 'site', status: 'releasing', subStatus: '', lastChangeAt: null },
    ]);
  });

  it('does nothing for a source that cannot read one dossier', async () => {
    const { deps: d, ingested, store } = deps([candidate({})]);
    const { fetchDossier: _f, ...plain } = source({});
    expect(await rereadMappedDossiers(plain, d)).toEqual({ dossiers: 0, events: 0, more: false });
    expect(ingested).toEqual([]);
    expect(store.rereadCandidates).not.toHaveBeenCalled();
  });
});
