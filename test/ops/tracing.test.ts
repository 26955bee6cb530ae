import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../lib/logger.ts';
import { inSpan, startTelemetry } from '../../lib/telemetry.ts';
import { seedDemo } from '../../seed/index.ts';
import { startTestGraph, type TestGraph } from '../support/graph.ts';
import { ok, waitForJob } from '../sync/helpers.ts';

// One trace from a client's request through the gateway, the subgraphs it calls over HTTP and their
// SQL; the sync job the request caused runs in its own trace, linked to the request.
const exporter = new InMemorySpanExporter();
const telemetry = startTelemetry('ledgerline-test', { exporter });
let g: TestGraph;
let oppId = '';
beforeAll(async () => {
  g = await startTestGraph(
    async (d) => {
      oppId = (await seedDemo(d.db, { scale: 1, seed: 42, asOf: '2026-11-23' })).world.highlights.opportunitiesReadyToWin[0];
    },
    { sync: true, transport: 'http' },
  );
});
afterAll(async () => {
  await g?.stop();
  await telemetry.shutdown();
});

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const spansOf = (traceId: string) => exporter.getFinishedSpans().filter((s) => s.spanContext().traceId === traceId);
const names = (spans: ReadableSpan[]) => spans.map((s) => s.name);

describe('traces', () => {
  it('a request continues the client’s trace through the gateway, the subgraphs (over HTTP) and their SQL', async () => {
    const res = await g.request(
      `{ customers(first: 2) { nodes { name invoices { number } } } }`,
      {},
      {
        traceparent: `00-${TRACE_ID}-00f067aa0ba902b7-01`,
      },
    );
    expect(res.body.errors).toBeUndefined();
    await new Promise((r) => setTimeout(r, 200));
    const spans = spansOf(TRACE_ID);
    expect(names(spans)).toContain('POST /graphql');
    expect(names(spans)).toEqual(expect.arrayContaining(['subgraph crm', 'subgraph billing']));
    expect(spans.some((s) => s.name.startsWith('db select') && String(s.attributes['db.query.text']).includes('"crm"."customers"'))).toBe(
      true,
    );
    // Apollo Gateway's own planning and fetch spans are in the same trace.
    expect(spans.some((s) => s.name.startsWith('gateway.'))).toBe(true);
  });

  it('the sync job a mutation caused runs in its own trace, linked to the mutation', async () => {
    const mutationTrace = 'a'.repeat(32);
    ok(
      await g.request(
        `mutation($id: ID!) { changeOpportunityStage(id: $id, stage: CLOSED_WON) { stage } }`,
        { id: oppId },
        {
          traceparent: `00-${mutationTrace}-00f067aa0ba902b7-01`,
        },
      ),
    );
    const job = await waitForJob(g, 'OPPORTUNITY_WON', oppId);
    expect(job.status).toBe('SUCCEEDED');
    await new Promise((r) => setTimeout(r, 200));
    const jobSpan = exporter
      .getFinishedSpans()
      .find((s) => s.name === 'sync.job OPPORTUNITY_WON' && s.attributes['ledgerline.job.id'] === job.id);
    expect(jobSpan).toBeDefined();
    expect(jobSpan!.spanContext().traceId).not.toBe(mutationTrace);
    expect(jobSpan!.links.map((l) => l.context.traceId)).toContain(mutationTrace);
    // The job's own SQL is in its trace.
    expect(spansOf(jobSpan!.spanContext().traceId).some((s) => s.name.startsWith('db insert'))).toBe(true);
  });

  it('a log line written inside a span carries its trace and span ids', async () => {
    const lines: string[] = [];
    const write = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((chunk: string) => {
      lines.push(String(chunk));
      return true;
    }) as typeof process.stderr.write;
    let ids: { traceId: string; spanId: string } | undefined;
    try {
      await inSpan('logging', {}, async (span) => {
        ids = { traceId: span!.spanContext().traceId, spanId: span!.spanContext().spanId };
        createLogger('info').info('inside a span');
      });
    } finally {
      process.stderr.write = write;
    }
    const line = JSON.parse(lines.find((l) => l.includes('inside a span'))!);
    expect(ids).toBeDefined();
    expect(line).toMatchObject(ids!);
  });
});
