// Main-thread handle on a consumer worker (scripts/bench/consumer-worker.mjs).
import { randomBytes } from 'node:crypto';
import { Worker } from 'node:worker_threads';

export class BenchConsumer {
  count = 0;
  bytes = 0;
  lastAt = 0;
  #worker;
  #waiters = new Set();
  #pending = new Map();
  #error = null;
  #joined;

  constructor({ brokers, topics, keepSamples = 0 }) {
    this.#worker = new Worker(new URL('./consumer-worker.mjs', import.meta.url), {
      workerData: { brokers, topics, keepSamples, groupId: `isohub-bench-${randomBytes(4).toString('hex')}` },
    });
    this.#joined = new Promise((resolve) => {
      this.#worker.on('message', (msg) => {
        if (msg.type === 'joined') {
          resolve();
        } else if (msg.type === 'progress') {
          this.count = msg.count;
          this.bytes = msg.bytes;
          this.lastAt = msg.lastAt;
          for (const w of this.#waiters) {
            w();
          }
        } else if (msg.type === 'error') {
          this.#error = new Error(msg.message);
          for (const w of this.#waiters) {
            w();
          }
        } else if (this.#pending.has(msg.type)) {
          this.#pending.get(msg.type)(msg);
          this.#pending.delete(msg.type);
        }
      });
    });
    this.#worker.on('error', (error) => {
      this.#error = error;
    });
  }

  /** Resolves once the group has joined and partitions are assigned (bounded). */
  async ready(timeoutMs = 30_000) {
    await withTimeout(this.#joined, timeoutMs, 'consumer did not join its group');
  }

  /** Resolves when `n` records have been consumed in total; rejects after `timeoutMs`. */
  waitForCount(n, timeoutMs) {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (this.#error) {
          done();
          reject(this.#error);
        } else if (this.count >= n) {
          done();
          resolve(this.lastAt);
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`consumed ${this.count} of ${n} records within ${timeoutMs} ms`));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        this.#waiters.delete(check);
      };
      this.#waiters.add(check);
      check();
    });
  }

  /** Every trace id seen so far with [first, last, records], plus the kept sample records. */
  dump() {
    return this.#ask('dump');
  }

  async stop() {
    await withTimeout(this.#ask('stopped', 'stop'), 10_000, 'consumer stop').catch(() => undefined);
    await this.#worker.terminate();
  }

  #ask(answer, request = answer) {
    return new Promise((resolve) => {
      this.#pending.set(answer, resolve);
      this.#worker.postMessage({ type: request });
    });
  }
}

export function withTimeout(promise, ms, what) {
  let timer;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what}: no result within ${ms} ms`)), ms);
    }),
  ]);
}
