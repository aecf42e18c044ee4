import { Inject, Injectable, Logger } from '@nestjs/common';
import Bottleneck from 'bottleneck';
import type { AuthUser } from '@isohub/auth';
import {
  isPortalError,
  mapPortalProcedure,
  type PortalCatalogueRow,
  type PortalPort,
} from '@isohub/adapters/portal';
import { CatalogueAdminStore } from '@isohub/persistence';
import type { CataloguePortalConfig } from './catalogue-portal.config';
import { portalCatalogueRows, type StoredEntry } from './catalogue-portal-rows';
import { CatalogueService } from './catalogue.service';
import { ProblemException } from '../http/problem';

export const CATALOGUE_PORTAL = Symbol('CATALOGUE_PORTAL');

/** The portal client and its settings; null when no portal is configured. */
export type CataloguePortal = { port: PortalPort; config: CataloguePortalConfig } | null;

export interface PortalFetchFailure {
  code: string;
  error: string;
}

function failureText(error: unknown): string {
  return isPortalError(error) ? `${error.code}: ${error.message}` : `ERROR: ${String(error)}`;
}

/** The list call failed: nothing can be planned. 503 when the portal is away, 502 when it answered badly. */
function listProblem(error: unknown): ProblemException {
  const away = isPortalError(error) && (error.code === 'UNAVAILABLE' || error.code === 'TIMEOUT');
  const detail = `LayDanhSachTTHC failed (${failureText(error)}); nothing was planned or written`;
  return new ProblemException(away ? 503 : 502, away ? 'Service unavailable' : 'Bad gateway', detail, [
    { field: '/portal/LayDanhSachTTHC', code: isPortalError(error) ? error.code : 'ERROR', message: detail },
  ]);
}

/**
 * `POST /api/catalogue/refresh-from-portal`: the national catalogue pulled with LayDanhSachTTHC and
 * one LayThuTuc per procedure (bounded concurrency, rate-limited), then the same planning and commit
 * as an uploaded catalogue (diff, `cat-<n>`, history, replaced codes, renamed agencies, audit).
 */
@Injectable()
export class CataloguePortalService {
  private readonly logger = new Logger('CataloguePortal');
  /** One pull at a time: two would double the load on the portal and bypass its rate limit. */
  private running = false;

  constructor(
    @Inject(CATALOGUE_PORTAL) private readonly portal: CataloguePortal,
    @Inject(CatalogueService) private readonly catalogue: CatalogueService,
    @Inject(CatalogueAdminStore) private readonly store: CatalogueAdminStore,
  ) {}

  async refresh(user: AuthUser, options: { dryRun: boolean; expectedDiffHash?: string }) {
    if (this.running) {
      throw new ProblemException(
        409,
        'Conflict',
        'a catalogue pull from the portal is already running; try again when it has finished',
      );
    }
    this.running = true;
    try {
      return await this.pull(user, options);
    } finally {
      this.running = false;
    }
  }

  private async pull(user: AuthUser, options: { dryRun: boolean; expectedDiffHash?: string }) {
    if (this.portal === null) {
      throw new ProblemException(
        503,
        'Service unavailable',
        'no national portal is configured (PORTAL_BASE_URL)',
      );
    }
    const { port, config } = this.portal;
    const started = performance.now();
    let listed: string[];
    try {
      const list = await port.listProcedures({ madonvi: config.madonvi });
      if (list.outcome !== 'success') {
        throw new Error(`the portal refused: error_code "${list.errorCode}" ${list.message}`);
      }
      listed = list.procedures.map((p) => p.code);
    } catch (error) {
      throw listProblem(error);
    }
    if (listed.length === 0) {
      // Planning from an empty list would retire the whole catalogue.
      throw listProblem(new Error('the portal listed no procedures'));
    }

    const { fetched, failed } = await this.fetchAll(port, config, listed);
    const stored = await this.store.lookup(listed);
    const entries = new Map<string, StoredEntry>(
      [...stored].map(([code, p]) => [code, { ...p, retired: p.validTo !== null }]),
    );
    const rows = portalCatalogueRows(listed, fetched, entries);
    const origin = `portal:${config.client?.baseUrl ?? ''}`;
    if (!options.dryRun) {
      await this.refuseMassRetirement(user, rows, origin);
    }
    const answer = await this.catalogue.planOrCommit(user, rows, origin, options);
    const tookMs = Math.round(performance.now() - started);
    this.logger.log(
      `catalogue pull: ${listed.length} listed, ${fetched.size} fetched, ${failed.length} failed, ` +
        `${options.dryRun ? 'dry run' : `committed ${answer.version}`} in ${tookMs} ms`,
    );
    return { ...answer, listed: listed.length, fetched: fetched.size, failed, tookMs };
  }

  /**
   * A portal list that lost most of the catalogue (a truncated or paged answer) would retire thousands of
   * procedures in one commit. More than half is refused; a file refresh stays available for a real purge.
   */
  private async refuseMassRetirement(
    user: AuthUser,
    rows: Parameters<CatalogueService['planOrCommit']>[1],
    origin: string,
  ): Promise<void> {
    const { summary } = await this.catalogue.planOrCommit(user, rows, origin, { dryRun: true });
    const current = summary.removed + summary.changed + summary.unchanged;
    if (summary.removed * 2 > current) {
      const detail =
        `refusing to retire ${summary.removed} of ${current} current procedures from one portal pull: ` +
        'the portal list looks truncated; check it, or refresh from a file';
      throw new ProblemException(409, 'Conflict', detail, [
        { field: '/portal/LayDanhSachTTHC', code: 'mass_retirement', message: detail },
      ]);
    }
  }

  private async fetchAll(
    port: PortalPort,
    config: CataloguePortalConfig,
    codes: readonly string[],
  ): Promise<{ fetched: Map<string, PortalCatalogueRow>; failed: PortalFetchFailure[] }> {
    const limiter = new Bottleneck({
      maxConcurrent: config.concurrency,
      minTime: Math.ceil(1000 / config.ratePerSecond),
    });
    const fetched = new Map<string, PortalCatalogueRow>();
    const failed: PortalFetchFailure[] = [];
    await Promise.all(
      codes.map((code) =>
        limiter.schedule(async () => {
          try {
            const answer = await port.getProcedure({ madonvi: config.madonvi, maTTHC: code });
            if (answer.outcome !== 'success') {
              failed.push({ code, error: `REJECTED: error_code "${answer.errorCode}" ${answer.message}` });
              return;
            }
            if (answer.procedure === null) {
              failed.push({ code, error: 'NOT_FOUND: LayThuTuc returned no record' });
              return;
            }
            const read = mapPortalProcedure(answer.procedure, code);
            if (read.ok) {
              fetched.set(code, read.row);
            } else {
              failed.push({ code, error: `BAD_RECORD: ${read.field}: ${read.problem}` });
            }
          } catch (error) {
            failed.push({ code, error: failureText(error) });
          }
        }),
      ),
    );
    await limiter.stop({ dropWaitingJobs: false });
    failed.sort((a, b) => a.code.localeCompare(b.code));
    return { fetched, failed };
  }
}
