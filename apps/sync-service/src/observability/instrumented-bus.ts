import { CE_HEADERS } from '@isohub/events';
import type { BusMessage, EventBusPort, RelayCheckpoint } from '@isohub/messaging';
import { MetricsRegistry, REQUEST_SECONDS_BUCKETS } from './metrics.registry';
import { publishSpans } from './tracing';

/** Event time → on Kafka spans milliseconds (pushed changes) to days (a source catching up). */
const END_TO_END_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600, 21600, 86400];

/**
 * The relay's bus, measured: how long each Kafka transaction took and, per event, how long from the
 * event's time (`ce_time`: when the change happened at the one-stop system or LGSP) to the moment it
 * is on Kafka. Each publish continues the event's `traceparent` when tracing is on.
 */
export function instrumentBus(bus: EventBusPort, metrics: MetricsRegistry): EventBusPort {
  const publishSeconds = metrics.histogram({
    name: 'isohub_relay_publish_duration_seconds',
    help: 'Kafka transactions of the relay (one outbox batch and its checkpoint), in seconds.',
    labelNames: ['outcome'],
    buckets: REQUEST_SECONDS_BUCKETS,
  });
  const endToEnd = metrics.histogram({
    name: 'isohub_event_end_to_end_seconds',
    help: 'From an event’s time (ce_time, when the change happened upstream) to its publication on Kafka, in seconds.',
    buckets: END_TO_END_BUCKETS,
  });
  return {
    ensureTopics: (specs) => bus.ensureTopics(specs),
    readLastCheckpoint: () => bus.readLastCheckpoint(),
    reset: () => bus.reset(),
    checkConnection: () => bus.checkConnection(),
    disconnect: () => bus.disconnect(),
    async publishAtomically(messages: BusMessage[], checkpoint: RelayCheckpoint): Promise<void> {
      const started = process.hrtime.bigint();
      const spans = publishSpans(messages);
      try {
        await bus.publishAtomically(messages, checkpoint);
      } catch (error) {
        publishSeconds.observe({ outcome: 'error' }, Number(process.hrtime.bigint() - started) / 1e9);
        spans?.fail(error);
        throw error;
      }
      publishSeconds.observe({ outcome: 'ok' }, Number(process.hrtime.bigint() - started) / 1e9);
      spans?.end();
      const now = Date.now();
      for (const m of messages) {
        const time = m.headers[CE_HEADERS.time];
        const at = time === undefined ? Number.NaN : Date.parse(time);
        if (Number.isFinite(at)) {
          endToEnd.observe(Math.max(0, (now - at) / 1000));
        }
      }
    },
  };
}
