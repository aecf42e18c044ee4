import { describe, expect, it, vi } from 'vitest';
import type { MappingStore, StatusMapping } from '@isohub/persistence';
import type { ProcedureResolverService } from '../ingest/procedure-resolver.service';
import { PublishedStatusMappingsService, vietnamDate } from './published-status-mappings.service';

const row = (over: Partial<StatusMapping>): StatusMapping => ({
  sourceSystem: 'opencps-x',
  status: 'processing',
  subStatus: '*',
  validFrom: '2025-07-01',
  nationalStatus: 4,
  milestone: 'STEP_HANDOVER',
  agencyCode: null,
  note: null,
  ...over,
});

const ROWS = [
  row({}),
  row({ subStatus: 'cho_bo_sung', nationalStatus: 5, milestone: 'SUPPLEMENT_REQUESTED' }),
  row({ status: 'done', nationalStatus: 10, milestone: 'RESULT_RETURNED', validFrom: '2026-01-01' }),
  row({ sourceSystem: 'other', status: 'waiting', nationalStatus: 5 }),
];

function setup(version: string) {
  const list = vi.fn().mockResolvedValue({ rows: ROWS, total: ROWS.length });
  const resolver = { mappingVersion: vi.fn().mockReturnValue(version) };
  const service = new PublishedStatusMappingsService(
    { list } as unknown as MappingStore,
    resolver as unknown as ProcedureResolverService,
  );
  return { service, list, resolver };
}

describe('PublishedStatusMappingsService', () => {
  it('loads the rows of the version events are stamped with, once per version', async () => {
    const { service, list, resolver } = setup('m-3');
    await service.refresh();
    await service.refresh();
    expect(list).toHaveBeenCalledTimes(1);
    expect(list).toHaveBeenCalledWith('status', 'm-3');
    resolver.mappingVersion.mockReturnValue('m-4');
    await service.refresh();
    expect(list).toHaveBeenLastCalledWith('status', 'm-4');
    expect(service.version()).toBe('m-4');
  });

  it('has no rows while nothing is published (MAPPING_VERSION)', async () => {
    const { service, list } = setup('config-1');
    await service.refresh();
    expect(list).not.toHaveBeenCalled();
    expect(service.lookupFor('opencps-x')({ status: 'processing', subStatus: null, at: null })).toBeNull();
  });

  it("matches the source system's rows: sub-status row first, then the wildcard, valid on the change's date", async () => {
    const { service } = setup('m-1');
    await service.refresh();
    const lookup = service.lookupFor('opencps-x');
    const at = '2026-03-02T03:00:00.000Z';
    expect(lookup({ status: 'processing', subStatus: 'cho_bo_sung', at })).toBe(5);
    expect(lookup({ status: 'processing', subStatus: 'tiep_nhan', at })).toBe(4);
    expect(lookup({ status: 'waiting', subStatus: null, at })).toBeNull();
    expect(service.lookupFor('other')({ status: 'waiting', subStatus: null, at })).toBe(5);
    // valid from 2026-01-01 (Vietnam date): 17:30 UTC on 31 Dec is already 1 Jan in Hà Nội
    expect(lookup({ status: 'done', subStatus: null, at: '2025-12-31T16:59:00.000Z' })).toBeNull();
    expect(lookup({ status: 'done', subStatus: null, at: '2025-12-31T17:30:00.000Z' })).toBe(10);
  });

  it('reads the Vietnam date of an instant', () => {
    expect(vietnamDate('2025-06-30T17:00:00.000Z')).toBe('2025-07-01');
    expect(vietnamDate('2025-06-30T16:59:59.999Z')).toBe('2025-06-30');
  });
});
