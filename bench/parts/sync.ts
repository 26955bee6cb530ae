import pg from 'pg';
import { type Child, startChild } from '../children.ts';
import type { PartContext } from '../context.ts';
import { BENCH_AS_OF } from '../data.ts';
import { gqlOk, mapLimit } from '../http.ts';

export type SyncStage = {
  kind: string;
  jobs: number;
  batches: number;
  avgBatchMs: number;
  maxBatchMs: number;
  busySeconds: number;
  firstStartS: number;
  lastFinishS: number;
};

export type SyncResult = {
  /** How commits were made: durable (PostgreSQL's default, what npm start runs) or asynchronous. */
  commits: 'durable' | 'synchronous_commit=off';
  stages: SyncStage[];
  timesheets: number;
  resources: number;
  weeks: number;
  entriesPerTimesheet: number;
  approvalCalls: number;
  entries: number;
  projects: number;
  workerProcesses: number;
  enginesPerProcess: number;
  approveSeconds: number;
  itemsSeconds: number;
  billingRunsAnsweredSeconds: number;
  billingRunsDoneSeconds: number;
  billingSeconds: number;
  totalSeconds: number;
  entriesPerSecond: number;
  itemsCreated: number;
  itemsInvoiced: number;
  invoices: number;
  journals: number;
  failedJobs: number;
  floorSeconds: number;
  floorEntriesPerSecond: number;
};

const DAYS = 5;
/** Two bookings a day (morning and afternoon, 4 h each): ten entries per weekly timesheet. */
const ENTRIES_PER_DAY = 2;
/** Timesheets per approveTimesheets call: a team's month, as a manager approves it. */
const APPROVAL_CHUNK = 200;
const TERMINAL = `('SUCCEEDED', 'EXCEPTION', 'DEAD_LETTERED', 'CANCELLED')`;

const addDays = (date: string, n: number) => {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
};

async function waitFor(pool: pg.Pool, sql: string, params: unknown[], done: (row: any) => boolean, timeoutMs: number): Promise<any> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const row = (await pool.query(sql, params)).rows[0];
    if (done(row)) return row;
    if (Date.now() > deadline) throw new Error(`timed out waiting: ${sql.slice(0, 120)} -> ${JSON.stringify(row)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Sync throughput, shaped like a month-end: R resources book a month (W weekly timesheets of ten
 * entries each) on their active T&M projects; managers approve them in bulk (approveTimesheets, 200
 * per call); sync workers in their own processes price them into billable items and post their cost;
 * then one billing run per project invoices the month and the workers post the invoices to the
 * ledger. Entries per second from the first approval to the last journal, against one
 * INSERT ... SELECT that prices the same rows into a scratch table.
 */
export async function runSync(ctx: PartContext): Promise<SyncResult> {
  const maxResources = ctx.quick ? 25 : 1000;
  const weeks = ctx.quick ? 2 : 4;
  const workerProcesses = 2;
  const enginesPerProcess = 2;
  const pool = new pg.Pool({ connectionString: ctx.data.url, max: 4 });
  const env = { DATABASE_URL: ctx.data.url, DB_POOL_SIZE: '10' };
  // BENCH_SYNC_COMMIT=off measures what durability costs: the same run with commits acknowledged
  // before they reach the disk (every session of the run database, the workers' included).
  const commits = process.env.BENCH_SYNC_COMMIT === 'off' ? ('synchronous_commit=off' as const) : ('durable' as const);
  if (commits !== 'durable') {
    await pool.query(`alter database "${new URL(ctx.data.url).pathname.slice(1)}" set synchronous_commit = off`);
    ctx.log('sync: synchronous_commit=off for this run (BENCH_SYNC_COMMIT=off)');
  }
  let stack: Child<{ url: string }> | undefined;
  const workers: Child<unknown>[] = [];
  try {
    // One resource per row; each resource books on its busiest active T&M project.
    const pairs = (
      await pool.query(`
        select distinct on (e.resource_id) e.resource_id, e.project_id, e.customer_id
        from time.time_entries e
        join billing.billable_items b on b.source_type = 'TIME_ENTRY' and b.source_id = e.id
        join psa.projects p on p.id = e.project_id and p.status = 'ACTIVE'
        join billing.rules r on r.project_id = p.id and r.billing_model = 'TIME_AND_MATERIALS' and r.active
        join time.projects tp on tp.id = e.project_id and tp.status = 'ACTIVE' and tp.billable
        group by e.resource_id, e.project_id, e.customer_id
        order by e.resource_id, count(*) desc, e.project_id`)
    ).rows as { resource_id: string; project_id: string; customer_id: string }[];
    if (pairs.length === 0) throw new Error('no active T&M project with priced time in the data set');
    const team = pairs.slice(0, maxResources);
    // Weeks after the data set's last week: no timesheet exists there yet.
    const sheets = team.flatMap((p, r) =>
      Array.from({ length: weeks }, (_, w) => ({ ...p, week: addDays(BENCH_AS_OF, 7 * (4 + w)), id: `bench_ts_${r}_${w}` })),
    );
    const n = sheets.length;
    const client = await pool.connect();
    try {
      await client.query('begin');
      await client.query(
        `insert into time.timesheets (id, resource_id, week_start, status, submitted_at, created_at)
         select id, resource_id, week::date, 'SUBMITTED', now(), now() from json_populate_recordset(null::record, $1::json) as x(id text, resource_id text, week text)`,
        [JSON.stringify(sheets)],
      );
      const entries = sheets.flatMap((s) =>
        Array.from({ length: DAYS * ENTRIES_PER_DAY }, (_, k) => ({
          id: `bench_te_${s.id}_${k}`,
          timesheet_id: s.id,
          resource_id: s.resource_id,
          project_id: s.project_id,
          customer_id: s.customer_id,
          work_date: addDays(s.week, Math.floor(k / ENTRIES_PER_DAY)),
          minutes: 480 / ENTRIES_PER_DAY,
        })),
      );
      await client.query(
        `insert into time.time_entries (id, timesheet_id, resource_id, project_id, customer_id, work_date, minutes, billable, status, billing_status, created_at, updated_at)
         select id, timesheet_id, resource_id, project_id, customer_id, work_date::date, minutes, true, 'SUBMITTED', 'UNBILLED', now(), now()
         from json_to_recordset($1::json) as x(id text, timesheet_id text, resource_id text, project_id text, customer_id text, work_date text, minutes int)`,
        [JSON.stringify(entries)],
      );
      await client.query('commit');
    } catch (err) {
      await client.query('rollback');
      throw err;
    } finally {
      client.release();
    }
    const entryCount = n * DAYS * ENTRIES_PER_DAY;
    const projects = [...new Set(sheets.map((s) => s.project_id))];
    const sheetIds = sheets.map((s) => s.id);

    stack = await startChild<{ url: string }>('stack', env);
    for (let i = 0; i < workerProcesses; i++) workers.push(await startChild('worker', { ...env, ENGINES: String(enginesPerProcess) }));
    const url = stack.info.url;

    const dbT0 = (await pool.query(`select now() t`)).rows[0].t as Date;
    const t0 = performance.now();
    const chunks = Array.from({ length: Math.ceil(n / APPROVAL_CHUNK) }, (_, i) =>
      sheetIds.slice(i * APPROVAL_CHUNK, (i + 1) * APPROVAL_CHUNK),
    );
    await mapLimit(chunks, 2, (ids) =>
      gqlOk(url, `mutation($ids: [ID!]!) { approveTimesheets(ids: $ids, approver: "bench@firm") { id } }`, { ids }),
    );
    const tApproved = performance.now();
    await waitFor(
      pool,
      `select count(*) filter (where status in ${TERMINAL})::int done, count(*)::int n from sync.jobs where kind in ('TIME_APPROVED', 'PROJECT_COST') and source_id = any($1)`,
      [sheetIds],
      (r) => r.n >= 2 * n && r.done === r.n,
      600_000,
    );
    const tItems = performance.now();
    const lastWeek = sheets
      .map((s) => s.week)
      .sort()
      .at(-1)!;
    const through = addDays(lastWeek, 6);
    const issueDate = addDays(lastWeek, 7);
    // Month-end: one billing cycle over the projects the team booked on (a clerk's selection).
    const cycle = await gqlOk<any>(
      url,
      `mutation($p: [ID!], $t: Date!, $i: Date) { runBillingCycle(through: $t, issueDate: $i, projectIds: $p) { projects jobs { id } } }`,
      { p: projects, t: through, i: issueDate },
    );
    const jobIds = cycle.runBillingCycle.jobs.map((j: { id: string }) => j.id) as string[];
    const tRunsAnswered = performance.now();
    await waitFor(
      pool,
      `select count(*) filter (where status in ${TERMINAL})::int done, count(*)::int n from sync.jobs where id = any($1)`,
      [jobIds],
      (r) => r.done === r.n,
      600_000,
    );
    const tRunsDone = performance.now();
    // Every invoice of those runs posted to the ledger.
    const posted = await waitFor(
      pool,
      `with inv as (select distinct i.id from billing.invoices i join billing.invoice_lines l on l.invoice_id = i.id join billing.billable_items b on b.invoice_line_id = l.id
                    where b.source_id like 'bench_te_%')
       select (select count(*)::int from inv) invoices,
              (select count(*)::int from sync.jobs j where j.kind = 'INVOICE_ISSUED' and j.source_id in (select id from inv) and j.status in ${TERMINAL}) done`,
      [],
      (r) => r.invoices > 0 && r.done >= r.invoices,
      600_000,
    );
    const tEnd = performance.now();
    // Each batch's attempts share a start (the transaction's now()) and a worker: one row per batch.
    const stages = (
      await pool.query(
        `with b as (
           select j.kind, a.worker_id, a.started_at, max(a.finished_at) finished, count(*) n
             from sync.jobs j join sync.job_attempts a on a.job_id = j.id
            where j.created_at >= $1 group by 1, 2, 3)
         select kind, sum(n)::int jobs, count(*)::int batches,
                avg(extract(epoch from finished - started_at)) * 1000 avg_ms, max(extract(epoch from finished - started_at)) * 1000 max_ms,
                sum(extract(epoch from finished - started_at)) busy_s,
                extract(epoch from min(started_at) - $1) first_s, extract(epoch from max(finished) - $1) last_s
           from b group by kind order by min(started_at)`,
        [dbT0],
      )
    ).rows.map((r) => ({
      kind: r.kind,
      jobs: r.jobs,
      batches: r.batches,
      avgBatchMs: Number(r.avg_ms),
      maxBatchMs: Number(r.max_ms),
      busySeconds: Number(r.busy_s),
      firstStartS: Number(r.first_s),
      lastFinishS: Number(r.last_s),
    }));
    const facts = (
      await pool.query(
        `select (select count(*)::int from billing.billable_items where source_id like 'bench_te_%') items,
                (select count(*)::int from billing.billable_items b join billing.invoice_lines l on l.id = b.invoice_line_id
                   where l.invoice_id in (select distinct l2.invoice_id from billing.invoice_lines l2 join billing.billable_items b2 on b2.invoice_line_id = l2.id where b2.source_id like 'bench_te_%')) invoiced,
                (select count(*)::int from erp.journal_entries where source_type = 'INVOICE' and source_id in (
                   select distinct l.invoice_id from billing.invoice_lines l join billing.billable_items b on b.invoice_line_id = l.id where b.source_id like 'bench_te_%')) journals,
                (select count(*)::int from sync.jobs where status in ('EXCEPTION', 'DEAD_LETTERED') and created_at > now() - interval '1 hour') failed`,
      )
    ).rows[0];

    // The floor: the same rows priced (rate card default for the resource's role) in one statement.
    const f0 = performance.now();
    await pool.query(
      `create unlogged table if not exists public.bench_scratch_items (id text, project_id text, customer_id text, resource_id text, role text, work_date date, minutes int, rate_minor bigint, amount_minor bigint, currency text)`,
    );
    const f1 = performance.now();
    const moved = await pool.query(
      `
      insert into public.bench_scratch_items
      select e.id, e.project_id, e.customer_id, e.resource_id, r.role, e.work_date, e.minutes, rr.rate_minor, (e.minutes * rr.rate_minor + 30) / 60, rc.currency
      from time.time_entries e
      join psa.resources r on r.id = e.resource_id
      join psa.projects p on p.id = e.project_id
      join psa.rate_cards rc on rc.id = p.rate_card_id
      left join lateral (select rate_minor from psa.rate_card_rates x where x.rate_card_id = p.rate_card_id and x.role = r.role and x.effective_from <= e.work_date order by x.effective_from desc limit 1) rr on true
      where e.timesheet_id = any($1)`,
      [sheetIds],
    );
    const floorSeconds = (performance.now() - f1) / 1000;
    void f0;
    await pool.query('drop table public.bench_scratch_items');
    if (moved.rowCount !== entryCount) ctx.log(`  floor moved ${moved.rowCount} rows, expected ${entryCount}`);

    const totalSeconds = (tEnd - t0) / 1000;
    return {
      commits,
      stages,
      timesheets: n,
      resources: team.length,
      weeks,
      entriesPerTimesheet: DAYS * ENTRIES_PER_DAY,
      approvalCalls: chunks.length,
      entries: entryCount,
      projects: projects.length,
      workerProcesses,
      enginesPerProcess,
      approveSeconds: (tApproved - t0) / 1000,
      itemsSeconds: (tItems - t0) / 1000,
      billingRunsAnsweredSeconds: (tRunsAnswered - t0) / 1000,
      billingRunsDoneSeconds: (tRunsDone - t0) / 1000,
      billingSeconds: (tEnd - tItems) / 1000,
      totalSeconds,
      entriesPerSecond: entryCount / totalSeconds,
      itemsCreated: facts.items,
      itemsInvoiced: facts.invoiced,
      invoices: posted.invoices,
      journals: facts.journals,
      failedJobs: facts.failed,
      floorSeconds,
      floorEntriesPerSecond: entryCount / floorSeconds,
    };
  } finally {
    for (const w of workers) await w.stop();
    await stack?.stop();
    await pool.end();
  }
}
