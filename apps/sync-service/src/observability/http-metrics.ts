import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { MetricsRegistry, REQUEST_SECONDS_BUCKETS } from './metrics.registry';

const MATCHED = Symbol('isohub.matchedRoute');
type Tracked = Request & { [MATCHED]?: string };

/**
 * Remembers the route pattern express matches for this request: express sets `req.route` while the
 * handler runs and has moved on by the time the response is finished, when the metric is recorded.
 */
export function captureRoute(req: Request): void {
  const tracked = req as Tracked;
  if (Object.prototype.hasOwnProperty.call(tracked, MATCHED)) {
    return;
  }
  tracked[MATCHED] = undefined;
  let current: unknown = (req as { route?: unknown }).route;
  Object.defineProperty(req, 'route', {
    configurable: true,
    enumerable: true,
    get: () => current,
    set: (value: unknown) => {
      current = value;
      const path = (value as { path?: unknown } | undefined)?.path;
      if (typeof path === 'string') {
        tracked[MATCHED] = `${req.baseUrl}${path}`;
      }
    },
  });
}

/**
 * Labels for requests that no express route matched by pattern (the transparent tee relays any path under
 * its base): the registered paths (`:param` segments stand for one segment), then catch-all prefixes
 * (`/dvcqg/*`). A bounded set, so a flood of odd paths cannot blow up the metric's cardinality.
 */
export class RouteLabels {
  private readonly patterns: { label: string; re: RegExp }[] = [];
  private readonly prefixes: string[] = [];

  addPaths(paths: string[]): void {
    for (const path of paths) {
      const body = path
        .split('/')
        .map((seg) => (seg.startsWith(':') ? '[^/]+' : seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
        .join('/');
      this.patterns.push({ label: path, re: new RegExp(`^${body}/?$`) });
    }
  }

  addPrefix(prefix: string): void {
    this.prefixes.push(prefix.replace(/\/+$/, ''));
  }

  label(path: string): string | null {
    return (
      this.patterns.find((p) => p.re.test(path))?.label ??
      this.prefixes.filter((p) => path === p || path.startsWith(`${p}/`)).map((p) => `${p}/*`)[0] ??
      null
    );
  }
}

/** The matched route's pattern (`/dvcqg/th/:key/:action`, never the key itself); `unmatched` for a 404. */
export function routeOf(req: Request, labels?: RouteLabels): string {
  const matched = (req as Tracked)[MATCHED];
  if (matched !== undefined) {
    return matched;
  }
  const path = (req.originalUrl || req.url).split('?')[0] ?? '';
  return labels?.label(path) ?? 'unmatched';
}

/**
 * `isohub_http_request_duration_seconds{method,route,status}`: how long each HTTP request took, from
 * the first byte read to the last byte written — the tee (`/dvcqg/...`), LGSP (`/lgsp/...`), operator
 * and health routes alike. Installed before every route, so a body refused by a size limit counts too.
 */
export function httpMetricsMiddleware(metrics: MetricsRegistry, labels?: RouteLabels): RequestHandler {
  const histogram = metrics.histogram({
    name: 'isohub_http_request_duration_seconds',
    help: 'HTTP requests the sync service answered, by method, route pattern and status, in seconds.',
    labelNames: ['method', 'route', 'status'],
    buckets: REQUEST_SECONDS_BUCKETS,
  });
  return (req: Request, res: Response, next: NextFunction): void => {
    const started = process.hrtime.bigint();
    captureRoute(req);
    res.once('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      histogram.observe(
        { method: req.method, route: routeOf(req, labels), status: String(res.statusCode) },
        seconds,
      );
    });
    next();
  };
}
