import { sql } from 'kysely';
import type { Db } from './db.ts';
import type { AccountType } from './tables.ts';

export type TrialBalanceRow = {
  legal_entity_id: string;
  code: string;
  name: string;
  type: AccountType;
  debit_minor: number;
  credit_minor: number;
};

/** Functional-currency debit and credit totals per account for one period, summed in SQL. */
export async function trialBalanceRows(db: Db, periodId: string): Promise<TrialBalanceRow[]> {
  const r = await sql<TrialBalanceRow>`
    select a.legal_entity_id, a.code, a.name, a.type,
           sum(l.functional_debit_minor)::bigint as debit_minor,
           sum(l.functional_credit_minor)::bigint as credit_minor
      from erp.journal_entries e
      join erp.journal_lines l on l.journal_entry_id = e.id
      join erp.accounts a on a.legal_entity_id = l.legal_entity_id and a.code = l.account_code
     where e.period_id = ${periodId}
     group by a.legal_entity_id, a.code, a.name, a.type
     order by a.code`.execute(db);
  return r.rows;
}

export type CumulativeRow = TrialBalanceRow & { opening_minor: number };

/**
 * Per account of one legal entity: the opening balance before `start` and the period's debits and
 * credits, in the functional currency, summed in SQL. Balance-sheet accounts open with everything
 * before the period; income-statement accounts with what their fiscal year posted before it; the
 * income statement of earlier fiscal years opens on retained earnings, so the openings net to zero.
 */
export async function cumulativeTrialBalanceRows(
  db: Db,
  legalEntityId: string,
  start: string,
  end: string,
  fiscalYearStart: string,
  retainedEarnings: string,
): Promise<CumulativeRow[]> {
  const r = await sql<CumulativeRow>`
    with l as (
      select case when a.type in ('REVENUE','EXPENSE') and e.entry_date < ${fiscalYearStart}::date then ${retainedEarnings} else l.account_code end as code,
             e.entry_date, l.functional_debit_minor as d, l.functional_credit_minor as c
        from erp.journal_entries e
        join erp.journal_lines l on l.journal_entry_id = e.id
        join erp.accounts a on a.legal_entity_id = l.legal_entity_id and a.code = l.account_code
       where e.legal_entity_id = ${legalEntityId} and e.entry_date <= ${end}::date
    )
    select a.legal_entity_id, a.code, a.name, a.type,
           coalesce(sum(l.d - l.c) filter (where l.entry_date < ${start}::date), 0)::bigint as opening_minor,
           coalesce(sum(l.d) filter (where l.entry_date >= ${start}::date), 0)::bigint as debit_minor,
           coalesce(sum(l.c) filter (where l.entry_date >= ${start}::date), 0)::bigint as credit_minor
      from l join erp.accounts a on a.legal_entity_id = ${legalEntityId} and a.code = l.code
     group by a.legal_entity_id, a.code, a.name, a.type
    having sum(l.d - l.c) filter (where l.entry_date < ${start}::date) <> 0 or bool_or(l.entry_date >= ${start}::date)
     order by a.code`.execute(db);
  return r.rows;
}

export type ProjectFinancialsRow = {
  project_id: string;
  legal_entity_id: string | null;
  functional_currency: string | null;
  revenue_minor: number;
  cost_minor: number;
};

/**
 * Revenue and cost per project in its legal entity's functional currency. The project's legal entity
 * is the one of its contract reference; before activation reaches the erp, the one its postings use.
 * Revenue = credits - debits on REVENUE accounts; cost = debits - credits on EXPENSE accounts.
 */
export async function projectFinancials(db: Db, projectIds: readonly string[]): Promise<ProjectFinancialsRow[]> {
  const r = await sql<ProjectFinancialsRow>`
    with p as (
      select x.project_id,
             coalesce(cr.legal_entity_id,
                      (select min(l.legal_entity_id) from erp.journal_lines l where l.project_id = x.project_id)) as legal_entity_id
        from unnest(${[...projectIds]}::text[]) as x(project_id)
        left join erp.contract_refs cr on cr.project_id = x.project_id
    )
    select p.project_id, p.legal_entity_id, le.functional_currency,
           coalesce(sum(case when a.type = 'REVENUE' then l.functional_credit_minor - l.functional_debit_minor end), 0)::bigint as revenue_minor,
           coalesce(sum(case when a.type = 'EXPENSE' then l.functional_debit_minor - l.functional_credit_minor end), 0)::bigint as cost_minor
      from p
      left join erp.legal_entities le on le.id = p.legal_entity_id
      left join erp.journal_lines l on l.project_id = p.project_id and l.legal_entity_id = p.legal_entity_id
      left join erp.accounts a on a.legal_entity_id = l.legal_entity_id and a.code = l.account_code
     group by p.project_id, p.legal_entity_id, le.functional_currency`.execute(db);
  return r.rows;
}
