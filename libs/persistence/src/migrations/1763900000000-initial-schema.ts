import type { MigrationInterface, QueryRunner } from 'typeorm';

export class InitialSchema1763900000000 implements MigrationInterface {
  name = 'InitialSchema1763900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE dossier_state (
        dossier_code   text PRIMARY KEY,
        last_sequence  integer NOT NULL DEFAULT 0,
        state          jsonb,
        updated_at     timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE dossier_event (
        event_id       text PRIMARY KEY,
        dossier_code   text NOT NULL,
        sequence       integer NOT NULL,
        type           text NOT NULL,
        source         text NOT NULL,
        occurred_at    timestamptz NOT NULL,
        data           jsonb NOT NULL,
        created_at     timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT dossier_event_sequence_uq UNIQUE (dossier_code, sequence)
      )`);
    // Debezium outbox shape (id, aggregatetype, aggregateid, type, payload) plus what the built-in
    // relay needs: the target topic, the Kafka headers and the claim/publish bookkeeping.
    await q.query(`
      CREATE TABLE outbox (
        id             bigserial PRIMARY KEY,
        aggregatetype  text NOT NULL,
        aggregateid    text,
        type           text NOT NULL,
        topic          text NOT NULL,
        payload        bytea,
        headers        jsonb NOT NULL DEFAULT '{}'::jsonb,
        created_at     timestamptz NOT NULL DEFAULT now(),
        batch_no       bigint,
        published_at   timestamptz
      )`);
    await q.query(`CREATE INDEX outbox_unpublished_idx ON outbox (id) WHERE published_at IS NULL`);
    await q.query(`CREATE INDEX outbox_batch_idx ON outbox (batch_no) WHERE published_at IS NULL`);
    await q.query(`CREATE SEQUENCE outbox_batch_seq`);
    await q.query(`
      CREATE TABLE relay_lease (
        name        text PRIMARY KEY,
        owner       text,
        expires_at  timestamptz NOT NULL DEFAULT 'epoch'
      )`);
    await q.query(`INSERT INTO relay_lease (name) VALUES ('outbox'), ('forwarder')`);
    await q.query(`
      CREATE TABLE dead_letter (
        id              bigserial PRIMARY KEY,
        source_system   text NOT NULL,
        protocol        text NOT NULL,
        operation       text,
        reason_code     text NOT NULL,
        reason          text NOT NULL,
        field           text,
        dossier_code    text,
        item_index      integer,
        payload         bytea NOT NULL,
        payload_sha256  text NOT NULL,
        occurrences     integer NOT NULL DEFAULT 1,
        first_seen_at   timestamptz NOT NULL DEFAULT now(),
        last_seen_at    timestamptz NOT NULL DEFAULT now(),
        replayed_at     timestamptz,
        CONSTRAINT dead_letter_payload_uq UNIQUE (source_system, operation, payload_sha256)
      )`);
    await q.query(`
      CREATE TABLE forward_job (
        id               bigserial PRIMARY KEY,
        sender           text NOT NULL,
        style            text NOT NULL,
        operation        text NOT NULL,
        madonvi          text,
        is_updating      text,
        body             bytea NOT NULL,
        status           text NOT NULL DEFAULT 'pending',
        attempts         integer NOT NULL DEFAULT 0,
        next_attempt_at  timestamptz NOT NULL DEFAULT now(),
        last_error       text,
        portal_answer    jsonb,
        created_at       timestamptz NOT NULL DEFAULT now(),
        done_at          timestamptz
      )`);
    await q.query(
      `CREATE INDEX forward_job_pending_idx ON forward_job (sender, id) WHERE status = 'pending'`,
    );
    await q.query(`
      CREATE TABLE procedure_catalogue (
        code                 text PRIMARY KEY,
        name                 text NOT NULL,
        name_folded          text NOT NULL,
        issuing_body         text,
        implementing_agency  text,
        field                text,
        portal_url           text,
        time_in_person       text,
        time_online          text,
        time_postal          text,
        code_valid           boolean NOT NULL,
        valid_from           timestamptz NOT NULL DEFAULT now(),
        valid_to             timestamptz,
        replaced_by          text
      )`);
    await q.query(`
      CREATE TABLE procedure_mapping (
        source_system  text NOT NULL,
        local_code     text NOT NULL,
        national_code  text NOT NULL,
        version        text NOT NULL,
        updated_at     timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (source_system, local_code)
      )`);
    await q.query(`
      CREATE TABLE unmapped_code (
        source_system   text NOT NULL,
        code            text NOT NULL,
        occurrences     integer NOT NULL DEFAULT 0,
        first_seen_at   timestamptz NOT NULL DEFAULT now(),
        last_seen_at    timestamptz NOT NULL DEFAULT now(),
        sample_dossiers jsonb NOT NULL DEFAULT '[]'::jsonb,
        PRIMARY KEY (source_system, code)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'unmapped_code',
      'procedure_mapping',
      'procedure_catalogue',
      'forward_job',
      'dead_letter',
      'relay_lease',
      'outbox',
      'dossier_event',
      'dossier_state',
    ]) {
      await q.query(`DROP TABLE IF EXISTS ${table}`);
    }
    await q.query(`DROP SEQUENCE IF EXISTS outbox_batch_seq`);
  }
}
