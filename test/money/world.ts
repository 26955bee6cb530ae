import { expect } from 'vitest';
import type { Clock } from '../../lib/clock.ts';
import { seedDemo } from '../../seed/index.ts';
import { startTestGraph, type TestGraph } from '../support/graph.ts';
import { type JobView, ok, waitForJob } from '../sync/helpers.ts';

/**
 * A finance user's view of the hub for the money tests: the demo seed (both legal entities, their
 * charts, resources, FX rates) plus helpers that drive each step through the gateway and wait for the
 * sync jobs it starts. Every date is fixed by the test; nothing reads the wall clock.
 */
export type MoneyWorld = {
  g: TestGraph;
  /** A new customer with an erp financial master (waits for its master-data sync). */
  customer: (opts: CustomerOpts) => Promise<string>;
  /** Wins a new T&M (or other) deal of the customer and waits for the project's activation. */
  project: (opts: ProjectOpts) => Promise<{ projectId: string; resourceId: string; job: JobView }>;
  /** Books hours on the days, submits and approves the sheets, waits for pricing; returns the entry ids. */
  book: (projectId: string, resourceId: string, days: [string, number][]) => Promise<string[]>;
  /** Runs billing for the project and waits for the run; returns the invoices it issued (posted too). */
  bill: (projectId: string, through: string, issueDate: string) => Promise<string[]>;
  /** Records a payment in the erp and waits for its sync to billing. */
  pay: (invoiceId: string, amount: string, receivedOn: string, externalRef: string) => Promise<string>;
  /** Credits the given amount of each line (all of each line when `amounts` is absent); waits for the erp. */
  credit: (invoiceId: string, issueDate: string, opts?: { amounts?: string[]; disposition?: 'UNBILL' | 'WRITE_OFF' }) => Promise<string>;
  /** Waits until no sync job is queued, running or retrying. */
  settled: () => Promise<void>;
  sql: <T = any>(text: string, params?: unknown[]) => Promise<T[]>;
  stop: () => Promise<void>;
};

export type CustomerOpts = {
  legalEntityId: 'LE-US' | 'LE-DE';
  currency: string;
  taxCode: string;
  creditLimit?: string;
  status?: 'ACTIVE' | 'ON_HOLD' | 'INACTIVE';
  paymentTermsDays?: number;
};

export type ProjectOpts = {
  customerId: string;
  currency: string;
  rate: string;
  billingModel?: 'TIME_AND_MATERIALS' | 'FIXED_FEE' | 'MILESTONES';
  amount?: string;
  closeDate?: string;
  serviceLine?: string;
  milestones?: { name: string; amount: string; dueDate: string }[];
  /** Expect the activation to end in this status (SUCCEEDED unless said). */
  expectStatus?: string;
};

let counter = 0;
const REGION = { 'LE-US': 'NA', 'LE-DE': 'DACH' } as const;

export async function startMoneyWorld(opts: { clock?: Clock } = {}): Promise<MoneyWorld> {
  const g = await startTestGraph(
    async (d) => {
      await seedDemo(d.db, { scale: 1, seed: 42, asOf: '2026-11-23' });
    },
    { sync: true, clock: opts.clock },
  );
  const sql = async <T = any>(text: string, params: unknown[] = []) => (await g.database.pool.query(text, params)).rows as T[];
  const settled = async () => {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const [{ n }] = await sql<{ n: number }>(`select count(*)::int n from sync.jobs where status in ('QUEUED','RUNNING','RETRYING')`);
      if (n === 0) return;
      if (Date.now() > deadline) throw new Error(`${n} sync jobs did not settle`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };

  const customer = async (c: CustomerOpts) => {
    counter += 1;
    const name = `Money Test ${process.pid}-${counter}`;
    const created = ok<any>(
      await g.request(`mutation($input: CreateCustomerInput!) { createCustomer(input: $input) { id } }`, {
        input: { name, region: REGION[c.legalEntityId], industry: 'Software' },
      }),
    );
    const id = created.createCustomer.id as string;
    ok(
      await g.request(
        `mutation($id: ID!, $input: CustomerFinancialMasterInput!) { upsertCustomerFinancialMaster(customerId: $id, input: $input) { status } }`,
        {
          id,
          input: {
            name,
            legalEntityId: c.legalEntityId,
            currency: c.currency,
            taxCode: c.taxCode,
            paymentTermsDays: c.paymentTermsDays ?? 30,
            creditLimit: c.creditLimit ?? '0',
            status: c.status ?? 'ACTIVE',
          },
        },
      ),
    );
    expect((await waitForJob(g, 'CUSTOMER_MASTER_CHANGED', id)).status).toBe('SUCCEEDED');
    return id;
  };

  // Each project gets a consultant of its own: approved weeks are locked, so two projects booking
  // the same person's week would collide.
  const used = new Set<string>();
  const project = async (p: ProjectOpts) => {
    const [{ legal_entity_id: le }] = await sql(`select legal_entity_id from erp.customer_masters where customer_id = $1`, [p.customerId]);
    const res = (
      await sql(
        `select r.id, r.role from psa.resources r join time.resources t on t.id = r.id where r.legal_entity_id = $1 and r.active and t.active order by r.id`,
        [le],
      )
    ).find((r) => !used.has(r.id));
    if (!res) throw new Error(`no unused consultant left in ${le}`);
    used.add(res.id);
    const model = p.billingModel ?? 'TIME_AND_MATERIALS';
    const opp = ok<any>(
      await g.request(`mutation($input: CreateOpportunityInput!) { createOpportunity(input: $input) { id } }`, {
        input: {
          customerId: p.customerId,
          name: `Deal ${process.pid}-${++counter}`,
          stage: 'NEGOTIATION',
          amount: p.amount ?? '100000.00',
          currency: p.currency,
          closeDate: p.closeDate ?? '2026-11-30',
          billingModel: model,
          serviceLine: p.serviceLine ?? 'ENGINEERING',
          workstreams: [{ role: res.role, hours: 400, rate: p.rate }],
          ...(p.milestones ? { milestones: p.milestones } : {}),
        },
      }),
    );
    const oppId = opp.createOpportunity.id as string;
    ok(await g.request(`mutation($id: ID!) { changeOpportunityStage(id: $id, stage: CLOSED_WON) { stage } }`, { id: oppId }));
    const job = await waitForJob(g, 'OPPORTUNITY_WON', oppId);
    expect(job.status).toBe(p.expectStatus ?? 'SUCCEEDED');
    return { projectId: `prj_${oppId}`, resourceId: res.id as string, job };
  };

  const book = async (projectId: string, resourceId: string, days: [string, number][]) => {
    const sheets = new Set<string>();
    const entries: string[] = [];
    for (const [date, hours] of days) {
      const e = ok<any>(
        await g.request(`mutation($input: CreateTimeEntryInput!) { createTimeEntry(input: $input) { id timesheet { id } } }`, {
          input: { resourceId, projectId, date, hours, billable: true },
        }),
      );
      sheets.add(e.createTimeEntry.timesheet.id);
      entries.push(e.createTimeEntry.id);
    }
    for (const id of sheets) {
      ok(await g.request(`mutation($id: ID!) { submitTimesheet(id: $id) { status } }`, { id }));
      ok(await g.request(`mutation($id: ID!) { approveTimesheet(id: $id, approver: "pm@firm") { status } }`, { id }));
      expect((await waitForJob(g, 'TIME_APPROVED', id)).status).toBe('SUCCEEDED');
    }
    await settled();
    return entries;
  };

  const bill = async (projectId: string, through: string, issueDate: string) => {
    const run = ok<any>(
      await g.request(
        `mutation($p: ID!, $t: Date!, $i: Date) { runBilling(projectId: $p, through: $t, issueDate: $i) { ok job { id } errors { code } } }`,
        { p: projectId, t: through, i: issueDate },
      ),
    );
    expect(run.runBilling.errors).toEqual([]);
    await settled();
    const [job] = await sql(`select status, target_refs from sync.jobs where id = $1`, [run.runBilling.job.id]);
    expect(job.status).toBe('SUCCEEDED');
    return ((job.target_refs?.billing?.Invoice ?? []) as string[]).slice();
  };

  const pay = async (invoiceId: string, amount: string, receivedOn: string, externalRef: string) => {
    const p = ok<any>(
      await g.request(`mutation($input: RecordPaymentInput!) { recordPayment(input: $input) { id } }`, {
        input: { externalRef, invoiceId, amount, receivedOn },
      }),
    );
    await settled();
    return p.recordPayment.id as string;
  };

  const credit = async (invoiceId: string, issueDate: string, o: { amounts?: string[]; disposition?: 'UNBILL' | 'WRITE_OFF' } = {}) => {
    const inv = ok<any>(await g.request(`query($id: ID!) { invoice(id: $id) { lines { id amount { amount } } } }`, { id: invoiceId }));
    const lines = inv.invoice.lines.map((l: any, i: number) => ({ invoiceLineId: l.id, amount: o.amounts?.[i] ?? l.amount.amount }));
    const memo = ok<any>(
      await g.request(`mutation($input: IssueCreditMemoInput!) { issueCreditMemo(input: $input) { creditMemo { id } } }`, {
        input: { invoiceId, lines, reason: 'Test credit', timeDisposition: o.disposition ?? 'UNBILL', issueDate },
      }),
    );
    await settled();
    return memo.issueCreditMemo.creditMemo.id as string;
  };

  return { g, customer, project, book, bill, pay, credit, settled, sql, stop: () => g.stop() };
}

/** The AR account's balance of one invoice in its entry currency and in the functional currency. */
export async function arOfInvoice(w: MoneyWorld, invoiceId: string): Promise<{ entry: number; functional: number }> {
  const [r] = await w.sql(
    `select coalesce(sum(l.debit_minor - l.credit_minor), 0)::bigint as entry,
            coalesce(sum(l.functional_debit_minor - l.functional_credit_minor), 0)::bigint as functional
       from erp.journal_lines l join erp.receivables r on r.invoice_id = $1
      where l.legal_entity_id = r.legal_entity_id and l.account_code = '1200'
        and l.customer_id = r.customer_id and l.project_id is not distinct from r.project_id`,
    [invoiceId],
  );
  return { entry: Number(r.entry), functional: Number(r.functional) };
}

/** Every journal line on an account, summed in the functional currency, for one customer. */
export async function accountBalance(w: MoneyWorld, customerId: string, account: string): Promise<number> {
  const [r] = await w.sql(
    `select coalesce(sum(functional_debit_minor - functional_credit_minor), 0)::bigint as b from erp.journal_lines where customer_id = $1 and account_code = $2`,
    [customerId, account],
  );
  return Number(r.b);
}
