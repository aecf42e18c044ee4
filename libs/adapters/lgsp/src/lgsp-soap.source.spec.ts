import { Logger } from '@nestjs/common';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { decodeCursor } from './lgsp-cursor';
import { LgspSoapSource } from './lgsp-soap.source';
import { LgspError } from './lgsp.errors';
import type { ChangedDossierPage, LgspDossierServicePort } from './lgsp.port';

const OPTIONS = {
  id: 'lgsp-soap-h56',
  agency: '000.00.00.H56',
  startFrom: '2025-07-01T00:00:00.000Z',
  overlapMs: 60_000,
  maxPageSize: 50,
  historyConcurrency: 2,
};

const doc = (code: string) => ({ DocCode: code, Status: 1, DocTypeCode: '1.001' });
const trace = (code: string, at: string) => ({ DocCode: code, DateCreated: at, Status: 0, UserName: 'A' });

function service(
  page: Partial<ChangedDossierPage>,
  histories: Record<string, unknown>,
): LgspDossierServicePort {
  return {
    listChangedDossiers: vi.fn(async ({ page: p, pageSize }: { page: number; pageSize: number }) => ({
      dossiers: [],
      page: p,
      pageSize,
      total: null,
      hasMore: false,
      ...page,
    })),
    getDossierHistory: vi.fn(async ({ docCode }: { docCode: string }) => {
      const h = histories[docCode];
      if (h instanceof Error) {
        throw h;
      }
      return (h as Record<string, unknown>[] | undefined) ?? [];
    }),
    checkConnection: vi.fn(async () => ({ ok: true, detail: 'fine' })),
  };
}

beforeEach(() => {
  vi.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  vi.spyOn(Logger.prototype, 'debug').mockImplementation(() => undefined);
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe('LgspSoapSource.pull', () => {
  it('hands over snapshots then history rows (oldest first) with the REST field names, and a keyset cursor', async () => {
    const port = service(
      {
        dossiers: [
          { modifiedAt: '2025-07-01T03:00:00.000Z', document: doc('A') },
          { modifiedAt: '2025-07-01T05:00:00.000Z', document: doc('B') },
        ],
        hasMore: true,
      },
      {
        A: [trace('A', '2025-07-01T02:00:00.000Z'), trace('A', '2025-07-01T01:00:00.000Z')],
        B: [trace('B', '2025-07-01T04:00:00.000Z')],
      },
    );
    const source = new LgspSoapSource(OPTIONS, port);
    const page = await source.pull({ cursor: null, limit: 500 });
    expect(port.listChangedDossiers).toHaveBeenCalledWith({
      since: OPTIONS.startFrom,
      page: 1,
      pageSize: 50,
    });
    expect(page.batches).toEqual([
      { operation: 'LgspSyncDocument', items: [doc('A'), doc('B')] },
      {
        operation: 'LgspUpdateDocumentTraces',
        items: [
          trace('A', '2025-07-01T01:00:00.000Z'),
          trace('A', '2025-07-01T02:00:00.000Z'),
          trace('B', '2025-07-01T04:00:00.000Z'),
        ],
      },
    ]);
    expect(page.hasMore).toBe(true);
    expect(decodeCursor(page.nextCursor, OPTIONS.startFrom)).toEqual({
      since: '2025-07-01T05:00:00.000Z',
      page: 1,
      asOf: null,
    });
    expect({ id: source.id, agency: source.agency }).toEqual({ id: OPTIONS.id, agency: OPTIONS.agency });
  });

  it('returns no batches and keeps its place on an empty page, vouching for the time it asked', async () => {
    const source = new LgspSoapSource(OPTIONS, service({ dossiers: [] }, {}));
    const cursor = JSON.stringify({ v: 1, since: '2025-07-02T00:00:00.000Z', page: 1 });
    const before = Date.now();
    const page = await source.pull({ cursor, limit: 10 });
    expect(page).toMatchObject({ batches: [], hasMore: false });
    expect(decodeCursor(page.nextCursor, OPTIONS.startFrom)).toMatchObject({
      since: '2025-07-02T00:00:00.000Z',
      page: 1,
    });
    const time = source.describeCursor(page.nextCursor)?.time;
    expect(Date.parse(time ?? '')).toBeGreaterThanOrEqual(before - 1);
  });

  it('describes cursors for lag and operator resets: ours, a bare instant, or not a cursor at all', () => {
    const source = new LgspSoapSource(OPTIONS, service({}, {}));
    expect(source.describeCursor(null)).toEqual({ time: OPTIONS.startFrom });
    expect(source.describeCursor('2025-07-03T07:00:00+07:00')).toEqual({ time: '2025-07-03T00:00:00.000Z' });
    expect(source.describeCursor('{"mark":"2025-07-01"}')).toBeNull();
  });

  it('fails the pull (cursor unchanged for the retry) when a history call may succeed later', async () => {
    const source = new LgspSoapSource(
      OPTIONS,
      service(
        { dossiers: [{ modifiedAt: null, document: doc('A') }] },
        { A: new LgspError('SOAP_FAULT', 'busy', { faultCode: 'soap:Server', retryable: true }) },
      ),
    );
    await expect(source.pull({ cursor: null, limit: 10 })).rejects.toMatchObject({
      code: 'SOAP_FAULT',
      retryable: true,
    });
  });

  it('skips the history of a dossier the bus says it does not know (a Client fault), keeping the snapshot', async () => {
    const port = service(
      {
        dossiers: [
          { modifiedAt: '2025-07-01T03:00:00.000Z', document: doc('GONE') },
          { modifiedAt: '2025-07-01T03:00:00.000Z', document: doc('B') },
          { modifiedAt: null, document: { Status: 1 } },
        ],
      },
      {
        GONE: new LgspError('SOAP_FAULT', 'not found', { faultCode: 'soap:Client' }),
        B: [trace('B', '2025-07-01T03:00:00.000Z')],
      },
    );
    const page = await new LgspSoapSource(OPTIONS, port).pull({ cursor: null, limit: 10 });
    expect(page.batches[0]?.items).toHaveLength(3);
    expect(page.batches[1]?.items).toEqual([trace('B', '2025-07-01T03:00:00.000Z')]);
    // a dossier without a code still goes to mapping (which dead-letters it), but has no history to fetch
    expect(port.getDossierHistory).toHaveBeenCalledTimes(2);
  });
});

describe('LgspSoapSource and the published status mappings', () => {
  const published = ({ status }: { status: string }) => (status === '7' ? 5 : null);

  it('queues a Status nothing maps (flags decide, listed-null trace 0 is no status), published rows first', async () => {
    const port = service(
      {
        dossiers: [
          { modifiedAt: '2025-07-01T03:00:00.000Z', document: { ...doc('A'), Status: 3 } },
          { modifiedAt: '2025-07-01T04:00:00.000Z', document: { ...doc('B'), Status: 3, IsReturned: true } },
          { modifiedAt: '2025-07-01T05:00:00.000Z', document: { ...doc('C'), Status: 7 } },
        ],
      },
      {
        A: [trace('A', '2025-07-01T02:00:00.000Z'), { ...trace('A', '2025-07-01T02:30:00.000Z'), Status: 4 }],
      },
    );
    const source = new LgspSoapSource({ ...OPTIONS, statusLookup: published }, port);
    const page = await source.pull({ cursor: null, limit: 10 });
    expect(page.unmapped).toEqual([
      { dossierCode: 'A', status: '3', subStatus: null, at: '2025-07-01T03:00:00.000Z' },
      { dossierCode: 'A', status: '4', subStatus: null, at: '2025-07-01T02:30:00.000Z' },
    ]);
    expect(page.flags).toEqual([
      { code: 'unmapped-status', detail: '3' },
      { code: 'unmapped-status', detail: '4' },
    ]);
    expect(source.mapsStatus({ status: '7', subStatus: null, at: null })).toBe(true);
    expect(source.mapsStatus({ status: '1', subStatus: null, at: null })).toBe(true);
    expect(source.mapsStatus({ status: '3', subStatus: null, at: null })).toBe(false);
  });

  it('reads one dossier again through its history; a dossier the bus no longer knows is not found', async () => {
    const fault = new LgspError('SOAP_FAULT', 'GetDossierHistory: SOAP Fault Client: unknown', {
      retryable: false,
    });
    const port = service(
      {},
      { A: [trace('A', '2025-07-01T03:00:00.000Z'), trace('A', '2025-07-01T02:00:00.000Z')], X: fault },
    );
    const source = new LgspSoapSource({ ...OPTIONS, statusMap: { '0': 4 } }, port);
    const read = await source.fetchDossier({ dossierCode: 'A' });
    expect(read.found).toBe(true);
    expect(read.batches).toEqual([
      {
        operation: 'LgspUpdateDocumentTraces',
        items: [trace('A', '2025-07-01T02:00:00.000Z'), trace('A', '2025-07-01T03:00:00.000Z')],
      },
    ]);
    expect(read.unmapped).toEqual([]);
    expect(await source.fetchDossier({ dossierCode: 'X' })).toEqual({
      found: false,
      batches: [],
      unmapped: [],
    });
  });
});
