import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import type { ServerResponse } from 'node:http';

export const FAULT_MODES = ['none', 'down', 'http500', 'slow', 'timeout', 'reject'] as const;
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

/** Run-time switchable faults for the simulated portal's endpoints. */
@Injectable()
export class FaultInjector implements OnApplicationShutdown {
  private state: FaultState = {
    mode: 'none',
    latencyMs: DEFAULT_SLOW_LATENCY_MS,
    remaining: null,
    injected: 0,
  };
  private readonly held = new Set<ServerResponse>();

  set(settings: FaultSettings): FaultState {
    this.state = {
      mode: settings.mode,
      latencyMs: settings.latencyMs ?? DEFAULT_SLOW_LATENCY_MS,
      remaining: settings.mode === 'none' ? null : (settings.count ?? null),
      injected: 0,
    };
    return this.read();
  }

  read(): FaultState {
    return { ...this.state };
  }

  /** The fault to apply to the request arriving now, counting it down; null when none applies. */
  take(): { mode: Exclude<FaultMode, 'none'>; latencyMs: number } | null {
    const { mode, latencyMs, remaining } = this.state;
    if (mode === 'none' || remaining === 0) {
      return null;
    }
    this.state.injected += 1;
    if (remaining !== null) {
      this.state.remaining = remaining - 1;
      if (this.state.remaining === 0) {
        this.state.mode = 'none';
        this.state.remaining = null;
      }
    }
    return { mode, latencyMs };
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
