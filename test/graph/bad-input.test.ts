import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../seed/index.ts';
import { startTestGraph, type TestGraph } from '../support/graph.ts';

// Bad input over HTTP through the gateway: a stable code for programs, a clear message for people,
// and not one row written anywhere.
let g: TestGraph;
const TABLES = [
  'time.time_entries',
  'time.timesheets',
  'erp.journal_entries',
  'erp.journal_lines',
  'crm.opportunities',
  'billing.invoices',
];

async function snapshot(): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of TABLES) out[t] = Number((await g.database.pool.query(`select count(*)::int as n from ${t}`)).rows[0].n);
  const md5 = await g.database.pool.query(`select md5(string_agg(t::text, '' order by id)) as h from time.timesheets t`);
  out['time.timesheets#hash'] = md5.rows[0].h;
  return out;
}

async function expectRejected(query: string, variables: Record<string, unknown>, code: string, message: RegExp) {
  const before = await snapshot();
  const res = await g.request(query, variables);
  expect(res.status).toBe(200);
  expect(res.body.errors?.map((e) => e.extensions?.code)).toEqual([code]);
  expect(res.body.errors?.[0].message).toMatch(message);
  expect(await snapshot()).toEqual(before);
}

const ENTRY = `mutation($input: CreateTimeEntryInput!) { createTimeEntry(input: $input) { id timesheet { id } } }`;

beforeAll(async () => {
  g = await startTestGraph(async (d) => {
    await seedDemo(d.db, { scale: 1, seed: 42, asOf: '2026-11-23' });
  });
  // A fresh consultant and project in the time system, so the day and week below are empty.
  const setup = await g.request(`mutation {
    upsertTimeResource(input: { id: "res_test", name: "Test Consultant" }) { id }
    upsertTimeProject(input: { id: "prj_test", customerId: "cus_0001", name: "Test project", status: ACTIVE, billable: true }) { id }
  }`);
  expect(setup.body.errors).toBeUndefined();
});
afterAll(async () => g?.stop());

describe('bad input through the gateway returns its code and writes nothing', () => {
  it('unknown ids: NOT_FOUND', async () => {
    await expectRejected(
      ENTRY,
      { input: { resourceId: 'res_test', projectId: 'prj_nope', date: '2026-12-01', hours: 2 } },
      'NOT_FOUND',
      /prj_nope/,
    );
    await expectRejected(`mutation { approveTimesheet(id: "ts_nope", approver: "ana") { id } }`, {}, 'NOT_FOUND', /ts_nope/);
  });

  it('negative hours: INVALID_HOURS', async () => {
    await expectRejected(
      ENTRY,
      { input: { resourceId: 'res_test', projectId: 'prj_test', date: '2026-12-01', hours: -1 } },
      'INVALID_HOURS',
      /positive/,
    );
  });

  it('more than 24 hours a day for one resource: DAILY_HOURS_EXCEEDED', async () => {
    const first = await g.request(ENTRY, { input: { resourceId: 'res_test', projectId: 'prj_test', date: '2026-12-02', hours: 20 } });
    expect(first.body.errors).toBeUndefined();
    await expectRejected(
      ENTRY,
      { input: { resourceId: 'res_test', projectId: 'prj_test', date: '2026-12-02', hours: 4.25 } },
      'DAILY_HOURS_EXCEEDED',
      /24/,
    );
  });

  it('an unbalanced journal: UNBALANCED_JOURNAL', async () => {
    const input = {
      legalEntityId: 'LE-US',
      date: '2026-11-20',
      sourceType: 'MANUAL',
      sourceId: 'adj-1',
      currency: 'USD',
      lines: [
        { accountCode: '1200', debit: '100.00' },
        { accountCode: '4000', credit: '99.99' },
      ],
    };
    await expectRejected(
      `mutation($input: PostJournalEntryInput!) { postJournalEntry(input: $input) { id } }`,
      { input },
      'UNBALANCED_JOURNAL',
      /debit|credit|balance/i,
    );
  });

  it('posting into a closed period: PERIOD_CLOSED', async () => {
    const input = {
      legalEntityId: 'LE-US',
      date: '2026-05-15',
      sourceType: 'MANUAL',
      sourceId: 'adj-2',
      currency: 'USD',
      lines: [
        { accountCode: '1200', debit: '100.00' },
        { accountCode: '4000', credit: '100.00' },
      ],
    };
    await expectRejected(
      `mutation($input: PostJournalEntryInput!) { postJournalEntry(input: $input) { id } }`,
      { input },
      'PERIOD_CLOSED',
      /2026-05/,
    );
  });

  it('approving a rejected timesheet: INVALID_STATE_TRANSITION', async () => {
    const created = await g.request(ENTRY, { input: { resourceId: 'res_test', projectId: 'prj_test', date: '2026-12-09', hours: 8 } });
    const sheet = created.body.data.createTimeEntry.timesheet.id;
    expect((await g.request(`mutation($id: ID!) { submitTimesheet(id: $id) { status } }`, { id: sheet })).body.errors).toBeUndefined();
    const rejected = await g.request(
      `mutation($id: ID!) { rejectTimesheet(id: $id, approver: "ana", reason: "wrong project") { status } }`,
      { id: sheet },
    );
    expect(rejected.body.data.rejectTimesheet.status).toBe('REJECTED');
    await expectRejected(
      `mutation($id: ID!) { approveTimesheet(id: $id, approver: "ana") { id } }`,
      { id: sheet },
      'INVALID_STATE_TRANSITION',
      /REJECTED/,
    );
  });

  it('a malformed cursor: INVALID_CURSOR, from any system', async () => {
    for (const list of ['customers', 'projects', 'timeEntries', 'invoices', 'journalEntries', 'syncJobs']) {
      const res = await g.request(`{ ${list}(after: "bm90LWEtY3Vyc29y") { totalCount } }`);
      expect(
        res.body.errors?.map((e) => e.extensions?.code),
        list,
      ).toEqual(['INVALID_CURSOR']);
    }
  });

  it('a forged cursor with a sort value of the wrong type: INVALID_CURSOR, not an internal error', async () => {
    const forged = Buffer.from(JSON.stringify({ l: 'customers', s: 'c.created_at:asc', v: ['not-a-time', 'cus_0001'] })).toString(
      'base64url',
    );
    const res = await g.request(
      `query($after: String) { customers(after: $after, orderBy: { field: CREATED_AT, direction: ASC }) { totalCount } }`,
      { after: forged },
    );
    expect(res.body.errors?.map((e) => e.extensions?.code)).toEqual(['INVALID_CURSOR']);
    expect(JSON.stringify(res.body)).not.toMatch(/select |timestamp with time zone/i);
  });
});
