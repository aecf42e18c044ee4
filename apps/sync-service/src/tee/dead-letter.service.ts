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
}

/** Whole requests that could not be read as items (not JSON, wrong shape): kept byte for byte. */
@Injectable()
export class DeadLetterService {
  private readonly logger = new Logger(DeadLetterService.name);

  constructor(
    private readonly store: IngestStore,
    private readonly relay: RelayService,
    @Inject(SYNC_CONFIG) private readonly config: SyncServiceConfig,
  ) {}

  async rawRequest(d: RawDeadLetter): Promise<void> {
    const payload = d.raw ?? Buffer.alloc(0);
    const sha = createHash('sha256').update(payload).digest('hex');
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
        payload,
        payloadSha256: sha,
      });
      if (isNew) {
        await tx.addOutbox([
          {
            aggregatetype: 'dead-letter',
            type: 'dossier.dead-letter',
            topic: this.config.topics.deadLetters,
            key: null,
            value: payload,
            headers: deadLetterHeaders({
              reasonCode: d.error.code,
              reason,
              field: d.error.field,
              sourceSystem: d.senderId,
              protocol: d.protocol,
              operation: d.operation,
              receivedAt: d.receivedAt.toISOString(),
              itemIndex: null,
              dossierCode: null,
              payloadSha256: sha,
            }),
          },
        ]);
      }
    });
    this.logger.warn(`dead letter (whole request) from ${d.senderId}: ${reason}`);
    this.relay.nudge();
  }
}
