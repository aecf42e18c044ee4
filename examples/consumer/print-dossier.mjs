#!/usr/bin/env node
// A vendor's first isohub consumer: reads the canonical events topic from the beginning and prints one
// dossier's events as a control sheet (phiếu kiểm soát quá trình giải quyết hồ sơ), in sequence order.
//
//   KAFKA_BROKERS=127.0.0.1:9092 TOPIC_PREFIX=isohub node examples/consumer/print-dossier.mjs <dossier code>
//
// Everything a consumer needs is in the record: key = dossier code, CloudEvents headers (ce_id, ce_type,
// ce_time, ce_sequence, …), value = the event's data as JSON (docs/event-contract.md). It stops once it
// has read every partition up to where it stood when it started (or after CONSUMER_TIMEOUT_MS).
import { randomBytes } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';

const env = process.env;
const code = process.argv[2];
if (!code) {
  console.error('usage: node examples/consumer/print-dossier.mjs <dossier code>');
  process.exit(2);
}
const brokers = (env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
const topic = `${env.TOPIC_PREFIX ?? 'isohub'}.dossier.events.v1`;
const timeoutMs = Number(env.CONSUMER_TIMEOUT_MS ?? 60_000);

const header = (headers, name) => {
  const v = headers[name];
  return v === undefined ? '' : Buffer.isBuffer(v) ? v.toString('utf8') : String(v);
};

/** `2026-04-01T10:05:48+07:00` -> `01/04/2026 10:05` on the Vietnam clock (UTC+07:00, no DST). */
function vnTime(iso) {
  if (!iso) {
    return '';
  }
  const d = new Date(Date.parse(iso) + 7 * 3600_000);
  const p = (n) => String(n).padStart(2, '0');
  return `${p(d.getUTCDate())}/${p(d.getUTCMonth() + 1)}/${d.getUTCFullYear()} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}`;
}

const who = (unit, user) =>
  [user?.name, user?.title && `(${user.title})`, unit?.name].filter(Boolean).join(' ');

async function readDossier() {
  const kafka = new Kafka({ clientId: 'isohub-example-consumer', brokers, logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  const ends = new Map(
    (await admin.fetchTopicOffsets(topic))
      .filter((p) => Number(p.high) > Number(p.low))
      .map((p) => [p.partition, Number(p.high) - 1]),
  );
  await admin.disconnect();
  const events = [];
  if (ends.size === 0) {
    return events;
  }
  const consumer = kafka.consumer({ groupId: `isohub-example-${randomBytes(4).toString('hex')}` });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`not caught up after ${timeoutMs} ms`)), timeoutMs);
    consumer
      .run({
        eachMessage: async ({ partition, message }) => {
          if (message.key?.toString('utf8') === code && message.value) {
            events.push({
              sequence: Number(header(message.headers, 'ce_sequence')),
              type: header(message.headers, 'ce_type'),
              time: header(message.headers, 'ce_time'),
              data: JSON.parse(message.value.toString('utf8')),
            });
          }
          if (Number(message.offset) >= (ends.get(partition) ?? Infinity)) {
            ends.delete(partition);
          }
          if (ends.size === 0) {
            clearTimeout(timer);
            resolve();
          }
        },
      })
      .catch(reject);
  }).finally(() => consumer.disconnect());
  return events.sort((a, b) => a.sequence - b.sequence);
}

function printControlSheet(events) {
  const first = events[0].data;
  console.log(`Hồ sơ / Dossier ${code}`);
  console.log(`Thủ tục / Procedure: ${first.procedure?.nationalCode ?? '-'} ${first.procedure?.name ?? ''}`);
  console.log(`Hẹn trả / Due: ${vnTime(events.at(-1).data.dates?.dueAt)}`);
  const rows = events.map((e) => [
    String(e.sequence),
    vnTime(e.time),
    e.data.milestone,
    `${e.data.status?.national ?? '-'} ${e.data.status?.label ?? ''}`.trim(),
    who(e.data.handover?.unitFrom, e.data.handover?.userFrom),
    who(e.data.handover?.unitTo, e.data.handover?.userTo),
    vnTime(e.data.handover?.stepDeadline),
  ]);
  const head = ['#', 'Thời điểm', 'Mốc', 'Trạng thái', 'Bên giao', 'Bên nhận', 'Hạn bước'];
  const widths = head.map((h, i) => Math.min(40, Math.max(h.length, ...rows.map((r) => r[i].length))));
  const line = (cells) => cells.map((c, i) => c.slice(0, widths[i]).padEnd(widths[i])).join(' | ');
  console.log(line(head));
  console.log(widths.map((w) => '-'.repeat(w)).join('-+-'));
  rows.forEach((r) => console.log(line(r)));
}

try {
  const events = await readDossier();
  if (events.length === 0) {
    console.error(`no events for ${code} on ${topic}`);
    process.exitCode = 1;
  } else {
    printControlSheet(events);
  }
} catch (error) {
  console.error(
    `cannot read ${topic} at ${brokers.join(',')}: ${error instanceof Error ? error.message : error}`,
  );
  process.exitCode = 1;
}
