import { describe, expect, it } from 'vitest';
import type { IngestResult } from '../ingest/ingest.types';
import { lgspAnswer } from './lgsp-answer';

const ok = { index: 0, dossierCode: 'A-1', accepted: true, events: 2, errors: [] };
const bad = {
  index: 1,
  dossierCode: 'A-2',
  accepted: false,
  events: 0,
  errors: [{ field: '/DateReceived', code: 'format' as const, message: 'impossible date' }],
};

function result(items: IngestResult['items']): IngestResult {
  const accepted = items.filter((i) => i.accepted).length;
  return { items, accepted, rejected: items.length - accepted, events: 0 };
}

describe('lgspAnswer', () => {
  it('is Status 200 only when every item is stored (OpenCPS needs exactly 200)', () => {
    expect(lgspAnswer(result([ok]))).toMatchObject({
      Status: 200,
      Items: [{ DocCode: 'A-1', Accepted: true }],
    });
    expect(lgspAnswer(result([]))).toMatchObject({ Status: 200 });
  });

  it('is 422 when any item was dead-lettered, naming the field and saying the rest is stored', () => {
    const a = lgspAnswer(result([ok, bad]));
    expect(a.Status).toBe(422);
    expect(a.Message).toContain('/DateReceived');
    expect(a.Message).toContain('1 stored');
    expect(a.Items[1]).toMatchObject({ Accepted: false, Errors: bad.errors });
  });
});
