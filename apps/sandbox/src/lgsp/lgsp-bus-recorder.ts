import { Injectable } from '@nestjs/common';

/** One REST call the simulated bus received past its token check. */
export interface RecordedBusCall {
  seq: number;
  receivedAt: string;
  method: string;
  /** Path under the REST base, e.g. `/Document/SyncDocument`. */
  path: string;
  contentType: string | null;
  /** The body exactly as received, as UTF-8 text. */
  rawBody: string;
  /** The fault injected into this call, if any. */
  fault: string | null;
  /** HTTP status answered; null when it answered nothing (connection dropped or held open). */
  status: number | null;
}

const MAX_CALLS = 10_000;

/**
 * What the simulated bus's REST services received, in arrival order, so tests can check that isohub
 * forwarded the one-stop systems' LGSP calls byte for byte (as `/_sandbox/portal/received` does for the
 * portal). In memory, the oldest calls dropped after MAX_CALLS.
 */
@Injectable()
export class LgspBusRecorder {
  private seq = 0;
  private readonly calls: RecordedBusCall[] = [];

  record(call: Omit<RecordedBusCall, 'seq' | 'receivedAt'>): void {
    this.calls.push({ seq: ++this.seq, receivedAt: new Date().toISOString(), ...call });
    if (this.calls.length > MAX_CALLS) {
      this.calls.splice(0, this.calls.length - MAX_CALLS);
    }
  }

  /** Calls in arrival order, optionally only those to `path`. */
  received(path?: string): RecordedBusCall[] {
    return this.calls.filter((c) => path === undefined || c.path === path);
  }

  reset(): void {
    this.calls.length = 0;
  }
}
