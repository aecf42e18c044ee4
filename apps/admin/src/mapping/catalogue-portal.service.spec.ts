import { describe, expect, it, vi } from 'vitest';
import type { AuthUser } from '@isohub/auth';
import type { PortalPort } from '@isohub/adapters/portal';
import type { CatalogueAdminStore } from '@isohub/persistence';
import type { CatalogueService } from './catalogue.service';
import { CataloguePortalService } from './catalogue-portal.service';
import { ProblemException } from '../http/problem';

const ADMIN = { sub: 'admin-1', roles: ['admin'] } as unknown as AuthUser;

function summary(removed: number, unchanged: number) {
  return { rows: 0, added: 0, restored: 0, changed: 0, removed, unchanged, errors: 0, warnings: 0 };
}

function setup(listProcedures: PortalPort['listProcedures'], removed: number, unchanged: number) {
  const port = {
    listProcedures,
    getProcedure: vi.fn().mockRejectedValue(new Error('not asked in this test')),
  } as unknown as PortalPort;
  const planOrCommit = vi.fn(async (_u: AuthUser, _rows: unknown, _o: string, opts: { dryRun: boolean }) => ({
    dryRun: opts.dryRun,
    version: opts.dryRun ? null : 'cat-2',
    summary: summary(removed, unchanged),
  }));
  const catalogue = { planOrCommit } as unknown as CatalogueService;
  const store = { lookup: vi.fn().mockResolvedValue(new Map()) } as unknown as CatalogueAdminStore;
  const config = { client: null, madonvi: '000.00.00.H56', concurrency: 2, ratePerSecond: 1000 };
  const service = new CataloguePortalService({ port, config }, catalogue, store);
  return { service, planOrCommit };
}

const listed = (codes: string[]) =>
  vi.fn().mockResolvedValue({
    outcome: 'success',
    errorCode: '0',
    message: '',
    raw: {},
    procedures: codes.map((code) => ({ code, name: code })),
  });

describe('CataloguePortalService guards', () => {
  it('refuses to commit a pull that would retire more than half of the current catalogue', async () => {
    const { service, planOrCommit } = setup(listed(['1.000001']), 5_000, 600);
    const commit = service.refresh(ADMIN, { dryRun: false, expectedDiffHash: 'h' });
    await expect(commit).rejects.toBeInstanceOf(ProblemException);
    await expect(commit).rejects.toMatchObject({
      status: 409,
      errors: [{ field: '/portal/LayDanhSachTTHC', code: 'mass_retirement' }],
    });
    expect(planOrCommit.mock.calls.every(([, , , opts]) => opts.dryRun)).toBe(true);
  });

  it('commits a pull that retires a few codes, and still shows a mass retirement in a dry run', async () => {
    const few = setup(listed(['1.000001']), 3, 5_600);
    await expect(few.service.refresh(ADMIN, { dryRun: false })).resolves.toMatchObject({ version: 'cat-2' });
    const many = setup(listed(['1.000001']), 5_000, 600);
    await expect(many.service.refresh(ADMIN, { dryRun: true })).resolves.toMatchObject({
      summary: { removed: 5_000 },
    });
  });

  it('runs one pull at a time and answers 409 to a second one meanwhile', async () => {
    let release: () => void = () => undefined;
    const slowList = vi.fn(
      () =>
        new Promise((resolve) => {
          release = () =>
            resolve({
              outcome: 'success',
              errorCode: '0',
              message: '',
              raw: {},
              procedures: [{ code: '1.1' }],
            });
        }),
    ) as unknown as PortalPort['listProcedures'];
    const { service } = setup(slowList, 0, 1);
    const first = service.refresh(ADMIN, { dryRun: true });
    await expect(service.refresh(ADMIN, { dryRun: true })).rejects.toMatchObject({ status: 409 });
    release();
    await expect(first).resolves.toMatchObject({ dryRun: true });
    const next = service.refresh(ADMIN, { dryRun: true });
    release();
    await expect(next).resolves.toMatchObject({ dryRun: true });
  });
});
