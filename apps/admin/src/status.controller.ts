import { Controller, Get, Header, Inject } from '@nestjs/common';
import { ADMIN_CONFIG, type AdminConfig } from './admin.config';

interface ReadyBody {
  status: string;
  checks: Record<string, Record<string, unknown>>;
}

const esc = (s: unknown): string => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * Public operations overview (no personal data, no configuration): the hub's readiness as the
 * sync service reports it. The mapping console with SSO login is the admin issue's work.
 */
@Controller()
export class StatusController {
  constructor(@Inject(ADMIN_CONFIG) private readonly config: AdminConfig) {}

  @Get('health')
  health(): { status: 'up' } {
    return { status: 'up' };
  }

  @Get()
  @Header('Content-Type', 'text/html; charset=utf-8')
  async overview(): Promise<string> {
    let ready: ReadyBody | null = null;
    let problem = '';
    try {
      const res = await fetch(`${this.config.syncServiceUrl}/health/ready`, {
        signal: AbortSignal.timeout(3_000),
      });
      ready = (await res.json()) as ReadyBody;
    } catch (error) {
      problem = error instanceof Error ? error.message : String(error);
    }
    const rows = ready
      ? Object.entries(ready.checks)
          .map(
            ([name, check]) =>
              `<tr><th>${esc(name)}</th><td><pre>${esc(JSON.stringify(check, null, 2))}</pre></td></tr>`,
          )
          .join('')
      : `<tr><td colspan="2">Không kết nối được sync-service / sync-service unreachable: ${esc(problem)}</td></tr>`;
    return `<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>isohub — Tình trạng hệ thống</title>
<style>body{font-family:system-ui,sans-serif;margin:2rem;max-width:60rem}th{text-align:left;vertical-align:top;padding-right:1rem}pre{margin:0}</style></head>
<body><h1>isohub — Tình trạng hệ thống <small>(System status)</small></h1>
<p>Trạng thái / Status: <strong>${esc(ready?.status ?? 'down')}</strong></p>
<table>${rows}</table></body></html>`;
  }
}
