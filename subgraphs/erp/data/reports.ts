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
