import type { MoneyWorld } from '../world.ts';

/**
 * The books' invariants, checked over the whole database after every step of the model-based test
 * (docs/money.md). Each returns the rows that break it, so a failure shows what broke, not only that
 * something did. `customers` limits the checks that need the universe's own projects.
 */
export type Violations = Record<string, unknown[]>;

export async function checkInvariants(
  w: MoneyWorld,
  customers: readonly string[],
  closedSnapshot: Map<string, number>,
  since: Date,
): Promise<Violations> {
  const v: Violations = {};
  const put = (name: string, rows: unknown[]) => {
    if (rows.length) v[name] = rows;
  };
  // Every journal balances in its entry currency and in the functional currency.
  put(
    'unbalanced journals',
    await w.sql(`select journal_entry_id from erp.journal_lines group by 1
                   having sum(debit_minor) <> sum(credit_minor) or sum(functional_debit_minor) <> sum(functional_credit_minor)`),
  );
  // Each legal entity's trial balance nets to zero (functional currency, all periods).
  put(
    'trial balance not zero',
    await w.sql(`select legal_entity_id, sum(functional_debit_minor - functional_credit_minor)::bigint d from erp.journal_lines
                  group by 1 having sum(functional_debit_minor - functional_credit_minor) <> 0`),
  );
  // Billing's open balance equals the erp's, per invoice, and the statuses agree.
  put(
    'invoice vs receivable',
    await w.sql(`select i.id, i.status, r.status rstatus, i.total_minor - i.paid_minor - i.credited_minor - i.written_off_minor as billing_open, r.open_minor
                   from billing.invoices i left join erp.receivables r on r.invoice_id = i.id
                  where i.status not in ('DRAFT','VOID')
                    and (r.id is null or r.open_minor <> i.total_minor - i.paid_minor - i.credited_minor - i.written_off_minor
                         or (case i.status when 'ISSUED' then 'OPEN' else i.status end) <> r.status)`),
  );
  // ... per customer and currency.
  put(
    'customer open balance',
    await w.sql(`with b as (select customer_id, currency, sum(total_minor - paid_minor - credited_minor - written_off_minor) o
                              from billing.invoices where status not in ('DRAFT','VOID') group by 1, 2),
                      e as (select customer_id, currency, sum(open_minor) o from erp.receivables group by 1, 2)
                 select * from b full join e using (customer_id, currency) where b.o is distinct from e.o`),
  );
  // ... and equals the AR account, per invoice, in the invoice currency; settled, AR carries nothing in the functional currency either.
  put(
    'AR account vs receivable',
    await w.sql(
      `select r.invoice_id, r.open_minor, coalesce(a.entry, 0) ar, coalesce(a.functional, 0) ar_functional
                   from erp.receivables r
                   left join (select l.source_line_id, sum(l.debit_minor - l.credit_minor) entry, sum(l.functional_debit_minor - l.functional_credit_minor) functional
                                from erp.journal_lines l where l.source_line_type = 'INVOICE' and l.account_code = '1200' group by 1) a
                     on a.source_line_id = r.invoice_id
                  where r.customer_id = any($1) and (r.open_minor <> coalesce(a.entry, 0) or (r.open_minor = 0 and coalesce(a.functional, 0) <> 0))`,
      [customers],
    ),
  );
  // Customer credit: the 2300 account per customer equals the credit the erp holds, in both currencies.
  put(
    'customer credit vs account',
    await w.sql(`select b.customer_id, b.currency, b.balance_minor, b.functional_minor, coalesce(a.entry, 0) acc, coalesce(a.functional, 0) acc_functional
                   from erp.customer_credit_balances b
                   left join (select l.customer_id, e.currency, sum(l.credit_minor - l.debit_minor) entry, sum(l.functional_credit_minor - l.functional_debit_minor) functional
                                from erp.journal_lines l join erp.journal_entries e on e.id = l.journal_entry_id
                               where l.account_code = '2300' group by 1, 2) a
                     on a.customer_id = b.customer_id and a.currency = b.currency
                  where b.balance_minor <> coalesce(a.entry, 0) or b.functional_minor <> coalesce(a.functional, 0)`),
  );
  // Every approved billable entry of a T&M project is billed once, waiting, or written off, and the
  // time system says the same as billing.
  put(
    'time vs billable items',
    await w.sql(
      `select t.id, t.billing_status, count(b.id) items, min(b.status) item_status
                   from time.time_entries t join billing.rules r on r.project_id = t.project_id and r.billing_model = 'TIME_AND_MATERIALS'
                   left join billing.billable_items b on b.source_type = 'TIME_ENTRY' and b.source_id = t.id
                  where t.status = 'APPROVED' and t.billable and t.customer_id = any($1)
                  group by t.id, t.billing_status
                 having count(b.id) <> 1
                     or min(b.status) <> (case t.billing_status when 'BILLED' then 'INVOICED' else t.billing_status end)`,
      [customers],
    ),
  );
  // Numbers are gap-free per legal entity and document type.
  put(
    'numbering gaps',
    await w.sql(`select legal_entity_id, kind, count(*) n, max(seq) top from (
                   select legal_entity_id, 'INVOICE' kind, substring(number from '([0-9]+)$')::int seq from billing.invoices where number is not null
                   union all
                   select legal_entity_id, 'CREDIT_MEMO', substring(number from '([0-9]+)$')::int from billing.credit_memos) x
                  group by 1, 2 having count(*) <> max(seq) or count(distinct seq) <> count(*)`),
  );
  // Nothing is posted into a period while it is closed: its entries are those it had when it closed.
  const counts = await w.sql(
    `select p.id, count(e.id)::int n from erp.periods p left join erp.journal_entries e on e.period_id = p.id
                               where p.status = 'CLOSED' and p.id = any($1) group by p.id`,
    [[...closedSnapshot.keys()]],
  );
  put(
    'posted into a closed period',
    counts.filter((c) => closedSnapshot.get(c.id) !== c.n),
  );
  // Every sync job of the universe ends as it should: nothing parked as an exception or dead letter.
  put(
    'failed sync jobs',
    await w.sql(
      `select kind, source_id, status, last_error_code, last_error_message from sync.jobs
        where status in ('EXCEPTION','DEAD_LETTERED','RETRYING') and created_at >= $1`,
      [since],
    ),
  );
  return v;
}
