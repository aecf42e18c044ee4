// Load generators for the tee: closed loop (throughput) and open loop (latency at a fixed rate).
import { lifecycle } from './workload.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const wall = () => performance.timeOrigin + performance.now();

async function timed(client, request, traceIds, phase, index) {
  const traceId = traceIds.traceId(phase, index);
  const at = wall();
  const r = await client.send(request, traceIds.header(traceId));
  return { traceId, at, answer: wall() - at, ...r };
}

/**
 * `concurrency` senders, each taking the next dossier and sending its requests in order (a dossier's
 * next request only after the previous answer, as a one-stop system does). Stops starting dossiers
 * after `capMs`.
 */
export async function closedLoop({ client, first, dossiers, concurrency, base, traceIds, phase, capMs }) {
  const results = [];
  let next = 0;
  let index = 0;
  const stopAt = wall() + capMs;
  const sender = async () => {
    while (next < dossiers && wall() < stopAt) {
      const n = first + next;
      next += 1;
      for (const request of lifecycle(n, base)) {
        results.push(await timed(client, request, traceIds, phase, index++));
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, sender));
  return { results, dossiers: next };
}

/**
 * Open loop: one request every 1000/rate ms for `seconds`, sent on the clock without waiting for
 * answers. Each slot sends a follow-up step of an earlier dossier once it is `gapMs` old, else the
 * first step of a new dossier; so lifecycles interleave and each dossier's steps stay in order as
 * long as answers take less than `gapMs`. Latency is measured from the scheduled time (no coordinated
 * omission); `late` is how far the timer itself slipped.
 */
export async function openLoop({ client, first, rate, seconds, gapMs, base, traceIds, phase }) {
  const total = Math.round(rate * seconds);
  const followUps = [];
  const inflight = [];
  let dossiers = 0;
  let late = 0;
  const started = wall();
  for (let i = 0; i < total; i += 1) {
    const due = started + (i * 1000) / rate;
    const wait = due - wall();
    if (wait > 0) {
      await sleep(wait);
    }
    late = Math.max(late, wall() - due);
    let step;
    if (followUps.length > 0 && followUps[0].readyAt <= due) {
      step = followUps.shift();
    } else {
      const n = first + dossiers;
      dossiers += 1;
      step = { steps: lifecycle(n, base), k: 0 };
    }
    if (step.k + 1 < step.steps.length) {
      followUps.push({ steps: step.steps, k: step.k + 1, readyAt: due + gapMs });
    }
    const traceId = traceIds.traceId(phase, i);
    inflight.push(
      client.send(step.steps[step.k], traceIds.header(traceId)).then((r) => ({
        traceId,
        at: due,
        answer: wall() - due,
        ...r,
      })),
    );
  }
  const results = await Promise.all(inflight);
  return { results, dossiers, late, seconds: (wall() - started) / 1000 };
}
