import {
  context,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Span,
} from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import pg from 'pg';
import type { ObservabilityConfig } from '@isohub/config';
import type { BusMessage } from '@isohub/messaging';
import { captureRoute, routeOf, type RouteLabels } from './http-metrics';

/**
 * OpenTelemetry traces, off unless OTEL_EXPORTER_OTLP_ENDPOINT is set. Off, nothing is installed: no
 * middleware, no wrapped database driver, one boolean test per Kafka batch. On, a trace runs
 *   sender's `traceparent` → `POST /dvcqg/api/integration` (server span) → its PostgreSQL statements
 *   (client spans) → the event's `traceparent` header → the relay's publish to Kafka (producer span)
 * so a dossier change can be followed from the one-stop system to the topic. The path of a request is
 * never recorded (the Thanh Hóa path carries a key), only its route pattern; SQL text is not either.
 */
let provider: TracerProvider | null = null;
const TRACER = 'isohub-sync-service';
const tracer = (): ReturnType<typeof trace.getTracer> => trace.getTracer(TRACER);

export function tracingEnabled(): boolean {
  return provider !== null;
}

/** Installs the SDK once per process (tests start several hubs); a no-op when no endpoint is configured. */
export function startTracing(config: Pick<ObservabilityConfig, 'otlpTracesUrl' | 'serviceName'>): void {
  if (config.otlpTracesUrl === null || provider !== null) {
    return;
  }
  provider = new TracerProvider({
    resource: resourceFromAttributes({ 'service.name': config.serviceName }),
    spanProcessors: [
      new BatchSpanProcessor({ exporter: new OTLPTraceExporter({ url: config.otlpTracesUrl }) }),
    ],
  });
  trace.setGlobalTracerProvider(provider);
  context.setGlobalContextManager(new AsyncLocalStorageContextManager());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  traceDatabaseStatements();
}

/** Sends the spans still buffered (tests; shutdown). */
export async function flushTracing(): Promise<void> {
  await provider?.forceFlush();
}

function fail(span: Span, error: unknown): void {
  span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.name : 'error' });
  span.end();
}

/**
 * A server span per request, child of the caller's `traceparent` (a new trace when it sends none).
 * The request's `traceparent` header is then replaced by this span's, so the events the request
 * writes carry it and the relay's publish continues the same trace. Null when tracing is off.
 */
export function tracingMiddleware(labels?: RouteLabels): RequestHandler | null {
  if (provider === null) {
    return null;
  }
  return (req: Request, res: Response, next: NextFunction): void => {
    captureRoute(req);
    const parent = propagation.extract(ROOT_CONTEXT, req.headers);
    const span = tracer().startSpan(
      req.method,
      { kind: SpanKind.SERVER, attributes: { 'http.request.method': req.method } },
      parent,
    );
    const active = trace.setSpan(parent, span);
    const carrier: Record<string, string> = {};
    propagation.inject(active, carrier);
    if (carrier['traceparent'] !== undefined) {
      req.headers['traceparent'] = carrier['traceparent'];
    }
    res.once('finish', () => {
      const route = routeOf(req, labels);
      span.updateName(`${req.method} ${route}`);
      span.setAttribute('http.route', route);
      span.setAttribute('http.response.status_code', res.statusCode);
      if (res.statusCode >= 500) {
        span.setStatus({ code: SpanStatusCode.ERROR });
      }
      span.end();
    });
    context.with(active, next);
  };
}

/** Producer spans for one relay batch, each the child of its event's `traceparent`; null when off. */
export function publishSpans(messages: BusMessage[]): { end(): void; fail(error: unknown): void } | null {
  if (provider === null) {
    return null;
  }
  const spans = messages
    .filter((m) => m.headers['traceparent'] !== undefined)
    .map((m) =>
      tracer().startSpan(
        `publish ${m.topic}`,
        {
          kind: SpanKind.PRODUCER,
          attributes: {
            'messaging.system': 'kafka',
            'messaging.operation.type': 'send',
            'messaging.destination.name': m.topic,
            'messaging.batch.message_count': messages.length,
          },
        },
        propagation.extract(ROOT_CONTEXT, { traceparent: m.headers['traceparent'] }),
      ),
    );
  return {
    end: () => spans.forEach((s) => s.end()),
    fail: (error) => spans.forEach((s) => fail(s, error)),
  };
}

type QueryFn = (this: pg.Client, ...args: unknown[]) => unknown;

/**
 * A client span per PostgreSQL statement made inside a trace (an ingest request); statements outside
 * one (the relay's and pollers' loops) stay untraced, so an idle hub exports nothing. Operation only:
 * the statement's first word, never its text or values.
 */
function traceDatabaseStatements(): void {
  const proto = pg.Client.prototype as unknown as { query: QueryFn };
  const original = proto.query;
  proto.query = function traced(this: pg.Client, ...args: unknown[]): unknown {
    if (trace.getSpan(context.active()) === undefined) {
      return original.apply(this, args);
    }
    const first = args[0];
    const text = typeof first === 'string' ? first : (first as { text?: unknown } | null)?.text;
    const operation = (typeof text === 'string' ? /^\s*([A-Za-z]+)/.exec(text)?.[1] : undefined) ?? 'QUERY';
    const span = tracer().startSpan(`db ${operation.toUpperCase()}`, {
      kind: SpanKind.CLIENT,
      attributes: { 'db.system.name': 'postgresql', 'db.operation.name': operation.toUpperCase() },
    });
    const last = args.length - 1;
    const callback = args[last];
    if (typeof callback === 'function') {
      args[last] = (error: unknown, ...rest: unknown[]): unknown => {
        if (error) {
          fail(span, error);
        } else {
          span.end();
        }
        return (callback as (...a: unknown[]) => unknown)(error, ...rest);
      };
      return original.apply(this, args);
    }
    const result = original.apply(this, args);
    if (result instanceof Promise) {
      result.then(
        () => span.end(),
        (error: unknown) => fail(span, error),
      );
    } else {
      span.end(); // a Submittable (cursor, stream): its timing is the caller's
    }
    return result;
  };
}
