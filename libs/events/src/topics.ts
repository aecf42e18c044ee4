export const DEFAULT_TOPIC_PREFIX = 'isohub';

export interface TopicNames {
  /** Canonical dossier events, CloudEvents binary mode, keyed by dossier code. */
  events: string;
  /** Latest snapshot per dossier, compacted, keyed by dossier code. */
  state: string;
  /** Current timing of each step instance, compacted, keyed `<dossierCode>/<instance>`. */
  stepTiming: string;
  /** Inbound payloads that could not be turned into events (original bytes + `dlq_*` headers). */
  deadLetters: string;
  /** The outbox relay's own transactional checkpoint; internal, not part of the public contract. */
  relayCheckpoint: string;
}

// Kafka's own limits for topic names; the prefix is checked so that every derived name stays legal.
const LEGAL_PREFIX = /^[A-Za-z0-9._-]+$/;
const MAX_TOPIC_LENGTH = 249;
const LONGEST_SUFFIX = '.dossier.step-timing.v1'.length;

/** Topic names for one deployment. The prefix is configuration (e.g. `isohub-staging`). */
export function topicNames(prefix: string = DEFAULT_TOPIC_PREFIX): TopicNames {
  if (!LEGAL_PREFIX.test(prefix) || prefix.length + LONGEST_SUFFIX > MAX_TOPIC_LENGTH) {
    throw new RangeError(
      `Invalid topic prefix "${prefix}": use 1-${MAX_TOPIC_LENGTH - LONGEST_SUFFIX} characters from [A-Za-z0-9._-]`,
    );
  }
  return {
    events: `${prefix}.dossier.events.v1`,
    state: `${prefix}.dossier.state.v1`,
    stepTiming: `${prefix}.dossier.step-timing.v1`,
    deadLetters: `${prefix}.dossier.dlq.v1`,
    relayCheckpoint: `${prefix}.relay.checkpoint`,
  };
}
