import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  deadLetterHeaders,
  stateRecord,
  toKafkaRecord,
  type DossierState,
  type SequencedEvent,
} from '@isohub/events';
import {
  mapDossierSync,
  mapLgspDocument,
  mapLgspTrace,
  mapProgressRow,
  readTrail,
  type LgspMappingContext,
  type MapResult,
  type ProgressRowOptions,
  type TrailEntry,
} from '@isohub/mapping';
import {
  HeldEventsStore,
  IngestStore,
  type IngestTx,
  type LockedDossier,
  type OutboxInsert,
  type StateWrite,
} from '@isohub/persistence';
import { SYNC_CONFIG, type SyncServiceConfig } from '../config/sync-service.config';
import { RelayService } from '../relay/relay.service';
import { applicantKey, nameIn, PERSON_FIELDS } from './applicant-key';
import { ProcedureResolverService } from './procedure-resolver.service';
import { storableItems } from './storable-text';
import { ownershipRefusals } from './dossier-ownership';
import { keptPayload } from '../tee/dead-letter.service';
import { TimingService } from '../timing/timing.service';
import type {
  IngestOperation,
  IngestRequest,
  IngestResult,
  ItemResult,
  PulledIngestRequest,
} from './ingest.types';

type ItemMapper = (
  item: unknown,
  prev: DossierState | null,
  ctx: LgspMappingContext,
  options: ProgressRowOptions,
) => MapResult;

/** Each operation's pure mapper and the wire field naming the dossier (to lock it before mapping). */
const OPERATIONS: Readonly<Record<IngestOperation, { map: ItemMapper; codeField: string }>> = {
  DongBoHoSoMC: { map: mapDossierSync, codeField: 'MaHoSo' },
  CapNhatTienDoHoSoMC: { map: mapProgressRow, codeField: 'MaHoSo' },
  LgspSyncDocument: { map: mapLgspDocument, codeField: 'DocCode' },
  LgspUpdateDocumentTraces: { map: mapLgspTrace, codeField: 'DocCode' },
};

interface Working {
  lastSequence: number;
  state: DossierState | null;
  dirty: boolean;
  /** The stored applicant key (see applicant-key.ts), then the one a snapshot of this batch set. */
  applicantKey: Buffer | null;
  applicantKeyChanged: boolean;
  /** The dossier's handover trail (libs/mapping handover-trail.ts), threaded through the batch. */
  trail: TrailEntry[];
  trailChanged: boolean;
}

/**
 * The spine's one use case: a batch of upstream items -> canonical events, dossier state, outbox
 * rows, dead letters and the forwarding job, all in one transaction. The caller answers after commit.
 */
@Injectable()
export class IngestService {
  private readonly logger = new Logger(IngestService.name);

  constructor(
    private readonly store: IngestStore,
    private readonly procedures: ProcedureResolverService,
    private readonly relay: RelayService,
    private readonly timing: TimingService,
    @Inject(SYNC_CONFIG) private readonly config: SyncServiceConfig,
  ) {}

  async ingest(request: IngestRequest): Promise<IngestResult> {
    const req = this.storable(request);
    const ctx = this.contextFor(req);
    const { codeField } = OPERATIONS[req.operation];
    const codes = req.items
      .map((item) => dossierCodeOf(item, codeField))
      .filter((c): c is string => c !== null);
    const result = await this.store.transaction(async (tx) => {
      const locked = await tx.lockDossiers(codes);
      return this.writeBatch(tx, req, ctx, locked);
    });
    if (result.events > 0 || result.rejected > 0) {
      this.relay.nudge();
    }
    return result;
  }

  /**
   * Text PostgreSQL cannot store (NUL, lone surrogates) is replaced by U+FFFD before mapping, so such an item
   * is stored, not a 5xx for its whole request. Logged with the count only, never the text.
   */
  private storable<T extends Pick<IngestRequest, 'sender' | 'operation' | 'items'>>(req: T): T {
    const { items, replaced } = storableItems(req.items);
    if (replaced === 0) {
      return req;
    }
    this.logger.warn(
      `${req.sender.id} ${req.operation}: ${replaced} character(s) PostgreSQL cannot store replaced by U+FFFD`,
    );
    return { ...req, items };
  }

  /**
   * A pulled page: every batch, then the cursor, in one transaction. All touched dossiers are locked up
   * front (sorted, as for a single batch, so two writers cannot deadlock); each batch then re-reads the
   * state the batch before it wrote. Throws CursorConflictError (nothing committed) if the cursor moved.
   */
  async ingestPulled(req: PulledIngestRequest): Promise<IngestResult> {
    const requests: IngestRequest[] = req.batches.map((b) => ({
      sender: req.sender,
      protocol: req.protocol,
      operation: b.operation,
      items: this.storable({ sender: req.sender, operation: b.operation, items: b.items }).items,
      receivedAt: req.receivedAt,
      forward: null,
    }));
    const codesOf = (r: IngestRequest): string[] =>
      r.items
        .map((item) => dossierCodeOf(item, OPERATIONS[r.operation].codeField))
        .filter((c): c is string => c !== null);
    const results = await this.store.transaction(async (tx) => {
      await tx.lockDossiers(requests.flatMap(codesOf));
      if (req.reread) {
        // first: what the re-read still cannot map is listed again below
        await tx.clearReread(req.reread.sourceId, req.reread.rows);
      }
      const out: IngestResult[] = [];
      for (const r of requests) {
        const locked = await tx.lockDossiers(codesOf(r));
        out.push(await this.writeBatch(tx, r, this.contextFor(r), locked));
      }
      if (req.unmapped && req.unmapped.notes.length > 0) {
        await tx.noteUnmappedStatuses(req.unmapped.sourceId, req.unmapped.sourceSystem, req.unmapped.notes);
      }
      if (req.cursor) {
        await tx.advanceCursor(req.cursor);
      }
      return out;
    });
    const result: IngestResult = {
      items: results.flatMap((r) => r.items),
      accepted: results.reduce((n, r) => n + r.accepted, 0),
      rejected: results.reduce((n, r) => n + r.rejected, 0),
      events: results.reduce((n, r) => n + r.events, 0),
    };
    if (result.events > 0 || result.rejected > 0) {
      this.relay.nudge();
    }
    return result;
  }

  private async writeBatch(
    tx: IngestTx,
    req: IngestRequest,
    ctx: LgspMappingContext,
    locked: Map<string, LockedDossier>,
  ): Promise<IngestResult> {
    const topics = this.config.topics;
    const working = new Map<string, Working>(
      [...locked].map(([code, l]) => [
        code,
        {
          lastSequence: l.lastSequence,
          state: l.state,
          dirty: false,
          applicantKey: l.applicantKey,
          applicantKeyChanged: false,
          trail: readTrail(l.trail),
          trailChanged: false,
        },
      ]),
    );
    const mapped: { index: number; result: MapResult }[] = [];
    const results: ItemResult[] = [];
    const newEvents: SequencedEvent[] = [];
    const outbox: OutboxInsert[] = [];

    // Map in order, threading each dossier's state through the batch.
    const candidateIds: string[] = [];
    const { map, codeField } = OPERATIONS[req.operation];
    const person = PERSON_FIELDS[req.operation];
    // Dossier ownership (docs/security.md): items this sender may not write become dead letters, unmapped.
    const refusals = await ownershipRefusals(
      this.config.guards.ownership,
      this.config.senders,
      tx,
      req.sender,
      [...working.keys()],
    );
    req.items.forEach((item, index) => {
      const code = dossierCodeOf(item, codeField);
      const w = code ? working.get(code) : undefined;
      // An actor's name is only keyed when the dossier has an applicant key to compare it with.
      const keyed =
        code !== null && w !== undefined && (person.role === 'applicant' || w.applicantKey !== null);
      const name = keyed ? nameIn(item, person.field) : null;
      const key =
        name === null || code === null ? null : applicantKey(this.config.applicantKeySecret, code, name);
      // The actor is the applicant when its keyed name is the one the dossier's snapshot left: the mapper is
      // then given the name it already holds, which it never publishes unless applicantFields allow it.
      const isApplicant = person.role === 'actor' && key !== null && w?.applicantKey?.equals(key) === true;
      const refusal = code === null ? undefined : refusals.get(code);
      const result: MapResult = refusal
        ? { ok: false, dossierCode: code, errors: [refusal] }
        : map(item, w?.state ?? null, ctx, {
            trail: w?.trail ?? [],
            ...(isApplicant ? { applicantName: name } : {}),
          });
      if (result.ok) {
        candidateIds.push(...result.events.map((e) => e.id));
        if (w) {
          w.state = result.state;
          w.dirty = true;
          if (result.trail) {
            w.trail = result.trail;
            w.trailChanged = true;
          }
          if (person.role === 'applicant' && key !== null && !w.applicantKey?.equals(key)) {
            w.applicantKey = key;
            w.applicantKeyChanged = true;
          }
        }
      }
      mapped.push({ index, result });
    });
    const known = await tx.existingEventIds(candidateIds);
    // Dossiers with rows waiting for a procedure mapping: everything later waits too (per-dossier order).
    const held = await tx.heldDossiers([...working.keys()]);
    // ISO time (docs/iso-time.md): step instances, deadlines and verdicts, in this transaction.
    const timing = await this.timing.begin(tx, [...working.keys()]);

    for (const { index, result } of mapped) {
      if (!result.ok) {
        results.push({
          index,
          dossierCode: result.dossierCode,
          accepted: false,
          events: 0,
          errors: result.errors,
        });
        await this.deadLetter(tx, req, index, result, outbox);
        continue;
      }
      const w = working.get(result.dossierCode);
      if (!w) {
        throw new Error(`dossier ${result.dossierCode} was not locked`);
      }
      const procedure = result.state.procedure;
      if (
        this.config.unmappedPolicy === 'hold' &&
        procedure.mappingStatus === 'unmapped' &&
        procedure.localCode &&
        !held.has(result.dossierCode)
      ) {
        held.set(result.dossierCode, HeldEventsStore.keyOf(req.sender.id, procedure.localCode));
      }
      const heldKey = held.get(result.dossierCode) ?? null;
      let count = 0;
      for (const event of result.events) {
        if (known.has(event.id)) {
          continue;
        }
        known.add(event.id);
        w.lastSequence += 1;
        const sequenced: SequencedEvent = await timing.apply({ ...event, sequence: w.lastSequence });
        newEvents.push(sequenced);
        const record = toKafkaRecord(sequenced, { traceparent: req.traceparent });
        outbox.push({
          aggregatetype: 'dossier',
          type: event.type,
          topic: topics.events,
          key: record.key,
          value: record.value,
          headers: record.headers,
          heldKey,
        });
        count += 1;
      }
      if (result.state.procedure.mappingStatus === 'unmapped' && result.state.procedure.localCode) {
        await tx.noteUnmapped(req.sender.id, result.state.procedure.localCode, result.dossierCode);
      }
      results.push({ index, dossierCode: result.dossierCode, accepted: true, events: count, errors: [] });
    }

    const states: StateWrite[] = [];
    for (const [code, w] of working) {
      if (!w.dirty || !w.state) {
        continue;
      }
      const lastEvent = [...newEvents].reverse().find((e) => e.subject === code);
      const state: DossierState = {
        ...w.state,
        lastSequence: w.lastSequence,
        lastEventId: lastEvent?.id ?? w.state.lastEventId,
      };
      states.push({
        code,
        lastSequence: w.lastSequence,
        state,
        applicantKey: w.applicantKeyChanged ? w.applicantKey : null,
        trail: w.trailChanged ? w.trail : null,
      });
      if (lastEvent) {
        const record = stateRecord(state);
        outbox.push({
          aggregatetype: 'dossier-state',
          type: 'dossier.state',
          topic: topics.state,
          key: record.key,
          value: record.value,
          headers: record.headers,
          heldKey: held.get(code) ?? null,
        });
      }
    }

    outbox.push(...(await timing.finish((code) => held.get(code) ?? null)));
    await tx.insertEvents(newEvents);
    await tx.saveStates(states);
    await tx.addOutbox(outbox);
    const accepted = results.filter((r) => r.accepted).length;
    // Callers pass `forward` only for a sender isohub delivers for itself (takeover mode, docs/tee.md).
    if (req.forward && accepted > 0) {
      await tx.addForwardJob({ sender: req.sender.id, ...req.forward });
    }
    results.sort((a, b) => a.index - b.index);
    return { items: results, accepted, rejected: results.length - accepted, events: newEvents.length };
  }

  private async deadLetter(
    tx: IngestTx,
    req: IngestRequest,
    index: number,
    result: Extract<MapResult, { ok: false }>,
    outbox: OutboxInsert[],
  ): Promise<void> {
    // Bounded like a whole request's (DEAD_LETTER_MAX_BYTES); the digest is of the whole item.
    const kept = keptPayload(
      Buffer.from(JSON.stringify(req.items[index]) ?? 'undefined', 'utf8'),
      this.config.guards.deadLetterMaxBytes,
    );
    const { payload, sha256: sha } = kept;
    const first = result.errors[0];
    const reason = result.errors.map((e) => `${e.field}: ${e.message}`).join('; ');
    const isNew = await tx.addDeadLetter({
      sourceSystem: req.sender.id,
      protocol: req.protocol,
      operation: req.operation,
      reasonCode: first?.code ?? 'invalid',
      reason,
      field: first?.field ?? null,
      dossierCode: result.dossierCode,
      itemIndex: index,
      payload,
      payloadSha256: sha,
      receivedBytes: kept.receivedBytes,
    });
    this.logger.warn(`dead letter from ${req.sender.id} ${req.operation}[${index}]: ${reason}`);
    if (!isNew) {
      return;
    }
    outbox.push({
      aggregatetype: 'dead-letter',
      type: 'dossier.dead-letter',
      topic: this.config.topics.deadLetters,
      key: result.dossierCode,
      value: payload,
      headers: deadLetterHeaders({
        reasonCode: first?.code ?? 'invalid',
        reason,
        field: first?.field ?? null,
        sourceSystem: req.sender.id,
        protocol: req.protocol,
        operation: req.operation,
        receivedAt: req.receivedAt.toISOString(),
        itemIndex: index,
        dossierCode: result.dossierCode,
        payloadSha256: sha,
      }),
    });
  }

  private contextFor(req: IngestRequest): LgspMappingContext {
    const source = {
      system: req.sender.id,
      agency: req.sender.agency,
      protocol: req.protocol,
      operation: req.operation,
    };
    return {
      source,
      mappingVersion: this.procedures.mappingVersion(),
      resolveProcedure: this.procedures.resolver(),
      applicantFields: req.sender.applicantFields,
      profile: req.sender.profile,
      receivedAt: req.receivedAt,
      literalZ: req.sender.literalZ,
      lgspStatusMap: req.sender.lgspStatusMap,
      lgspStatusLookup: req.sender.lgspStatusLookup,
    };
  }
}

function dossierCodeOf(item: unknown, field: string): string | null {
  if (item === null || typeof item !== 'object' || Array.isArray(item)) {
    return null;
  }
  const v = (item as Record<string, unknown>)[field];
  if (typeof v === 'string' && v.trim() !== '') {
    return v.normalize('NFC').trim();
  }
  if (typeof v === 'number') {
    return String(v);
  }
  return null;
}
