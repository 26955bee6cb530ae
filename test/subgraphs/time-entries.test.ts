import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTimeSubgraph } from '../../subgraphs/time/subgraph.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { codes, execute } from '../support/subgraph-client.ts';

let t: TestDatabase;
let time: ReturnType<typeof createTimeSubgraph>;

// Week of Monday 2026-03-02 .. Sunday 2026-03-08; the next week starts 2026-03-09.
beforeAll(async () => {
  t = await createTestDatabase();
  time = createTimeSubgraph(t.db);
  await t.db
    .insertInto('time.resources')
    .values([
      { id: 'res_a', name: 'Ana' },
      { id: 'res_b', name: 'Ben' },
      { id: 'res_c', name: 'Cy' },
      { id: 'res_off', name: 'Left', active: false },
    ])
    .execute();
  await t.db
    .insertInto('time.projects')
    .values([
      { id: 'prj_open', customer_id: 'cus_x', name: 'Open', status: 'ACTIVE', billable: true },
      { id: 'prj_nb', customer_id: 'cus_y', name: 'Internal', status: 'ACTIVE', billable: false },
      { id: 'prj_closed', customer_id: 'cus_x', name: 'Closed', status: 'CLOSED', billable: true },
    ])
    .execute();
  await t.db
    .insertInto('time.timesheets')
    .values([
      { id: 'tsh_b_sub', resource_id: 'res_b', week_start: '2026-03-02', status: 'SUBMITTED', submitted_at: new Date() },
      { id: 'tsh_b_appr', resource_id: 'res_b', week_start: '2026-03-09', status: 'APPROVED', decided_by: 'boss', decided_at: new Date() },
      { id: 'tsh_c_rej', resource_id: 'res_c', week_start: '2026-03-02', status: 'REJECTED', rejection_reason: 'wrong project' },
    ])
    .execute();
  const entry = { customer_id: 'cus_x', project_id: 'prj_open', minutes: 120 };
  await t.db
    .insertInto('time.time_entries')
    .values([
      { ...entry, id: 'tme_sub', timesheet_id: 'tsh_b_sub', resource_id: 'res_b', work_date: '2026-03-03', status: 'SUBMITTED' },
      {
        ...entry,
        id: 'tme_billed',
        timesheet_id: 'tsh_b_appr',
        resource_id: 'res_b',
        work_date: '2026-03-10',
        status: 'APPROVED',
        billing_status: 'BILLED',
      },
      { ...entry, id: 'tme_rej', timesheet_id: 'tsh_c_rej', resource_id: 'res_c', work_date: '2026-03-04', status: 'REJECTED' },
    ])
    .execute();
});
afterAll(async () => t.drop());

const snapshot = async () => ({
  entries: await t.db.selectFrom('time.time_entries').selectAll().orderBy('id').execute(),
  sheets: await t.db.selectFrom('time.timesheets').selectAll().orderBy('id').execute(),
});

/** Runs a mutation that must fail with `code` and leave every time row as it was. */
async function expectRefused(source: string, variables: Record<string, unknown>, code: string): Promise<string> {
  const before = await snapshot();
  const res = await execute(time, source, variables);
  expect(codes(res)).toEqual([code]);
  expect(await snapshot()).toEqual(before);
  return res.errors![0].message;
}

const CREATE = `mutation($input: CreateTimeEntryInput!) { createTimeEntry(input: $input) { id date hours billable status billingStatus externalRef customer { id } project { id } timesheet { id weekStart status } } }`;
const UPDATE = `mutation($id: ID!, $input: UpdateTimeEntryInput!) { updateTimeEntry(id: $id, input: $input) { id date hours notes status timesheet { id weekStart } } }`;
const DELETE = `mutation($id: ID!) { deleteTimeEntry(id: $id) }`;
const input = (over: Record<string, unknown> = {}) => ({
  resourceId: 'res_a',
  projectId: 'prj_open',
  date: '2026-03-04',
  hours: 1.5,
  ...over,
});

describe('time: createTimeEntry', () => {
  it('files the entry on the resource timesheet of the ISO week (Monday), opening it once and reusing it', async () => {
    const one = await execute(time, CREATE, { input: input({ notes: 'kick-off' }) });
    expect(one.errors).toBeUndefined();
    expect(one.data.createTimeEntry).toMatchObject({
      date: '2026-03-04',
      hours: 1.5,
      billable: true,
      status: 'DRAFT',
      billingStatus: 'UNBILLED',
      customer: { id: 'cus_x' },
      timesheet: { weekStart: '2026-03-02', status: 'DRAFT' },
    });
    const sunday = await execute(time, CREATE, { input: input({ date: '2026-03-08', hours: 0.25 }) });
    expect(sunday.data.createTimeEntry.timesheet).toEqual(one.data.createTimeEntry.timesheet);
    const sheets = await t.db.selectFrom('time.timesheets').select('week_start').where('resource_id', '=', 'res_a').execute();
    expect(sheets).toEqual([{ week_start: '2026-03-02' }]);
  });

  it('copies customer_id from the time project list and defaults billable to the project flag', async () => {
    const res = await execute(time, CREATE, { input: input({ projectId: 'prj_nb', date: '2026-03-05' }) });
    expect(res.data.createTimeEntry).toMatchObject({ billable: false, customer: { id: 'cus_y' } });
  });

  it('rule unknown resource: NOT_FOUND, writes nothing', async () => {
    await expectRefused(CREATE, { input: input({ resourceId: 'res_nobody' }) }, 'NOT_FOUND');
  });

  it('rule unknown project: NOT_FOUND, writes nothing', async () => {
    await expectRefused(CREATE, { input: input({ projectId: 'prj_nowhere' }) }, 'NOT_FOUND');
  });

  it('rule project CLOSED: INVALID_STATE_TRANSITION saying so, writes nothing (not even a timesheet)', async () => {
    const msg = await expectRefused(CREATE, { input: input({ projectId: 'prj_closed', date: '2026-03-16' }) }, 'INVALID_STATE_TRANSITION');
    expect(msg).toMatch(/CLOSED/);
  });

  it('rule inactive resource: INVALID_STATE_TRANSITION, writes nothing', async () => {
    await expectRefused(CREATE, { input: input({ resourceId: 'res_off' }) }, 'INVALID_STATE_TRANSITION');
  });

  it.each([
    ['zero', 0],
    ['negative', -1],
    ['not a quarter hour', 1.1],
    ['more than 24', 24.25],
  ])('rule hours %s: INVALID_HOURS, writes nothing', async (_name, hours) => {
    await expectRefused(CREATE, { input: input({ hours }) }, 'INVALID_HOURS');
  });

  it('rule daily total over 24 h: DAILY_HOURS_EXCEEDED, writes nothing; exactly 24 h is fine', async () => {
    const day = { date: '2026-03-06' };
    expect((await execute(time, CREATE, { input: input({ ...day, hours: 20 }) })).errors).toBeUndefined();
    await expectRefused(CREATE, { input: input({ ...day, hours: 4.25, projectId: 'prj_nb' }) }, 'DAILY_HOURS_EXCEEDED');
    expect((await execute(time, CREATE, { input: input({ ...day, hours: 4 }) })).errors).toBeUndefined();
  });

  it('rule timesheet SUBMITTED: TIME_ENTRY_LOCKED, writes nothing', async () => {
    await expectRefused(CREATE, { input: input({ resourceId: 'res_b', date: '2026-03-05' }) }, 'TIME_ENTRY_LOCKED');
  });

  it('rule timesheet APPROVED: TIME_ENTRY_LOCKED, writes nothing', async () => {
    await expectRefused(CREATE, { input: input({ resourceId: 'res_b', date: '2026-03-12' }) }, 'TIME_ENTRY_LOCKED');
  });

  it('adds time to a REJECTED timesheet, the entry taking its status', async () => {
    const res = await execute(time, CREATE, { input: input({ resourceId: 'res_c', date: '2026-03-05' }) });
    expect(res.errors).toBeUndefined();
    expect(res.data.createTimeEntry).toMatchObject({ status: 'REJECTED', timesheet: { id: 'tsh_c_rej' } });
  });

  it('rule externalRef: the same entry sent again returns the existing one unchanged; different data is DUPLICATE', async () => {
    const imp = input({ date: '2026-03-03', hours: 2, externalRef: 'harvest-1', notes: 'imported' });
    const first = await execute(time, CREATE, { input: imp });
    expect(first.errors).toBeUndefined();
    const before = await snapshot();
    const again = await execute(time, CREATE, { input: imp });
    expect(again.data.createTimeEntry).toEqual(first.data.createTimeEntry);
    expect(await snapshot()).toEqual(before);
    await expectRefused(CREATE, { input: { ...imp, hours: 3 } }, 'DUPLICATE');
  });
});

describe('time: updateTimeEntry and deleteTimeEntry', () => {
  let draftId: string;
  beforeAll(async () => {
    const res = await execute(time, CREATE, { input: input({ date: '2026-03-17', hours: 1 }) });
    draftId = res.data.createTimeEntry.id;
  });

  it('changes a draft entry, and a date in another week moves it to that week timesheet', async () => {
    const res = await execute(time, UPDATE, { id: draftId, input: { hours: 2.75, notes: 'fixed', date: '2026-03-24' } });
    expect(res.errors).toBeUndefined();
    expect(res.data.updateTimeEntry).toMatchObject({
      date: '2026-03-24',
      hours: 2.75,
      notes: 'fixed',
      status: 'DRAFT',
      timesheet: { weekStart: '2026-03-23' },
    });
  });

  it('rule hours not a quarter hour on update: INVALID_HOURS, writes nothing', async () => {
    await expectRefused(UPDATE, { id: draftId, input: { hours: 0.2 } }, 'INVALID_HOURS');
  });

  it('rule update past 24 h on the day: DAILY_HOURS_EXCEEDED, writes nothing', async () => {
    await execute(time, CREATE, { input: input({ date: '2026-03-25', hours: 22 }) });
    await expectRefused(UPDATE, { id: draftId, input: { date: '2026-03-25', hours: 2.25 } }, 'DAILY_HOURS_EXCEEDED');
  });

  it('rule move to a CLOSED project: INVALID_STATE_TRANSITION, writes nothing', async () => {
    await expectRefused(UPDATE, { id: draftId, input: { projectId: 'prj_closed' } }, 'INVALID_STATE_TRANSITION');
  });

  it('rule move into a locked week: TIME_ENTRY_LOCKED, writes nothing', async () => {
    const res = await execute(time, CREATE, { input: input({ resourceId: 'res_b', projectId: 'prj_open', date: '2026-03-18', hours: 1 }) });
    await expectRefused(UPDATE, { id: res.data.createTimeEntry.id, input: { date: '2026-03-03' } }, 'TIME_ENTRY_LOCKED');
  });

  it('rule update on a SUBMITTED timesheet: TIME_ENTRY_LOCKED, writes nothing', async () => {
    await expectRefused(UPDATE, { id: 'tme_sub', input: { hours: 1 } }, 'TIME_ENTRY_LOCKED');
  });

  it('rule update of billed time: TIME_ENTRY_LOCKED saying billed time needs a credit memo, writes nothing', async () => {
    const msg = await expectRefused(UPDATE, { id: 'tme_billed', input: { notes: 'oops' } }, 'TIME_ENTRY_LOCKED');
    expect(msg).toMatch(/billed time needs a credit memo/);
  });

  it('rule unknown entry: NOT_FOUND', async () => {
    await expectRefused(UPDATE, { id: 'tme_nope', input: { hours: 1 } }, 'NOT_FOUND');
    await expectRefused(DELETE, { id: 'tme_nope' }, 'NOT_FOUND');
  });

  it('corrects an entry of a REJECTED timesheet', async () => {
    const res = await execute(time, UPDATE, { id: 'tme_rej', input: { projectId: 'prj_nb' } });
    expect(res.errors).toBeUndefined();
    const row = await t.db.selectFrom('time.time_entries').selectAll().where('id', '=', 'tme_rej').executeTakeFirstOrThrow();
    expect(row).toMatchObject({ project_id: 'prj_nb', customer_id: 'cus_y', status: 'REJECTED' });
  });

  it('rule delete on a SUBMITTED timesheet: TIME_ENTRY_LOCKED, writes nothing', async () => {
    await expectRefused(DELETE, { id: 'tme_sub' }, 'TIME_ENTRY_LOCKED');
  });

  it('rule delete of billed time: TIME_ENTRY_LOCKED saying billed time needs a credit memo, writes nothing', async () => {
    const msg = await expectRefused(DELETE, { id: 'tme_billed' }, 'TIME_ENTRY_LOCKED');
    expect(msg).toMatch(/credit memo/);
  });

  it('deletes a draft entry', async () => {
    const res = await execute(time, DELETE, { id: draftId });
    expect(res.data).toEqual({ deleteTimeEntry: draftId });
    expect(await t.db.selectFrom('time.time_entries').select('id').where('id', '=', draftId).executeTakeFirst()).toBeUndefined();
  });
});
