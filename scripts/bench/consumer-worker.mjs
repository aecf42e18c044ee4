// A plain kafkajs consumer (read_committed, a group of its own, from the beginning), run in a worker
// thread so that the load generator's event loop cannot delay it. It stamps every record with the
// wall-clock time its batch arrived (performance.timeOrigin + now(): the same clock as the main thread).
import { parentPort, workerData } from 'node:worker_threads';
import { Kafka, logLevel } from 'kafkajs';

const { brokers, topics, groupId, keepSamples } = workerData;
const now = () => performance.timeOrigin + performance.now();

let count = 0;
let bytes = 0;
let lastAt = 0;
let reported = -1;
/** traceId -> [first seen, last seen, records] */
const traces = new Map();
const samples = [];

const kafka = new Kafka({ clientId: 'isohub-bench-consumer', brokers, logLevel: logLevel.NOTHING });
const consumer = kafka.consumer({ groupId, readUncommitted: false, maxWaitTimeInMs: 100 });
consumer.on(consumer.events.GROUP_JOIN, () => parentPort.postMessage({ type: 'joined' }));
consumer.on(consumer.events.CRASH, (e) =>
  parentPort.postMessage({ type: 'error', message: `consumer crashed: ${e.payload.error.message}` }),
);

function headerText(v) {
  if (v === undefined || v === null) {
    return '';
  }
  return Buffer.isBuffer(v) ? v.toString('utf8') : Array.isArray(v) ? headerText(v[v.length - 1]) : String(v);
}

const timer = setInterval(() => {
  if (count !== reported) {
    reported = count;
    parentPort.postMessage({ type: 'progress', count, bytes, lastAt });
  }
}, 10);

parentPort.on('message', async (msg) => {
  if (msg.type === 'dump') {
    parentPort.postMessage({ type: 'dump', count, bytes, lastAt, traces: [...traces], samples });
  } else if (msg.type === 'stop') {
    clearInterval(timer);
    await consumer.disconnect().catch(() => undefined);
    parentPort.postMessage({ type: 'stopped' });
  }
});

try {
  await consumer.connect();
  await consumer.subscribe({ topics, fromBeginning: true });
  await consumer.run({
    eachBatchAutoResolve: true,
    eachBatch: async ({ batch }) => {
      const at = now();
      for (const m of batch.messages) {
        count += 1;
        let size = (m.key?.length ?? 0) + (m.value?.length ?? 0);
        const headers = {};
        for (const [k, v] of Object.entries(m.headers ?? {})) {
          const text = headerText(v);
          headers[k] = text;
          size += Buffer.byteLength(k) + Buffer.byteLength(text);
        }
        bytes += size;
        const tp = headers.traceparent;
        if (tp) {
          const id = tp.slice(3, 35);
          const t = traces.get(id);
          if (t) {
            t[1] = at;
            t[2] += 1;
          } else {
            traces.set(id, [at, at, 1]);
          }
        }
        if (samples.length < keepSamples) {
          samples.push({
            key: m.key?.toString('utf8') ?? null,
            value: m.value?.toString('base64') ?? null,
            headers,
          });
        }
      }
      lastAt = at;
    },
  });
  parentPort.postMessage({ type: 'running' });
} catch (error) {
  parentPort.postMessage({ type: 'error', message: error instanceof Error ? error.message : String(error) });
}
