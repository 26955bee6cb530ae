import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../seed/index.ts';
import { startTestGraph, type TestGraph } from '../support/graph.ts';
import { ok, waitForJob } from './helpers.ts';

// A manager's "approve all": one mutation, one transaction, one TIME_APPROVED job per timesheet; the
// workers then price the batch set-based in one transaction, and fall back to one job at a time when
// a job of the batch breaks a rule, so the failure lands on the job that caused it.
let g: TestGraph;

/** SUBMITTED timesheets of the demo data with the projects they book on (all active, with billing rules). */
async function submittedSheets(n: number): Promise<{ id: string; projects: string[] }[]> {
  const rows = (
    await g.database.pool.query(`
      select t.id, array_agg(distinct e.project_id order by e.project_id) projects
        from time.timesheets t join time.time_entries e on e.timesheet_id = t.id
       where t.status = 'SUBMITTED' group by t.id order by t.id`)
  ).rows as { id: string; projects: string[] }[];
  expect(rows.length).toBeGreaterThanOrEqual(n);
  return rows.slice(0, n);
}

const statusesOf = async (ids: string[]) =>
  (await g.database.pool.query(`select distinct status from time.timesheets where id = any($1)`, [ids])).rows.map((r) => r.status);

beforeAll(async () => {
  g = await startTestGraph(
    async (d) => {
      await seedDemo(d.db, { scale: 1, seed: 42, asOf: '2026-11-23' });
    },
    { sync: true },
  );
});
afterAll(async () => g?.stop());

describe('bulk approval and set-based sync', () => {
  it('approves nothing when one timesheet of the list is not SUBMITTED, and names it', async () => {
    const sheets = await submittedSheets(3);
    const approved = (await g.database.pool.query(`select id from time.timesheets where status = 'APPROVED' limit 1`)).rows[0].id;
    const jobsBefore = (await g.database.pool.query(`select count(*)::int n from sync.jobs`)).rows[0].n;
    const res = await g.request(`mutation($ids: [ID!]!) { approveTimesheets(ids: $ids, approver: "pm@firm") { id } }`, {
      ids: [...sheets.map((s) => s.id), approved],
    });
    expect(res.body.errors?.[0]?.extensions?.code).toBe('INVALID_STATE_TRANSITION');
    expect(res.body.errors?.[0]?.message).toContain(approved);
    expect(await statusesOf(sheets.map((s) => s.id))).toEqual(['SUBMITTED']);
    expect((await g.database.pool.query(`select count(*)::int n from sync.jobs`)).rows[0].n).toBe(jobsBefore);
  });

  it('refuses an empty list and an unknown id with their codes', async () => {
    const empty = await g.request(`mutation { approveTimesheets(ids: [], approver: "pm@firm") { id } }`);
    expect(empty.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const unknown = await g.request(`mutation { approveTimesheets(ids: ["tsh_nope"], approver: "pm@firm") { id } }`);
    expect(unknown.body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });

  it('approves many timesheets in one call; their jobs run as one set-based batch and bill every entry', async () => {
    const sheets = await submittedSheets(8);
    const ids = sheets.map((s) => s.id);
    const res = ok<any>(
      await g.request(`mutation($ids: [ID!]!) { approveTimesheets(ids: $ids, approver: "pm@firm") { id status } }`, {
        ids: [...ids, ids[0]],
      }),
    );
    expect(res.approveTimesheets.map((s: any) => s.id)).toEqual(ids);
    expect(res.approveTimesheets.every((s: any) => s.status === 'APPROVED')).toBe(true);
    for (const id of ids) {
      expect((await waitForJob(g, 'TIME_APPROVED', id)).status).toBe('SUCCEEDED');
      expect((await waitForJob(g, 'PROJECT_COST', id)).status).toBe('SUCCEEDED');
    }
    const q = g.database.pool;
    // Every approved billable entry has exactly one billable item.
    const gaps = await q.query(
      `select count(*) filter (where b.id is null)::int n, count(*)::int entries from time.time_entries e
         join billing.rules r on r.project_id = e.project_id and r.billing_model = 'TIME_AND_MATERIALS'
         left join billing.billable_items b on b.source_type = 'TIME_ENTRY' and b.source_id = e.id
        where e.timesheet_id = any($1) and e.billable`,
      [ids],
    );
    expect(gaps.rows[0].entries).toBeGreaterThan(0);
    expect(gaps.rows[0].n).toBe(0);
    // One balanced cost journal per sheet and project, each traced back to its timesheet.
    const journals = await q.query(
      `select e.source_id, sum(l.debit_minor)::bigint d, sum(l.credit_minor)::bigint c from erp.journal_entries e join erp.journal_lines l on l.journal_entry_id = e.id
        where e.source_type = 'PROJECT_COST' and split_part(e.source_id, ':', 1) = any($1) group by e.source_id`,
      [ids],
    );
    expect(journals.rowCount).toBe(sheets.reduce((n, s) => n + s.projects.length, 0));
    for (const j of journals.rows) expect(j.d).toBe(j.c);
    // The workers took the jobs in batches (the STARTED event says how many ran together), one attempt each.
    const started = await q.query(
      `select max((ev.detail->>'batch')::int) biggest, count(*)::int attempts from sync.job_events ev join sync.jobs j on j.id = ev.job_id
        where j.kind = 'TIME_APPROVED' and j.source_id = any($1) and ev.event = 'STARTED'`,
      [ids],
    );
    expect(started.rows[0].attempts).toBe(ids.length);
    expect(started.rows[0].biggest).toBeGreaterThan(1);
    // Each job's events are in order, QUEUED -> RUNNING -> SUCCEEDED.
    const order = await q.query(
      `select j.source_id, array_agg(ev.status order by ev.sequence) s from sync.job_events ev join sync.jobs j on j.id = ev.job_id
        where j.kind = 'TIME_APPROVED' and j.source_id = any($1) group by j.source_id`,
      [ids],
    );
    expect(order.rows).toHaveLength(ids.length);
    for (const r of order.rows) expect(r.s).toEqual(['QUEUED', 'RUNNING', 'SUCCEEDED']);
  });

  it('a batch with one failing timesheet puts the exception on that job alone; the others succeed', async () => {
    const pending = await submittedSheets(1);
    const bad = pending[0]!;
    const sheets = [
      bad,
      ...(await submittedSheets(40)).filter((s) => s.id !== bad.id && !s.projects.some((p) => bad.projects.includes(p))).slice(0, 5),
    ];
    expect(sheets).toHaveLength(6);
    // The bad sheet's projects (no other sheet of the list books on them) are closed before approval.
    await g.database.pool.query(`update psa.projects set status = 'CLOSED' where id = any($1)`, [bad.projects]);
    const ids = sheets.map((s) => s.id);
    ok(await g.request(`mutation($ids: [ID!]!) { approveTimesheets(ids: $ids, approver: "pm@firm") { id } }`, { ids }));
    const outcomes: Record<string, [string, string | undefined]> = {};
    for (const s of sheets) {
      const job = await waitForJob(g, 'TIME_APPROVED', s.id);
      outcomes[s.id] = [job.status, job.lastError?.code];
    }
    expect(outcomes).toEqual(
      Object.fromEntries(sheets.map((s) => [s.id, s.id === bad.id ? ['EXCEPTION', 'PROJECT_NOT_ACTIVE'] : ['SUCCEEDED', undefined]])),
    );
    // The rolled-back batch left no attempt behind: each job has exactly the one attempt that decided it.
    const attempts = await g.database.pool.query(
      `select j.source_id, count(a.*)::int n from sync.jobs j join sync.job_attempts a on a.job_id = j.id where j.kind = 'TIME_APPROVED' and j.source_id = any($1) group by j.source_id`,
      [ids],
    );
    expect(attempts.rows).toHaveLength(sheets.length);
    for (const r of attempts.rows) expect(r.n).toBe(1);
    const items = await g.database.pool.query(
      `select count(*)::int n from billing.billable_items b join time.time_entries e on e.id = b.source_id where e.timesheet_id = $1`,
      [bad.id],
    );
    expect(items.rows[0].n).toBe(0);
  });

  it('a billing cycle starts one run per project with something to bill, invoices and posts them; asking again starts nothing', async () => {
    const q = g.database.pool;
    const through = '2026-11-30';
    const due = (
      await q.query(
        `select distinct r.project_id from billing.rules r join billing.billable_items i on i.project_id = r.project_id
          where r.active and r.billing_model = 'TIME_AND_MATERIALS' and i.status = 'UNBILLED' and i.work_date <= $1
          union select m.project_id from billing.milestones m join billing.rules r on r.project_id = m.project_id where r.active and m.status = 'PLANNED' and m.due_date <= $1`,
        [through],
      )
    ).rows
      .map((r) => r.project_id)
      .sort();
    expect(due.length).toBeGreaterThan(3);
    const CYCLE = `mutation($t: Date!, $p: [ID!]) { runBillingCycle(through: $t, issueDate: "2026-12-01", projectIds: $p) { through projects created jobs { id kind status project { id } } } }`;
    const some = due.slice(0, 3);
    const first = ok<any>(await g.request(CYCLE, { t: through, p: [...some, 'prj_unknown'] })).runBillingCycle;
    expect(first).toMatchObject({ through, projects: 3, created: 3 });
    expect(first.jobs.map((j: any) => j.project.id)).toEqual(some);
    const all = ok<any>(await g.request(CYCLE, { t: through })).runBillingCycle;
    expect(all.projects).toBe(due.length);
    expect(all.created).toBe(due.length - 3);
    for (const p of due) {
      const run = await waitForJob(g, 'BILLING_RUN', p, 60_000);
      expect(run.status).toBe('SUCCEEDED');
      const invoices = run.targets.filter((t) => t.type === 'Invoice');
      expect(invoices.length, p).toBeGreaterThan(0);
      for (const t of invoices) expect((await waitForJob(g, 'INVOICE_ISSUED', t.id, 60_000)).status).toBe('SUCCEEDED');
    }
    // Nothing due is left behind, every invoice of the cycle is numbered and has a balanced journal.
    const left = await q.query(
      `select count(*)::int n from billing.billable_items i join billing.rules r on r.project_id = i.project_id where r.billing_model = 'TIME_AND_MATERIALS' and i.status = 'UNBILLED' and i.work_date <= $1 and i.project_id = any($2)`,
      [through, due],
    );
    expect(left.rows[0].n).toBe(0);
    const unposted = await q.query(
      `select count(*)::int n from billing.invoices i left join erp.journal_entries e on e.source_type = 'INVOICE' and e.source_id = i.id
        where i.issue_date = '2026-12-01' and (i.number is null or e.id is null)`,
    );
    expect(unposted.rows[0].n).toBe(0);
    const receivables = await q.query(
      `select count(*)::int n, count(*) filter (where r.open_minor = i.total_minor and r.journal_entry_id is not null)::int open from billing.invoices i
         left join erp.receivables r on r.invoice_id = i.id where i.issue_date = '2026-12-01'`,
    );
    expect(receivables.rows[0].n).toBeGreaterThan(0);
    expect(receivables.rows[0].open).toBe(receivables.rows[0].n);
    const again = ok<any>(await g.request(CYCLE, { t: through })).runBillingCycle;
    expect(again).toMatchObject({ projects: 0, created: 0, jobs: [] });
  });

  it('a billing cycle is for operators: an analyst is refused and nothing starts', async () => {
    const before = (await g.database.pool.query(`select count(*)::int n from sync.jobs`)).rows[0].n;
    const res = await g.request(
      `mutation { runBillingCycle(through: "2026-12-31") { projects } }`,
      {},
      { authorization: `Bearer ${await g.token({ role: 'analyst' })}` },
    );
    expect(res.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await g.database.pool.query(`select count(*)::int n from sync.jobs`)).rows[0].n).toBe(before);
  });
});
