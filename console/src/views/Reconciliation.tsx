import { useQuery } from '@urql/preact';
import { useState } from 'preact/hooks';
import { ErrorBox } from '../components/ErrorBox.tsx';
import { Pager, pageOf } from '../components/Pager.tsx';
import { fmtMoney, fmtNum, type Money } from '../lib/format.ts';
import { RECONCILIATION } from '../lib/queries.ts';

const PAGE = 15;

type Column = { head: string; cell: (row: any) => string };
type CheckView = { list: string; amount: (row: any) => Money | null; columns: Column[] };

/** How each check's records are listed, and which amount of a record is summed. */
const CHECKS: Record<string, CheckView> = {
  WIP: {
    list: 'wip',
    amount: (r) => r.value,
    columns: [
      { head: 'Project', cell: (r) => `${r.project.code} ${r.project.name}` },
      { head: 'Customer', cell: (r) => r.customer.name ?? r.customer.id },
      { head: 'Hours', cell: (r) => fmtNum(r.hours) },
      { head: 'Value', cell: (r) => fmtMoney(r.value) },
      { head: 'Oldest work', cell: (r) => r.oldestWorkDate ?? '-' },
    ],
  },
  TIME_WITHOUT_BILLABLE_ITEM: {
    list: 'timeWithoutBillableItem',
    amount: () => null,
    columns: [
      { head: 'Project', cell: (r) => `${r.project.code} ${r.project.name}` },
      { head: 'Entries without item', cell: (r) => String(r.count) },
      { head: 'Hours', cell: (r) => fmtNum(r.hours) },
      { head: 'Approved entries / items', cell: (r) => `${r.approvedEntries} / ${r.billableItems}` },
    ],
  },
  STALE_BILLABLE_ITEMS: {
    list: 'staleBillableItems',
    amount: (r) => r.value,
    columns: [
      { head: 'Project', cell: (r) => `${r.project.code} ${r.project.name}` },
      { head: 'Items', cell: (r) => String(r.count) },
      { head: 'Value', cell: (r) => fmtMoney(r.value) },
      { head: 'Due since', cell: (r) => `${r.dueSince} (${r.daysOverdue} days)` },
    ],
  },
  INVOICES_NOT_POSTED: {
    list: 'unpostedInvoices',
    amount: (r) => r.total,
    columns: [
      { head: 'Invoice', cell: (r) => r.number ?? r.invoice.id },
      { head: 'Customer', cell: (r) => r.customer.name ?? r.customer.id },
      { head: 'Total', cell: (r) => fmtMoney(r.total) },
      { head: 'Issued', cell: (r) => r.issueDate ?? '-' },
    ],
  },
  AR_DIFFERENCE: {
    list: 'arDifferences',
    amount: (r) => r.difference,
    columns: [
      { head: 'Customer', cell: (r) => r.customer.name ?? r.customer.id },
      { head: 'Billing open', cell: (r) => fmtMoney(r.billingOpen) },
      { head: 'ERP open', cell: (r) => fmtMoney(r.erpOpen) },
      { head: 'Difference', cell: (r) => fmtMoney(r.difference) },
    ],
  },
  TIME_ON_UNKNOWN_OR_CLOSED_PROJECT: {
    list: 'misplacedTime',
    amount: () => null,
    columns: [
      { head: 'Project', cell: (r) => r.project?.code ?? r.projectId },
      { head: 'Reason', cell: (r) => r.reason },
      { head: 'Entries', cell: (r) => String(r.count) },
      { head: 'Hours', cell: (r) => fmtNum(r.hours) },
    ],
  },
  CUSTOMERS_WITHOUT_FINANCIAL_MASTER: {
    list: 'customersWithoutMaster',
    amount: () => null,
    columns: [
      { head: 'Customer', cell: (r) => `${r.name} (${r.customer.id})` },
      { head: 'Explained', cell: (r) => (r.explained ? 'yes' : 'no: act') },
      { head: 'Why', cell: (r) => r.reason },
      { head: 'Projects / invoices / open deals', cell: (r) => `${r.projectCount} / ${r.invoiceCount} / ${r.openOpportunities}` },
    ],
  },
};

/** Sums money per currency; amounts never add across currencies. */
function totals(rows: any[], amount: (r: any) => Money | null): string {
  const by = new Map<string, number>();
  for (const r of rows) {
    const m = amount(r);
    if (m) by.set(m.currency, (by.get(m.currency) ?? 0) + Math.round(Number(m.amount) * 100));
  }
  return [...by.entries()].map(([c, minor]) => fmtMoney({ amount: (minor / 100).toFixed(2), currency: c })).join(', ') || '-';
}

/** Reconciliation as of a day: each discrepancy class with counts and amounts, and its records one click away. */
export function ReconciliationView() {
  const [asOf, setAsOf] = useState('');
  const [open, setOpen] = useState<string | null>(null);
  const [page, setPage] = useState(0);
  const [res] = useQuery({ query: RECONCILIATION, variables: { asOf: asOf || null } });
  const report = res.data?.reconciliation;
  const view = open ? CHECKS[open] : undefined;
  const records: any[] = view && report ? report[view.list] : [];
  const shown = pageOf(records, page, PAGE);
  return (
    <div class="view reconciliation">
      <form class="filters" aria-label="Reconciliation date" onSubmit={(e) => e.preventDefault()}>
        <label>
          As of
          <input type="date" value={asOf} onChange={(e) => setAsOf(e.currentTarget.value)} />
        </label>
        <p class="note">
          {report
            ? `As of ${report.asOf}: ${report.discrepancyCount} unexplained discrepancies (unbilled items stale after ${report.staleAfterDays} days).`
            : ''}
        </p>
      </form>
      <ErrorBox error={res.error} />
      {res.fetching && !report ? <p class="loading">Reconciling the systems...</p> : null}
      {report ? (
        <div class="table-scroll">
          <table class="checks">
            <thead>
              <tr>
                <th>Check</th>
                <th>Status</th>
                <th>Items</th>
                <th>Discrepancies</th>
                <th>Amount</th>
                <th>Records</th>
              </tr>
            </thead>
            <tbody>
              {report.checks.map((c: any) => (
                <tr key={c.name} data-check={c.name} title={c.description}>
                  <td>{c.name}</td>
                  <td>
                    <span class={`badge r-${c.status.toLowerCase()}`}>{c.status}</span>
                  </td>
                  <td>{c.count}</td>
                  <td>{c.discrepancyCount}</td>
                  <td>{CHECKS[c.name] ? totals(report[CHECKS[c.name]!.list], CHECKS[c.name]!.amount) : '-'}</td>
                  <td>
                    <button
                      type="button"
                      disabled={c.count === 0}
                      aria-expanded={open === c.name}
                      onClick={() => {
                        setOpen(open === c.name ? null : c.name);
                        setPage(0);
                      }}
                    >
                      {open === c.name ? 'Hide' : 'Show'} records
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {view && report ? (
        <section class="panel drill" aria-label={`Records of ${open}`} data-testid="drill-down">
          <h3>
            {open}: {records.length} records
          </h3>
          <p class="note">{report.checks.find((c: any) => c.name === open)?.description}</p>
          <div class="table-scroll">
            <table>
              <thead>
                <tr>
                  {view.columns.map((c) => (
                    <th key={c.head}>{c.head}</th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {shown.rows.map((r, i) => (
                  <tr key={i}>
                    {view.columns.map((c) => (
                      <td key={c.head}>{c.cell(r)}</td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Pager
            label={`Page ${Math.min(page, shown.pages - 1) + 1} of ${shown.pages}`}
            hasPrev={page > 0}
            hasNext={page < shown.pages - 1}
            onPrev={() => setPage(page - 1)}
            onNext={() => setPage(page + 1)}
          />
        </section>
      ) : null}
    </div>
  );
}
