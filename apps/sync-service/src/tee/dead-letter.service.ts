import { createHash } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { deadLetterHeaders } from '@isohub/events';
import type { FieldError } from '@isohub/mapping';
import { IngestStore } from '@isohub/persistence';
import { SYNC_CONFIG, type SyncServiceConfig } from '../config/sync-service.config';
import { RelayService } from '../relay/relay.service';

export interface RawDeadLetter {
  senderId: string;
  protocol: string;
  operation: string | null;
  raw: Buffer | undefined;
  error: FieldError;
  receivedAt: Date;
  /**
   * Whether the request carried valid credentials. An unauthenticated body is never stored: only its digest
   * and a short prefix. Default: authenticated unless `senderId` is `unauthenticated`.
   */
  authenticated?: boolean;
}

/** What a dead letter keeps of a body: a bounded prefix, the whole body's digest and length. */
export interface KeptPayload {
  payload: Buffer;
  sha256: string;
  receivedBytes: number;
  truncated: boolean;
}

export function keptPayload(raw: Buffer | undefined, maxBytes: number): KeptPayload {
  const whole = raw ?? Buffer.alloc(0);
  const payload = whole.length > maxBytes ? whole.subarray(0, maxBytes) : whole;
  return {
    payload,
    sha256: createHash('sha256').update(whole).digest('hex'),
    receivedBytes: whole.length,
    truncated: payload.length < whole.length,
  };
}

/**
 * Whole requests that could not be read as items (not JSON, wrong shape). An authenticated sender's body is
 * kept up to DEAD_LETTER_MAX_BYTES, an unauthenticated one only as digest + DEAD_LETTER_UNAUTHENTICATED_BYTES
 * prefix, so no body can grow the table or the dead-letter topic past its limits. Logs name the reason code
 * and the digest, never the content.
 */
@Injectable()
export class DeadLetterService {
  private readonly logger = new Logger(DeadLetterService.name);

  constructor(
    private readonly store: IngestStore,
    private readonly relay: RelayService,
    @Inject(SYNC_CONFIG) private readonly config: SyncServiceConfig,
  ) {}

  async rawRequest(d: RawDeadLetter): Promise<void> {
    const authenticated = d.authenticated ?? d.senderId !== 'unauthenticated';
    const guards = this.config.guards;
    const kept = keptPayload(
      d.raw,
      authenticated ? guards.deadLetterMaxBytes : guards.deadLetterUnauthenticatedBytes,
    );
    const reason = `${d.error.field}: ${d.error.message}`;
    await this.store.transaction(async (tx) => {
      const isNew = await tx.addDeadLetter({
        sourceSystem: d.senderId,
        protocol: d.protocol,
        operation: d.operation,
        reasonCode: d.error.code,
        reason,
        field: d.error.field,
        dossierCode: null,
        itemIndex: null,
        payload: kept.payload,
        payloadSha256: kept.sha256,
        receivedBytes: kept.receivedBytes,
      });
      if (isNew) {
        await tx.addOutbox([
          {
            aggregatetype: 'dead-letter',
            type: 'dossier.dead-letter',
            topic: this.config.topics.deadLetters,
            key: null,
            value: kept.payload,
            headers: deadLetterHeaders({
              reasonCode: d.error.code,
              reason: kept.truncated
                ? `${reason} (first ${kept.payload.length} of ${kept.receivedBytes} bytes kept)`
                : reason,
              field: d.error.field,
              sourceSystem: d.senderId,
              protocol: d.protocol,
              operation: d.operation,
              receivedAt: d.receivedAt.toISOString(),
              itemIndex: null,
              dossierCode: null,
              payloadSha256: kept.sha256,
            }),
          },
        ]);
      }
    });
    this.logger.warn(
      `dead letter (whole request) from ${d.senderId}: ${d.error.code} at ${d.error.field}, ` +
        `${kept.receivedBytes} bytes, sha256 ${kept.sha256.slice(0, 16)}`,
    );
    this.relay.nudge();
  }
}
