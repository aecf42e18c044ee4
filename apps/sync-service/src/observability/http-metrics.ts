import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { MetricsRegistry, REQUEST_SECONDS_BUCKETS } from './metrics.registry';

/** The matched route's pattern (`/dvcqg/th/:key/:action`, never the key itself); `unmatched` for a 404. */
export function routeOf(req: Request): string {
  const route = (req as { route?: unknown }).route as { path?: unknown } | undefined;
  return typeof route?.path === 'string' ? `${req.baseUrl}${route.path}` : 'unmatched';
}

/**
 * `isohub_http_request_duration_seconds{method,route,status}`: how long each HTTP request took, from
 * the first byte read to the last byte written — the tee (`/dvcqg/...`), LGSP (`/lgsp/...`), operator
 * and health routes alike. Installed before every route, so a body refused by a size limit counts too.
 */
export function httpMetricsMiddleware(metrics: MetricsRegistry): RequestHandler {
  const histogram = metrics.histogram({
    name: 'isohub_http_request_duration_seconds',
    help: 'HTTP requests the sync service answered, by method, route pattern and status, in seconds.',
    labelNames: ['method', 'route', 'status'],
    buckets: REQUEST_SECONDS_BUCKETS,
  });
  return (req: Request, res: Response, next: NextFunction): void => {
    const started = process.hrtime.bigint();
    res.once('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      histogram.observe({ method: req.method, route: routeOf(req), status: String(res.statusCode) }, seconds);
    });
    next();
  };
}
