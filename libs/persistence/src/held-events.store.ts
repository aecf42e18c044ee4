import type { DataSource } from 'typeorm';

export interface HeldKey {
  key: string;
  sourceSystem: string;
  code: string;
  rows: number;
}

export interface ReleasedProcedure {
  nationalCode: string;
  name: string | null;
}

/**
 * Outbox rows waiting for a procedure mapping, and their release: the rows keep their outbox ids, so
 * once released the relay publishes them in their original order, before anything later.
 */
export class HeldEventsStore {
  constructor(private readonly ds: DataSource) {}

  static keyOf(sourceSystem: string, code: string): string {
    return `${sourceSystem} ${code}`;
  }

  async heldKeys(): Promise<HeldKey[]> {
    const rows: { held_key: string; n: number }[] = await this.ds.query(
      `SELECT held_key, count(*)::int AS n FROM outbox WHERE held_key IS NOT NULL GROUP BY held_key ORDER BY held_key`,
    );
    return rows.map((r) => {
      const cut = r.held_key.indexOf(' ');
      return {
        key: r.held_key,
        sourceSystem: r.held_key.slice(0, cut),
        code: r.held_key.slice(cut + 1),
        rows: r.n,
      };
    });
  }

  /**
   * Stamp the now-known procedure into the held events, their stored copies and the dossiers' state,
   * then let the relay have them, all in one transaction. Returns the number of outbox rows released.
   */
  async release(key: string, procedure: ReleasedProcedure): Promise<number> {
    return this.ds.transaction(async (m) => {
      const patch = `jsonb_set(jsonb_set(jsonb_set(%s, '{procedure,nationalCode}', to_jsonb($1::text)),
                       '{procedure,name}', coalesce(to_jsonb($2::text), %s->'procedure'->'name')),
                       '{procedure,mappingStatus}', '"mapped"')`;
      const onPayload = patch.replace(/%s/g, `convert_from(payload, 'UTF8')::jsonb`);
      const codes: { aggregateid: string }[] = await m.query(
        `SELECT DISTINCT aggregateid FROM outbox WHERE held_key = $1 AND aggregateid IS NOT NULL`,
        [key],
      );
      const dossiers = codes.map((c) => c.aggregateid);
      await m.query(
        `UPDATE dossier_event SET data = ${patch.replace(/%s/g, 'data')}
          WHERE dossier_code = ANY($3::text[]) AND data->'procedure'->>'mappingStatus' = 'unmapped'`,
        [procedure.nationalCode, procedure.name, dossiers],
      );
      await m.query(
        `UPDATE dossier_state SET state = ${patch.replace(/%s/g, 'state')}
          WHERE dossier_code = ANY($3::text[]) AND state->'procedure'->>'mappingStatus' = 'unmapped'`,
        [procedure.nationalCode, procedure.name, dossiers],
      );
      const result: [unknown[], number] = await m.query(
        `UPDATE outbox SET payload = convert_to((${onPayload})::text, 'UTF8'), held_key = NULL
          WHERE held_key = $3`,
        [procedure.nationalCode, procedure.name, key],
      );
      return result[1];
    });
  }
}
