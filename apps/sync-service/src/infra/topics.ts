import type { EventBusPort } from '@isohub/messaging';
import type { SyncServiceConfig } from '../config/sync-service.config';

export async function ensureTopics(bus: EventBusPort, c: SyncServiceConfig): Promise<void> {
  const base = { replicationFactor: c.topicReplication };
  await bus.ensureTopics([
    { topic: c.topics.events, partitions: c.topicPartitions, ...base },
    {
      topic: c.topics.state,
      partitions: c.topicPartitions,
      ...base,
      config: { 'cleanup.policy': 'compact', 'min.compaction.lag.ms': '60000' },
    },
    {
      topic: c.topics.stepTiming,
      partitions: c.topicPartitions,
      ...base,
      config: { 'cleanup.policy': 'compact', 'min.compaction.lag.ms': '60000' },
    },
    {
      topic: c.topics.deadLetters,
      partitions: 1,
      ...base,
      // Dead letters hold personal data: the topic keeps them DEAD_LETTER_RETAIN_DAYS (set when it is created;
      // 0 = the former 90 days), as the database does their payloads.
      config: { 'retention.ms': String((c.guards.deadLetterRetainDays || 90) * 24 * 3600 * 1000) },
    },
    { topic: c.topics.relayCheckpoint, partitions: 1, ...base, config: { 'cleanup.policy': 'compact' } },
  ]);
}
