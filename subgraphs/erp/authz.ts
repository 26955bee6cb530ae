import { type AuthzPolicy, asIs, NO_DATA, type Owner, pinCustomerArg, pinFilterCustomer } from '../../lib/authz.ts';
import { type ErpContext, load } from './context.ts';
import type { CustomerMaster, JournalEntry, JournalLine, Payment, Receivable } from './data/tables.ts';

/** An entry is a customer's when every one of its lines names that customer; otherwise nobody's (hidden). */
async function entryOwner(e: JournalEntry, ctx: ErpContext): Promise<Owner> {
  const customers = new Set((await load.linesOfEntry(ctx).load(e.id)).map((l) => l.customer_id));
  return customers.size === 1 ? ([...customers][0] ?? null) : null;
}

/**
 * A project is the customer's the erp's project register names. Without a register row the erp has
 * no customer-bearing row about it; if journal lines still name it (lines without a customer) its
 * financials are not empty, so it is nobody's; otherwise there is nothing here.
 */
async function projectOwner(p: { id: string }, ctx: ErpContext): Promise<Owner> {
  const row = await load.projectOwner(ctx).load(p.id);
  if (row?.customer_id) return row.customer_id;
  return row?.has_lines ? null : NO_DATA;
}

/** ERP rules: a portal user sees its receivables, payments and financial master, and the journals of its own invoices. */
export const erpPolicy: AuthzPolicy = {
  portal: {
    queries: { receivables: pinFilterCustomer, customerFinancialMaster: pinCustomerArg, legalEntity: asIs, legalEntities: asIs },
    owners: {
      Customer: (c: { id: string }) => c.id,
      Project: projectOwner,
      Receivable: (r: Receivable) => r.customer_id,
      Payment: (p: Payment) => p.customer_id,
      CustomerFinancialMaster: (m: CustomerMaster) => m.customer_id,
      JournalEntry: entryOwner,
      JournalLine: (l: JournalLine) => l.customer_id,
    },
    parts: ['Money', 'PageInfo', 'SourceRef', 'JournalTotals', 'ProjectFinancials', 'ReceivableConnection', 'ReceivableEdge'],
    // Billing's documents: the erp adds their journals and receivable, each judged by its own rule.
    references: ['Invoice', 'InvoiceLine', 'CreditMemo'],
    // The firm's companies, charts and calendars: shared by every customer, none of them customer data.
    restricted: {
      LegalEntity: ['id', 'name', 'country', 'functionalCurrency', 'accounts', 'periods'],
      Account: ['code', 'name', 'type'],
      Period: ['id', 'code', 'startDate', 'endDate', 'status', 'closedAt', 'legalEntity'],
    },
  },
};
