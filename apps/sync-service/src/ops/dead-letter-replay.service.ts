import { Inject, Injectable } from '@nestjs/common';
import type { FieldError } from '@isohub/mapping';
import { DeadLetterStore, type DeadLetter } from '@isohub/persistence';
import { SYNC_CONFIG, type SyncServiceConfig } from '../config/sync-service.config';
import { IngestService } from '../ingest/ingest.service';
import type { IngestOperation, IngestResult, SenderIdentity } from '../ingest/ingest.types';

const OPERATIONS: readonly IngestOperation[] = [
  'DongBoHoSoMC',
  'CapNhatTienDoHoSoMC',
  'LgspSyncDocument',
  'LgspUpdateDocumentTraces',
];

export type ReplayOutcome =
  { replayed: true; result: IngestResult } | { replayed: false; reason: string; errors: FieldError[] };

/**
 * Replays a dead letter's original payload through the same ingest, after the cause was fixed (a
 * mapping added, a rule relaxed, a sender corrected). Event ids are derived as always, so a replay of
 * something already stored is a no-op; the dead letter is marked replayed only when every item is accepted.
 */
@Injectable()
export class DeadLetterReplayService {
  constructor(
    private readonly store: DeadLetterStore,
    private readonly ingest: IngestService,
    @Inject(SYNC_CONFIG) private readonly config: SyncServiceConfig,
  ) {}

  async replay(letter: DeadLetter): Promise<ReplayOutcome> {
    if (letter.payloadTruncated || letter.redactedAt !== null) {
      const reason = letter.redactedAt
        ? 'the payload was removed after the retention period'
        : `only the first ${letter.payloadBytes} of ${letter.receivedBytes} bytes were kept`;
      return { replayed: false, reason, errors: [{ field: '/', code: 'range', message: reason }] };
    }
    const parsed = this.itemsOf(letter);
    if ('reason' in parsed) {
      return {
        replayed: false,
        reason: parsed.reason,
        errors: [{ field: '/', code: 'format', message: parsed.reason }],
      };
    }
    const result = await this.ingest.ingest({
      sender: this.senderOf(letter.sourceSystem),
      protocol: letter.protocol,
      operation: parsed.operation,
      items: parsed.items,
      receivedAt: new Date(),
      forward: null,
    });
    if (result.rejected > 0) {
      return {
        replayed: false,
        reason: 'the payload is still rejected',
        errors: result.items.flatMap((i) => i.errors.map((e) => ({ ...e, field: `/${i.index}${e.field}` }))),
      };
    }
    await this.store.markReplayed(letter.id);
    return { replayed: true, result };
  }

  private itemsOf(letter: DeadLetter): { operation: IngestOperation; items: unknown[] } | { reason: string } {
    let value: unknown;
    try {
      value = JSON.parse(letter.payload.toString('utf8').replace(/^\uFEFF/, ''));
    } catch {
      return { reason: 'the payload is still not valid JSON' };
    }
    const asOperation = (v: unknown): IngestOperation | null =>
      typeof v === 'string' && (OPERATIONS as readonly string[]).includes(v) ? (v as IngestOperation) : null;
    if (letter.itemIndex !== null) {
      const operation = asOperation(letter.operation);
      return operation
        ? { operation, items: [value] }
        : { reason: `unknown operation ${String(letter.operation)}` };
    }
    // A whole request: an OpenCPS envelope, a Thanh Hóa array or an LGSP body.
    if (Array.isArray(value)) {
      const operation = asOperation(letter.operation);
      return operation ? { operation, items: value } : { reason: 'no operation is known for this request' };
    }
    if (value !== null && typeof value === 'object') {
      const envelope = value as Record<string, unknown>;
      const operation = asOperation(envelope['service']) ?? asOperation(letter.operation);
      if (operation && Array.isArray(envelope['data'])) {
        return { operation, items: envelope['data'] };
      }
      if (operation) {
        return { operation, items: [value] };
      }
    }
    return { reason: 'the payload holds no items of a known operation' };
  }

  private senderOf(id: string): SenderIdentity {
    const sender = this.config.senders.find((s) => s.id === id);
    return sender
      ? {
          id: sender.id,
          profile: sender.profile,
          agency: sender.agency,
          applicantFields: sender.applicantFields,
          literalZ: sender.literalZ,
          lgspStatusMap: sender.statusMap,
        }
      : { id, profile: 'generic', agency: null, applicantFields: [] };
  }
}
