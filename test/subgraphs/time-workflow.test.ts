import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as api from '../../subgraphs/time/api/index.ts';
import { createTimeSubgraph } from '../../subgraphs/time/subgraph.ts';
import { TEST_NOW } from '../support/clock.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { codes, execute } from '../support/subgraph-client.ts';

let t: TestDatabase;
let time: ReturnType<typeof createTimeSubgraph>;

beforeAll(async () => {
  t = await createTestDatabase();
  time = createTimeSubgraph(t.db);
  await t.db
    .insertInto('time.resources')
    .values([
      { id: 'res_a', name: 'Ana' },
      { id: 'res_b', name: 'Ben' },
    ])
    .execute();
  await t.db
    .insertInto('time.projects')
    .values([
      { id: 'prj_1', customer_id: 'cus_x', name: 'Rollout', status: 'ACTIVE', billable: true },
      { id: 'prj_nb', customer_id: 'cus_x', name: 'Internal', status: 'ACTIVE', billable: false },
    ])
    .execute();
});
afterAll(async () => t.drop());

const snapshot = async () => ({
  entries: await t.db.selectFrom('time.time_entries').selectAll().orderBy('id').execute(),
  sheets: await t.db.selectFrom('time.timesheets').selectAll().orderBy('id').execute(),
  projects: await t.db.selectFrom('time.projects').selectAll().orderBy('id').execute(),
  resources: await t.db.selectFrom('time.resources').selectAll().orderBy('id').execute(),
});

async function expectRefused(source: string, variables: Record<string, unknown>, code: string): Promise<void> {
  const before = await snapshot();
  const res = await execute(time, source, variables);
  expect(codes(res)).toEqual([code]);
  expect(await snapshot()).toEqual(before);
}

/** Records time and returns [entry id, timesheet id]. */
async function record(resourceId: string, date: string, hours = 2, projectId = 'prj_1'): Promise<[string, string]> {
  const res = await execute(time, `mutation($i: CreateTimeEntryInput!) { createTimeEntry(input: $i) { id timesheet { id } } }`, {
    i: { resourceId, projectId, date, hours },
  });
  expect(res.errors).toBeUndefined();
  return [res.data.createTimeEntry.id, res.data.createTimeEntry.timesheet.id];
}

const entryStatuses = async (timesheetId: string) =>
  (await t.db.selectFrom('time.time_entries').select('status').where('timesheet_id', '=', timesheetId).execute()).map((r) => r.status);

const SUBMIT = `mutation($id: ID!) { submitTimesheet(id: $id) { id status submittedAt decidedBy rejectionReason totalHours } }`;
const APPROVE = `mutation($id: ID!, $by: String!) { approveTimesheet(id: $id, approver: $by) { id status decidedAt decidedBy entries { status } } }`;
const REJECT = `mutation($id: ID!, $by: String!, $reason: String!) { rejectTimesheet(id: $id, approver: $by, reason: $reason) { id status decidedBy rejectionReason entries { status } } }`;

describe('time: upserting the time system lists', () => {
  const UPSERT_PROJECT = `mutation($i: UpsertTimeProjectInput!) { upsertTimeProject(input: $i) { id name status billable customer { id } } }`;
  const UPSERT_RESOURCE = `mutation($i: UpsertTimeResourceInput!) { upsertTimeResource(input: $i) { id name active } }`;

  it('is idempotent: the same project or resource sent twice is one row', async () => {
    const i = { id: 'prj_sync', customerId: 'cus_z', name: 'Synced', status: 'ACTIVE' };
    const a = await execute(time, UPSERT_PROJECT, { i });
    const b = await execute(time, UPSERT_PROJECT, { i });
    expect(a.data).toEqual(b.data);
    expect(a.data.upsertTimeProject).toEqual({
      id: 'prj_sync',
      name: 'Synced',
      status: 'ACTIVE',
      billable: true,
      customer: { id: 'cus_z' },
    });
    const closed = await execute(time, UPSERT_PROJECT, { i: { ...i, status: 'CLOSED' } });
    expect(closed.data.upsertTimeProject.status).toBe('CLOSED');
    await execute(time, UPSERT_RESOURCE, { i: { id: 'res_sync', name: 'Sam' } });
    const r = await execute(time, UPSERT_RESOURCE, { i: { id: 'res_sync', name: 'Sam Smith', active: false } });
    expect(r.data.upsertTimeResource).toEqual({ id: 'res_sync', name: 'Sam Smith', active: false });
    const n = await t.db
      .selectFrom('time.projects')
      .select(sql<number>`count(*)::int`.as('n'))
      .where('id', '=', 'prj_sync')
      .executeTakeFirstOrThrow();
    expect(n.n).toBe(1);
    const m = await t.db
      .selectFrom('time.resources')
      .select(sql<number>`count(*)::int`.as('n'))
      .where('id', '=', 'res_sync')
      .executeTakeFirstOrThrow();
    expect(m.n).toBe(1);
  });

  it('rule blank name: BAD_USER_INPUT, writes nothing', async () => {
    await expectRefused(UPSERT_RESOURCE, { i: { id: 'res_blank', name: '  ' } }, 'BAD_USER_INPUT');
  });

  it('rule project with time moving to another customer: INVALID_STATE_TRANSITION, writes nothing', async () => {
    await record('res_b', '2026-01-05', 1);
    await expectRefused(
      UPSERT_PROJECT,
      { i: { id: 'prj_1', customerId: 'cus_other', name: 'Rollout', status: 'ACTIVE' } },
      'INVALID_STATE_TRANSITION',
    );
  });
});

describe('time: timesheet approval workflow', () => {
  it('submits a DRAFT timesheet: it and its entries become SUBMITTED', async () => {
    const [, sheet] = await record('res_a', '2026-03-02', 3);
    await record('res_a', '2026-03-03', 1.25);
    const res = await execute(time, SUBMIT, { id: sheet });
    expect(res.errors).toBeUndefined();
    expect(res.data.submitTimesheet).toMatchObject({ status: 'SUBMITTED', totalHours: 4.25, decidedBy: null });
    expect(res.data.submitTimesheet.submittedAt).toMatch(/^2\d{3}-/);
    expect(await entryStatuses(sheet)).toEqual(['SUBMITTED', 'SUBMITTED']);
  });

  it('rule submit twice: INVALID_STATE_TRANSITION, writes nothing', async () => {
    const [, sheet] = await record('res_a', '2026-03-09');
    await execute(time, SUBMIT, { id: sheet });
    await expectRefused(SUBMIT, { id: sheet }, 'INVALID_STATE_TRANSITION');
  });

  it('rule submit an empty timesheet: INVALID_STATE_TRANSITION, writes nothing', async () => {
    const [entry, sheet] = await record('res_a', '2026-03-16');
    await execute(time, `mutation($id: ID!) { deleteTimeEntry(id: $id) }`, { id: entry });
    await expectRefused(SUBMIT, { id: sheet }, 'INVALID_STATE_TRANSITION');
  });

  it('rule unknown timesheet: NOT_FOUND', async () => {
    await expectRefused(SUBMIT, { id: 'tsh_nope' }, 'NOT_FOUND');
    await expectRefused(APPROVE, { id: 'tsh_nope', by: 'boss' }, 'NOT_FOUND');
  });

  it('approves a SUBMITTED timesheet with its entries and records who decided', async () => {
    const [, sheet] = await record('res_a', '2026-03-23');
    await execute(time, SUBMIT, { id: sheet });
    const res = await execute(time, APPROVE, { id: sheet, by: 'maria' });
    expect(res.errors).toBeUndefined();
    expect(res.data.approveTimesheet).toMatchObject({ status: 'APPROVED', decidedBy: 'maria', entries: [{ status: 'APPROVED' }] });
    expect(res.data.approveTimesheet.decidedAt).toMatch(/^2\d{3}-/);
  });

  it('rule approve a DRAFT timesheet: INVALID_STATE_TRANSITION, writes nothing', async () => {
    const [, sheet] = await record('res_a', '2026-03-30');
    await expectRefused(APPROVE, { id: sheet, by: 'maria' }, 'INVALID_STATE_TRANSITION');
  });

  it('rejects with a reason; rule approve a REJECTED timesheet: INVALID_STATE_TRANSITION, writes nothing', async () => {
    const [, sheet] = await record('res_b', '2026-04-06');
    await execute(time, SUBMIT, { id: sheet });
    const res = await execute(time, REJECT, { id: sheet, by: 'maria', reason: 'Wrong project' });
    expect(res.data.rejectTimesheet).toMatchObject({
      status: 'REJECTED',
      decidedBy: 'maria',
      rejectionReason: 'Wrong project',
      entries: [{ status: 'REJECTED' }],
    });
    await expectRefused(APPROVE, { id: sheet, by: 'maria' }, 'INVALID_STATE_TRANSITION');
    await expectRefused(REJECT, { id: sheet, by: 'maria', reason: 'again' }, 'INVALID_STATE_TRANSITION');
    const again = await execute(time, SUBMIT, { id: sheet });
    expect(again.data.submitTimesheet).toMatchObject({ status: 'SUBMITTED', decidedBy: null, rejectionReason: null });
    expect(await entryStatuses(sheet)).toEqual(['SUBMITTED']);
  });

  it('rule reject without a reason: BAD_USER_INPUT, writes nothing', async () => {
    const [, sheet] = await record('res_b', '2026-04-13');
    await execute(time, SUBMIT, { id: sheet });
    await expectRefused(REJECT, { id: sheet, by: 'maria', reason: '   ' }, 'BAD_USER_INPUT');
  });

  it('runs afterWrite inside the approval transaction, and a failing afterWrite undoes the approval', async () => {
    const [entry, sheet] = await record('res_b', '2026-04-20');
    await execute(time, SUBMIT, { id: sheet });
    await expect(
      api.approveTimesheet(t.db, sheet, 'maria', new Date(TEST_NOW), async (trx, ts, entries) => {
        expect(ts.status).toBe('APPROVED');
        expect(entries.map((e) => [e.id, e.status])).toEqual([[entry, 'APPROVED']]);
        await trx.updateTable('time.resources').set({ name: 'touched' }).where('id', '=', 'res_b').execute();
        throw new Error('enqueue failed');
      }),
    ).rejects.toThrow('enqueue failed');
    expect(await t.db.selectFrom('time.timesheets').select('status').where('id', '=', sheet).executeTakeFirstOrThrow()).toEqual({
      status: 'SUBMITTED',
    });
    expect(await entryStatuses(sheet)).toEqual(['SUBMITTED']);
    expect((await t.db.selectFrom('time.resources').select('name').where('id', '=', 'res_b').executeTakeFirstOrThrow()).name).toBe('Ben');
    let seen = 0;
    const approved = await api.approveTimesheet(t.db, sheet, 'maria', new Date(TEST_NOW), async (_trx, _ts, entries) => {
      seen = entries.length;
    });
    expect(seen).toBe(1);
    // The decision is dated by the instant it is given, not by the machine's clock.
    expect(approved.decided_at?.toISOString()).toBe(TEST_NOW);
  });
});

describe('time: setBillingStatus (system API for sync)', () => {
  let approved: string[];
  let draft: string;
  let nonBillable: string;
  beforeAll(async () => {
    const [a1, sheet] = await record('res_a', '2026-05-04', 2);
    const [a2] = await record('res_a', '2026-05-05', 3);
    [nonBillable] = await record('res_a', '2026-05-06', 1, 'prj_nb');
    await execute(time, SUBMIT, { id: sheet });
    await execute(time, APPROVE, { id: sheet, by: 'maria' });
    approved = [a1, a2];
    [draft] = await record('res_a', '2026-05-11');
  });

  const billing = async (ids: string[]) =>
    await t.db
      .selectFrom('time.time_entries')
      .select(['id', 'billing_status', 'updated_at'])
      .where('id', 'in', ids)
      .orderBy('id')
      .execute();

  it('marks approved entries BILLED and returns the ids it changed; a replay changes nothing', async () => {
    const changed: string[][] = [];
    const first = await api.setBillingStatus(t.db, [approved[1], approved[0]], 'BILLED', {
      afterWrite: async (_trx, ids) => void changed.push(ids),
    });
    expect(first.changed).toEqual([...approved].sort());
    const before = await billing(approved);
    expect(before.map((r) => r.billing_status)).toEqual(['BILLED', 'BILLED']);
    const replay = await api.setBillingStatus(t.db, approved, 'BILLED', { afterWrite: async (_trx, ids) => void changed.push(ids) });
    expect(replay.changed).toEqual([]);
    expect(await billing(approved)).toEqual(before);
    expect(changed).toEqual([[...approved].sort(), []]);
  });

  it('sends billed time back to UNBILLED (credit memo) or WRITTEN_OFF', async () => {
    await api.setBillingStatus(t.db, [approved[0]], 'UNBILLED');
    await api.setBillingStatus(t.db, [approved[1]], 'WRITTEN_OFF');
    expect((await billing(approved)).map((r) => r.billing_status).sort()).toEqual(['UNBILLED', 'WRITTEN_OFF']);
  });

  it('rule only APPROVED entries: INVALID_STATE_TRANSITION, writes nothing (not even the approved ones)', async () => {
    const before = await snapshot();
    await expect(api.setBillingStatus(t.db, [approved[0], draft], 'BILLED')).rejects.toMatchObject({
      extensions: { code: 'INVALID_STATE_TRANSITION' },
    });
    expect(await snapshot()).toEqual(before);
  });

  it('rule non-billable time cannot be BILLED, written-off time must be reinstated first: INVALID_STATE_TRANSITION', async () => {
    const before = await snapshot();
    await expect(api.setBillingStatus(t.db, [nonBillable], 'BILLED')).rejects.toMatchObject({
      extensions: { code: 'INVALID_STATE_TRANSITION' },
    });
    await expect(api.setBillingStatus(t.db, [approved[1]], 'BILLED')).rejects.toMatchObject({
      extensions: { code: 'INVALID_STATE_TRANSITION' },
    });
    expect(await snapshot()).toEqual(before);
  });

  it('rule unknown entry: NOT_FOUND, writes nothing', async () => {
    const before = await snapshot();
    await expect(api.setBillingStatus(t.db, [approved[0], 'tme_nope'], 'BILLED')).rejects.toMatchObject({
      extensions: { code: 'NOT_FOUND' },
    });
    expect(await snapshot()).toEqual(before);
  });
});
