import { DEV_SENDERS, type TeeReply } from './hub';

/**
 * A steady, bounded stream of OpenCPS-style traffic for resilience tests (against a hub that answers at
 * commit: senders in takeover mode, `answerAtCommitEnv()` in ./senders), sent the way real senders
 * behave: each dossier's requests in order (snapshot, then progress), a failed or unanswered request
 * is sent again unchanged (same body, so the same event ids), a stale session is renewed, and only an
 * answer with error_code "0" counts as accepted.
 */

export const AGENCY = DEV_SENDERS.opencps.agency;

export function snapshot(code: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    MaHoSo: code,
    MaTTHC: '1.001193',
    TenTTHC: 'Đăng ký khai sinh',
    MaLinhVuc: 'G14',
    TenLinhVuc: 'Hộ tịch',
    KenhThucHien: '2',
    ChuHoSo: 'Nguyễn Văn An',
    SoDienThoai: '0912345678',
    NgayNopHoSo: '20260401080000',
    NgayTiepNhan: '20260401090000',
    NgayHenTra: '20260403170000',
    NgayKetThucXuLy: '',
    NgayTra: '00000000000000',
    TrangThaiHoSo: '2',
    DonViXuLy: 'UBND xã Quảng Phú',
    ...overrides,
  };
}

export function progressRow(
  code: string,
  at: string,
  who: string,
  unit: string,
  text: string,
): Record<string, unknown> {
  return {
    MaHoSo: code,
    NguoiXuLy: who,
    ChucDanh: 'Chuyên viên',
    PhongBanXuLy: unit,
    ThoiDiemXuLy: at,
    NoiDungXuLy: text,
    TrangThai: '4',
    NgayBatDau: at,
    NgayKetThucTheoQuyDinh: '20260403170000',
  };
}

export interface PlannedRequest {
  service: 'DongBoHoSoMC' | 'CapNhatTienDoHoSoMC';
  data: Record<string, unknown>[];
}

export interface DossierPlan {
  code: string;
  /** A bad dossier's snapshot has an impossible date: it must be refused and never reach the events topic. */
  bad: boolean;
  requests: PlannedRequest[];
}

/**
 * `count` dossiers, each one snapshot then one progress request with two rows (3 events when all is
 * well: received and two handovers, the first carrying the 2 -> 4 change). Every `badEvery`-th dossier is a bad one.
 */
export function planDossiers(count: number, opts: { tag: string; badEvery?: number }): DossierPlan[] {
  const plans: DossierPlan[] = [];
  for (let i = 1; i <= count; i += 1) {
    const code = `${AGENCY}-${opts.tag}-${String(i).padStart(4, '0')}`;
    const bad = opts.badEvery !== undefined && i % opts.badEvery === 0;
    if (bad) {
      plans.push({
        code,
        bad,
        requests: [{ service: 'DongBoHoSoMC', data: [snapshot(code, { NgayTiepNhan: '20261399250000' })] }],
      });
      continue;
    }
    plans.push({
      code,
      bad,
      requests: [
        { service: 'DongBoHoSoMC', data: [snapshot(code)] },
        {
          service: 'CapNhatTienDoHoSoMC',
          data: [
            progressRow(code, '20260401100000', 'Trần Thị Bình', 'Phòng Tư pháp', 'Chuyển xử lý'),
            progressRow(code, '20260402090000', 'Lê Văn Cường', 'Lãnh đạo UBND', 'Trình ký'),
          ],
        },
      ],
    });
  }
  return plans;
}

/** One HTTP exchange (or a failure to get an answer). */
export interface Exchange {
  status: number | null;
  contentType: string | null;
  body: TeeReply | null;
  text: string;
  networkError: string | null;
}

export interface RequestOutcome {
  code: string;
  service: string;
  bad: boolean;
  /** Every answer seen, first to last (retries included). */
  exchanges: Exchange[];
  /** The final answer: accepted (200 + error_code "0"), rejected (a definite refusal) or unanswered. */
  result: 'accepted' | 'rejected' | 'unanswered';
}

export interface TrafficOptions {
  /** The hub's base URL now (may change when the hub is replaced); null while there is no hub. */
  target: () => string | null;
  concurrency: number;
  /** Pause between one worker's requests, to make a steady stream rather than a burst. */
  paceMs: number;
  /** Give up retrying a request after this long (it is then "unanswered"). */
  giveUpAfterMs: number;
  /** Per-request HTTP timeout. */
  requestTimeoutMs?: number;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function exchange(url: string, body: unknown, timeoutMs: number): Promise<Exchange> {
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await res.text();
    let parsed: TeeReply | null = null;
    try {
      parsed = JSON.parse(text) as TeeReply;
    } catch {
      parsed = null;
    }
    return {
      status: res.status,
      contentType: res.headers.get('content-type'),
      body: parsed,
      text,
      networkError: null,
    };
  } catch (error) {
    return {
      status: null,
      contentType: null,
      body: null,
      text: '',
      networkError: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
    };
  }
}

/** Runs the plans with `concurrency` workers; resolves with every request's outcome. */
export class Traffic {
  readonly outcomes: RequestOutcome[] = [];
  private session: string | null = null;
  private done: Promise<RequestOutcome[]> | null = null;
  private stopped = false;

  constructor(
    private readonly plans: DossierPlan[],
    private readonly opts: TrafficOptions,
  ) {}

  start(): this {
    this.done = this.run();
    return this;
  }

  finished(): Promise<RequestOutcome[]> {
    if (!this.done) {
      throw new Error('traffic not started');
    }
    return this.done;
  }

  /** Stop starting new requests (requests under way still finish or give up). */
  stop(): void {
    this.stopped = true;
  }

  accepted(): number {
    return this.outcomes.filter((o) => o.result === 'accepted').length;
  }

  /** Every exchange so far (answers and failures), for assertions on what the hub said. */
  exchanges(): Exchange[] {
    return this.outcomes.flatMap((o) => o.exchanges);
  }

  async waitForAccepted(n: number, timeoutMs = 30_000): Promise<void> {
    const end = Date.now() + timeoutMs;
    while (this.accepted() < n) {
      if (Date.now() > end) {
        throw new Error(`only ${this.accepted()} of ${n} requests accepted after ${timeoutMs} ms`);
      }
      await sleep(50);
    }
  }

  summary(): Record<string, number> {
    const out: Record<string, number> = { accepted: 0, rejected: 0, unanswered: 0, retries: 0 };
    for (const o of this.outcomes) {
      out[o.result] = (out[o.result] ?? 0) + 1;
      out['retries'] = (out['retries'] ?? 0) + o.exchanges.length - 1;
      for (const e of o.exchanges) {
        const k = e.status === null ? 'network-error' : `http-${e.status}`;
        out[k] = (out[k] ?? 0) + 1;
      }
    }
    return out;
  }

  private async run(): Promise<RequestOutcome[]> {
    const queue = [...this.plans];
    const worker = async (): Promise<void> => {
      for (;;) {
        const plan = queue.shift();
        if (!plan || this.stopped) {
          return;
        }
        for (const request of plan.requests) {
          const outcome = await this.send(plan, request);
          if (outcome.result !== 'accepted') {
            break; // a sender does not send progress for a dossier the portal refused
          }
          await sleep(this.opts.paceMs);
        }
      }
    };
    await Promise.all(Array.from({ length: this.opts.concurrency }, () => worker()));
    return this.outcomes;
  }

  private async send(plan: DossierPlan, request: PlannedRequest): Promise<RequestOutcome> {
    const outcome: RequestOutcome = {
      code: plan.code,
      service: request.service,
      bad: plan.bad,
      exchanges: [],
      result: 'unanswered',
    };
    this.outcomes.push(outcome);
    const giveUpAt = Date.now() + this.opts.giveUpAfterMs;
    let delay = 100;
    while (Date.now() < giveUpAt) {
      const base = this.opts.target();
      if (base) {
        const session = this.session ?? (await this.login(base));
        if (session) {
          const x = await exchange(
            `${base}/dvcqg/api/integration`,
            { session, madonvi: AGENCY, service: request.service, isUpdating: 'False', data: request.data },
            this.opts.requestTimeoutMs ?? 15_000,
          );
          outcome.exchanges.push(x);
          if (x.status === 200 && x.body?.error_code === '0') {
            outcome.result = 'accepted';
            return outcome;
          }
          if (x.status === 401) {
            this.session = null; // OpenCPS logs in again when told its session is stale
          } else if (x.status !== null && x.status !== 503 && x.status < 500) {
            outcome.result = 'rejected'; // a definite answer about the data: not retried
            return outcome;
          }
        }
      }
      await sleep(delay);
      delay = Math.min(delay * 2, 1_000);
    }
    return outcome;
  }

  private async login(base: string): Promise<string | null> {
    const x = await exchange(
      `${base}/dvcqg/api/auth`,
      { username: DEV_SENDERS.opencps.username, password: DEV_SENDERS.opencps.password },
      5_000,
    );
    if (x.status === 200 && typeof x.body?.session === 'string') {
      this.session = x.body.session;
      return this.session;
    }
    return null;
  }
}
