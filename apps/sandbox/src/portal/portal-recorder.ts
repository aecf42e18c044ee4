import { Injectable } from '@nestjs/common';

export type PortalEndpoint =
  'login' | 'integration' | 'share' | 'thanhhoa-create' | 'thanhhoa-update' | 'thanhhoa-progress';
export type SenderStyle = 'opencps' | 'thanhhoa';

export interface RecordedRequest {
  seq: number;
  receivedAt: string;
  endpoint: PortalEndpoint;
  path: string;
  /** Envelope `service`; for Thanh Hóa endpoints the DVCQG service the URL stands for. */
  service: string | null;
  madonvi: string | null;
  isUpdating: string | null;
  /** The body as received (UTF-8), except that a login password is masked. */
  rawBody: string;
  /** The fault injected instead of normal handling, if any. */
  fault: string | null;
  /** What the portal answered; null when it answered nothing (dropped or held connection). */
  answer: unknown;
}

export interface RecordedProgressRow {
  receivedAt: string;
  style: SenderStyle;
  row: Record<string, unknown>;
}

export interface RecordedDossier {
  maHoSo: string;
  madonvi: string | null;
  style: SenderStyle;
  firstSeenAt: string;
  updatedAt: string;
  /** The latest full snapshot (DongBoHoSoMC item); null while only progress rows arrived. */
  snapshot: Record<string, unknown> | null;
  /** How many snapshots were accepted (creates + updates). */
  versions: number;
  /** `TrangThaiHoSo` of each accepted snapshot, in arrival order. */
  statusHistory: string[];
  progress: RecordedProgressRow[];
}

export type RecordedDossierSummary = Omit<RecordedDossier, 'snapshot' | 'progress'> & {
  trangThaiHoSo: string | null;
  progressCount: number;
};

function statusOf(item: Record<string, unknown>): string {
  const status = item['TrangThaiHoSo'];
  return typeof status === 'string' || typeof status === 'number' ? String(status) : '';
}

/** Everything the simulated portal received, in memory, for tests and the demo. */
@Injectable()
export class PortalRecorder {
  private seq = 0;
  private readonly requests: RecordedRequest[] = [];
  private readonly dossiers = new Map<string, RecordedDossier>();

  logRequest(entry: Omit<RecordedRequest, 'seq' | 'receivedAt'>): RecordedRequest {
    const recorded = { seq: ++this.seq, receivedAt: new Date().toISOString(), ...entry };
    this.requests.push(recorded);
    return recorded;
  }

  has(maHoSo: string): boolean {
    return this.dossiers.get(maHoSo)?.snapshot != null;
  }

  find(maHoSo: string): RecordedDossier | null {
    return this.dossiers.get(maHoSo) ?? null;
  }

  saveSnapshot(
    maHoSo: string,
    item: Record<string, unknown>,
    madonvi: string | null,
    style: SenderStyle,
  ): void {
    const dossier = this.entry(maHoSo, madonvi, style);
    dossier.snapshot = item;
    dossier.versions += 1;
    dossier.statusHistory.push(statusOf(item));
    dossier.updatedAt = new Date().toISOString();
  }

  addProgress(
    maHoSo: string,
    row: Record<string, unknown>,
    madonvi: string | null,
    style: SenderStyle,
  ): void {
    const dossier = this.entry(maHoSo, madonvi, style);
    dossier.progress.push({ receivedAt: new Date().toISOString(), style, row });
    dossier.updatedAt = new Date().toISOString();
  }

  received(): { requests: RecordedRequest[]; dossiers: RecordedDossierSummary[] } {
    return {
      requests: [...this.requests],
      dossiers: [...this.dossiers.values()].map(({ snapshot, progress, ...rest }) => ({
        ...rest,
        trangThaiHoSo: snapshot ? statusOf(snapshot) : null,
        progressCount: progress.length,
      })),
    };
  }

  reset(): void {
    this.requests.length = 0;
    this.dossiers.clear();
  }

  /**
   * Test control: the portal's copy stops agreeing with what it was sent (fields overwritten), as when
   * the portal drops or rewrites an update. Null when the portal holds no snapshot of the dossier.
   */
  tamper(maHoSo: string, changes: Readonly<Record<string, string | null>>): RecordedDossier | null {
    const dossier = this.dossiers.get(maHoSo);
    if (!dossier?.snapshot) {
      return null;
    }
    dossier.snapshot = { ...dossier.snapshot, ...changes };
    return dossier;
  }

  /** Test control: the portal loses the dossier (TraCuuHoSo then answers `result: []`). */
  forget(maHoSo: string): boolean {
    return this.dossiers.delete(maHoSo);
  }

  private entry(maHoSo: string, madonvi: string | null, style: SenderStyle): RecordedDossier {
    let dossier = this.dossiers.get(maHoSo);
    if (!dossier) {
      const now = new Date().toISOString();
      dossier = {
        maHoSo,
        madonvi,
        style,
        firstSeenAt: now,
        updatedAt: now,
        snapshot: null,
        versions: 0,
        statusHistory: [],
        progress: [],
      };
      this.dossiers.set(maHoSo, dossier);
    }
    dossier.madonvi ??= madonvi;
    return dossier;
  }
}
