import { Inject, Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { DATA_SOURCE } from '../infra/infra.module';

export type CallOutcome = 'delivered' | 'refused' | 'unanswered';

export interface TeeCall {
  sender: string;
  style: string;
  operation: string;
  dossierCodes: string[];
  outcome: CallOutcome;
  httpStatus: number | null;
  errorCode: string | null;
  message: string | null;
  requestSha256: string;
  receivedAt: Date;
}

export interface TeeCallRow extends Omit<TeeCall, 'receivedAt'> {
  id: string;
  receivedAt: string;
  answeredAt: string;
}

export interface SenderSyncSummary {
  sender: string;
  style: string;
  delivered: number;
  refused: number;
  unanswered: number;
  /** Dossiers whose latest call the upstream accepted, of the dossiers the sender sent. */
  dossiersSynced: number;
  dossiers: number;
  /** dossiersSynced / dossiers (QĐ 766 indicator 1.4, as isohub sees it); null with no dossier. */
  syncRate: number | null;
  lastRefusal: { errorCode: string | null; message: string | null; at: string } | null;
}

const MESSAGE_MAX = 500;

/** The upstream's answer kept beside each dossier-carrying call of an identified sender (`tee_call`). */
@Injectable()
export class TeeCallStore {
  constructor(@Inject(DATA_SOURCE) private readonly ds: DataSource) {}

  async add(c: TeeCall): Promise<void> {
    await this.ds.query(
      `INSERT INTO tee_call (sender, style, operation, dossier_codes, outcome, http_status, error_code, message,
                             request_sha256, received_at)
       VALUES ($1, $2, $3, $4::text[], $5, $6, $7, $8, $9, $10)`,
      [
        c.sender,
        c.style,
        c.operation,
        c.dossierCodes,
        c.outcome,
        c.httpStatus,
        c.errorCode?.slice(0, 50) ?? null,
        c.message?.slice(0, MESSAGE_MAX) ?? null,
        c.requestSha256,
        c.receivedAt,
      ],
    );
  }

  async list(f: { sender?: string; dossier?: string; limit: number }): Promise<TeeCallRow[]> {
    const rows = await this.ds.query<Record<string, unknown>[]>(
      `SELECT id::text, sender, style, operation, dossier_codes, outcome, http_status, error_code, message,
              request_sha256, received_at, answered_at
         FROM tee_call
        WHERE ($1::text IS NULL OR sender = $1) AND ($2::text IS NULL OR dossier_codes @> ARRAY[$2::text])
        ORDER BY id DESC LIMIT $3`,
      [f.sender ?? null, f.dossier ?? null, f.limit],
    );
    return rows.map((r) => ({
      id: r['id'] as string,
      sender: r['sender'] as string,
      style: r['style'] as string,
      operation: r['operation'] as string,
      dossierCodes: r['dossier_codes'] as string[],
      outcome: r['outcome'] as CallOutcome,
      httpStatus: r['http_status'] as number | null,
      errorCode: r['error_code'] as string | null,
      message: r['message'] as string | null,
      requestSha256: r['request_sha256'] as string,
      receivedAt: new Date(r['received_at'] as string).toISOString(),
      answeredAt: new Date(r['answered_at'] as string).toISOString(),
    }));
  }

  /** Per sender: calls by outcome, the dossiers whose latest call was delivered, the last refusal. */
  async summary(): Promise<SenderSyncSummary[]> {
    const rows = await this.ds.query<Record<string, unknown>[]>(
      `WITH calls AS (
         SELECT sender, min(style) AS style,
                count(*) FILTER (WHERE outcome = 'delivered')::int AS delivered,
                count(*) FILTER (WHERE outcome = 'refused')::int AS refused,
                count(*) FILTER (WHERE outcome = 'unanswered')::int AS unanswered
           FROM tee_call GROUP BY sender),
       latest AS (
         SELECT DISTINCT ON (sender, code) sender, code, outcome
           FROM tee_call, unnest(dossier_codes) AS code ORDER BY sender, code, id DESC),
       dossiers AS (
         SELECT sender, count(*)::int AS dossiers,
                count(*) FILTER (WHERE outcome = 'delivered')::int AS synced
           FROM latest GROUP BY sender),
       refusal AS (
         SELECT DISTINCT ON (sender) sender, error_code, message, answered_at
           FROM tee_call WHERE outcome = 'refused' ORDER BY sender, id DESC)
       SELECT c.*, coalesce(d.dossiers, 0) AS dossiers, coalesce(d.synced, 0) AS synced,
              r.error_code, r.message, r.answered_at
         FROM calls c LEFT JOIN dossiers d USING (sender) LEFT JOIN refusal r USING (sender)
        ORDER BY c.sender`,
    );
    return rows.map((r) => {
      const dossiers = r['dossiers'] as number;
      const synced = r['synced'] as number;
      return {
        sender: r['sender'] as string,
        style: r['style'] as string,
        delivered: r['delivered'] as number,
        refused: r['refused'] as number,
        unanswered: r['unanswered'] as number,
        dossiersSynced: synced,
        dossiers,
        syncRate: dossiers > 0 ? synced / dossiers : null,
        lastRefusal: r['answered_at']
          ? {
              errorCode: r['error_code'] as string | null,
              message: r['message'] as string | null,
              at: new Date(r['answered_at'] as string).toISOString(),
            }
          : null,
      };
    });
  }
}
