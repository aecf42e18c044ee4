import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * ISO time (issue 11 §2–4):
 * - `dossier_timing`: the ISO process version a dossier runs on (fixed when it was received) and its QĐ 766 verdict;
 * - `step_timing`: one row per step instance (a return to a previous step opens a new instance), the
 *   control-sheet row the compacted `step-timing` topic carries;
 * - `iso_step_match_rule` / `unmatched_iso_step`: the sender's step names matched to ISO steps per source.
 */
export class IsoTiming1763900008000 implements MigrationInterface {
  name = 'IsoTiming1763900008000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE dossier_timing (
        dossier_code     text PRIMARY KEY,
        source_system    text NOT NULL,
        process_key      text,
        process_version  text,
        channel          text,
        received_at      timestamptz,
        open_instance    integer,
        last_instance    integer NOT NULL DEFAULT 0,
        history          jsonb NOT NULL DEFAULT '{}',
        verdict          jsonb,
        updated_at       timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE step_timing (
        dossier_code      text NOT NULL,
        instance_no       integer NOT NULL,
        step              text,
        iso_step_no       integer,
        started_at        timestamptz NOT NULL,
        ended_at          timestamptz,
        deadline          timestamptz,
        deadline_source   text NOT NULL CHECK (deadline_source IN ('iso_process', 'sender', 'none')),
        outcome           text CHECK (outcome IN ('early', 'on_time', 'late')),
        record            jsonb NOT NULL,
        updated_at        timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (dossier_code, instance_no)
      )`);
    await q.query(`
      CREATE TABLE iso_step_match_rule (
        source_system   text NOT NULL,
        procedure_code  text NOT NULL DEFAULT '*',
        sender_step     text NOT NULL,
        iso_step_no     integer NOT NULL,
        note            text,
        updated_by      text,
        updated_at      timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (source_system, procedure_code, sender_step)
      )`);
    await q.query(`
      CREATE TABLE unmatched_iso_step (
        source_system   text NOT NULL,
        procedure_code  text NOT NULL,
        sender_step     text NOT NULL,
        sample_dossier  text,
        occurrences     integer NOT NULL DEFAULT 1,
        first_seen      timestamptz NOT NULL DEFAULT now(),
        last_seen       timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (source_system, procedure_code, sender_step)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['unmatched_iso_step', 'iso_step_match_rule', 'step_timing', 'dossier_timing']) {
      await q.query(`DROP TABLE IF EXISTS ${t}`);
    }
  }
}
