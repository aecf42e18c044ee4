import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import type { ServerResponse } from 'node:http';

export const LGSP_ENDPOINTS = ['token', 'rest', 'soap', 'wsdl'] as const;
export type LgspEndpoint = (typeof LGSP_ENDPOINTS)[number];

/**
 * - `slow`: answer normally after `latencyMs`;
 * - `http500`: an HTML error page; `timeout`: never answer; `drop`: close the connection without an answer;
 * - `malformed`: a truncated body (XML, JSON or token answer);
 * - `soapFault` / `clientFault`: a SOAP Fault `soap:Server` (the bus is in trouble) / `soap:Client`; on
 *   `rest`, `clientFault` is the bus refusing the request: HTTP 400 with an MResult giving the reason;
 * - `xxe`: an answer whose DTD declares an external entity (`file:///etc/passwd`) and uses it;
 * - `bomb`: a billion-laughs answer (nested internal entities);
 * - `emptyPage` (SOAP list only): a page with no dossiers, as a bus does under load;
 * - `changeDuringPaging` (SOAP list only): before answering, the oldest dossier of the listed range changes,
 *   so it leaves its place and every later dossier moves one position up.
 */
export const LGSP_FAULT_MODES = [
  'none',
  'slow',
  'http500',
  'timeout',
  'drop',
  'malformed',
  'soapFault',
  'clientFault',
  'xxe',
  'bomb',
  'emptyPage',
  'changeDuringPaging',
] as const;
export type LgspFaultMode = (typeof LGSP_FAULT_MODES)[number];

const LIST_ONLY: ReadonlySet<LgspFaultMode> = new Set(['emptyPage', 'changeDuringPaging']);
export const LIST_OPERATION = 'ListChangedDossiers';

export interface LgspFaultSettings {
  mode: LgspFaultMode;
  latencyMs?: number;
  /** Requests to fault before the mode switches itself off; unlimited if absent. */
  count?: number;
  /** SOAP only: fault only this operation (list-only modes imply ListChangedDossiers). */
  operation?: string;
}

export interface LgspFaultState {
  mode: LgspFaultMode;
  latencyMs: number;
  remaining: number | null;
  operation: string | null;
  injected: number;
}

export type TakenFault = { mode: Exclude<LgspFaultMode, 'none'>; latencyMs: number };

const DEFAULT_LATENCY_MS = 2_000;

function idle(): LgspFaultState {
  return { mode: 'none', latencyMs: DEFAULT_LATENCY_MS, remaining: null, operation: null, injected: 0 };
}

/** Run-time switchable faults, one setting per endpoint of the simulated bus. */
@Injectable()
export class LgspFaultInjector implements OnApplicationShutdown {
  private readonly states = new Map<LgspEndpoint, LgspFaultState>(LGSP_ENDPOINTS.map((e) => [e, idle()]));
  private readonly held = new Set<ServerResponse>();

  set(endpoint: LgspEndpoint, settings: LgspFaultSettings): LgspFaultState {
    const operation = settings.operation ?? (LIST_ONLY.has(settings.mode) ? LIST_OPERATION : null);
    this.states.set(endpoint, {
      mode: settings.mode,
      latencyMs: settings.latencyMs ?? DEFAULT_LATENCY_MS,
      remaining: settings.mode === 'none' ? null : (settings.count ?? null),
      operation: settings.mode === 'none' ? null : operation,
      injected: 0,
    });
    return this.read(endpoint);
  }

  read(endpoint: LgspEndpoint): LgspFaultState {
    return { ...(this.states.get(endpoint) ?? idle()) };
  }

  reset(): void {
    for (const endpoint of LGSP_ENDPOINTS) {
      this.states.set(endpoint, idle());
    }
  }

  /** The fault for the request arriving now at `endpoint` (and SOAP `operation`), counting it down. */
  take(endpoint: LgspEndpoint, operation: string | null = null): TakenFault | null {
    const state = this.states.get(endpoint);
    if (!state || state.mode === 'none' || state.remaining === 0) {
      return null;
    }
    if (state.operation !== null && state.operation !== operation) {
      return null;
    }
    state.injected += 1;
    if (state.remaining !== null) {
      state.remaining -= 1;
      if (state.remaining === 0) {
        this.states.set(endpoint, { ...idle(), injected: state.injected });
      }
    }
    return { mode: state.mode, latencyMs: state.latencyMs };
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
