import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import type { ServerResponse } from 'node:http';

export const FAULT_MODES = ['none', 'down', 'http500', 'slow', 'timeout', 'reject', 'malformed'] as const;
export type FaultMode = (typeof FAULT_MODES)[number];

export interface FaultSettings {
  mode: FaultMode;
  /** Added delay for `slow` (default 2000 ms). */
  latencyMs?: number;
  /** How many portal requests the fault applies to before it switches itself off; unlimited if absent. */
  count?: number;
}

export interface FaultState {
  mode: FaultMode;
  latencyMs: number;
  /** Requests still to be faulted; null = until switched off. */
  remaining: number | null;
  /** Requests faulted since the mode was last set. */
  injected: number;
}

export const DEFAULT_SLOW_LATENCY_MS = 2_000;

/**
 * Where a fault can be set besides everywhere: an endpoint, or one service on the integration or
 * share endpoint (`integration.LayThuTuc`, `share.LayDanhSachTTHC`).
 */
export const FAULT_TARGET =
  /^(auth|thanhhoa-(create|update|progress)|(integration|share)(\.[A-Za-z]{1,64})?)$/;

const idle = (): FaultState => ({
  mode: 'none',
  latencyMs: DEFAULT_SLOW_LATENCY_MS,
  remaining: null,
  injected: 0,
});

/** Run-time switchable faults for the simulated portal: everywhere, or per endpoint or service. */
@Injectable()
export class FaultInjector implements OnApplicationShutdown {
  private state: FaultState = idle();
  private readonly targeted = new Map<string, FaultState>();
  private readonly held = new Set<ServerResponse>();

  /** Sets the fault of `target` (FAULT_TARGET), or the one that applies everywhere when absent. */
  set(settings: FaultSettings, target?: string): FaultState {
    const state: FaultState = {
      mode: settings.mode,
      latencyMs: settings.latencyMs ?? DEFAULT_SLOW_LATENCY_MS,
      remaining: settings.mode === 'none' ? null : (settings.count ?? null),
      injected: 0,
    };
    if (target === undefined) {
      this.state = state;
    } else {
      this.targeted.set(target, state);
    }
    return this.read(target);
  }

  read(target?: string): FaultState {
    return { ...(target === undefined ? this.state : (this.targeted.get(target) ?? idle())) };
  }

  /** Every fault switched off. */
  reset(): void {
    this.state = idle();
    this.targeted.clear();
  }

  /**
   * The fault to apply to the request arriving now, counting it down; null when none applies. The
   * request's targets are tried most specific first, then the fault that applies everywhere.
   */
  take(targets: readonly string[] = []): { mode: Exclude<FaultMode, 'none'>; latencyMs: number } | null {
    for (const target of targets) {
      const state = this.targeted.get(target);
      const fault = state ? consume(state) : null;
      if (fault) {
        return fault;
      }
    }
    return consume(this.state);
  }

  /** Keeps a response open without answering (`timeout`), until the client gives up or the app stops. */
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

function consume(state: FaultState): { mode: Exclude<FaultMode, 'none'>; latencyMs: number } | null {
  const { mode, latencyMs, remaining } = state;
  if (mode === 'none' || remaining === 0) {
    return null;
  }
  state.injected += 1;
  if (remaining !== null) {
    state.remaining = remaining - 1;
    if (state.remaining === 0) {
      state.mode = 'none';
      state.remaining = null;
    }
  }
  return { mode, latencyMs };
}
