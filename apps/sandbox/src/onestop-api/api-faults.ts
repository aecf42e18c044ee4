import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import type { ServerResponse } from 'node:http';

export const API_ENDPOINTS = ['list', 'actions'] as const;
export type ApiEndpoint = (typeof API_ENDPOINTS)[number];

export const API_FAULT_MODES = [
  'none',
  /** Answer after `latencyMs`. */
  'slow',
  /** 503 with an error page. */
  'http500',
  /** Never answer (until the client gives up). */
  'timeout',
  /** Close the connection without an answer. */
  'drop',
  /** 200 with the JSON cut in half. */
  'malformed',
  /** Repeat entries of the answer. */
  'duplicate',
  /** Shuffle the entries of the answer. */
  'out-of-order',
  /** `data: []` with the true total (list). */
  'empty-page',
  /** Answer, then move the site's clock by `advanceMs`, so dossiers change between two pages (list). */
  'change-during-paging',
] as const;
export type ApiFaultMode = (typeof API_FAULT_MODES)[number];

export interface ApiFaultSettings {
  mode: ApiFaultMode;
  latencyMs?: number;
  advanceMs?: number;
  /** Requests the fault applies to before it switches itself off; unlimited if absent. */
  count?: number;
}

export interface ApiFaultState {
  mode: ApiFaultMode;
  latencyMs: number;
  advanceMs: number;
  remaining: number | null;
  injected: number;
}

const idle = (): ApiFaultState => ({
  mode: 'none',
  latencyMs: 2_000,
  advanceMs: 30 * 60_000,
  remaining: null,
  injected: 0,
});

/** Run-time switchable faults per endpoint of the simulated one-stop API. */
@Injectable()
export class ApiFaults implements OnApplicationShutdown {
  private readonly state = new Map<ApiEndpoint, ApiFaultState>(API_ENDPOINTS.map((e) => [e, idle()]));
  private readonly held = new Set<ServerResponse>();

  set(endpoint: ApiEndpoint, s: ApiFaultSettings): ApiFaultState {
    const base = idle();
    this.state.set(endpoint, {
      mode: s.mode,
      latencyMs: s.latencyMs ?? base.latencyMs,
      advanceMs: s.advanceMs ?? base.advanceMs,
      remaining: s.mode === 'none' ? null : (s.count ?? null),
      injected: 0,
    });
    return this.read(endpoint);
  }

  read(endpoint: ApiEndpoint): ApiFaultState {
    return { ...(this.state.get(endpoint) ?? idle()) };
  }

  readAll(): Record<ApiEndpoint, ApiFaultState> {
    return { list: this.read('list'), actions: this.read('actions') };
  }

  reset(): void {
    for (const e of API_ENDPOINTS) {
      this.state.set(e, idle());
    }
  }

  /** The fault for the request arriving now, counting it down; null when none applies. */
  take(endpoint: ApiEndpoint): ApiFaultState | null {
    const s = this.state.get(endpoint);
    if (!s || s.mode === 'none' || s.remaining === 0) {
      return null;
    }
    s.injected += 1;
    const taken = { ...s };
    if (s.remaining !== null) {
      s.remaining -= 1;
      if (s.remaining === 0) {
        s.mode = 'none';
        s.remaining = null;
      }
    }
    return taken;
  }

  hold(res: ServerResponse): void {
    this.held.add(res);
    res.on('close', () => this.held.delete(res));
  }

  onApplicationShutdown(): void {
    for (const res of this.held) {
      res.destroy();
    }
    this.held.clear();
  }
}
