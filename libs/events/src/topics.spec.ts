import { describe, expect, it } from 'vitest';
import { topicNames } from './topics';

describe('topicNames', () => {
  it('uses the isohub prefix by default', () => {
    expect(topicNames()).toEqual({
      events: 'isohub.dossier.events.v1',
      state: 'isohub.dossier.state.v1',
      stepTiming: 'isohub.dossier.step-timing.v1',
      deadLetters: 'isohub.dossier.dlq.v1',
      relayCheckpoint: 'isohub.relay.checkpoint',
    });
  });

  it('takes a deployment prefix', () => {
    expect(topicNames('isohub-staging').events).toBe('isohub-staging.dossier.events.v1');
  });

  it('refuses a prefix Kafka would reject', () => {
    expect(() => topicNames('')).toThrow(RangeError);
    expect(() => topicNames('isohub/prod')).toThrow(RangeError);
    expect(() => topicNames('x'.repeat(240))).toThrow(RangeError);
  });
});
