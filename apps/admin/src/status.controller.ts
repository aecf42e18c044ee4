import { Controller, Get, Header, Inject, Req } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { CSRF_FIELD, Public, Roles, csrfToken, currentUser, sessionOf } from '@isohub/auth';
import { ADMIN_CONFIG, type AdminConfig } from './admin.config';

interface ReadyBody {
  status: string;
  checks: Record<string, Record<string, unknown>>;
}

/** The readiness checks as people name them (the console's readiness panel says the same, and what to do). */
const CHECK_LABELS: Record<string, string> = {
  database: 'Cơ sở dữ liệu (PostgreSQL)',
  kafka: 'Kafka',
  relay: 'Phát sự kiện lên Kafka',
  forwarder: 'Chuyển tiếp lên Cổng DVCQG / LGSP',
  adapters: 'Nguồn kéo dữ liệu (API một cửa, LGSP)',
  reconciliation: 'Đối soát với Cổng DVCQG',
};

const esc = (s: unknown): string => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * Operations overview for signed-in staff (no personal data, no configuration): the hub's readiness
 * as the sync service reports it. `/health` stays public for probes.
 */
@ApiTags('status')
@Controller()
export class StatusController {
  constructor(@Inject(ADMIN_CONFIG) private readonly config: AdminConfig) {}

  @Public()
  @Get('health')
  @ApiOperation({ summary: 'Liveness of the admin app' })
  health(): { status: 'up' } {
    return { status: 'up' };
  }

  @Roles('viewer')
  @Get('status')
  @Header('Content-Type', 'text/html; charset=utf-8')
  @ApiOperation({ summary: 'Tình trạng hệ thống / System status page' })
  @ApiProduces('text/html')
  @ApiOkResponse({ description: 'HTML page' })
  async overview(@Req() req: Request): Promise<string> {
    const { ready, problem } = await this.readiness();
    const rows = ready
      ? Object.entries(ready.checks)
          .map(([name, check]) => {
            const state =
              check['ok'] === true
                ? '<b style="color:#166534">Bình thường</b>'
                : check['ok'] === false
                  ? '<b style="color:#b91c1c">Có lỗi</b>'
                  : 'Thông tin';
            return `<tr><th>${esc(CHECK_LABELS[name] ?? name)}</th><td>${state}</td><td><details><summary>Chi tiết kỹ thuật</summary><pre>${esc(JSON.stringify(check, null, 2))}</pre></details></td></tr>`;
          })
          .join('')
      : `<tr><td colspan="2">Không kết nối được sync-service / sync-service unreachable: ${esc(problem)}</td></tr>`;
    return `<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>isohub — Tình trạng hệ thống</title>
<style>body{font-family:system-ui,sans-serif;margin:2rem;max-width:60rem}th{text-align:left;vertical-align:top;padding-right:1rem}pre{margin:0}</style></head>
<body>${this.signedIn(req)}<h1>isohub — Tình trạng hệ thống <small>(System status)</small></h1>
<p>Trạng thái / Status: <strong>${ready?.status === 'up' ? 'Sẵn sàng (up)' : 'Không sẵn sàng (down)'}</strong> · <a href="/adapters">Bảng điều khiển: cần làm gì khi có lỗi</a></p>
<table>${rows}</table></body></html>`;
  }

  @Roles('viewer')
  @Get('api/status/ready')
  @ApiOperation({
    summary: 'Sync-service readiness as JSON (for the console): its /health/ready, or why it is unreachable',
  })
  @ApiOkResponse({ description: '{ reachable, status, checks, problem }' })
  async ready(): Promise<{
    reachable: boolean;
    status: string;
    checks: Record<string, Record<string, unknown>>;
    problem: string | null;
  }> {
    const { ready, problem } = await this.readiness();
    return ready
      ? { reachable: true, status: ready.status, checks: ready.checks ?? {}, problem: null }
      : { reachable: false, status: 'down', checks: {}, problem };
  }

  private async readiness(): Promise<{ ready: ReadyBody | null; problem: string }> {
    try {
      // The sync service answers /health/ready in full to its operators only (Bearer OPS_TOKEN).
      const res = await fetch(`${this.config.syncServiceUrl}/health/ready`, {
        headers: { accept: 'application/json', authorization: `Bearer ${this.config.syncServiceOpsToken}` },
        signal: AbortSignal.timeout(3_000),
      });
      if (res.status === 401 || res.status === 403) {
        return {
          ready: null,
          problem:
            'the sync service refused the admin’s operator token (SYNC_SERVICE_OPS_TOKEN must equal its OPS_TOKEN)',
        };
      }
      return { ready: (await res.json()) as ReadyBody, problem: '' };
    } catch (error) {
      return { ready: null, problem: error instanceof Error ? error.message : String(error) };
    }
  }

  /** Who is signed in, and the logout button (a form post carrying the session's CSRF token). */
  private signedIn(req: Request): string {
    const user = currentUser(req);
    const session = sessionOf(req);
    if (!user || user.via !== 'session' || !session) {
      return '';
    }
    return `<form method="post" action="/auth/logout" style="float:right">${esc(user.name ?? user.sub)} (${esc(user.roles.join(', '))})
<input type="hidden" name="${CSRF_FIELD}" value="${esc(csrfToken(session))}"> <button type="submit">Đăng xuất / Sign out</button></form>`;
  }
}
