import fc from 'fast-check';
import { formatMoney } from '../../../lib/money.ts';
import type { MoneyWorld } from '../world.ts';

/**
 * The real system a command sequence runs against, and the little the commands remember between
 * steps: the business day (it only moves forward: documents are dated by it), the universe of
 * customers and projects (two per legal entity, one of each in a foreign currency), and the entry
 * count of each period when the test closed it.
 */
export type Universe = {
  w: MoneyWorld;
  day: string;
  projects: { projectId: string; resourceId: string; customerId: string; le: string; currency: string }[];
  customers: string[];
  closed: Map<string, number>;
  seq: number;
};

type Model = Record<string, never>;
type Cmd = fc.AsyncCommand<Model, Universe>;

const addDays = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
const ok = <T = any>(res: { body: { data?: T; errors?: unknown[] } }, what: string): T => {
  if (res.body.errors) throw new Error(`${what}: ${JSON.stringify(res.body.errors)}`);
  return res.body.data as T;
};

type InvoiceRow = { id: string; currency: string; issue_date: string; open_minor: number; customer_id: string };
async function invoices(u: Universe): Promise<InvoiceRow[]> {
  return u.w.sql<InvoiceRow>(
    `select i.id, i.currency, i.issue_date::text, r.open_minor::int, i.customer_id from billing.invoices i join erp.receivables r on r.invoice_id = i.id
      where i.customer_id = any($1) and i.status not in ('DRAFT','VOID') order by i.issue_date, i.number`,
    [u.customers],
  );
}
const pick = <T>(list: readonly T[], k: number): T | undefined => (list.length ? list[k % list.length] : undefined);

/** Books 1-3 days of the next week on a project (its consultant's week is new, so never locked), then approves it. */
class Book implements Cmd {
  constructor(
    readonly project: number,
    readonly days: number,
    readonly hours: number,
  ) {}
  check = () => true;
  async run(_: Model, u: Universe) {
    const p = u.projects[this.project % u.projects.length]!;
    const monday = addDays(u.day, 7 - ((new Date(`${u.day}T00:00:00Z`).getUTCDay() + 6) % 7));
    u.day = addDays(monday, this.days - 1);
    await u.w.book(
      p.projectId,
      p.resourceId,
      Array.from({ length: this.days }, (_, i) => [addDays(monday, i), this.hours] as [string, number]),
    );
  }
  toString = () => `Book(project ${this.project}, ${this.days} d x ${this.hours} h)`;
}

/** Runs billing for a project through the business day, issued that day. */
class Bill implements Cmd {
  constructor(readonly project: number) {}
  check = () => true;
  async run(_: Model, u: Universe) {
    const p = u.projects[this.project % u.projects.length]!;
    await u.w.bill(p.projectId, u.day, u.day);
  }
  toString = () => `Bill(project ${this.project})`;
}

/** The same billing run asked twice at the same moment: one job, one set of invoices. */
class BillTwiceAtOnce implements Cmd {
  constructor(readonly project: number) {}
  check = () => true;
  async run(_: Model, u: Universe) {
    const p = u.projects[this.project % u.projects.length]!;
    const q = `mutation($p: ID!, $t: Date!, $i: Date) { runBilling(projectId: $p, through: $t, issueDate: $i) { ok job { id } } }`;
    const [a, b] = await Promise.all([0, 1].map(() => u.w.g.request(q, { p: p.projectId, t: u.day, i: u.day })));
    const ids = [ok<any>(a!, 'runBilling').runBilling.job.id, ok<any>(b!, 'runBilling').runBilling.job.id];
    if (ids[0] !== ids[1]) throw new Error(`the same billing run started two jobs: ${ids.join(', ')}`);
    await u.w.settled();
  }
  toString = () => `BillTwiceAtOnce(project ${this.project})`;
}

const PAY = `mutation($input: RecordPaymentInput!) { recordPayment(input: $input) { id } }`;

/** A payment of part, all, or more than what an invoice still owes, possibly received some days back. */
class Pay implements Cmd {
  constructor(
    readonly invoice: number,
    readonly kind: 'PART' | 'FULL' | 'OVER',
    readonly daysBack: number,
  ) {}
  check = () => true;
  async run(_: Model, u: Universe) {
    const inv = pick(await invoices(u), this.invoice);
    if (!inv) return;
    const open = inv.open_minor;
    const minor = this.kind === 'FULL' && open > 0 ? open : this.kind === 'PART' && open > 1 ? Math.floor(open * 0.37) : open + 1234;
    const back = addDays(u.day, -this.daysBack);
    // Dates are strings: the later of the two.
    const receivedOn = [back, inv.issue_date].sort()[1]!;
    u.seq += 1;
    ok(
      await u.w.g.request(PAY, {
        input: { externalRef: `MODEL-${process.pid}-${u.seq}`, invoiceId: inv.id, amount: formatMoney(minor, inv.currency), receivedOn },
      }),
      'recordPayment',
    );
    await u.w.settled();
  }
  toString = () => `Pay(invoice ${this.invoice}, ${this.kind}, ${this.daysBack} days back)`;
}

/** The same bank payment delivered twice at the same moment: recorded once. */
class PayTwiceAtOnce implements Cmd {
  constructor(readonly invoice: number) {}
  check = () => true;
  async run(_: Model, u: Universe) {
    const inv = pick(await invoices(u), this.invoice);
    if (!inv) return;
    u.seq += 1;
    const input = {
      externalRef: `MODEL-${process.pid}-${u.seq}`,
      invoiceId: inv.id,
      amount: formatMoney(Math.max(1, inv.open_minor), inv.currency),
      receivedOn: u.day,
    };
    const ids = (await Promise.all([0, 1].map(() => u.w.g.request(PAY, { input })))).map(
      (r) => ok<any>(r, 'recordPayment').recordPayment.id,
    );
    if (ids[0] !== ids[1]) throw new Error(`one bank reference recorded two payments: ${ids.join(', ')}`);
    await u.w.settled();
  }
  toString = () => `PayTwiceAtOnce(invoice ${this.invoice})`;
}

/** Wins another deal of a universe customer: a new project (up to twelve, one consultant each). */
class Win implements Cmd {
  constructor(readonly customer: number) {}
  check = () => true;
  async run(_: Model, u: Universe) {
    if (u.projects.length >= 12) return;
    const model = u.projects[this.customer % 4]!;
    const p = await u.w.project({ customerId: model.customerId, currency: model.currency, rate: '111.11' });
    u.projects.push({ ...p, customerId: model.customerId, le: model.le, currency: model.currency });
  }
  toString = () => `Win(customer ${this.customer % 4})`;
}

/** Credits part of the first line, or every line in full, of an issued invoice. */
class Credit implements Cmd {
  constructor(
    readonly invoice: number,
    readonly full: boolean,
  ) {}
  check = () => true;
  async run(_: Model, u: Universe) {
    const inv = pick(await invoices(u), this.invoice);
    if (!inv) return;
    const lines = await u.w.sql(
      `select id, (amount_minor - credited_minor)::int left_minor from billing.invoice_lines where invoice_id = $1 and amount_minor > credited_minor order by line_no`,
      [inv.id],
    );
    if (lines.length === 0) return;
    const credit = this.full
      ? lines.map((l) => ({ invoiceLineId: l.id, amount: formatMoney(l.left_minor, inv.currency) }))
      : [{ invoiceLineId: lines[0].id, amount: formatMoney(Math.max(1, Math.floor(lines[0].left_minor * 0.41)), inv.currency) }];
    ok(
      await u.w.g.request(`mutation($input: IssueCreditMemoInput!) { issueCreditMemo(input: $input) { creditMemo { id } } }`, {
        input: {
          invoiceId: inv.id,
          lines: credit,
          reason: 'Model credit',
          timeDisposition: this.full ? 'WRITE_OFF' : 'UNBILL',
          issueDate: u.day,
        },
      }),
      'issueCreditMemo',
    );
    await u.w.settled();
  }
  toString = () => `Credit(invoice ${this.invoice}, ${this.full ? 'full' : 'part'})`;
}

/** A payment and a full credit memo of one invoice sent at the same moment. */
class PayAndCreditAtOnce implements Cmd {
  constructor(readonly invoice: number) {}
  check = () => true;
  async run(_: Model, u: Universe) {
    const inv = pick(await invoices(u), this.invoice);
    if (!inv || inv.open_minor === 0) return;
    const lines = await u.w.sql(
      `select id, (amount_minor - credited_minor)::int left_minor from billing.invoice_lines where invoice_id = $1 and amount_minor > credited_minor`,
      [inv.id],
    );
    if (lines.length === 0) return;
    u.seq += 1;
    const [pay, memo] = await Promise.all([
      u.w.g.request(PAY, {
        input: {
          externalRef: `MODEL-${process.pid}-${u.seq}`,
          invoiceId: inv.id,
          amount: formatMoney(inv.open_minor, inv.currency),
          receivedOn: u.day,
        },
      }),
      u.w.g.request(`mutation($input: IssueCreditMemoInput!) { issueCreditMemo(input: $input) { creditMemo { id } } }`, {
        input: {
          invoiceId: inv.id,
          lines: lines.map((l) => ({ invoiceLineId: l.id, amount: formatMoney(l.left_minor, inv.currency) })),
          reason: 'Model race',
          timeDisposition: 'UNBILL',
          issueDate: u.day,
        },
      }),
    ]);
    ok(pay, 'recordPayment');
    ok(memo, 'issueCreditMemo');
    await u.w.settled();
  }
  toString = () => `PayAndCreditAtOnce(invoice ${this.invoice})`;
}

/** Writes off what an invoice still owes as bad debt. */
class WriteOff implements Cmd {
  constructor(readonly invoice: number) {}
  check = () => true;
  async run(_: Model, u: Universe) {
    const inv = pick(
      (await invoices(u)).filter((i) => i.open_minor > 0),
      this.invoice,
    );
    if (!inv) return;
    ok(
      await u.w.g.request(`mutation($input: WriteOffReceivableInput!) { writeOffReceivable(input: $input) { id } }`, {
        input: { invoiceId: inv.id, amount: formatMoney(inv.open_minor, inv.currency), date: u.day, reason: 'Model bad debt' },
      }),
      'writeOffReceivable',
    );
    await u.w.settled();
  }
  toString = () => `WriteOff(open invoice ${this.invoice})`;
}

/** Writes off one unbilled item of a universe project (billing), its time following in the time system. */
class WriteOffWip implements Cmd {
  constructor(readonly item: number) {}
  check = () => true;
  async run(_: Model, u: Universe) {
    const items = await u.w.sql(
      `select id from billing.billable_items where customer_id = any($1) and status = 'UNBILLED' order by work_date, id`,
      [u.customers],
    );
    const it = pick(items, this.item);
    if (!it) return;
    ok(
      await u.w.g.request(
        `mutation($ids: [ID!]!, $d: Date) { writeOffUnbilledWork(itemIds: $ids, reason: "Model write-off", date: $d) { id } }`,
        {
          ids: [it.id],
          d: u.day,
        },
      ),
      'writeOffUnbilledWork',
    );
    await u.w.settled();
  }
  toString = () => `WriteOffWip(unbilled item ${this.item})`;
}

/** Pays back half or all of a customer's credit. */
class Refund implements Cmd {
  constructor(
    readonly customer: number,
    readonly all: boolean,
  ) {}
  check = () => true;
  async run(_: Model, u: Universe) {
    const balances = await u.w.sql(
      `select customer_id, legal_entity_id, currency, balance_minor::int b from erp.customer_credit_balances where customer_id = any($1) and balance_minor > 0 order by customer_id, currency`,
      [u.customers],
    );
    const c = pick(balances, this.customer);
    if (!c) return;
    const minor = this.all ? c.b : Math.max(1, Math.floor(c.b / 2));
    u.seq += 1;
    ok(
      await u.w.g.request(`mutation($input: RefundCustomerCreditInput!) { refundCustomerCredit(input: $input) { id } }`, {
        input: {
          customerId: c.customer_id,
          legalEntityId: c.legal_entity_id,
          currency: c.currency,
          amount: formatMoney(minor, c.currency),
          paidOn: u.day,
          externalRef: `MODEL-OUT-${process.pid}-${u.seq}`,
        },
      }),
      'refundCustomerCredit',
    );
  }
  toString = () => `Refund(customer credit ${this.customer}, ${this.all ? 'all' : 'half'})`;
}

/** Closes a legal entity's oldest open period that ended before the business day (periods close in order). */
class ClosePeriod implements Cmd {
  constructor(readonly le: number) {}
  check = () => true;
  async run(_: Model, u: Universe) {
    const le = ['LE-US', 'LE-DE'][this.le % 2]!;
    const [p] = await u.w.sql(
      `select id, code, end_date::text from erp.periods where legal_entity_id = $1 and status = 'OPEN' order by start_date limit 1`,
      [le],
    );
    if (!p || p.end_date >= u.day) return;
    ok(
      await u.w.g.request(`mutation($le: ID!, $c: String!) { closePeriod(legalEntityId: $le, code: $c) { status } }`, { le, c: p.code }),
      'closePeriod',
    );
    const [n] = await u.w.sql(`select count(*)::int n from erp.journal_entries where period_id = $1`, [p.id]);
    u.closed.set(p.id, n.n);
  }
  toString = () => `ClosePeriod(${['LE-US', 'LE-DE'][this.le % 2]})`;
}

/** Reopens the latest period the model closed (an admin, with a reason). */
class ReopenPeriod implements Cmd {
  constructor(readonly le: number) {}
  check = () => true;
  async run(_: Model, u: Universe) {
    const le = ['LE-US', 'LE-DE'][this.le % 2]!;
    const [p] = await u.w.sql(
      `select id, code from erp.periods where legal_entity_id = $1 and status = 'CLOSED' order by start_date desc limit 1`,
      [le],
    );
    if (!p || !u.closed.has(p.id)) return;
    ok(
      await u.w.g.request(
        `mutation($le: ID!, $c: String!) { reopenPeriod(legalEntityId: $le, code: $c, reason: "Model correction") { status } }`,
        {
          le,
          c: p.code,
        },
      ),
      'reopenPeriod',
    );
    u.closed.delete(p.id);
  }
  toString = () => `ReopenPeriod(${['LE-US', 'LE-DE'][this.le % 2]})`;
}

/** Runs a legal entity's period end for the month before the business day, while that month is open. */
class PeriodEnd implements Cmd {
  constructor(readonly le: number) {}
  check = () => true;
  async run(_: Model, u: Universe) {
    const le = ['LE-US', 'LE-DE'][this.le % 2]!;
    const month = new Date(Date.parse(`${u.day.slice(0, 7)}-01T00:00:00Z`) - 86_400_000).toISOString().slice(0, 7);
    const [p] = await u.w.sql(`select status from erp.periods where legal_entity_id = $1 and code = $2`, [le, month]);
    if (p?.status !== 'OPEN') return;
    ok(
      await u.w.g.request(`mutation($le: ID!, $c: String!) { runPeriodEnd(legalEntityId: $le, periodCode: $c) { ok } }`, { le, c: month }),
      'runPeriodEnd',
    );
    await u.w.settled();
  }
  toString = () => `PeriodEnd(${['LE-US', 'LE-DE'][this.le % 2]})`;
}

/** Publishes a new EUR/USD rate (and its inverse) for the business day. */
class FxRate implements Cmd {
  constructor(readonly rate: string) {}
  check = () => true;
  async run(_: Model, u: Universe) {
    const inverse = (1 / Number(this.rate)).toFixed(8);
    for (const [from, to, rate] of [
      ['EUR', 'USD', this.rate],
      ['USD', 'EUR', inverse],
    ] as const)
      ok(
        await u.w.g.request(
          `mutation($f: String!, $t: String!, $d: Date!, $r: String!) { setFxRate(from: $f, to: $t, date: $d, rate: $r) { rate } }`,
          {
            f: from,
            t: to,
            d: u.day,
            r: rate,
          },
        ),
        'setFxRate',
      );
  }
  toString = () => `FxRate(EUR/USD ${this.rate})`;
}

/** Replays a succeeded billing run or payment sync: it must change nothing. */
class Replay implements Cmd {
  constructor(
    readonly kind: 'BILLING_RUN' | 'PAYMENT_RECEIVED' | 'INVOICE_ISSUED',
    readonly k: number,
  ) {}
  check = () => true;
  async run(_: Model, u: Universe) {
    const jobs = await u.w.sql(
      `select j.id from sync.jobs j where j.kind = $1 and j.status = 'SUCCEEDED' and j.customer_id = any($2) order by j.created_at, j.id`,
      [this.kind, u.customers],
    );
    const job = pick(jobs, this.k);
    if (!job) return;
    ok(await u.w.g.request(`mutation($id: ID!) { replaySyncJob(id: $id) { ok } }`, { id: job.id }), 'replaySyncJob');
    await u.w.settled();
  }
  toString = () => `Replay(${this.kind} ${this.k})`;
}

/** Business days pass. */
class Advance implements Cmd {
  constructor(readonly days: number) {}
  check = () => true;
  async run(_: Model, u: Universe) {
    u.day = addDays(u.day, this.days);
  }
  toString = () => `Advance(${this.days} d)`;
}

const project = fc.nat({ max: 11 });
const target = fc.nat({ max: 40 });

/** Every operation of the model, weighted so that a short sequence still reaches money's edges. */
export const commandArbitraries: fc.Arbitrary<Cmd>[] = [
  fc.tuple(project, fc.integer({ min: 1, max: 3 }), fc.constantFrom(2, 6.25, 7.75, 8)).map(([p, d, h]) => new Book(p, d, h)),
  fc.tuple(project, fc.integer({ min: 1, max: 3 }), fc.constantFrom(6.25, 8)).map(([p, d, h]) => new Book(p, d, h)),
  project.map((p) => new Bill(p)),
  project.map((p) => new Bill(p)),
  project.map((p) => new BillTwiceAtOnce(p)),
  fc
    .tuple(target, fc.constantFrom('PART', 'FULL', 'OVER') as fc.Arbitrary<'PART' | 'FULL' | 'OVER'>, fc.nat({ max: 45 }))
    .map(([i, k, b]) => new Pay(i, k, b)),
  fc.tuple(target, fc.constantFrom('PART', 'FULL') as fc.Arbitrary<'PART' | 'FULL'>, fc.constant(0)).map(([i, k, b]) => new Pay(i, k, b)),
  fc.tuple(target, fc.boolean()).map(([i, f]) => new Credit(i, f)),
  target.map((i) => new PayAndCreditAtOnce(i)),
  target.map((i) => new PayTwiceAtOnce(i)),
  fc.nat({ max: 3 }).map((c) => new Win(c)),
  target.map((i) => new WriteOff(i)),
  target.map((i) => new WriteOffWip(i)),
  fc.tuple(target, fc.boolean()).map(([c, a]) => new Refund(c, a)),
  fc.nat({ max: 1 }).map((le) => new ClosePeriod(le)),
  fc.nat({ max: 1 }).map((le) => new ReopenPeriod(le)),
  fc.nat({ max: 1 }).map((le) => new PeriodEnd(le)),
  fc.constantFrom('1.05123457', '1.08337777', '1.10000000', '1.14999999').map((r) => new FxRate(r)),
  fc
    .tuple(
      fc.constantFrom('BILLING_RUN', 'PAYMENT_RECEIVED', 'INVOICE_ISSUED') as fc.Arbitrary<
        'BILLING_RUN' | 'PAYMENT_RECEIVED' | 'INVOICE_ISSUED'
      >,
      target,
    )
    .map(([k, i]) => new Replay(k, i)),
  fc.integer({ min: 1, max: 20 }).map((d) => new Advance(d)),
];
