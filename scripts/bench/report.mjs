// Figures -> one Markdown report, printed and (optionally) written into docs/performance.md.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

export const BEGIN = '<!-- bench:begin (written by npm run bench; edit outside these markers) -->';
export const END = '<!-- bench:end -->';

/** Nearest-rank percentile of an unsorted list of numbers (null for an empty list). */
export function percentile(values, p) {
  const v = values.filter((x) => x !== null && Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) {
    return null;
  }
  return v[Math.min(v.length - 1, Math.max(0, Math.ceil((p / 100) * v.length) - 1))];
}

const num = (x, digits = 0) =>
  x === null || x === undefined || !Number.isFinite(x)
    ? 'n/a'
    : x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const ms = (x) => (x === null || x === undefined ? 'n/a' : x < 10 ? `${num(x, 1)} ms` : `${num(x)} ms`);
const mb = (bytesPerSec) => `${num(bytesPerSec / 1e6, 2)} MB/s`;
const mib = (bytes) => (bytes ? `${num(bytes / 1048576)} MiB` : 'n/a');
const ratio = (a, b) =>
  a === null || b === null || a === undefined || b === undefined || !b
    ? 'n/a'
    : `${num(a / b, a / b < 0.1 ? 3 : 2)}×`;
const cores = (x) => (x === null || x === undefined ? 'n/a' : num(x, 2));

export function renderReport(r) {
  const { machine: m, params: p, event: e, raw, hub } = r;
  const t = hub.throughput;
  const l = hub.latency;
  const lines = [];
  const row = (...cells) => lines.push(`| ${cells.join(' | ')} |`);

  lines.push(
    `### Run of ${r.date}`,
    '',
    `Command: \`${r.command}\` (${r.preset} preset, ${num(r.totalSeconds)} s in all)`,
    '',
  );
  lines.push('**Machine**', '');
  row('', '');
  row('---', '---');
  row('CPU', `${m.cpu}, nproc ${m.nproc}`);
  row('Memory', `${num(m.memoryGiB, 1)} GiB`);
  row('OS', m.os);
  row('Node', m.node);
  row('Kafka', `${m.kafka} (deploy/kafka/pom.xml), one local KRaft broker, ${m.kafkaHeap}${m.kafkaNote}`);
  row('kafkajs', m.kafkajs);
  row('PostgreSQL', m.postgres);
  row('Before the run', `load average ${m.loadBefore}; ${m.busyBefore}`);
  lines.push('', '**Parameters**', '');
  row('', '');
  row('---', '---');
  row(
    'Event record',
    `captured from the hub's events topic during warm-up (${e.samples} records): value avg ${num(e.value)} B ` +
      `(${num(e.valueMin)}-${num(e.valueMax)}), key ${num(e.key)} B, ${e.headers} headers (${e.headerNames}) ` +
      `avg ${num(e.headerBytes)} B; ${num(e.record)} B per record in all. The relay also publishes one ` +
      `state snapshot per request to the compacted state topic (value avg ${num(e.stateValue)} B)`,
  );
  row(
    'Raw Kafka',
    `fresh topics, ${p.partitions} partitions; kafkajs producer idempotent, acks=-1, maxInFlightRequests 1, no ` +
      `compression; client retry settings as the hub's (initialRetryTime 200 ms); ${p.rawBatch} records per send; ${p.rawSeconds} s per variant after ${p.rawWarmSeconds} s untimed; transactional variant: ` +
      `${p.rawBatch} records + a checkpoint offset (sendOffsets) per transaction, as the relay does`,
  );
  row('Raw Kafka latency', `open loop, 1 record per send at ${p.rate} msg/s for ${p.rawLatencySeconds} s`);
  row(
    'isohub throughput',
    `${num(t.dossiers)} dossiers × 3 requests (snapshot; 2 progress rows; closing snapshot), ` +
      `${p.concurrency} requests in flight (closed loop), after a warm-up of ${p.warmupDossiers} dossiers` +
      (p.analyze
        ? ' and an ANALYZE of the hub database (planner statistics, as autovacuum keeps them)'
        : ' (no ANALYZE: a fresh database without planner statistics)'),
  );
  row(
    'isohub latency',
    `open loop ${p.rate} req/s for ${p.seconds} s, lifecycle steps of a dossier ${p.gapMs} ms apart`,
  );
  row('sync-service measured', p.revision);
  row('Hub configuration', p.hubConfig);
  row(
    'Consumer',
    'plain kafkajs consumer, read_committed, own group, maxWaitTimeInMs 100, in a worker thread of the bench process',
  );
  row('Bytes', 'key + value + header names and values; MB = 10^6 B');

  lines.push('', '**Results**', '');
  row('Measure', 'isohub', 'raw Kafka', 'isohub ÷ raw');
  row('---', '---:', '---:', '---:');
  row(
    'Throughput, events/s (first request → last event consumed)',
    num(t.eventsPerSec),
    `${num(raw.idem.msgsPerSec)} msg/s`,
    ratio(t.eventsPerSec, raw.idem.msgsPerSec),
  );
  row(
    'Throughput, event MB/s',
    mb(t.eventBytesPerSec),
    mb(raw.idem.bytesPerSec),
    ratio(t.eventBytesPerSec, raw.idem.bytesPerSec),
  );
  row(
    'Throughput, requests/s answered (first request → last answer)',
    num(t.requestsPerSec),
    `${num(raw.idem.msgsPerSec)} msg/s`,
    ratio(t.requestsPerSec, raw.idem.msgsPerSec),
  );
  row(
    'Kafka records/s the relay published (events + state snapshots)',
    num(t.relayMsgsPerSec),
    `${num(raw.txn.msgsPerSec)} msg/s transactional`,
    ratio(t.relayMsgsPerSec, raw.txn.msgsPerSec),
  );
  row(
    `Raw transactional, ${p.rawBatch} records + checkpoint per transaction`,
    '',
    `${num(raw.txn.msgsPerSec)} msg/s, ${mb(raw.txn.bytesPerSec)}, ${num(raw.txn.rounds / raw.txn.seconds, 1)} txn/s; ` +
      `CONCURRENT_TRANSACTIONS retries in ${num(raw.txn.concurrentTransactions)} of ${num(raw.txn.rounds)} txns; ` +
      `broker ${cores(raw.txn.cpu.kafka)} cores`,
    `${ratio(raw.txn.msgsPerSec, raw.idem.msgsPerSec)} of idempotent`,
  );
  row(
    `Raw transactional at the relay's observed size, ${raw.txnSmall.batch} records + checkpoint per transaction`,
    '',
    `${num(raw.txnSmall.msgsPerSec)} msg/s, ${num(raw.txnSmall.rounds / raw.txnSmall.seconds, 1)} txn/s; ` +
      `CONCURRENT_TRANSACTIONS retries in ${num(raw.txnSmall.concurrentTransactions)} of ${num(raw.txnSmall.rounds)} txns; ` +
      `broker ${cores(raw.txnSmall.cpu.kafka)} cores`,
    `${ratio(raw.txnSmall.msgsPerSec, raw.idem.msgsPerSec)} of idempotent`,
  );
  row(
    `Answer latency p50 / p99 at ${p.rate}/s (isohub: HTTP answer after commit; raw: produce ack)`,
    `${ms(l.answerP50)} / ${ms(l.answerP99)}`,
    `${ms(raw.latency.ackP50)} / ${ms(raw.latency.ackP99)}`,
    `${ratio(l.answerP50, raw.latency.ackP50)} / ${ratio(l.answerP99, raw.latency.ackP99)}`,
  );
  row(
    `End-to-end p50 / p99 at ${p.rate}/s (sent → consumed, read_committed)`,
    `${ms(l.e2eP50)} / ${ms(l.e2eP99)}`,
    `${ms(raw.latency.e2eP50)} / ${ms(raw.latency.e2eP99)}`,
    `${ratio(l.e2eP50, raw.latency.e2eP50)} / ${ratio(l.e2eP99, raw.latency.e2eP99)}`,
  );
  row('Answer p50 / p99 under the throughput load', `${ms(t.answerP50)} / ${ms(t.answerP99)}`, '', '');
  row('End-to-end p50 / p99 under the throughput load', `${ms(t.e2eP50)} / ${ms(t.e2eP99)}`, '', '');
  row(
    'Peak RSS, sync-service (VmHWM; max polled VmRSS every 100 ms)',
    `${mib(hub.rss.hubHwm)} (${mib(hub.rss.hubMax)})`,
    '',
    '',
  );
  row(
    'Peak RSS, Kafka broker JVM (VmHWM; max polled VmRSS)',
    `${mib(hub.rss.kafkaHwm)} (${mib(hub.rss.kafkaMax)})`,
    '',
    '',
  );
  const c = t.cpu;
  row(
    'CPU during the throughput phase, in cores (of ' + m.nproc + ')',
    `sync-service ${cores(c.hub)}, PostgreSQL (this database + shared processes) ${cores(c.postgres)}, Kafka ${cores(c.kafka)}, bench client ${cores(c.bench)}, other processes ${cores(c.other)}; machine ${c.machine === null ? 'n/a' : `${num(c.machine * 100)} % busy`}`,
    '',
    '',
  );
  const lc = l.cpu;
  row(
    `CPU during the isohub latency phase (${p.rate} req/s), in cores`,
    `sync-service ${cores(lc.hub)}, PostgreSQL ${cores(lc.postgres)}, Kafka ${cores(lc.kafka)}, bench client ${cores(lc.bench)}, other processes ${cores(lc.other)}`,
    '',
    '',
  );
  const rc = raw.idem.cpu;
  row(
    'CPU during the raw idempotent phase, in cores',
    '',
    `Kafka ${cores(rc.kafka)}, bench producer ${cores(rc.bench)}, other processes ${cores(rc.other)}; machine ${rc.machine === null ? 'n/a' : `${num(rc.machine * 100)} % busy`}`,
    '',
  );
  row(
    'Relay transactions (records + state snapshots per Kafka transaction)',
    `throughput phase: ${num(t.relayBatches)} txns, ${num(t.avgBatch, 1)} records/txn, ` +
      `${num(t.relayBatches / t.e2eSeconds, 1)} txn/s; latency phase: ${num(l.avgBatch, 1)} records/txn, ` +
      `${num(l.relayTxnPerSec, 1)} txn/s`,
    `${num(raw.txn.rounds)} txns of ${p.rawBatch}`,
    '',
  );
  row(
    'Counts',
    `throughput ${num(t.requests)} requests → ${num(t.events)} events; latency ${num(l.requests)} requests → ` +
      `${num(l.events)} events, ${num(l.missing)} with no event seen; failed answers ${num(t.failures + l.failures)}`,
    `${num(raw.idem.messages)} + ${num(raw.txn.messages)} + ${num(raw.latency.n)} records`,
    '',
  );
  if (r.warnings.length > 0) {
    lines.push('', '**Warnings**', '', ...r.warnings.map((w) => `- ${w}`));
  }
  return `${lines.join('\n')}\n`;
}

const DEFAULT_DOC = `# Performance

Figures from \`npm run bench\` (scripts/bench.mjs): raw kafkajs producer throughput and isohub's
end-to-end throughput and latency, measured side by side in one run on the same machine. A run
replaces the block between the markers below; the text outside them is kept.

${BEGIN}
${END}
`;

/** Replaces the generated block of docs/performance.md, keeping whatever is written around it. */
export function writeDoc(path, block) {
  let doc = existsSync(path) ? readFileSync(path, 'utf8') : DEFAULT_DOC;
  if (!doc.includes(BEGIN) || !doc.includes(END)) {
    doc = `${doc.trimEnd()}\n\n${BEGIN}\n${END}\n`;
  }
  const before = doc.slice(0, doc.indexOf(BEGIN) + BEGIN.length);
  const after = doc.slice(doc.indexOf(END));
  writeFileSync(path, `${before}\n\n${block.trim()}\n\n${after}`);
}
