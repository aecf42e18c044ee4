import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `deadline_timer`: one timer per open step instance (kind `step`) and per received dossier (kind `dossier`),
 * armed, moved and cancelled in the transaction of the event causing it; the leased deadline scheduler fires
 * it once (`state` armed → fired under the lease, in the transaction that writes the overdue event). A fired
 * timer whose step or dossier turns out to have ended in time is marked `retract` and then `retracted` when
 * the `overdue-retracted` event is written. `paused`: the dossier waits for a supplement.
 */
export class DeadlineTimers1763900008100 implements MigrationInterface {
  name = 'DeadlineTimers1763900008100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE deadline_timer (
        dossier_code  text NOT NULL,
        kind          text NOT NULL CHECK (kind IN ('step', 'dossier')),
        instance_no   integer NOT NULL DEFAULT 0,
        due_at        timestamptz NOT NULL,
        warn_at       timestamptz,
        state         text NOT NULL DEFAULT 'armed'
                      CHECK (state IN ('armed', 'paused', 'fired', 'cancelled', 'retract', 'retracted')),
        warned_at     timestamptz,
        fired_at      timestamptz,
        fired_event   text,
        payload       jsonb NOT NULL DEFAULT '{}',
        updated_at    timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (dossier_code, kind, instance_no)
      )`);
    await q.query(`CREATE INDEX deadline_timer_due ON deadline_timer (due_at) WHERE state = 'armed'`);
    await q.query(
      `CREATE INDEX deadline_timer_warn ON deadline_timer (warn_at) WHERE state = 'armed' AND warned_at IS NULL`,
    );
    await q.query(
      `CREATE INDEX deadline_timer_retract ON deadline_timer (dossier_code) WHERE state = 'retract'`,
    );
    await q.query(`INSERT INTO relay_lease (name) VALUES ('deadline-scheduler') ON CONFLICT DO NOTHING`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM relay_lease WHERE name = 'deadline-scheduler'`);
    await q.query(`DROP TABLE IF EXISTS deadline_timer`);
  }
}
