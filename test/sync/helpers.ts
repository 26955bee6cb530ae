import { expect } from 'vitest';
import type { TestGraph } from '../support/graph.ts';

const TERMINAL = new Set(['SUCCEEDED', 'EXCEPTION', 'DEAD_LETTERED', 'CANCELLED']);

export type JobView = {
  id: string;
  kind: string;
  status: string;
  lastError: { code: string; message: string; system: string | null } | null;
  targets: { system: string; type: string; id: string }[];
  mappingVersion: string | null;
};

const JOB_FIELDS = 'id kind status mappingVersion lastError { code message system } targets { system type id }';

/** Polls the graph (as a client would) until the job of `kind` for `sourceId` settles. */
export async function waitForJob(g: TestGraph, kind: string, sourceId: string, timeoutMs = 20_000): Promise<JobView> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await g.request(
      `query($kind: SyncJobKind!, $source: ID!) { syncJobs(first: 5, filter: { kinds: [$kind], sourceId: $source }) { nodes { ${JOB_FIELDS} } } }`,
      { kind, source: sourceId },
    );
    expect(res.body.errors).toBeUndefined();
    const job = res.body.data.syncJobs.nodes[0] as JobView | undefined;
    if (job && TERMINAL.has(job.status)) return job;
    if (Date.now() > deadline) throw new Error(`job ${kind} for ${sourceId} did not settle: ${JSON.stringify(job)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Polls until a job given by id reaches one of `statuses`. */
export async function waitForJobStatus(g: TestGraph, jobId: string, statuses: string[], timeoutMs = 20_000): Promise<JobView> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await g.request(`query($id: ID!) { syncJob(id: $id) { ${JOB_FIELDS} } }`, { id: jobId });
    const job = res.body.data?.syncJob as JobView | undefined;
    if (job && statuses.includes(job.status)) return job;
    if (Date.now() > deadline) throw new Error(`job ${jobId} did not reach ${statuses.join('|')}: ${JSON.stringify(job)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export function ok<T>(res: { body: { data?: T; errors?: unknown[] } }): T {
  expect(res.body.errors).toBeUndefined();
  return res.body.data as T;
}
