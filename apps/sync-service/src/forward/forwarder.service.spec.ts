import { afterEach, describe, expect, it, vi } from 'vitest';
import type { LgspRestAnswer, LgspRestPort } from '@isohub/adapters/lgsp';
import type { ForwardJob, ForwardStore } from '@isohub/persistence';
import type { SenderConfig, SyncServiceConfig } from '../config/sync-service.config';
import { ForwarderService } from './forwarder.service';
import type { TakeoverUpstreams } from './takeover-upstreams';

const JOB: ForwardJob = {
  id: '1',
  sender: 'lgsp-h56',
  style: 'lgsp',
  operation: 'SyncDocument',
  madonvi: null,
  isUpdating: null,
  body: Buffer.from('{"DocCode":"X"}'),
  attempts: 0,
};

const CONFIG = {
  portal: { enabled: false, maxAttempts: 0 },
  lgspForward: {
    enabled: true,
    bus: { baseUrl: 'https://bus.example', clientId: 'isohub' },
    paths: { SyncDocument: '/Document/SyncDocument', UpdateDocumentTraces: '/Document/UpdateDocumentTraces' },
    busFrom: 'LGSP_BUS_*',
  },
} as unknown as SyncServiceConfig;

afterEach(() => {
  vi.useRealTimers();
});

describe('ForwarderService lease', () => {
  it('keeps the lease while a delivery outlasts it, so no other instance sends the same job again', async () => {
    vi.useFakeTimers();
    const store = {
      acquireLease: vi.fn().mockResolvedValue(true),
      nextDue: vi.fn().mockResolvedValue([JOB]),
      complete: vi.fn().mockResolvedValue(undefined),
      retryLater: vi.fn().mockResolvedValue(undefined),
    };
    let answer: (a: LgspRestAnswer) => void = () => undefined;
    const bus: LgspRestPort = {
      callRest: vi.fn(() => new Promise<LgspRestAnswer>((resolve) => (answer = resolve))),
      checkConnection: vi.fn(),
    };
    const sender = { id: 'lgsp-h56', style: 'lgsp', mode: 'takeover' } as SenderConfig;
    const upstreams = {
      styles: () => ['lgsp'],
      senders: () => [sender],
      sender: (id: string) => (id === sender.id ? sender : null),
      bus: () => bus,
    } as unknown as TakeoverUpstreams;
    const forwarder = new ForwarderService(store as unknown as ForwardStore, CONFIG, upstreams);

    const pass = forwarder.runOnce();
    // The bus takes 65 s to answer (token fetch plus a call at LGSP_BUS_TIMEOUT_MS): over two leases.
    await vi.advanceTimersByTimeAsync(65_000);
    const renewals = store.acquireLease.mock.calls.length - 1;
    expect(renewals).toBeGreaterThanOrEqual(3);
    for (const [owner, ttl] of store.acquireLease.mock.calls as [string, number][]) {
      expect(owner).toBe(store.acquireLease.mock.calls[0]?.[0]);
      expect(ttl).toBeGreaterThan(10_000);
    }

    answer({ status: 200, contentType: 'application/json', data: { Status: 200 }, text: '{"Status":200}' });
    await expect(pass).resolves.toBe(1);
    expect(store.complete).toHaveBeenCalledWith('1', 'done', expect.anything(), null);
    // Renewal stops with the pass.
    const after = store.acquireLease.mock.calls.length;
    await vi.advanceTimersByTimeAsync(60_000);
    expect(store.acquireLease.mock.calls.length).toBe(after);
  });
});
