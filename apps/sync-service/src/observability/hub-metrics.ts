import { Inject, Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { CalendarStore, ForwardStore, ReconciliationStore, type ForwardStats } from '@isohub/persistence';
import { ForwarderService } from '../forward/forwarder.service';
import { DATA_SOURCE } from '../infra/infra.module';
import { registerAdapterMetrics } from '../polling/adapter-health';
import { PollingService } from '../polling/polling.service';
import { registerReconciliationMetrics } from '../reconciliation/reconciliation-health';
import { ReconciliationService } from '../reconciliation/reconciliation.service';
import { RelayService } from '../relay/relay.service';
import { MetricsRegistry } from './metrics.registry';

/** What one scrape reads from the database; null members when the database did not answer. */
interface DatabaseSnapshot {
  outboxPending: number | null;
  forwards: ForwardStats | null;
  queues: {
    deadLettersOpen: number;
    deadLetterLastSeen: number | null;
    unmappedCodes: number;
    unmappedStatuses: number;
    held: number;
  } | null;
}

/** A scrape reads the database once, however many metrics need it (prom-client collects them at once). */
const SNAPSHOT_TTL_MS = 1_000;

const seconds = (iso: string | null): number | null => (iso === null ? null : Date.parse(iso) / 1000);

/**
 * The hub's state metrics, read when Prometheus scrapes: relay, outbox, forwarding, queues operators
 * act on. Unknown values (the database does not answer) read -1, as before prom-client.
 */
@Injectable()
export class HubMetrics {
  private snapshot: { at: number; value: Promise<DatabaseSnapshot> } | null = null;

  constructor(
    metrics: MetricsRegistry,
    private readonly relay: RelayService,
    private readonly forwarder: ForwarderService,
    private readonly forwards: ForwardStore,
    @Inject(DATA_SOURCE) private readonly ds: DataSource,
    polling: PollingService,
    reconciliation: ReconciliationService,
    reconciliations: ReconciliationStore,
  ) {
    const read = (): Promise<DatabaseSnapshot> => this.read();
    const relayStatus = (): ReturnType<RelayService['status']> => this.relay.status();
    const fwd = (): ReturnType<ForwarderService['status']> => this.forwarder.status();

    metrics.gauge({
      name: 'isohub_outbox_pending',
      help: 'Outbox rows not yet published to Kafka (held and set-aside rows excluded); -1 when the database does not answer.',
      async collect() {
        this.set((await read()).outboxPending ?? -1);
      },
    });
    metrics.gauge({
      name: 'isohub_outbox_held',
      help: 'Events held in the outbox until their procedure code is mapped (the unmapped-code queue).',
      async collect() {
        this.set((await read()).queues?.held ?? -1);
      },
    });
    metrics.counter({
      name: 'isohub_relay_published_total',
      help: 'Events and records the relay has published to Kafka since this process started.',
      collect() {
        this.reset();
        this.inc(relayStatus().published);
      },
    });
    metrics.counter({
      name: 'isohub_relay_batches_total',
      help: 'Outbox batches the relay has published (one Kafka transaction each) since this process started.',
      collect() {
        this.reset();
        this.inc(relayStatus().batches);
      },
    });
    metrics.gauge({
      name: 'isohub_relay_consecutive_failures',
      help: 'Relay rounds failed in a row (0 when the last round succeeded).',
      collect() {
        this.set(relayStatus().consecutiveFailures);
      },
    });
    metrics.gauge({
      name: 'isohub_relay_leader',
      help: '1 when this instance holds the relay lease (exactly one instance should).',
      collect() {
        this.set(relayStatus().leader ? 1 : 0);
      },
    });
    const failed = (): Promise<number> => this.relay.failed().catch(() => -1);
    metrics.counter({
      name: 'isohub_relay_set_aside_total',
      help: 'Outbox rows this instance set aside because the broker refuses them for good (each one alerted).',
      collect() {
        this.reset();
        this.inc(relayStatus().setAside);
      },
    });
    metrics.gauge({
      name: 'isohub_outbox_failed',
      help: 'Outbox rows set aside as failed (too large, invalid), waiting for an operator; -1 when the database does not answer.',
      async collect() {
        this.set(await failed());
      },
    });
    metrics.gauge({
      name: 'isohub_relay_last_published_timestamp_seconds',
      help: 'When this instance last published a batch (Unix seconds); 0 until it has.',
      collect() {
        this.set(seconds(relayStatus().lastPublishedAt) ?? 0);
      },
    });
    metrics.gauge({
      name: 'isohub_forward_pending',
      help: 'Forward jobs (to the national portal or the LGSP bus) waiting to be delivered; -1 when the database does not answer.',
      async collect() {
        this.set((await read()).forwards?.pending ?? -1);
      },
    });
    metrics.gauge({
      name: 'isohub_forward_failed',
      help: 'Forward jobs the upstream refused for good (they wait for an operator); -1 when the database does not answer.',
      async collect() {
        this.set((await read()).forwards?.failed ?? -1);
      },
    });
    metrics.gauge({
      name: 'isohub_forward_oldest_pending_age_seconds',
      help: 'Age of the oldest forward job still waiting (0 when none waits).',
      async collect() {
        const oldest = seconds((await read()).forwards?.oldestPendingAt ?? null);
        this.set(oldest === null ? 0 : Math.max(0, Date.now() / 1000 - oldest));
      },
    });
    metrics.counter({
      name: 'isohub_forward_delivered_total',
      help: 'Forward jobs delivered by this instance since it started.',
      collect() {
        this.reset();
        this.inc(fwd().forwarded);
      },
    });
    metrics.counter({
      name: 'isohub_forward_refused_total',
      help: 'Forward jobs the upstream refused by this instance since it started, per style.',
      labelNames: ['style'],
      collect() {
        this.reset();
        for (const [style, c] of Object.entries(fwd().byStyleSinceStart)) {
          this.inc({ style }, c.refused);
        }
      },
    });
    metrics.gauge({
      name: 'isohub_forward_style_pending',
      help: 'Forward jobs waiting, per style (`opencps`, `thanhhoa` to the portal; `lgsp` to the bus).',
      labelNames: ['style'],
      async collect() {
        this.reset();
        for (const [style, c] of Object.entries((await read()).forwards?.byStyle ?? {})) {
          this.set({ style }, c.pending);
        }
      },
    });
    metrics.gauge({
      name: 'isohub_forward_style_failed',
      help: 'Forward jobs refused for good, per style.',
      labelNames: ['style'],
      async collect() {
        this.reset();
        for (const [style, c] of Object.entries((await read()).forwards?.byStyle ?? {})) {
          this.set({ style }, c.failed);
        }
      },
    });
    metrics.gauge({
      name: 'isohub_dead_letters_open',
      help: 'Dead letters not replayed; -1 when the database does not answer.',
      async collect() {
        this.set((await read()).queues?.deadLettersOpen ?? -1);
      },
    });
    metrics.gauge({
      name: 'isohub_dead_letter_last_seen_timestamp_seconds',
      help: 'When a dead letter last arrived (Unix seconds; a repeat of the same payload counts); 0 when none.',
      async collect() {
        this.set((await read()).queues?.deadLetterLastSeen ?? 0);
      },
    });
    metrics.gauge({
      name: 'isohub_unmapped_codes',
      help: 'Local procedure codes seen without a mapping (the admin console’s unmapped-code queue).',
      async collect() {
        this.set((await read()).queues?.unmappedCodes ?? -1);
      },
    });
    metrics.gauge({
      name: 'isohub_unmapped_statuses',
      help: 'Vendor statuses seen without a published status mapping (the unmapped-status queue).',
      async collect() {
        this.set((await read()).queues?.unmappedStatuses ?? -1);
      },
    });
    const calendars = new CalendarStore(ds);
    metrics.gauge({
      name: 'isohub_calendar_year_official',
      help: 'Per year (period `current` and `next`, Vietnam time): 1 when the published working calendar has official data for it, 0 when deadlines fall back to the provisional statutory skeleton.',
      labelNames: ['year', 'period'],
      async collect() {
        this.reset();
        const year = new Date(Date.now() + 7 * 3600_000).getUTCFullYear();
        const statuses = await calendars.yearStatuses([year, year + 1]).catch(() => null);
        for (const s of statuses ?? []) {
          this.set(
            { year: String(s.year), period: s.year === year ? 'current' : 'next' },
            s.status === 'official' ? 1 : 0,
          );
        }
      },
    });
    registerAdapterMetrics(metrics, polling);
    registerReconciliationMetrics(metrics, reconciliation, reconciliations);
  }

  private read(): Promise<DatabaseSnapshot> {
    const now = Date.now();
    if (this.snapshot === null || now - this.snapshot.at > SNAPSHOT_TTL_MS) {
      this.snapshot = { at: now, value: this.readDatabase() };
    }
    return this.snapshot.value;
  }

  private async readDatabase(): Promise<DatabaseSnapshot> {
    const [outboxPending, forwards, queues] = await Promise.all([
      this.relay.pending().catch(() => null),
      this.forwards.stats().catch(() => null),
      this.ds
        .query<{ dl: number; dl_last: string | null; codes: number; statuses: number; held: number }[]>(
          `SELECT (SELECT count(*)::int FROM dead_letter WHERE replayed_at IS NULL AND discarded_at IS NULL) AS dl,
                  (SELECT extract(epoch FROM max(last_seen_at))::float8 FROM dead_letter) AS dl_last,
                  (SELECT count(*)::int FROM unmapped_code) AS codes,
                  (SELECT count(*)::int FROM unmapped_status) AS statuses,
                  (SELECT count(*)::int FROM outbox WHERE held_key IS NOT NULL AND published_at IS NULL) AS held`,
        )
        .then(([r]) =>
          r === undefined
            ? null
            : {
                deadLettersOpen: r.dl,
                deadLetterLastSeen: r.dl_last === null ? null : Number(r.dl_last),
                unmappedCodes: r.codes,
                unmappedStatuses: r.statuses,
                held: r.held,
              },
        )
        .catch(() => null),
    ]);
    return { outboxPending, forwards, queues };
  }
}
