import { describe, expect, it } from 'vitest';
import { PortalError, type PortalLookupAnswer, type PortalPort } from '@isohub/adapters/portal';
import type { DossierState } from '@isohub/events';
import type { ReconciliationMismatchInsert, ReconciliationStore, StoredDossier } from '@isohub/persistence';
import { ReconciliationRunner } from './reconciliation-runner';
import { STOP_AFTER_CONSECUTIVE_FAILURES } from './reconciliation-tally';

function dossier(code: string, agency: string | null = 'A1', status = 4): StoredDossier {
  return {
    code,
    state: {
      dossierCode: code,
      status: { national: status, label: null, source: String(status) },
      procedure: { nationalCode: '1.001193', localCode: '1.001193', name: null, mappingStatus: 'mapped' },
      dates: { dueAt: null, receivedAt: null, processingEndedAt: null, returnedAt: null },
      source: { system: 'opencps-demo', agency, protocol: 'dvcqg-tee', operation: 'DongBoHoSoMC' },
    } as unknown as DossierState,
  };
}

const answer = (result: unknown[], errorCode = '0'): PortalLookupAnswer => ({
  errorCode,
  message: errorCode === '0' ? 'Tra cứu thành công' : 'Hệ thống đang bận',
  raw: { error_code: errorCode, result },
  outcome: errorCode === '0' ? 'success' : 'rejected',
  dossiers: result,
});

/** A store over fixed dossiers and pending forward bodies; mismatches are collected. */
function fakeStore(dossiers: StoredDossier[], pending: { style: string; body: unknown }[] = []) {
  const written: ReconciliationMismatchInsert[] = [];
  const store = {
    recentDossiers: () => Promise.resolve({ dossiers, truncated: false }),
    dossiers: (codes: string[]) => Promise.resolve(dossiers.filter((d) => codes.includes(d.code))),
    pendingForwardBodies: (after: string | null) =>
      Promise.resolve(
        after === null
          ? pending.map((p, i) => ({
              id: String(i + 1),
              style: p.style,
              body: Buffer.from(JSON.stringify(p.body)),
            }))
          : [],
      ),
    addMismatches: (_run: string, rows: ReconciliationMismatchInsert[]) => {
      written.push(...rows);
      return Promise.resolve();
    },
  };
  return { store: store as unknown as ReconciliationStore, written };
}

function runner(store: ReconciliationStore, lookup: (code: string) => Promise<PortalLookupAnswer>) {
  const asked: string[] = [];
  const portal = {
    lookupDossier: ({ maHoSo }: { maHoSo: string }) => {
      asked.push(maHoSo);
      return lookup(maHoSo);
    },
  } as unknown as PortalPort;
  const r = new ReconciliationRunner({
    store,
    portal,
    agencyOf: (d) => d.state.source.agency,
    concurrency: 2,
    ratePerSecond: 1000,
    stopping: () => false,
  });
  return { r, asked };
}

const window = { mode: 'window' as const, windowHours: 24, limit: 100 };

describe('ReconciliationRunner', () => {
  it('skips in-flight and agency-less dossiers without asking the portal, and records mismatches', async () => {
    const { store, written } = fakeStore(
      [dossier('D1'), dossier('D2'), dossier('D3', null), dossier('D4')],
      [{ style: 'opencps', body: { service: 'DongBoHoSoMC', data: [{ MaHoSo: 'D2' }] } }],
    );
    const { r, asked } = runner(store, (code) =>
      Promise.resolve(code === 'D4' ? answer([]) : answer([{ MaHoSo: code, TrangThaiHoSo: '4' }])),
    );
    const outcome = await r.run('7', window);
    expect(asked.sort()).toEqual(['D1', 'D4']);
    expect(outcome.status).toBe('done');
    expect(outcome.totals).toMatchObject({
      checked: 2,
      matched: 1,
      mismatched: 1,
      skipped: 2,
      skippedByReason: { 'in-flight': 1, 'no-agency': 1 },
    });
    expect(written).toEqual([
      expect.objectContaining({ dossierCode: 'D4', kind: 'missing', agency: 'A1', sender: 'opencps-demo' }),
    ]);
  });

  it('counts thrown and error answers as errors, never as missing', async () => {
    const { store, written } = fakeStore([dossier('D1'), dossier('D2'), dossier('D3')]);
    const { r } = runner(store, (code) =>
      code === 'D1'
        ? Promise.reject(new PortalError('TIMEOUT', 'TraCuuHoSo: portal did not answer in time'))
        : Promise.resolve(code === 'D2' ? answer([], '-1') : answer([{ MaHoSo: code, TrangThaiHoSo: '4' }])),
    );
    const outcome = await r.run('8', window);
    expect(outcome.status).toBe('partial');
    expect(outcome.totals).toMatchObject({ checked: 1, matched: 1, errors: 2 });
    expect(written).toEqual([]);
  });

  it('counts a success without a result as an error, never as missing (only result: [] is "not known")', async () => {
    const { store, written } = fakeStore([dossier('D1'), dossier('D2'), dossier('D3'), dossier('D4')]);
    const success = (raw: Record<string, unknown>): PortalLookupAnswer => ({
      errorCode: '0',
      message: '',
      raw: { error_code: '0', ...raw },
      outcome: 'success',
      dossiers: [],
    });
    const { r } = runner(store, (code) =>
      Promise.resolve(
        code === 'D1'
          ? success({})
          : code === 'D2'
            ? success({ result: null })
            : code === 'D3'
              ? // The Thanh Hóa connector's wrapping: the portal's JSON as a string in `message`.
                success({ message: '{"error_code":"0","result":[{"MaHoSo":"D3"}]}' })
              : answer([]),
      ),
    );
    const outcome = await r.run('11', window);
    expect(outcome.status).toBe('partial');
    expect(outcome.totals).toMatchObject({ checked: 1, mismatched: 1, errors: 3 });
    expect(outcome.totals.lastError).toMatch(/without a result/);
    expect(written).toEqual([expect.objectContaining({ dossierCode: 'D4', kind: 'missing' })]);
  });

  it('stops asking once the portal looks unreachable and fails the run', async () => {
    const many = Array.from({ length: STOP_AFTER_CONSECUTIVE_FAILURES * 3 }, (_, i) => dossier(`D${i}`));
    const { store, written } = fakeStore(many);
    const { r, asked } = runner(store, () =>
      Promise.reject(
        new PortalError('UNAVAILABLE', 'TraCuuHoSo: circuit open after repeated portal failures'),
      ),
    );
    const outcome = await r.run('9', window);
    expect(outcome.status).toBe('failed');
    expect(asked.length).toBeLessThan(many.length);
    expect(outcome.totals.errors + (outcome.totals.skippedByReason['not-checked'] ?? 0)).toBe(many.length);
    expect(outcome.totals.lastError).toMatch(/^stopped after 10 failed lookups in a row .*UNAVAILABLE/);
    expect(written).toEqual([]);
  });

  it('checks an explicit list and skips the codes the hub never saw', async () => {
    const { store } = fakeStore([dossier('D1')]);
    const { r, asked } = runner(store, () => Promise.resolve(answer([{ MaHoSo: 'D1', TrangThaiHoSo: '4' }])));
    const outcome = await r.run('10', { mode: 'list', dossiers: ['D1', 'NOPE'] });
    expect(asked).toEqual(['D1']);
    expect(outcome.totals).toMatchObject({ matched: 1, skippedByReason: { 'not-in-hub': 1 } });
  });
});
