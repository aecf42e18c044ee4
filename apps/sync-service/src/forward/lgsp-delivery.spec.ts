import { describe, expect, it, vi } from 'vitest';
import { LgspError, type LgspRestAnswer, type LgspRestPort } from '@isohub/adapters/lgsp';
import type { ForwardJob } from '@isohub/persistence';
import { deliverLgsp, lgspRetryable, readBusAnswer } from './lgsp-delivery';

const PATHS = { SyncDocument: '/bus/SyncDocument', UpdateDocumentTraces: '/bus/Traces' };

function answer(status: number, data: unknown, text = JSON.stringify(data)): LgspRestAnswer {
  return { status, contentType: 'application/json', data, text };
}

function job(operation: string): ForwardJob {
  return {
    id: '1',
    sender: 'lgsp-x',
    style: 'lgsp',
    operation,
    madonvi: null,
    isUpdating: null,
    body: Buffer.from('{"DocCode":"X"}'),
    attempts: 0,
  };
}

function bus(callRest: LgspRestPort['callRest']): LgspRestPort {
  return { callRest, checkConnection: vi.fn() };
}

describe('readBusAnswer: what counts as delivered at the LGSP', () => {
  it('is HTTP 200, with no MResult Status or Status 200 (number or string)', () => {
    expect(readBusAnswer(answer(200, null, '')).outcome).toBe('success');
    expect(readBusAnswer(answer(200, { Status: 200, Message: 'OK' })).outcome).toBe('success');
    expect(readBusAnswer(answer(200, { MResult: { Status: '200' } })).outcome).toBe('success');
    expect(readBusAnswer(answer(200, { Status: true })).outcome).toBe('success');
  });

  it('is refused, with the answer kept, when the MResult says another status or the HTTP status is not 200', () => {
    const refused = readBusAnswer(answer(200, { Status: 400, Message: 'DocCode trùng' }));
    expect(refused).toMatchObject({
      outcome: 'refused',
      reason: 'the bus answered Status 400: DocCode trùng',
      raw: { httpStatus: 200, body: { Status: 400, Message: 'DocCode trùng' } },
    });
    expect(readBusAnswer(answer(202, null, '')).outcome).toBe('refused');
  });
});

describe('deliverLgsp', () => {
  it('counts HTTP 200 with an unreadable body as delivered (the status is what the real client reads), keeping the text', async () => {
    const unreadable = new LgspError('BAD_RESPONSE', 'POST /bus/SyncDocument: the answer is not valid JSON');
    const thrown = unreadable.withPayload(Buffer.from('{"Status":'), 'POST /bus/SyncDocument', 200);
    const outcome = await deliverLgsp(bus(vi.fn().mockRejectedValue(thrown)), PATHS, job('SyncDocument'));
    expect(outcome).toMatchObject({ outcome: 'success', raw: { httpStatus: 200, body: '{"Status":' } });
    const noStatus = unreadable.withPayload(Buffer.from('{"Status":'), 'POST /bus/SyncDocument');
    await expect(
      deliverLgsp(bus(vi.fn().mockRejectedValue(noStatus)), PATHS, job('SyncDocument')),
    ).rejects.toBe(noStatus);
  });

  it('posts the stored bytes to the configured path of the operation', async () => {
    const callRest = vi.fn().mockResolvedValue(answer(200, { Status: 200 }));
    expect((await deliverLgsp(bus(callRest), PATHS, job('UpdateDocumentTraces'))).outcome).toBe('success');
    expect(callRest).toHaveBeenCalledWith({
      path: '/bus/Traces',
      method: 'POST',
      body: Buffer.from('{"DocCode":"X"}'),
      contentType: 'application/json',
    });
  });

  it('turns a 4xx refusal into a refused outcome carrying the bus answer, and rethrows the rest', async () => {
    const rejected = new LgspError('REJECTED', 'HTTP 422', { httpStatus: 422 }).withPayload(
      Buffer.from('{"Status":422,"Message":"thiếu DocCode"}'),
      'POST /bus/SyncDocument',
    );
    const refused = await deliverLgsp(bus(vi.fn().mockRejectedValue(rejected)), PATHS, job('SyncDocument'));
    expect(refused).toMatchObject({
      outcome: 'refused',
      raw: { httpStatus: 422, body: { Status: 422, Message: 'thiếu DocCode' } },
    });
    const down = new LgspError('UNAVAILABLE', 'HTTP 503', { httpStatus: 503 });
    await expect(deliverLgsp(bus(vi.fn().mockRejectedValue(down)), PATHS, job('SyncDocument'))).rejects.toBe(
      down,
    );
  });

  it('refuses an operation it has no path for without calling the bus', async () => {
    const callRest = vi.fn();
    expect((await deliverLgsp(bus(callRest), PATHS, job('UpdateVote'))).outcome).toBe('refused');
    expect(callRest).not.toHaveBeenCalled();
  });
});

describe('lgspRetryable', () => {
  it('retries outages and refused tokens, not answers refused on purpose', () => {
    expect(lgspRetryable(new LgspError('UNAVAILABLE', 'x'))).toBe(true);
    expect(lgspRetryable(new LgspError('TIMEOUT', 'x'))).toBe(true);
    expect(lgspRetryable(new LgspError('AUTH_FAILED', 'x', { httpStatus: 401 }))).toBe(true);
    expect(lgspRetryable(new LgspError('XML_UNSAFE', 'x'))).toBe(false);
    expect(lgspRetryable(new Error('socket surprise'))).toBe(true);
  });
});
