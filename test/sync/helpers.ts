import { expect } from 'vitest';
import type { TestGraph } from '../support/graph.ts';
import type {
  JobByIdQuery,
  JobByIdQueryVariables,
  JobOfSourceQuery,
  JobOfSourceQueryVariables,
  JobViewFragment,
  SyncJobKind,
  SyncJobStatus,
} from '../support/operations.generated.ts';

const TERMINAL = new Set<SyncJobStatus>(['SUCCEEDED', 'EXCEPTION', 'DEAD_LETTERED', 'CANCELLED']);

/** What the sync tests read of a job; codegen.ts types it from the schema (JobViewFragment). */
export type JobView = JobViewFragment;

// Documents are checked against supergraph.graphql by `npm run codegen` (test/support/operations.generated.ts).
const JOB_VIEW = /* GraphQL */ `
  fragment JobView on SyncJob {
    id
    kind
    status
    mappingVersion
    lastError { code message system }
    targets { system type id }
  }
`;

const JOB_OF_SOURCE = /* GraphQL */ `
  query JobOfSource($kind: SyncJobKind!, $source: ID!) {
    syncJobs(first: 5, filter: { kinds: [$kind], sourceId: $source }) { nodes { ...JobView } }
  }
`;

const JOB_BY_ID = /* GraphQL */ `
  query JobById($id: ID!) {
    syncJob(id: $id) { ...JobView }
  }
`;

/** Polls the graph (as a client would) until the job of `kind` for `sourceId` settles. */
export async function waitForJob(g: TestGraph, kind: SyncJobKind, sourceId: string, timeoutMs = 20_000): Promise<JobView> {
  const deadline = Date.now() + timeoutMs;
  const variables: JobOfSourceQueryVariables = { kind, source: sourceId };
  for (;;) {
    const res = await g.request<JobOfSourceQuery>(JOB_OF_SOURCE + JOB_VIEW, variables);
    expect(res.body.errors).toBeUndefined();
    const job = res.body.data?.syncJobs?.nodes[0];
    if (job && TERMINAL.has(job.status)) return job;
    if (Date.now() > deadline) throw new Error(`job ${kind} for ${sourceId} did not settle: ${JSON.stringify(job)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Polls until a job given by id reaches one of `statuses`. */
export async function waitForJobStatus(g: TestGraph, jobId: string, statuses: SyncJobStatus[], timeoutMs = 20_000): Promise<JobView> {
  const deadline = Date.now() + timeoutMs;
  const variables: JobByIdQueryVariables = { id: jobId };
  for (;;) {
    const res = await g.request<JobByIdQuery>(JOB_BY_ID + JOB_VIEW, variables);
    const job = res.body.data?.syncJob;
    if (job && statuses.includes(job.status)) return job;
    if (Date.now() > deadline) throw new Error(`job ${jobId} did not reach ${statuses.join('|')}: ${JSON.stringify(job)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export function ok<T>(res: { body: { data?: T; errors?: unknown[] } }): T {
  expect(res.body.errors).toBeUndefined();
  return res.body.data as T;
}
