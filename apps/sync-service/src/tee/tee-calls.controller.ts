import { BadRequestException, Controller, Get, Inject, Query, UseGuards } from '@nestjs/common';
import { SYNC_CONFIG, type SyncServiceConfig } from '../config/sync-service.config';
import { OpsTokenGuard } from '../polling/ops-token.guard';
import { SENDER_STYLES } from './sender-styles';
import { TeeCallStore, type SenderSyncSummary, type TeeCallRow } from './tee-calls.store';
import { TeeMetrics } from './tee-metrics';

const CODE = /^[^\s\p{Cc}]{1,200}$/u;

/**
 * Operator API over what the upstreams answered the senders (Bearer OPS_TOKEN): per configured sender, the
 * calls delivered, refused (with the last refusal's code and message) and unanswered, and the national sync
 * rate derived from them (QĐ 766 indicator 1.4: dossiers whose latest call the portal accepted); and the
 * calls themselves, per sender and per dossier. No request bodies: only their SHA-256.
 */
@Controller('ops/tee')
@UseGuards(OpsTokenGuard)
export class TeeCallsController {
  constructor(
    private readonly calls: TeeCallStore,
    private readonly metrics: TeeMetrics,
    @Inject(SYNC_CONFIG) private readonly config: SyncServiceConfig,
  ) {}

  @Get('senders')
  async senders(): Promise<{
    senders: (SenderSyncSummary & { mode: string; configured: boolean })[];
    national: { dossiers: number; dossiersSynced: number; syncRate: number | null };
    sinceStart: ReturnType<TeeMetrics['snapshot']>;
  }> {
    const summaries = new Map((await this.calls.summary()).map((s) => [s.sender, s]));
    const rows: (SenderSyncSummary & { mode: string; configured: boolean })[] = this.config.senders.map(
      (s) => {
        const label = SENDER_STYLES.find((style) => style.name === s.style)?.label ?? s.style;
        return {
          ...(summaries.get(s.id) ?? empty(s.id, label)),
          mode: s.mode,
          configured: true,
        };
      },
    );
    for (const [id, s] of summaries) {
      if (!this.config.senders.some((c) => c.id === id)) {
        rows.push({ ...s, mode: 'unknown', configured: false });
      }
    }
    const dossiers = rows.reduce((n, r) => n + r.dossiers, 0);
    const dossiersSynced = rows.reduce((n, r) => n + r.dossiersSynced, 0);
    return {
      senders: rows,
      national: { dossiers, dossiersSynced, syncRate: dossiers > 0 ? dossiersSynced / dossiers : null },
      sinceStart: this.metrics.snapshot(),
    };
  }

  @Get('calls')
  async list(
    @Query('sender') sender?: string,
    @Query('dossier') dossier?: string,
    @Query('limit') limit?: string,
  ): Promise<{ calls: TeeCallRow[] }> {
    for (const [name, value] of [
      ['sender', sender],
      ['dossier', dossier],
    ] as const) {
      if (value !== undefined && value !== '' && !CODE.test(value)) {
        throw new BadRequestException(`${name} must be 1-200 characters without spaces`);
      }
    }
    const n = limit === undefined || limit === '' ? 100 : Number(limit);
    if (!Number.isInteger(n) || n < 1 || n > 1000) {
      throw new BadRequestException('limit must be an integer between 1 and 1000');
    }
    const calls = await this.calls.list({
      sender: sender || undefined,
      dossier: dossier ? dossier.normalize('NFC') : undefined,
      limit: n,
    });
    return { calls };
  }
}

function empty(sender: string, style: string): SenderSyncSummary {
  return {
    sender,
    style,
    delivered: 0,
    refused: 0,
    unanswered: 0,
    dossiersSynced: 0,
    dossiers: 0,
    syncRate: null,
    lastRefusal: null,
  };
}
