import type pg from 'pg';
import type {
  LineageQueryVariables,
  PortfolioQueryVariables,
  ProjectDrillDownQueryVariables,
  UtilizationQueryVariables,
} from './operations.generated.ts';

// The operations are checked against supergraph.graphql by `npm run codegen` (codegen.ts): each
// query string is marked as GraphQL, and operations.generated.ts holds its TypedDocumentNode, result
// and variables types, so a schema change that breaks a bench query fails `npm test`.

/**
 * The four BI reads of the benchmark, each as a GraphQL operation (what a client sends to a gateway)
 * and as hand-written SQL that returns the very same JSON (the floor: what the answer costs without
 * GraphQL, federation or HTTP hops between systems). Both shapes are compared before any measurement.
 */
export type OperationName = 'portfolio' | 'projectDrillDown' | 'utilization' | 'lineage';

export type Operation = {
  name: OperationName;
  title: string;
  query: string;
  /** Variables for a page size; `first` is the page size that the SQL-count part varies. */
  variables: (ctx: OperationContext, first: number) => Record<string, unknown>;
  /** Page size used by the read benchmark, and the two sizes of the SQL-count part. */
  benchFirst: number;
  countFirsts: [number, number];
  /** One SQL statement producing `{ data: ... }` exactly as the graph answers. */
  floorSql: string;
  floorParams: (vars: Record<string, unknown>) => unknown[];
};

/** Facts of the data set the operations need (a project to drill into, a date window). */
export type OperationContext = { projectId: string; from: string; to: string };

// Money as the graph prints it (lib/money.ts formatMoney): minor units over the currency's exponent.
const amount = (minor: string, currency: string) =>
  `(case when ${currency} = 'JPY' then (${minor})::bigint::text else ((${minor})::numeric / 100)::numeric(30,2)::text end)`;
const moneyJson = (minor: string, currency: string) => `json_build_object('amount', ${amount(minor, currency)}, 'currency', ${currency})`;
const hours = (minutes: string) => `((${minutes})::float8 / 60)`;

const PORTFOLIO = /* GraphQL */ `query Portfolio($first: Int!) {
  customers(first: $first) {
    totalCount
    nodes {
      id
      name
      region
      arBalance { amount currency }
      projects {
        id
        code
        status
        hours { total approved unbilled billed }
        unbilledAmount { amount currency }
      }
      invoices { number status issueDate total { amount currency } }
    }
  }
}`;

// unbilledAmount (billing/data/summaries.ts): UNBILLED items per currency, else zero in the rule's
// currency, else null; the rule's currency wins when items exist in several.
const UNBILLED_AMOUNT = `(
  select case when u.currency is null and r.currency is null then null
              else ${moneyJson('coalesce(u.m, 0)', 'coalesce(u.currency, r.currency)')} end
  from (select 1) one
  left join billing.rules r on r.project_id = p.id
  left join lateral (
    select currency, sum(amount_minor) m from billing.billable_items b
    where b.project_id = p.id and b.status = 'UNBILLED' group by currency
    order by (currency = r.currency) desc nulls last limit 1
  ) u on true)`;

const HOURS_OF_PROJECT = `(
  select json_build_object(
    'total', ${hours('coalesce(sum(e.minutes), 0)')},
    'approved', ${hours(`coalesce(sum(e.minutes) filter (where e.status = 'APPROVED'), 0)`)},
    'unbilled', ${hours(`coalesce(sum(e.minutes) filter (where e.status = 'APPROVED' and e.billable and e.billing_status = 'UNBILLED'), 0)`)},
    'billed', ${hours(`coalesce(sum(e.minutes) filter (where e.billing_status = 'BILLED'), 0)`)})
  from time.time_entries e where e.project_id = p.id)`;

const PORTFOLIO_SQL = `
with c as (select id, name, region from crm.customers order by name, id limit $1),
-- psa.projects has no index on customer_id: look the page's projects up once, not once per customer.
proj as materialized (select id, code, status, name, customer_id from psa.projects where customer_id in (select id from c))
select json_build_object('data', json_build_object('customers', json_build_object(
  'totalCount', (select count(*)::int from crm.customers),
  'nodes', coalesce((select json_agg(json_build_object(
    'id', c.id, 'name', c.name, 'region', c.region,
    'arBalance', coalesce((
      select json_agg(${moneyJson('r.m', 'r.currency')} order by r.currency)
      from (select currency, sum(open_minor) m from erp.receivables where customer_id = c.id and open_minor > 0 group by currency) r), '[]'::json),
    'projects', coalesce((
      select json_agg(json_build_object('id', p.id, 'code', p.code, 'status', p.status, 'hours', ${HOURS_OF_PROJECT}, 'unbilledAmount', ${UNBILLED_AMOUNT}) order by p.name, p.id)
      from proj p where p.customer_id = c.id), '[]'::json),
    'invoices', coalesce((
      select json_agg(json_build_object('number', i.number, 'status', i.status, 'issueDate', i.issue_date, 'total', ${moneyJson('i.total_minor', 'i.currency')})
                      order by i.issue_date desc nulls first, i.id desc)
      from billing.invoices i where i.customer_id = c.id), '[]'::json)
  ) order by c.name, c.id) from c), '[]'::json)))) as body`;

const DRILL_DOWN = /* GraphQL */ `query ProjectDrillDown($id: ID!, $first: Int!) {
  project(id: $id) {
    id
    code
    name
    status
    currency
    customer { id name }
    opportunity { id name stage }
    hours { total approved unbilled billed }
    unbilledAmount { amount currency }
    invoicedAmount { amount currency }
    timeEntries(first: $first) {
      totalCount
      nodes { id date hours status billingStatus resource { id name role } }
    }
    invoices { number status total { amount currency } }
  }
}`;

// invoicedAmount: issued invoice subtotals minus their credit memos, zero in the rule's currency.
const INVOICED_AMOUNT = `(
  select case when v.currency is null and r.currency is null then null
              else ${moneyJson('coalesce(v.m, 0)', 'coalesce(v.currency, r.currency)')} end
  from (select 1) one
  left join billing.rules r on r.project_id = p.id
  left join lateral (
    select i.currency, sum(i.subtotal_minor - coalesce((select sum(m.subtotal_minor) from billing.credit_memos m where m.invoice_id = i.id), 0)) m
    from billing.invoices i where i.project_id = p.id and i.status not in ('DRAFT', 'VOID') group by i.currency
    order by (i.currency = r.currency) desc nulls last limit 1
  ) v on true)`;

const DRILL_DOWN_SQL = `
select json_build_object('data', json_build_object('project', (
  select json_build_object(
    'id', p.id, 'code', p.code, 'name', p.name, 'status', p.status, 'currency', p.currency,
    'customer', (select json_build_object('id', c.id, 'name', c.name) from crm.customers c where c.id = p.customer_id),
    'opportunity', (select json_build_object('id', o.id, 'name', o.name, 'stage', o.stage) from crm.opportunities o where o.id = p.opportunity_id),
    'hours', ${HOURS_OF_PROJECT},
    'unbilledAmount', ${UNBILLED_AMOUNT},
    'invoicedAmount', ${INVOICED_AMOUNT},
    'timeEntries', json_build_object(
      'totalCount', (select count(*)::int from time.time_entries e where e.project_id = p.id),
      'nodes', coalesce((select json_agg(json_build_object('id', e.id, 'date', e.work_date, 'hours', ${hours('e.minutes')}, 'status', e.status, 'billingStatus', e.billing_status,
                  'resource', json_build_object('id', r.id, 'name', r.name, 'role', r.role)) order by e.work_date, e.id)
                from (select * from time.time_entries e where e.project_id = p.id order by e.work_date, e.id limit $2) e
                join psa.resources r on r.id = e.resource_id), '[]'::json)),
    'invoices', coalesce((
      select json_agg(json_build_object('number', i.number, 'status', i.status, 'total', ${moneyJson('i.total_minor', 'i.currency')}) order by i.issue_date desc nulls first, i.id desc)
      from billing.invoices i where i.project_id = p.id), '[]'::json))
  from psa.projects p where p.id = $1))) as body`;

const UTILIZATION = /* GraphQL */ `query Utilization($first: Int!, $from: Date!, $to: Date!) {
  resources(first: $first, filter: { active: true }) {
    totalCount
    nodes {
      id
      name
      role
      capacityHoursPerWeek
      hours(from: $from, to: $to) { total billable approved }
    }
  }
}`;

const UTILIZATION_SQL = `
with r as (select * from psa.resources where active order by name, id limit $1)
select json_build_object('data', json_build_object('resources', json_build_object(
  'totalCount', (select count(*)::int from psa.resources where active),
  'nodes', coalesce((select json_agg(json_build_object('id', r.id, 'name', r.name, 'role', r.role, 'capacityHoursPerWeek', ${hours('r.capacity_minutes_per_week')},
    'hours', (select json_build_object(
        'total', ${hours('coalesce(sum(e.minutes), 0)')},
        'billable', ${hours('coalesce(sum(e.minutes) filter (where e.billable), 0)')},
        'approved', ${hours(`coalesce(sum(e.minutes) filter (where e.status = 'APPROVED'), 0)`)})
      from time.time_entries e where e.resource_id = r.id and e.work_date between $2::date and $3::date)
  ) order by r.name, r.id) from r), '[]'::json)))) as body`;

const LINEAGE = /* GraphQL */ `query Lineage($first: Int!, $projectId: ID!) {
  journalEntries(first: $first, filter: { sourceType: "INVOICE", projectId: $projectId }) {
    nodes {
      id
      date
      lines {
        lineNumber
        account { code name }
        debit { amount }
        credit { amount }
        invoiceLine {
          id
          description
          billableItems {
            id
            hours
            amount { amount }
            timeEntry {
              id
              date
              hours
              project { code opportunity { name stage } }
            }
          }
        }
      }
    }
  }
}`;

const LINEAGE_SQL = `
with je as (
  select * from erp.journal_entries x where source_type = 'INVOICE'
    and exists (select 1 from erp.journal_lines jl where jl.journal_entry_id = x.id and jl.project_id = $2)
  order by entry_date desc, id desc limit $1)
select json_build_object('data', json_build_object('journalEntries', json_build_object(
  'nodes', coalesce((select json_agg(json_build_object('id', je.id, 'date', je.entry_date,
    'lines', (select json_agg(json_build_object(
        'lineNumber', l.line_no,
        'account', (select json_build_object('code', a.code, 'name', a.name) from erp.accounts a where a.legal_entity_id = l.legal_entity_id and a.code = l.account_code),
        'debit', json_build_object('amount', ${amount('l.debit_minor', 'je.currency')}),
        'credit', json_build_object('amount', ${amount('l.credit_minor', 'je.currency')}),
        'invoiceLine', (select json_build_object('id', il.id, 'description', il.description,
            'billableItems', coalesce((select json_agg(json_build_object('id', b.id, 'hours', ${hours('b.minutes')}, 'amount', json_build_object('amount', ${amount('b.amount_minor', 'b.currency')}),
                'timeEntry', (select json_build_object('id', e.id, 'date', e.work_date, 'hours', ${hours('e.minutes')},
                    'project', (select json_build_object('code', p.code, 'opportunity', (select json_build_object('name', o.name, 'stage', o.stage) from crm.opportunities o where o.id = p.opportunity_id))
                                from psa.projects p where p.id = e.project_id))
                  from time.time_entries e where b.source_type = 'TIME_ENTRY' and e.id = b.source_id)) order by b.work_date, b.id)
              from billing.billable_items b where b.invoice_line_id = il.id), '[]'::json))
          from billing.invoice_lines il where l.source_line_type = 'INVOICE_LINE' and il.id = l.source_line_id)
      ) order by l.line_no) from erp.journal_lines l where l.journal_entry_id = je.id)
  ) order by je.entry_date desc, je.id desc) from je), '[]'::json)))) as body`;

export const OPERATIONS: Operation[] = [
  {
    name: 'portfolio',
    title: 'portfolio overview (customers -> projects -> hours, unbilled, invoices, AR)',
    query: PORTFOLIO,
    variables: (_ctx, first): PortfolioQueryVariables => ({ first }),
    benchFirst: 10,
    countFirsts: [5, 50],
    floorSql: PORTFOLIO_SQL,
    floorParams: (v) => [v.first],
  },
  {
    name: 'projectDrillDown',
    title: 'project drill-down (project, customer, deal, hours, amounts, time entries, invoices)',
    query: DRILL_DOWN,
    variables: (ctx, first): ProjectDrillDownQueryVariables => ({ id: ctx.projectId, first }),
    benchFirst: 50,
    countFirsts: [10, 200],
    floorSql: DRILL_DOWN_SQL,
    floorParams: (v) => [v.id, v.first],
  },
  {
    name: 'utilization',
    title: 'resource utilization (resources -> hours in a 4-week window)',
    query: UTILIZATION,
    variables: (ctx, first): UtilizationQueryVariables => ({ first, from: ctx.from, to: ctx.to }),
    benchFirst: 50,
    countFirsts: [10, 200],
    floorSql: UTILIZATION_SQL,
    floorParams: (v) => [v.first, v.from, v.to],
  },
  {
    name: 'lineage',
    title: 'ledger lineage (journal lines -> invoice line -> billable items -> time entry -> project -> deal)',
    query: LINEAGE,
    // The T&M project of the drill-down: its invoices are made of billable items from time entries.
    variables: (ctx, first): LineageQueryVariables => ({ first, projectId: ctx.projectId }),
    benchFirst: 3,
    countFirsts: [1, 6],
    floorSql: LINEAGE_SQL,
    floorParams: (v) => [v.first, v.projectId],
  },
];

/**
 * The project to drill into: the active T&M project with the most time (deterministic for a data
 * set), and the four full weeks before the data set's as-of date.
 */
export async function operationContext(pool: pg.Pool, asOf: string): Promise<OperationContext> {
  const r = await pool.query(`
    select p.id from psa.projects p join billing.rules r on r.project_id = p.id
    where p.status = 'ACTIVE' and r.billing_model = 'TIME_AND_MATERIALS' and p.opportunity_id is not null
    order by (select count(*) from time.time_entries e where e.project_id = p.id) desc, p.id limit 1`);
  const to = new Date(`${asOf}T00:00:00Z`);
  to.setUTCDate(to.getUTCDate() - 1);
  const from = new Date(to);
  from.setUTCDate(from.getUTCDate() - 27);
  return { projectId: r.rows[0].id, from: from.toISOString().slice(0, 10), to: to.toISOString().slice(0, 10) };
}

/** JSON with object keys sorted, so two answers compare equal whatever order their fields came in. */
export function canonical(value: unknown): string {
  return JSON.stringify(value, (_k, v) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

/** Where two answers first differ, for an error message a human can act on. */
export function firstDifference(a: unknown, b: unknown, path = '$'): string | undefined {
  if (canonical(a) === canonical(b)) return undefined;
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    if (Array.isArray(a) !== Array.isArray(b)) return `${path}: array vs object`;
    if (Array.isArray(a) && Array.isArray(b) && a.length !== b.length) return `${path}: ${a.length} vs ${b.length} items`;
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const k of keys) {
      const d = firstDifference((a as any)[k], (b as any)[k], `${path}.${k}`);
      if (d) return d;
    }
  }
  return `${path}: ${JSON.stringify(a)?.slice(0, 200)} vs ${JSON.stringify(b)?.slice(0, 200)}`;
}
