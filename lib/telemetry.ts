import {
  type Attributes,
  type Context,
  context,
  type Link,
  propagation,
  type Span,
  SpanKind,
  SpanStatusCode,
  trace,
} from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, SimpleSpanProcessor, type SpanExporter, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';

/**
 * OpenTelemetry traces from a request through the gateway, the subgraphs and their SQL, and into the
 * sync jobs it caused (a job's span links to the request that enqueued it). Off unless configured:
 * OTEL_EXPORTER_OTLP_ENDPOINT (or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) turns on export over OTLP/HTTP,
 * with the standard OTEL_* variables for headers, sampling and the service name. When off, nothing is
 * wrapped: the read path pays nothing for it.
 */
const tracer = trace.getTracer('ledgerline');
let enabled = false;

export function telemetryEnabled(): boolean {
  return enabled;
}

/** Starts tracing for a process when the environment asks for it (or a test gives an exporter). */
export function startTelemetry(
  serviceName: string,
  opts: { exporter?: SpanExporter; env?: NodeJS.ProcessEnv } = {},
): { shutdown: () => Promise<void> } {
  const env = opts.env ?? process.env;
  const configured = Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT);
  if (enabled || (!opts.exporter && !configured)) return { shutdown: async () => undefined };
  const processor: SpanProcessor = opts.exporter ? new SimpleSpanProcessor(opts.exporter) : new BatchSpanProcessor(new OTLPTraceExporter());
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': env.OTEL_SERVICE_NAME ?? serviceName }),
    spanProcessors: [processor],
  });
  // Registers the W3C trace-context propagator and the AsyncLocalStorage context manager too.
  provider.register();
  enabled = true;
  return { shutdown: () => provider.shutdown() };
}

/** Runs `fn` in a span (when tracing is on), recording an exception and ending the span either way. */
export async function inSpan<T>(
  name: string,
  opts: { kind?: SpanKind; attributes?: Attributes; links?: Link[]; parent?: Context },
  fn: (span: Span | undefined) => Promise<T>,
): Promise<T> {
  if (!enabled) return fn(undefined);
  return tracer.startActiveSpan(
    name,
    { kind: opts.kind ?? SpanKind.INTERNAL, attributes: opts.attributes, links: opts.links },
    opts.parent ?? context.active(),
    async (span) => {
      try {
        return await fn(span);
      } catch (err) {
        span.recordException(err as Error);
        span.setStatus({ code: SpanStatusCode.ERROR, message: (err as Error)?.message });
        throw err;
      } finally {
        span.end();
      }
    },
  );
}

/** The context a request's headers carry (W3C traceparent), to continue its trace. */
export function contextFromHeaders(headers: Record<string, string | string[] | undefined>): Context {
  return propagation.extract(context.active(), headers);
}

/** Adds the active context to outgoing headers (the gateway's subgraph fetches). */
export function injectInto(headers: { set: (name: string, value: string) => void }): void {
  if (!enabled) return;
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  for (const [k, v] of Object.entries(carrier)) headers.set(k, v);
}

/** The active context as a traceparent string, stored with a job so its run can link back to its cause. */
export function currentTraceParent(): string | null {
  if (!enabled) return null;
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return carrier.traceparent ?? null;
}

/** A link to the span a stored traceparent names (the request that enqueued a job). */
export function linkTo(traceParent: string | null | undefined): Link[] {
  if (!traceParent) return [];
  const span = trace.getSpanContext(propagation.extract(context.active(), { traceparent: traceParent }));
  return span ? [{ context: span, attributes: { 'ledgerline.link': 'enqueued by' } }] : [];
}

/** The trace and span ids of the active span, for log lines. */
export function activeTraceIds(): { traceId: string; spanId: string } | undefined {
  if (!enabled) return undefined;
  const span = trace.getSpanContext(context.active());
  return span && trace.isSpanContextValid(span) ? { traceId: span.traceId, spanId: span.spanId } : undefined;
}

export { SpanKind };
