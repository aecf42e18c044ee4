import axios, { type AxiosInstance, isAxiosError } from 'axios';
import type {
  CursorDescription,
  DossierRead,
  PullFlag,
  PullPage,
  PullParams,
  SourcePort,
  StatusLookupQuery,
  UnmappedStatusSeen,
} from '@isohub/adapters/source';
import {
  dossierToWire,
  orderDossiers,
  readActions,
  readListPage,
  type DossierWire,
  type ListedDossier,
  type VendorRecord,
} from './dossier-page.mapper';
import { DEFAULT_ONESTOP_REST, type OneStopRestConfig } from './onestop-rest.config';
import { isOnestopError, OnestopError, onestopErrorForStatus } from './onestop.errors';
import { advance, cursorTime, encodeCursor, parseCursor, unreadInWindow, windowOf } from './pull-cursor';
import { resolveStatus, type StatusLookup } from './status-table';
import { formatSince } from './vendor-dates';

/** Runs one upstream request under the caller's limits (rate, concurrency); identity when absent. */
export type RequestGate = <T>(call: () => Promise<T>) => Promise<T>;

export interface OneStopRestAdapterOptions {
  gate?: RequestGate;
  now?: () => Date;
  /** Published status mappings for this source, consulted before its `statusTable`. */
  statusLookup?: StatusLookup;
}

const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);
const TIMEOUT_CODES = new Set(['ECONNABORTED', 'ETIMEDOUT', 'ESOCKETTIMEDOUT']);
/** Most actions a dossier may have before the history is treated as broken (a paging loop upstream). */
const MAX_ACTIONS = 5_000;
/** Items asked for when one dossier is looked up by code (a filter that matches by substring answers more). */
const CODE_LOOKUP_SIZE = 50;

/**
 * Pull source for a one-stop system's REST API (first profile: OpenCPS v2). Each pull reads one page of
 * dossiers changed since the cursor (keyset paging on the modification time, with an overlap window at
 * the start of each run), fetches each one's processing history, and hands back DVCQG-shaped wire items;
 * the existing mappers and the event-id de-duplication do the rest. I/O only, no state beyond the cursor.
 */
export class OneStopRestAdapter implements SourcePort {
  readonly id: string;
  readonly agency: string | null;
  private readonly http: AxiosInstance;
  private readonly gate: RequestGate;
  private readonly now: () => Date;
  private readonly statusLookup: StatusLookup | undefined;

  constructor(
    private readonly config: OneStopRestConfig,
    options: OneStopRestAdapterOptions = {},
  ) {
    this.id = config.id;
    this.agency = config.agency;
    this.gate = options.gate ?? ((call) => call());
    this.now = options.now ?? (() => new Date());
    this.statusLookup = options.statusLookup;
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (config.groupId !== null) {
      headers[config.profile.groupHeader] = config.groupId;
    }
    if (config.auth.kind === 'basic') {
      const basic = Buffer.from(`${config.auth.username}:${config.auth.password}`, 'utf8').toString('base64');
      headers['Authorization'] = `Basic ${basic}`;
    } else if (config.auth.kind === 'token') {
      headers['Token'] = config.auth.token;
    }
    this.http = axios.create({
      baseURL: config.baseUrl,
      timeout: config.timeoutMs,
      maxContentLength: config.maxResponseBytes ?? DEFAULT_ONESTOP_REST.maxResponseBytes,
      headers,
      responseType: 'arraybuffer',
      transformResponse: [(data: unknown) => data],
      validateStatus: () => true,
      maxRedirects: 0,
    });
  }

  describeCursor(cursor: string | null): CursorDescription | null {
    const c = parseCursor(cursor, this.config.startFrom);
    return c === null ? null : { time: cursorTime(c) };
  }

  async pull({ cursor, limit }: PullParams): Promise<PullPage> {
    const c = parseCursor(cursor, this.config.startFrom);
    if (c === null) {
      throw new OnestopError('REJECTED', `the stored cursor of ${this.id} is not one of this source`, {
        retryable: false,
      });
    }
    const w = windowOf(c, this.config.overlapMinutes);
    const { profile } = this.config;
    const size = limit + w.skipIds.size;
    const params: Record<string, string> = {
      ...profile.list.extraParams,
      [profile.list.startParam]: '0',
      [profile.list.endParam]: String(size),
    };
    if (w.from !== null) {
      params[profile.list.modifiedSinceParam] = formatSince(w.from, profile.list.sinceFormat);
    }
    const body = await this.getJson('list', profile.list.path, params);
    const read = readListPage(body.json, profile);
    if (!read.ok) {
      throw new OnestopError('BAD_RESPONSE', `list: ${read.reason}`, { endpoint: 'list', payload: body.raw });
    }
    const { page } = read;
    // A total that says "more" with nothing in the page is a broken page, not the end: ask again later.
    if (page.rawCount === 0 && page.total !== null && page.total > w.skipIds.size) {
      throw new OnestopError('BAD_RESPONSE', `list: empty page although total=${page.total}`, {
        endpoint: 'list',
        payload: body.raw,
      });
    }
    const unread = unreadInWindow(orderDossiers(page.dossiers), w);
    const upstreamHasMore = page.total !== null ? page.total > page.rawCount : page.rawCount >= size;
    const wires = await this.mapAll(unread, w.from);
    const next = advance(c, w, unread, upstreamHasMore, this.now());
    const flags: PullFlag[] = wires.flatMap((x) =>
      x.unmapped.map((u) => ({
        code: 'unmapped-status',
        detail: u.subStatus === null ? u.status : `${u.status}/${u.subStatus}`,
      })),
    );
    return {
      batches: batchesOf(wires),
      nextCursor: encodeCursor(next.cursor),
      hasMore: next.more,
      flags,
      unmapped: wires.flatMap(unmappedOf),
    };
  }

  /**
   * One dossier again, by its code: the list filtered on the code (`profile.list.codeParam`), the exact match
   * among the answers, then its whole history, mapped as a re-poll of a known dossier maps it (its due date
   * comes with the current snapshot, not the header), so every change that maps as before keeps its id.
   */
  async fetchDossier({ dossierCode }: { dossierCode: string }): Promise<DossierRead> {
    const { profile } = this.config;
    if (profile.list.codeParam === null) {
      throw new OnestopError('REJECTED', `${this.id}: the API has no filter on the dossier code`, {
        retryable: false,
      });
    }
    const body = await this.getJson('list', profile.list.path, {
      ...profile.list.extraParams,
      [profile.list.codeParam]: dossierCode,
      [profile.list.startParam]: '0',
      [profile.list.endParam]: String(CODE_LOOKUP_SIZE),
    });
    const read = readListPage(body.json, profile);
    if (!read.ok) {
      throw new OnestopError('BAD_RESPONSE', `list: ${read.reason}`, { endpoint: 'list', payload: body.raw });
    }
    const wanted = dossierCode.normalize('NFC').trim();
    const matches = orderDossiers(
      read.page.dossiers.filter((d) => {
        const code = d.raw[profile.dossier.code];
        return (
          (typeof code === 'string' || typeof code === 'number') &&
          String(code).normalize('NFC').trim() === wanted
        );
      }),
    );
    const dossier = matches.at(-1);
    if (!dossier) {
      return { found: false, batches: [], unmapped: [] };
    }
    const [wire] = await this.mapAll([dossier], this.now().toISOString());
    return { found: true, batches: batchesOf([wire]), unmapped: unmappedOf(wire) };
  }

  mapsStatus({ status, subStatus, at }: StatusLookupQuery): boolean {
    return resolveStatus(this.statusLookup, this.config.statusTable, status, subStatus, at) !== null;
  }

  async checkConnection(): Promise<{ ok: boolean; detail: string }> {
    const started = Date.now();
    const { list } = this.config.profile;
    try {
      const body = await this.getJson('list', list.path, {
        ...list.extraParams,
        [list.startParam]: '0',
        [list.endParam]: '1',
      });
      const read = readListPage(body.json, this.config.profile);
      if (!read.ok) {
        return { ok: false, detail: `BAD_RESPONSE: ${read.reason}` };
      }
      const total = read.page.total === null ? '' : `, ${read.page.total} dossier(s) listed`;
      return { ok: true, detail: `dossier list answered in ${Date.now() - started} ms${total}` };
    } catch (error) {
      const e = isOnestopError(error) ? error : toOnestopError(error, 'list');
      return { ok: false, detail: `${e.code}: ${e.message}` };
    }
  }

  private async mapAll(dossiers: readonly ListedDossier[], since: string | null): Promise<DossierWire[]> {
    const out: DossierWire[] = new Array<DossierWire>(dossiers.length);
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < dossiers.length) {
        const i = next++;
        const d = dossiers[i];
        const actions = d.id === null ? [] : await this.actionsOf(d.id);
        out[i] = dossierToWire(d, actions, {
          profile: this.config.profile,
          statusTable: this.config.statusTable,
          statusLookup: this.statusLookup,
          stepStatus: this.config.stepStatus,
          since,
        });
      }
    };
    const workers = Math.min(this.config.historyConcurrency, dossiers.length);
    await Promise.all(Array.from({ length: workers }, worker));
    return out;
  }

  private async actionsOf(dossierId: string): Promise<VendorRecord[]> {
    const layout = this.config.profile.actions;
    const path = layout.path.replace('{id}', encodeURIComponent(dossierId));
    const all: VendorRecord[] = [];
    for (let start = 0; start < MAX_ACTIONS; start += layout.pageSize) {
      const body = await this.getJson('actions', path, {
        [layout.startParam]: String(start),
        [layout.endParam]: String(start + layout.pageSize),
      });
      const read = readActions(body.json, this.config.profile);
      if (!read.ok) {
        throw new OnestopError('BAD_RESPONSE', `actions of ${dossierId}: ${read.reason}`, {
          endpoint: 'actions',
          payload: body.raw,
        });
      }
      all.push(...read.actions);
      const total = read.total ?? all.length;
      if (read.actions.length === 0 || read.actions.length < layout.pageSize || all.length >= total) {
        return all;
      }
    }
    throw new OnestopError('BAD_RESPONSE', `actions of ${dossierId}: more than ${MAX_ACTIONS}`, {
      endpoint: 'actions',
    });
  }

  private async getJson(
    endpoint: string,
    path: string,
    params: Record<string, string>,
  ): Promise<{ json: unknown; raw: Buffer }> {
    return this.gate(async () => {
      let res;
      // axios's `timeout` is an idle timer: an upstream dripping bytes never trips it. The signal is a deadline.
      const deadline = AbortSignal.timeout(this.config.timeoutMs);
      try {
        res = await this.http.get<ArrayBuffer>(path, { params, signal: deadline });
      } catch (error) {
        throw toOnestopError(error, endpoint, deadline);
      }
      const raw = Buffer.from(res.data);
      if (res.status < 200 || res.status >= 300) {
        throw onestopErrorForStatus(res.status, endpoint);
      }
      try {
        return { json: JSON.parse(raw.toString('utf8').replace(/^\uFEFF/, '')) as unknown, raw };
      } catch {
        throw new OnestopError('BAD_RESPONSE', `${endpoint}: the answer is not JSON (${raw.length} bytes)`, {
          endpoint,
          httpStatus: res.status,
          payload: raw,
        });
      }
    });
  }
}

/** Each dossier's header, then every history row, then each current copy (see `dossierToWire`). */
function batchesOf(wires: readonly DossierWire[]): PullPage['batches'] {
  return [
    { operation: 'DongBoHoSoMC', items: wires.map((x) => x.header) },
    { operation: 'CapNhatTienDoHoSoMC', items: wires.flatMap((x) => x.rows) },
    { operation: 'DongBoHoSoMC', items: wires.map((x) => x.current) },
  ].filter((b) => b.items.length > 0) as PullPage['batches'];
}

function unmappedOf(wire: DossierWire): UnmappedStatusSeen[] {
  const code = wire.code;
  return code === null ? [] : wire.unmapped.map((u) => ({ dossierCode: code, ...u }));
}

/** The cause is rebuilt from code and message only: the client's error holds the credentials header. */
function toOnestopError(error: unknown, endpoint: string, deadline?: AbortSignal): OnestopError {
  if (isOnestopError(error)) {
    return error;
  }
  const code = isAxiosError(error) ? (error.code ?? '') : '';
  const detail = error instanceof Error ? error.message : String(error);
  const cause = Object.assign(new Error(detail), { code });
  if (TIMEOUT_CODES.has(code) || (code === 'ERR_CANCELED' && deadline?.aborted === true)) {
    return new OnestopError('TIMEOUT', `${endpoint}: no answer in time`, { endpoint, cause });
  }
  if (/maxContentLength/i.test(detail)) {
    return new OnestopError('BAD_RESPONSE', `${endpoint}: answer larger than maxResponseBytes; refused`, {
      endpoint,
      cause,
      retryable: false,
    });
  }
  if (UNAVAILABLE_CODES.has(code)) {
    return new OnestopError('UNAVAILABLE', `${endpoint}: unreachable (${code})`, { endpoint, cause });
  }
  if (code.startsWith('ERR_FR_') || code === 'ERR_BAD_RESPONSE') {
    return new OnestopError('BAD_RESPONSE', `${endpoint}: unusable answer (${code})`, { endpoint, cause });
  }
  return new OnestopError('UNAVAILABLE', `${endpoint}: request failed (${code || detail})`, {
    endpoint,
    cause,
  });
}
