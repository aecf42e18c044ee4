#!/usr/bin/env node
// `npm run demo` (with `npm start` running in another terminal): the sandbox plays a realistic working
// day of two one-stop systems (OpenCPS-style and Thanh Hóa-style) through isohub's tee, compressed in
// time, while a plain kafkajs consumer prints every canonical event as it arrives on Kafka.
//   DEMO_COUNT=40 DEMO_SPEED=600 DEMO_SEED=demo npm run demo
import { randomBytes } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';

const env = process.env;
const hub = env.HUB_URL ?? `http://127.0.0.1:${env.PORT ?? 8080}`;
const sandbox = env.SANDBOX_URL ?? `http://127.0.0.1:${env.SANDBOX_PORT ?? 8090}`;
const brokers = (env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
const prefix = env.TOPIC_PREFIX ?? 'isohub';
const count = Number(env.DEMO_COUNT ?? 30);
const speed = Number(env.DEMO_SPEED ?? 900);
const seed = env.DEMO_SEED ?? `demo-${randomBytes(3).toString('hex')}`;
const date = env.DEMO_DATE ?? new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 10);
// The demo's own dossier-code series (3-9): never the codes the sandbox's pull site (1) or LGSP bus (2) use.
const series = Number(env.DEMO_SERIES ?? 3 + (randomBytes(1)[0] % 7));
const senders = {
  opencps: {
    username: env.DEMO_OPENCPS_USER ?? 'opencps-demo',
    password: env.DEMO_OPENCPS_PASSWORD ?? 'demo-password-change-me',
  },
  thanhhoaKey: env.DEMO_THANHHOA_KEY ?? 'th-demo-key-change-me',
};

const admin = env.ADMIN_URL ?? `http://127.0.0.1:${env.ADMIN_PORT ?? 8081}`;

const header = (h, k) => (h[k] === undefined ? '' : Buffer.isBuffer(h[k]) ? h[k].toString() : String(h[k]));
const pad = (s, n) =>
  String(s ?? '')
    .slice(0, n)
    .padEnd(n);

async function main() {
  const health = await fetch(`${hub}/health/live`).catch(() => null);
  if (!health) {
    console.error(`isohub is not answering at ${hub}: start it first with \`npm start\``);
    process.exit(1);
  }
  const kafka = new Kafka({ clientId: 'isohub-demo', brokers, logLevel: logLevel.NOTHING });
  const consumer = kafka.consumer({
    groupId: `isohub-demo-${randomBytes(4).toString('hex')}`,
    readUncommitted: false,
  });
  await consumer.connect();
  await consumer.subscribe({ topic: `${prefix}.dossier.events.v1`, fromBeginning: false });
  let seen = 0;
  const started = Date.now();
  await consumer.run({
    eachMessage: async ({ partition, message }) => {
      seen += 1;
      const h = message.headers ?? {};
      const data = JSON.parse(message.value.toString());
      const who = (unit, user) =>
        `${unit?.name ?? '?'} / ${user?.name ?? (user?.role === 'applicant' ? '(applicant)' : '?')}`;
      // one event per action: the handover it carries, from the side it left to the side it went to
      const handover = data.handover
        ? ` ${who(data.handover.unitFrom, data.handover.userFrom)} → ${who(data.handover.unitTo, data.handover.userTo)}`
        : '';
      const clock = data.timeSource === 'arrival' ? ' (arrival time)' : '';
      console.log(
        `${pad(((Date.now() - started) / 1000).toFixed(1) + 's', 7)} p${partition} #${header(h, 'ce_sequence').replace(/^0+/, '')} ` +
          `${pad(header(h, 'ce_subject'), 26)} ${pad(data.milestone, 26)} ${pad(data.status.national ?? '-', 2)} ` +
          `${data.occurredAt}${clock}  ${pad(data.procedure.nationalCode ?? data.procedure.localCode, 12)}${handover}`,
      );
    },
  });
  await new Promise((r) => setTimeout(r, 1500));
  console.log(`Playing ${count} dossiers of ${date} (seed ${seed}) at ${speed}x through ${hub} …\n`);
  const res = await fetch(`${sandbox}/_sandbox/onestop/replay`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      seed,
      count,
      date,
      speed,
      series,
      targets: {
        openCps: {
          authUrl: `${hub}/dvcqg/api/auth`,
          integrationUrl: `${hub}/dvcqg/api/integration`,
          ...senders.opencps,
        },
        thanhHoa: {
          createUrl: `${hub}/dvcqg/th/${senders.thanhhoaKey}/ThemMoi`,
          updateUrl: `${hub}/dvcqg/th/${senders.thanhhoaKey}/CapNhat`,
          progressUrl: `${hub}/dvcqg/th/${senders.thanhhoaKey}/DongBoTienTrinh`,
        },
      },
    }),
  });
  const summary = await res.json();
  await new Promise((r) => setTimeout(r, 3000));
  // What the portal answered each sender through the (transparent) tee: the console's "Đồng bộ lên Cổng DVCQG".
  const ops = { authorization: `Bearer ${env.OPS_TOKEN ?? 'dev-only-ops-token-change-me'}` };
  const tee = await fetch(`${hub}/ops/tee/senders`, { headers: ops })
    .then((r) => (r.ok ? r.json() : null))
    .catch(() => null);
  for (const s of tee?.senders ?? []) {
    const rate = s.syncRate === null ? '-' : `${(s.syncRate * 100).toFixed(1)}%`;
    console.log(
      `${pad(s.sender, 20)} portal accepted ${s.delivered}, refused ${s.refused}, unanswered ${s.unanswered}; ` +
        `sync rate ${rate}${s.lastRefusal ? ` (last refusal: ${s.lastRefusal.message})` : ''}`,
    );
  }
  console.log(
    `\nDone: ${summary.dossiers} dossiers, ${summary.calls} calls, ${summary.acknowledged} acknowledged, ` +
      `${seen} events consumed from Kafka. The sandbox portal received the relayed calls: ${sandbox}/_sandbox/portal/received`,
  );
  await consumer.disconnect();
  await queueAnUnmappedCode();
}

/**
 * One more dossier, sent as the OpenCPS sender would, whose local procedure code no mapping knows: it
 * waits in the console's unmapped queue until someone maps the code there and publishes (docs/console.md).
 */
async function queueAnUnmappedCode() {
  const post = (path, body) =>
    fetch(`${hub}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    }).then((r) => r.json());
  const { session } = await post('/dvcqg/api/auth', senders.opencps);
  const day = date.replaceAll('-', '');
  const code = `000.00.01.H56-${day.slice(2)}-9${String(randomBytes(2).readUInt16BE() % 1000).padStart(3, '0')}`;
  const answer = await post('/dvcqg/api/integration', {
    session,
    madonvi: '000.00.01.H56',
    service: 'DongBoHoSoMC',
    isUpdating: 'False',
    data: [
      {
        MaHoSo: code,
        MaTTHC: 'KS-DIA-PHUONG-DEMO',
        TenTTHC: 'Thủ tục địa phương chưa ánh xạ',
        KenhThucHien: '1',
        NgayNopHoSo: `${day}080000`,
        NgayTiepNhan: `${day}083000`,
        NgayHenTra: `${day}170000`,
        TrangThaiHoSo: '2',
      },
    ],
  });
  console.log(
    `\nFor the console (${admin}): dossier ${code} uses the local code KS-DIA-PHUONG-DEMO (answer ${answer.error_code}). ` +
      `Map it under "Hàng chờ chưa ánh xạ" (${admin}/unmapped), publish, then look the dossier up: ${admin}/dossiers?code=${code}`,
  );
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
