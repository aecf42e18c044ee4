// Process memory and CPU from /proc (Linux). Everything degrades to null elsewhere.
import { readdirSync, readFileSync } from 'node:fs';

const TICKS_PER_SECOND = 100; // USER_HZ on every Linux that Node supports

/** A field of /proc/<pid>/status in bytes (VmRSS, VmHWM), or null. */
export function statusBytes(pid, field) {
  if (!pid) {
    return null;
  }
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : null;
  } catch {
    return null;
  }
}

/** utime + stime of a process (all its threads), in seconds, or null. */
function cpuSeconds(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) / TICKS_PER_SECOND;
  } catch {
    return null;
  }
}

function processesNamed(prefix) {
  const pids = [];
  let entries;
  try {
    entries = readdirSync('/proc');
  } catch {
    return pids;
  }
  for (const e of entries) {
    if (!/^\d+$/.test(e)) {
      continue;
    }
    try {
      if (readFileSync(`/proc/${e}/comm`, 'utf8').startsWith(prefix)) {
        pids.push(Number(e));
      }
    } catch {
      // gone
    }
  }
  return pids;
}

/** Busy and total jiffies of the whole machine (first line of /proc/stat). */
function machineTicks() {
  try {
    const f = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    const idle = f[3] + (f[4] ?? 0);
    const total = f.slice(0, 8).reduce((a, b) => a + b, 0);
    return { busy: (total - idle) / TICKS_PER_SECOND, total: total / TICKS_PER_SECOND };
  } catch {
    return null;
  }
}

/**
 * CPU seconds used so far by the hub, the Kafka JVM, each PostgreSQL process, this benchmark process
 * (all threads, so its consumers too) and the whole machine. Diff two snapshots for a phase.
 */
export function cpuSnapshot({ hubPid, kafkaPid }) {
  const pg = new Map(processesNamed('postgres').map((pid) => [pid, cpuSeconds(pid) ?? 0]));
  const self = process.cpuUsage();
  return {
    at: performance.now(),
    hub: hubPid ? cpuSeconds(hubPid) : null,
    kafka: kafkaPid ? cpuSeconds(kafkaPid) : null,
    postgres: pg,
    bench: (self.user + self.system) / 1e6,
    machine: machineTicks(),
  };
}

/**
 * Per-component share of the machine between two snapshots, in "cores" (1.0 = one core busy).
 * PostgreSQL counts the server's shared processes and every backend except `foreignPg` (the
 * backends of other databases: other users of the same server land in "other").
 */
export function cpuShare(a, b, foreignPg = new Set()) {
  const seconds = (b.at - a.at) / 1000;
  let pgSeconds = 0;
  for (const [pid, cpu] of b.postgres) {
    if (!foreignPg.has(pid)) {
      pgSeconds += cpu - (a.postgres.get(pid) ?? 0);
    }
  }
  const d = (k) =>
    k === 'postgres' ? pgSeconds / seconds : a[k] === null || b[k] === null ? null : (b[k] - a[k]) / seconds;
  const machine =
    a.machine && b.machine ? (b.machine.busy - a.machine.busy) / (b.machine.total - a.machine.total) : null;
  const parts = ['hub', 'kafka', 'postgres', 'bench'].map(d);
  const nproc = (b.machine?.total - a.machine?.total) / seconds;
  return {
    seconds,
    /** Cores used by everything else on the machine (other sessions, the OS). */
    other: machine === null ? null : Math.max(0, machine * nproc - parts.reduce((n, x) => n + (x ?? 0), 0)),
    hub: d('hub'),
    kafka: d('kafka'),
    postgres: d('postgres'),
    bench: d('bench'),
    /** Fraction of all cores busy (any process). */
    machine,
  };
}

/** Fraction of all cores busy over the next `ms` milliseconds (null without /proc/stat). */
export async function machineBusy(ms) {
  const a = machineTicks();
  await new Promise((r) => setTimeout(r, ms));
  const b = machineTicks();
  return a && b ? (b.busy - a.busy) / (b.total - a.total) : null;
}

/**
 * Waits (at most `maxSeconds`) until the machine has been under `threshold` busy for two 2-second
 * windows in a row; resolves with the last busy fraction seen.
 */
export async function waitQuiet({ maxSeconds, threshold = 0.15, log }) {
  const end = Date.now() + maxSeconds * 1000;
  let quiet = 0;
  let busy = await machineBusy(2000);
  while (busy !== null && Date.now() < end) {
    quiet = busy < threshold ? quiet + 1 : 0;
    if (quiet >= 2) {
      return busy;
    }
    log(`machine ${Math.round(busy * 100)} % busy; waiting for it to calm down`);
    busy = await machineBusy(2000);
  }
  return busy;
}

/** Polls VmRSS of some processes every `intervalMs` and keeps the maximum. */
export class RssPoller {
  max = {};
  #timer;

  constructor(pids, intervalMs = 100) {
    this.pids = pids;
    this.#timer = setInterval(() => this.poll(), intervalMs);
    this.#timer.unref();
    this.poll();
  }

  poll() {
    for (const [name, pid] of Object.entries(this.pids)) {
      const rss = statusBytes(pid, 'VmRSS');
      if (rss !== null && rss > (this.max[name] ?? 0)) {
        this.max[name] = rss;
      }
    }
  }

  stop() {
    clearInterval(this.#timer);
    this.poll();
  }
}
