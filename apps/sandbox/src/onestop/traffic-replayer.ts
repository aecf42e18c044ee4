import type { SimulatedMessage } from './simulated-traffic';

export interface ReplayTargets {
  openCps?: { authUrl: string; integrationUrl: string; username: string; password: string };
  thanhHoa?: { createUrl: string; updateUrl: string; progressUrl: string };
}

export interface ReplayedCall {
  message: SimulatedMessage;
  url: string;
  /** HTTP status, or 0 when the request failed before an answer. */
  status: number;
  answer: unknown;
  /** True when the sender would have counted this call as done (see the two rules below). */
  acknowledged: boolean;
}

export interface ReplayOptions {
  /** OpenCPS keeps its portal session 10 minutes (wire-formats.md §1.4). */
  sessionMaxAgeMs?: number;
  onCall?: (call: ReplayedCall) => void;
  /**
   * Replay in (compressed) real time: wait (next.at - previous.at) / speed between messages, e.g. 600
   * plays a 10-hour working day in one minute. Absent: send back to back.
   */
  speed?: number;
  /** Cap on one wait in paced mode (a night between two days is not worth waiting for). */
  maxWaitMs?: number;
}

interface Answer {
  error_code?: unknown;
  message?: unknown;
  session?: unknown;
  result?: unknown;
}

async function postJson(url: string, body: unknown): Promise<{ status: number; text: string }> {
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: response.status, text: await response.text() };
  } catch {
    return { status: 0, text: '' };
  }
}

function parse(text: string): Answer {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null ? value : {};
  } catch {
    return {};
  }
}

function text(value: unknown): string {
  if (typeof value === 'string') {
    return value;
  }
  return typeof value === 'number' || typeof value === 'boolean' ? String(value) : '';
}

/** Liferay's `GetterUtil.getInteger` leniency: anything unparsable reads as 0 (wire-formats.md §1.6). */
function openCpsAccepts(answer: Answer): boolean {
  if (answer.error_code === undefined) {
    return false;
  }
  const n = Number.parseInt(text(answer.error_code), 10);
  return Number.isNaN(n) || n === 0;
}

/**
 * Replays simulated traffic against a portal-compatible endpoint (the sandbox, or isohub's tee) the way
 * each sender reacts to answers: OpenCPS logs in, lets TraCuuHoSo decide `isUpdating` and sends the
 * progress row only after an accepted snapshot; Thanh Hóa posts ThemMoi, falls back to CapNhat on
 * "đã tồn tại" and posts progress only after the snapshot succeeded ("thành công").
 */
export async function replayTraffic(
  messages: readonly SimulatedMessage[],
  targets: ReplayTargets,
  options: ReplayOptions = {},
): Promise<ReplayedCall[]> {
  const calls: ReplayedCall[] = [];
  const sessionMaxAgeMs = options.sessionMaxAgeMs ?? 10 * 60_000;
  let session: { token: string; at: number } | null = null;
  const found = new Map<string, boolean>();
  const snapshotAccepted = new Map<string, boolean>();

  const record = (
    message: SimulatedMessage,
    url: string,
    status: number,
    answer: unknown,
    acknowledged: boolean,
  ) => {
    const call = { message, url, status, answer, acknowledged };
    calls.push(call);
    options.onCall?.(call);
  };

  const login = async (target: NonNullable<ReplayTargets['openCps']>): Promise<string | null> => {
    if (session && Date.now() - session.at < sessionMaxAgeMs) {
      return session.token;
    }
    const { text: body } = await postJson(target.authUrl, {
      username: target.username,
      password: target.password,
    });
    const answer = parse(body);
    session =
      openCpsAccepts(answer) && typeof answer.session === 'string'
        ? { token: answer.session, at: Date.now() }
        : null;
    return session?.token ?? null;
  };

  let previousAt: number | null = null;
  for (const message of messages) {
    if (options.speed && previousAt !== null) {
      const wait = Math.min((message.atEpochMs - previousAt) / options.speed, options.maxWaitMs ?? 2_000);
      if (wait > 0) {
        await new Promise((resolve) => setTimeout(resolve, wait));
      }
    }
    previousAt = message.atEpochMs;
    if (message.sender === 'opencps') {
      const target = targets.openCps;
      const token = target ? await login(target) : null;
      if (!target || token === null) {
        continue;
      }
      const key = `${message.dossierCode}@${message.at}`;
      if (message.service === 'CapNhatTienDoHoSoMC' && !snapshotAccepted.get(key)) {
        continue;
      }
      const body = { ...message.body, session: token };
      if (message.service === 'DongBoHoSoMC') {
        body.isUpdating = found.get(message.dossierCode) ? 'True' : 'False';
      }
      const { status, text: raw } = await postJson(target.integrationUrl, body);
      const answer = parse(raw);
      const acknowledged = text(answer.error_code) === '0';
      if (message.service === 'TraCuuHoSo') {
        found.set(message.dossierCode, Array.isArray(answer.result) && answer.result.length > 0);
      } else if (message.service === 'DongBoHoSoMC') {
        snapshotAccepted.set(key, openCpsAccepts(answer));
      }
      record(message, target.integrationUrl, status, answer, acknowledged);
      continue;
    }
    const target = targets.thanhHoa;
    if (!target) {
      continue;
    }
    const key = `${message.dossierCode}@${message.at}`;
    if (message.operation === 'progress') {
      if (!snapshotAccepted.get(key)) {
        continue;
      }
      const { status, text: raw } = await postJson(target.progressUrl, message.body);
      record(message, target.progressUrl, status, parse(raw), raw.toLowerCase().includes('thành công'));
      continue;
    }
    const url = message.operation === 'update' ? target.updateUrl : target.createUrl;
    let { status, text: raw } = await postJson(url, message.body);
    let answer = parse(raw);
    let usedUrl = url;
    if (['0', '3', '-3'].includes(text(answer.error_code)) && text(answer.message).includes('đã tồn tại')) {
      ({ status, text: raw } = await postJson(target.updateUrl, message.body));
      answer = parse(raw);
      usedUrl = target.updateUrl;
    }
    const ok = text(answer.error_code) === '0' && text(answer.message).toLowerCase().includes('thành công');
    snapshotAccepted.set(key, ok);
    record(message, usedUrl, status, answer, ok);
  }
  return calls;
}
