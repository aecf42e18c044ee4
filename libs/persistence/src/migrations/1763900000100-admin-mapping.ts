import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The admin console's model (issue 4): catalogue versions and history, drafted and published mapping
 * versions (local codes, source statuses, ISO processes), and the hash-chained audit log.
 *
 * Mapping rows carry a `version`: `draft` is the working copy every edit goes to; publishing copies
 * it into an immutable `m-<n>` that the sync service reads from its effective date on.
 */
export class AdminMapping1763900000100 implements MigrationInterface {
  name = 'AdminMapping1763900000100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE catalogue_version (
        version      text PRIMARY KEY,
        seq          integer NOT NULL UNIQUE,
        source       text NOT NULL,
        loaded_by    text NOT NULL,
        loaded_at    timestamptz NOT NULL DEFAULT now(),
        row_count    integer NOT NULL,
        summary      jsonb NOT NULL DEFAULT '{}'::jsonb
      )`);
    // One row per change of a catalogue entry: what it was, what it became, and which code replaced it.
    await q.query(`
      CREATE TABLE procedure_catalogue_history (
        id           bigserial PRIMARY KEY,
        version      text NOT NULL REFERENCES catalogue_version (version),
        code         text NOT NULL,
        change       text NOT NULL CHECK (change IN ('added', 'changed', 'removed', 'restored')),
        before       jsonb,
        after        jsonb,
        replaced_by  text,
        changed_at   timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(
      `CREATE INDEX procedure_catalogue_history_code_idx ON procedure_catalogue_history (code, id)`,
    );
    await q.query(`CREATE INDEX procedure_catalogue_replaced_by_idx ON procedure_catalogue (replaced_by)
                     WHERE replaced_by IS NOT NULL`);

    // Accent-insensitive search over 5,608 names: trigram GIN when pg_trgm exists (PostgreSQL 15 here);
    // the embedded PGlite has no contrib, so it gets prefix indexes and a sequential scan (~5 ms).
    const [trgm] = (await q.query(
      `SELECT 1 AS ok FROM pg_available_extensions WHERE name = 'pg_trgm'`,
    )) as unknown[];
    let trigrams = false;
    if (trgm) {
      await q.query(`SAVEPOINT trgm`);
      try {
        await q.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);
        await q.query(`RELEASE SAVEPOINT trgm`);
        trigrams = true;
      } catch {
        await q.query(`ROLLBACK TO SAVEPOINT trgm`);
      }
    }
    if (trigrams) {
      await q.query(
        `CREATE INDEX procedure_catalogue_name_trgm_idx ON procedure_catalogue USING gin (name_folded gin_trgm_ops)`,
      );
      await q.query(
        `CREATE INDEX procedure_catalogue_code_trgm_idx ON procedure_catalogue USING gin (code gin_trgm_ops)`,
      );
    } else {
      await q.query(
        `CREATE INDEX procedure_catalogue_name_prefix_idx ON procedure_catalogue (name_folded text_pattern_ops)`,
      );
    }
    await q.query(
      `CREATE INDEX procedure_catalogue_code_prefix_idx ON procedure_catalogue (code text_pattern_ops)`,
    );

    await q.query(`
      CREATE TABLE mapping_version (
        version         text PRIMARY KEY,
        seq             integer NOT NULL UNIQUE,
        effective_from  timestamptz NOT NULL,
        published_at    timestamptz NOT NULL DEFAULT now(),
        published_by    text NOT NULL,
        note            text,
        summary         jsonb NOT NULL DEFAULT '{}'::jsonb
      )`);
    await q.query(`CREATE INDEX mapping_version_effective_idx ON mapping_version (effective_from, seq)`);
    await q.query(`
      CREATE TABLE local_code_mapping (
        version        text NOT NULL,
        source_system  text NOT NULL,
        local_code     text NOT NULL,
        national_code  text NOT NULL,
        agency_code    text,
        note           text,
        updated_by     text NOT NULL,
        updated_at     timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (version, source_system, local_code)
      )`);
    // sub_status '*' is the status's wildcard row; a sub-status match wins over it (DOMAIN.md §3.4).
    await q.query(`
      CREATE TABLE status_mapping (
        version          text NOT NULL,
        source_system    text NOT NULL,
        status           text NOT NULL,
        sub_status       text NOT NULL DEFAULT '*',
        valid_from       date NOT NULL,
        national_status  smallint NOT NULL CHECK (national_status BETWEEN 1 AND 10),
        milestone        text NOT NULL,
        agency_code      text,
        note             text,
        updated_by       text NOT NULL,
        updated_at       timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (version, source_system, status, sub_status, valid_from)
      )`);
    // Steps as an ordered JSON array: {stepNo, code, name, responsibleUnit, allowanceHours, nationalStatus,
    // formCodes}; statutory per channel: {in_person|online|postal: {value, unit, hours?}}.
    await q.query(`
      CREATE TABLE iso_process (
        version         text NOT NULL,
        agency_code     text NOT NULL,
        procedure_code  text NOT NULL,
        case_code       text NOT NULL DEFAULT '',
        iso_code        text,
        name            text,
        statutory       jsonb NOT NULL DEFAULT '{}'::jsonb,
        steps           jsonb NOT NULL DEFAULT '[]'::jsonb,
        updated_by      text NOT NULL,
        updated_at      timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (version, agency_code, procedure_code, case_code)
      )`);
    await q.query(`CREATE INDEX iso_process_procedure_idx ON iso_process (version, procedure_code)`);

    await q.query(`
      CREATE TABLE audit_log (
        id           bigserial PRIMARY KEY,
        at           timestamptz NOT NULL,
        actor        text NOT NULL,
        action       text NOT NULL,
        entity_type  text NOT NULL,
        entity_id    text NOT NULL,
        before       jsonb,
        after        jsonb,
        prev_hash    text NOT NULL,
        hash         text NOT NULL UNIQUE
      )`);
    await q.query(`CREATE INDEX audit_log_entity_idx ON audit_log (entity_type, entity_id, id)`);
    await q.query(`CREATE INDEX audit_log_actor_idx ON audit_log (actor, id)`);
    // Append-only: the application role cannot rewrite history; only a superuser disabling the trigger can.
    await q.query(`
      CREATE FUNCTION isohub_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`);
    for (const table of ['audit_log', 'procedure_catalogue_history']) {
      await q.query(`CREATE TRIGGER ${table}_no_update BEFORE UPDATE OR DELETE ON ${table}
                       FOR EACH ROW EXECUTE FUNCTION isohub_append_only()`);
      await q.query(`CREATE TRIGGER ${table}_no_truncate BEFORE TRUNCATE ON ${table}
                       FOR EACH STATEMENT EXECUTE FUNCTION isohub_append_only()`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'audit_log',
      'iso_process',
      'status_mapping',
      'local_code_mapping',
      'mapping_version',
      'procedure_catalogue_history',
      'catalogue_version',
    ]) {
      await q.query(`DROP TABLE IF EXISTS ${table}`);
    }
    await q.query(`DROP FUNCTION IF EXISTS isohub_append_only()`);
    for (const index of [
      'procedure_catalogue_name_trgm_idx',
      'procedure_catalogue_code_trgm_idx',
      'procedure_catalogue_name_prefix_idx',
      'procedure_catalogue_code_prefix_idx',
      'procedure_catalogue_replaced_by_idx',
    ]) {
      await q.query(`DROP INDEX IF EXISTS ${index}`);
    }
  }
}
