import { type ASTNode, parse, visit } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findEventsAfter } from '../../subgraphs/sync/data/events.ts';
import { findJobsByIds } from '../../subgraphs/sync/data/jobs.ts';
import { createSyncSubgraph, sdl } from '../../subgraphs/sync/subgraph.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { codes, execute } from '../support/subgraph-client.ts';

let t: TestDatabase;
let sync: ReturnType<typeof createSyncSubgraph>;
/** Every event's sequence, in insertion order. */
let sequences: string[] = [];

const at = (iso: string, plusMs = 0) => new Date(new Date(iso).getTime() + plusMs);

const job = (id: string, over: Record<string, unknown>) => ({
  id,
  kind: 'INVOICE_ISSUED',
  source_type: 'Invoice',
  source_id: `src_${id}`,
  source_key: `key_${id}`,
  status: 'QUEUED',
  ...over,
});

beforeAll(async () => {
  t = await createTestDatabase();
  sync = createSyncSubgraph(t.db);
  await t.db
    .insertInto('sync.jobs')
    .values([
      job('job_1', {
        kind: 'OPPORTUNITY_WON',
        source_type: 'Opportunity',
        source_id: 'opp_1',
        status: 'SUCCEEDED',
        customer_id: 'cus_1',
        project_id: 'prj_1',
        target_refs: JSON.stringify({ psa: { Project: 'prj_1', RateCard: ['rc_1', 'rc_2'] }, erp: { Contract: 'ctr_1' } }),
        mapping_version: 'v3',
        attempts: 1,
        created_at: at('2026-01-01T10:00:00Z'),
        updated_at: at('2026-01-01T10:00:01Z'),
        started_at: at('2026-01-01T10:00:00Z'),
        finished_at: at('2026-01-01T10:00:01Z'),
      }),
      job('job_2', {
        status: 'EXCEPTION',
        customer_id: 'cus_1',
        invoice_id: 'inv_1',
        attempts: 1,
        last_error_code: 'PERIOD_CLOSED',
        last_error_message: 'Period 2026-01 is closed',
        last_error_system: 'erp',
        created_at: at('2026-01-02T10:00:00Z'),
        updated_at: at('2026-01-08T10:00:00Z'),
        started_at: at('2026-01-02T10:00:00Z'),
      }),
      job('job_3', {
        status: 'SUCCEEDED',
        customer_id: 'cus_2',
        invoice_id: 'inv_2',
        journal_entry_id: 'je_1',
        attempts: 1,
        created_at: at('2026-01-03T10:00:00Z'),
        updated_at: at('2026-01-03T10:00:03Z'),
        started_at: at('2026-01-03T10:00:00Z'),
        finished_at: at('2026-01-03T10:00:03Z'),
      }),
      job('job_4', {
        status: 'SUCCEEDED',
        customer_id: 'cus_2',
        invoice_id: 'inv_3',
        attempts: 1,
        created_at: at('2026-01-04T10:00:00Z'),
        updated_at: at('2026-01-04T10:00:05Z'),
        started_at: at('2026-01-04T10:00:00Z'),
        finished_at: at('2026-01-04T10:00:05Z'),
      }),
      job('job_5', {
        kind: 'TIME_APPROVED',
        source_type: 'Timesheet',
        source_id: 'ts_1',
        status: 'RETRYING',
        trigger: 'MANUAL',
        triggered_by: 'ops@firm.example',
        customer_id: 'cus_3',
        project_id: 'prj_2',
        attempts: 2,
        created_at: at('2026-01-05T10:00:00Z'),
        updated_at: at('2026-01-05T10:05:00Z'),
        started_at: at('2026-01-05T10:00:00Z'),
      }),
      job('job_6', {
        kind: 'BILLING_RUN',
        source_type: 'BillingRun',
        source_id: 'run_1',
        created_at: at('2026-01-06T10:00:00Z'),
        updated_at: at('2026-01-06T10:00:00Z'),
      }),
    ])
    .execute();
  await t.db
    .insertInto('sync.job_attempts')
    .values([
      {
        job_id: 'job_1',
        attempt_no: 1,
        worker_id: 'w1',
        started_at: at('2026-01-01T10:00:00Z'),
        finished_at: at('2026-01-01T10:00:01Z'),
        outcome: 'SUCCEEDED',
      },
      {
        job_id: 'job_2',
        attempt_no: 1,
        worker_id: 'w1',
        started_at: at('2026-01-02T10:00:00Z'),
        finished_at: at('2026-01-02T10:00:01Z'),
        outcome: 'EXCEPTION',
        error_code: 'PERIOD_CLOSED',
        error_message: 'Period 2026-01 is closed',
        error_system: 'erp',
      },
      {
        job_id: 'job_5',
        attempt_no: 2,
        worker_id: 'w2',
        started_at: at('2026-01-05T10:04:00Z'),
        finished_at: at('2026-01-05T10:05:00Z'),
        outcome: 'FAILED',
        error_code: 'TIMEOUT',
        error_message: 'billing timed out',
        error_system: 'billing',
      },
      {
        job_id: 'job_5',
        attempt_no: 1,
        worker_id: 'w1',
        started_at: at('2026-01-05T10:00:00Z'),
        finished_at: at('2026-01-05T10:01:00Z'),
        outcome: 'FAILED',
        error_code: 'TIMEOUT',
        error_message: null,
        error_system: 'billing',
      },
    ])
    .execute();
  const events = [
    { job_id: 'job_1', status: 'QUEUED', event: 'queued', detail: JSON.stringify({}) },
    { job_id: 'job_1', status: 'RUNNING', event: 'started', detail: JSON.stringify({ attempt: 1 }) },
    { job_id: 'job_2', status: 'QUEUED', event: 'queued', detail: JSON.stringify({}) },
    { job_id: 'job_1', status: 'SUCCEEDED', event: 'succeeded', detail: JSON.stringify({ attempt: 1 }) },
    { job_id: 'job_2', status: 'EXCEPTION', event: 'exception', detail: JSON.stringify({ code: 'PERIOD_CLOSED' }) },
    { job_id: 'job_5', status: 'RETRYING', event: 'retry_scheduled', detail: JSON.stringify({ attempt: 2 }) },
  ];
  const rows = await t.db.insertInto('sync.job_events').values(events).returning('sequence').execute();
  sequences = rows.map((r: { sequence: number }) => String(r.sequence));
});
afterAll(async () => t.drop());

const ids = (nodes: { id: string }[]) => nodes.map((n) => n.id);

describe('sync subgraph: entities', () => {
  it('resolves SyncJob, Customer, Project and Invoice through _entities in key order; null or no jobs for unknown ids', async () => {
    const res = await execute(
      sync,
      `query($r: [_Any!]!) { _entities(representations: $r) {
        ... on SyncJob { id status }
        ... on Customer { id syncJobs { id } }
        ... on Project { id syncJobs { id } }
        ... on Invoice { id syncJobs { id } }
      } }`,
      {
        r: [
          { __typename: 'Invoice', id: 'inv_1' },
          { __typename: 'SyncJob', id: 'job_2' },
          { __typename: 'Customer', id: 'cus_2' },
          { __typename: 'SyncJob', id: 'job_missing' },
          { __typename: 'Project', id: 'prj_2' },
          { __typename: 'Customer', id: 'cus_without_jobs' },
        ],
      },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data._entities).toEqual([
      { id: 'inv_1', syncJobs: [{ id: 'job_2' }] },
      { id: 'job_2', status: 'EXCEPTION' },
      { id: 'cus_2', syncJobs: [{ id: 'job_4' }, { id: 'job_3' }] },
      null,
      { id: 'prj_2', syncJobs: [{ id: 'job_5' }] },
      { id: 'cus_without_jobs', syncJobs: [] },
    ]);
  });

  it('shows a job with its source, flattened targets, attempts, events, error and duration', async () => {
    const res = await execute(
      sync,
      `{ syncJob(id: "job_1") {
        id kind status source { type id } sourceKey trigger triggeredBy mappingVersion attemptCount maxAttempts
        customer { id } project { id } invoice { id } journalEntry { id }
        targets { system type id }
        attempts { attemptNo worker outcome error { code } }
        events { status event detail job { id } }
        lastError { code } durationMs startedAt finishedAt
      } }`,
    );
    expect(res.errors).toBeUndefined();
    const j = res.data.syncJob;
    expect(j).toMatchObject({
      id: 'job_1',
      kind: 'OPPORTUNITY_WON',
      status: 'SUCCEEDED',
      source: { type: 'Opportunity', id: 'opp_1' },
      sourceKey: 'key_job_1',
      trigger: 'AUTOMATIC',
      triggeredBy: null,
      mappingVersion: 'v3',
      attemptCount: 1,
      maxAttempts: 5,
      customer: { id: 'cus_1' },
      project: { id: 'prj_1' },
      invoice: null,
      journalEntry: null,
      attempts: [{ attemptNo: 1, worker: 'w1', outcome: 'SUCCEEDED', error: null }],
      lastError: null,
      durationMs: 1000,
      startedAt: '2026-01-01T10:00:00.000Z',
      finishedAt: '2026-01-01T10:00:01.000Z',
    });
    expect(j.targets).toHaveLength(4);
    expect(j.targets).toEqual(
      expect.arrayContaining([
        { system: 'psa', type: 'Project', id: 'prj_1' },
        { system: 'psa', type: 'RateCard', id: 'rc_1' },
        { system: 'psa', type: 'RateCard', id: 'rc_2' },
        { system: 'erp', type: 'Contract', id: 'ctr_1' },
      ]),
    );
    expect(j.events.map((e: { event: string }) => e.event)).toEqual(['queued', 'started', 'succeeded']);
    expect(JSON.parse(j.events[1].detail)).toEqual({ attempt: 1 });
    expect(j.events[0].job).toEqual({ id: 'job_1' });
  });

  it('reports the last error and failed attempts in order; a running job has no duration', async () => {
    const res = await execute(
      sync,
      `{ a: syncJob(id: "job_2") { lastError { code message system } durationMs journalEntry { id } }
         b: syncJob(id: "job_5") { trigger triggeredBy attempts { attemptNo error { code message system } } }
         c: syncJob(id: "job_3") { journalEntry { id } durationMs } }`,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data.a).toEqual({
      lastError: { code: 'PERIOD_CLOSED', message: 'Period 2026-01 is closed', system: 'erp' },
      durationMs: null,
      journalEntry: null,
    });
    expect(res.data.b).toEqual({
      trigger: 'MANUAL',
      triggeredBy: 'ops@firm.example',
      attempts: [
        { attemptNo: 1, error: { code: 'TIMEOUT', message: 'TIMEOUT', system: 'billing' } },
        { attemptNo: 2, error: { code: 'TIMEOUT', message: 'billing timed out', system: 'billing' } },
      ],
    });
    expect(res.data.c).toEqual({ journalEntry: { id: 'je_1' }, durationMs: 3000 });
  });

  it('limits and filters the syncJobs of a parent: newest first, first and statuses apply per parent', async () => {
    const res = await execute(
      sync,
      `query($r: [_Any!]!) { _entities(representations: $r) { ... on Customer { id newest: syncJobs(first: 1) { id } failed: syncJobs(statuses: [EXCEPTION, RETRYING]) { id } none: syncJobs(first: 0) { id } } } }`,
      { r: ['cus_1', 'cus_2', 'cus_3'].map((id) => ({ __typename: 'Customer', id })) },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data._entities).toEqual([
      { id: 'cus_1', newest: [{ id: 'job_2' }], failed: [{ id: 'job_2' }], none: [] },
      { id: 'cus_2', newest: [{ id: 'job_4' }], failed: [], none: [] },
      { id: 'cus_3', newest: [{ id: 'job_5' }], failed: [{ id: 'job_5' }], none: [] },
    ]);
  });
});

describe('sync subgraph: job list', () => {
  const LIST = `query($first: Int, $after: String, $filter: SyncJobFilter, $orderBy: SyncJobOrder) {
    syncJobs(first: $first, after: $after, filter: $filter, orderBy: $orderBy) { nodes { id } edges { cursor node { id } } pageInfo { hasNextPage endCursor } totalCount } }`;
  const list = async (vars: Record<string, unknown>) => {
    const res = await execute(sync, LIST, vars);
    expect(res.errors).toBeUndefined();
    return res.data.syncJobs;
  };
  const before2026Feb = { createdTo: '2026-02-01T00:00:00Z' };

  it('lists newest first by default and filters by kind, status, customer, project, invoice, source and creation time', async () => {
    expect(ids((await list({ filter: before2026Feb })).nodes)).toEqual(['job_6', 'job_5', 'job_4', 'job_3', 'job_2', 'job_1']);
    expect(ids((await list({ filter: { kinds: ['INVOICE_ISSUED'] } })).nodes)).toEqual(['job_4', 'job_3', 'job_2']);
    expect(ids((await list({ filter: { statuses: ['EXCEPTION', 'RETRYING'] } })).nodes)).toEqual(['job_5', 'job_2']);
    expect(ids((await list({ filter: { kinds: ['INVOICE_ISSUED'], statuses: ['SUCCEEDED'] } })).nodes)).toEqual(['job_4', 'job_3']);
    expect(ids((await list({ filter: { customerId: 'cus_1' } })).nodes)).toEqual(['job_2', 'job_1']);
    expect(ids((await list({ filter: { projectId: 'prj_2' } })).nodes)).toEqual(['job_5']);
    expect(ids((await list({ filter: { invoiceId: 'inv_3' } })).nodes)).toEqual(['job_4']);
    expect(ids((await list({ filter: { sourceId: 'opp_1' } })).nodes)).toEqual(['job_1']);
    expect(ids((await list({ filter: { createdFrom: '2026-01-03T10:00:00Z', createdTo: '2026-01-05T10:00:00Z' } })).nodes)).toEqual([
      'job_4',
      'job_3',
    ]);
  });

  it('pages with cursors and totalCount, in either direction and by update time', async () => {
    const filter = { kinds: ['INVOICE_ISSUED'] };
    const p1 = await list({ first: 2, filter });
    expect(ids(p1.nodes)).toEqual(['job_4', 'job_3']);
    expect(p1.pageInfo.hasNextPage).toBe(true);
    expect(p1.totalCount).toBe(3);
    expect(p1.edges[1].cursor).toBe(p1.pageInfo.endCursor);
    const p2 = await list({ first: 2, filter, after: p1.pageInfo.endCursor });
    expect(ids(p2.nodes)).toEqual(['job_2']);
    expect(p2.pageInfo.hasNextPage).toBe(false);
    // job_2 was last updated after the others, so it moves to the end in ascending update order.
    const byUpdate = await list({ filter, orderBy: { field: 'UPDATED_AT', direction: 'ASC' } });
    expect(ids(byUpdate.nodes)).toEqual(['job_3', 'job_4', 'job_2']);
  });

  it('neither skips nor repeats jobs created within the same millisecond', async () => {
    const micro = ['100', '200', '300', '400', '500'].map((us, i) =>
      job(`job_us_${i}`, {
        kind: 'PROJECT_COST',
        source_type: 'Project',
        created_at: `2026-03-01T00:00:00.000${us}Z`,
        updated_at: `2026-03-01T00:00:00.000${us}Z`,
      }),
    );
    await t.db.insertInto('sync.jobs').values(micro).execute();
    for (const direction of ['ASC', 'DESC']) {
      const seen: string[] = [];
      let after: string | null = null;
      // Bounded, so a cursor that repeats rows fails the assertion instead of looping forever.
      for (let guard = 0; guard < 10; guard++) {
        const page: { nodes: { id: string }[]; pageInfo: { hasNextPage: boolean; endCursor: string } } = await list({
          first: 2,
          after,
          filter: { kinds: ['PROJECT_COST'] },
          orderBy: { field: 'CREATED_AT', direction },
        });
        seen.push(...ids(page.nodes));
        after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
        if (!after) break;
      }
      const expected = micro.map((m) => m.id);
      expect(seen).toEqual(direction === 'ASC' ? expected : [...expected].reverse());
    }
  });

  it('rejects a malformed cursor, or one from another sort order, with INVALID_CURSOR', async () => {
    expect(codes(await execute(sync, `{ syncJobs(after: "not-a-cursor") { nodes { id } } }`))).toEqual(['INVALID_CURSOR']);
    const p1 = await list({ first: 1 });
    const other = await execute(sync, LIST, { after: p1.pageInfo.endCursor, orderBy: { field: 'UPDATED_AT', direction: 'DESC' } });
    expect(codes(other)).toEqual(['INVALID_CURSOR']);
  });

  it('rejects a page size out of range with BAD_USER_INPUT', async () => {
    expect(codes(await execute(sync, `{ syncJobs(first: 5000) { nodes { id } } }`))).toEqual(['BAD_USER_INPUT']);
  });
});

describe('sync subgraph: events and stats', () => {
  it('resumes the event stream after a sequence, oldest first, each event with its job', async () => {
    const q = `query($after: String, $first: Int) { syncEvents(afterSequence: $after, first: $first) { sequence status event job { id kind } } }`;
    const all = await execute(sync, q);
    expect(all.errors).toBeUndefined();
    expect(all.data.syncEvents.map((e: { sequence: string }) => e.sequence)).toEqual(sequences);
    const resumed = await execute(sync, q, { after: sequences[2], first: 2 });
    expect(resumed.errors).toBeUndefined();
    expect(resumed.data.syncEvents).toEqual([
      { sequence: sequences[3], status: 'SUCCEEDED', event: 'succeeded', job: { id: 'job_1', kind: 'OPPORTUNITY_WON' } },
      { sequence: sequences[4], status: 'EXCEPTION', event: 'exception', job: { id: 'job_2', kind: 'INVOICE_ISSUED' } },
    ]);
    const caughtUp = await execute(sync, q, { after: sequences.at(-1) });
    expect(caughtUp.data.syncEvents).toEqual([]);
  });

  it('rejects a sequence that is not a string of digits with BAD_USER_INPUT', async () => {
    expect(codes(await execute(sync, `{ syncEvents(afterSequence: "12abc") { sequence } }`))).toEqual(['BAD_USER_INPUT']);
  });

  it('counts jobs per kind and status with p50/p95 durations of succeeded jobs', async () => {
    const res = await execute(
      sync,
      `{ syncJobStats(filter: { createdFrom: "2026-01-01T00:00:00Z", createdTo: "2026-02-01T00:00:00Z" }) { kind count byStatus { status count } p50DurationMs p95DurationMs } }`,
    );
    expect(res.errors).toBeUndefined();
    const byKind = Object.fromEntries(res.data.syncJobStats.map((s: { kind: string }) => [s.kind, s]));
    expect(Object.keys(byKind).sort()).toEqual(['BILLING_RUN', 'INVOICE_ISSUED', 'OPPORTUNITY_WON', 'TIME_APPROVED']);
    expect(byKind.INVOICE_ISSUED).toEqual({
      kind: 'INVOICE_ISSUED',
      count: 3,
      byStatus: [
        { status: 'EXCEPTION', count: 1 },
        { status: 'SUCCEEDED', count: 2 },
      ],
      // Durations 3000 and 5000 ms: the continuous percentiles interpolate between them.
      p50DurationMs: 4000,
      p95DurationMs: 4900,
    });
    expect(byKind.OPPORTUNITY_WON).toMatchObject({ count: 1, p50DurationMs: 1000, p95DurationMs: 1000 });
    expect(byKind.TIME_APPROVED).toMatchObject({
      count: 1,
      byStatus: [{ status: 'RETRYING', count: 1 }],
      p50DurationMs: null,
      p95DurationMs: null,
    });
    const empty = await execute(sync, `{ syncJobStats(filter: { createdFrom: "2030-01-01T00:00:00Z" }) { kind } }`);
    expect(empty.data.syncJobStats).toEqual([]);
  });

  it('answers latencies longer than 24.8 days (2^31 ms): a job parked for 45 days, then resolved', async () => {
    // The percentiles were cast to int in SQL: one such job made syncJobStats fail for everyone.
    await t.db
      .insertInto('sync.jobs')
      .values(
        job('job_parked', {
          kind: 'PROJECT_COST',
          status: 'SUCCEEDED',
          attempts: 2,
          created_at: at('2026-03-01T00:00:00Z'),
          updated_at: at('2026-04-15T00:00:00Z'),
          started_at: at('2026-04-14T23:59:58Z'),
          finished_at: at('2026-04-15T00:00:00Z'),
        }),
      )
      .execute();
    const res = await execute(
      sync,
      `{ syncJobStats(filter: { createdFrom: "2026-03-01T00:00:00Z", createdTo: "2026-03-02T00:00:00Z" }) { kind p50LatencyMs p95LatencyMs p50DurationMs } }`,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data.syncJobStats).toEqual([
      { kind: 'PROJECT_COST', p50LatencyMs: 45 * 86_400_000, p95LatencyMs: 45 * 86_400_000, p50DurationMs: 2000 },
    ]);
  });
});

describe('sync subgraph: cost and contract', () => {
  it('costs the same number of SQL statements for nested syncJobs on many customers as on one', async () => {
    const q = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Customer { id syncJobs { id attempts { attemptNo } events { sequence job { id } } customer { id } } } } }`;
    const run = async (customerIds: string[]) => {
      t.statements.length = 0;
      const res = await execute(sync, q, { r: customerIds.map((id) => ({ __typename: 'Customer', id })) });
      expect(res.errors).toBeUndefined();
      return t.statements.length;
    };
    const one = await run(['cus_1']);
    const many = await run(['cus_1', 'cus_2', 'cus_3', 'cus_without_jobs']);
    expect(one).toBeGreaterThan(0);
    expect(many).toBe(one);
    // jobs of the customers, their attempts, their events, the events' jobs: one statement each.
    expect(many).toBe(4);
  });

  it('exports the data functions the job engine reads with', async () => {
    const jobs = await findJobsByIds(t.db, ['job_3', 'job_missing', 'job_1']);
    expect(jobs.map((j) => j.id).sort()).toEqual(['job_1', 'job_3']);
    const events = await findEventsAfter(t.db, Number(sequences[0]), 2);
    expect(events.map((e) => String(e.sequence))).toEqual(sequences.slice(1, 3));
  });

  it('describes every type, field, argument, enum value and input field in its SDL', () => {
    const missing: string[] = [];
    const check = (node: ASTNode & { description?: unknown; name?: { value: string } }) => {
      if (!node.description && node.name) missing.push(`${node.kind} ${node.name.value}`);
    };
    visit(parse(sdl), {
      ObjectTypeDefinition: (n) => (n.name.value === 'Query' ? undefined : check(n)),
      EnumTypeDefinition: check,
      InputObjectTypeDefinition: check,
      ScalarTypeDefinition: check,
      FieldDefinition: check,
      InputValueDefinition: check,
      EnumValueDefinition: check,
    });
    expect(missing).toEqual([]);
  });
});
