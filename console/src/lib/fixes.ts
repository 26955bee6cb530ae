/** A stopped job as the exceptions view needs it. */
export type StoppedJob = {
  id: string;
  kind: string;
  status: string;
  source: { type: string; id: string };
  customer: { id: string; name: string | null } | null;
  project: { id: string; code: string | null } | null;
  lastError: { code: string; message: string; system: string | null } | null;
};

/** The record at fault, how to fix it, and whether the console has a form for it. */
export type Fix = { record: string; hint: string; form: 'financial-master' | null };

const customerOf = (j: StoppedJob) => (j.customer ? `${j.customer.name ?? j.customer.id} (${j.customer.id})` : 'the customer');
const sourceOf = (j: StoppedJob) => `${j.source.type} ${j.source.id}`;

/**
 * Where the problem of a stopped job lives and what to do, by error code (the flows' codes are listed
 * in docs/sync.md). Business exceptions are fixed in the owning system, then resolved (which runs the
 * job again); transient failures need the cause gone, then a retry.
 */
export function fixFor(j: StoppedJob): Fix {
  const code = j.lastError?.code ?? '';
  switch (code) {
    case 'MISSING_FINANCIAL_MASTER':
      return {
        record: `erp: financial master of ${customerOf(j)}`,
        hint: 'Create the customer financial master in the ERP (legal entity, currency, tax code, payment terms), then resolve.',
        form: 'financial-master',
      };
    case 'MISSING_TAX_PROFILE':
      return {
        record: `erp: tax code of ${customerOf(j)}`,
        hint: 'Set the tax code on the customer financial master in the ERP, then resolve: the job runs again.',
        form: 'financial-master',
      };
    case 'MISSING_PAYMENT_TERMS':
      return {
        record: `erp: payment terms of ${customerOf(j)}`,
        hint: 'Set payment terms (days) on the customer financial master in the ERP, then resolve.',
        form: 'financial-master',
      };
    case 'UNMAPPED_TAX_CODE':
    case 'UNMAPPED_LEGAL_ENTITY':
    case 'UNMAPPED_SERVICE_LINE':
      return {
        record: 'mapping file (config/mapping.yaml)',
        hint: 'Add the missing key to the mapping file, bump its version and restart the workers, then resolve.',
        form: null,
      };
    case 'CURRENCY_MISMATCH':
      return {
        record: `crm: ${sourceOf(j)}`,
        hint: "Align the deal's currency with the customer's invoicing currency (or change the master), then resolve.",
        form: null,
      };
    case 'MISSING_CONTRACT_TERMS':
      return {
        record: `crm: ${sourceOf(j)}`,
        hint: 'Add the missing workstreams, milestones or amount to the deal, then resolve.',
        form: null,
      };
    case 'PERIOD_CLOSED':
    case 'PERIOD_NOT_FOUND':
      return {
        record: 'erp: accounting period of the posting date',
        hint: 'Open the period (or set closedPeriodPolicy to NEXT_OPEN), then resolve.',
        form: null,
      };
    case 'NOT_FOUND':
      return {
        record: `${j.lastError?.system ?? 'source'}: ${sourceOf(j)}`,
        hint: 'Create the missing record, or cancel the job.',
        form: null,
      };
    default:
      if (j.status === 'DEAD_LETTERED' || j.status === 'RETRYING')
        return {
          record: j.lastError?.system ? `${j.lastError.system} (unavailable or failing)` : 'infrastructure',
          hint: 'A transient failure: once the system is back, retry. The job keeps its place; nothing was half-written.',
          form: null,
        };
      return {
        record: `${j.lastError?.system ?? 'sync'}: ${sourceOf(j)}`,
        hint: 'Fix the record named in the message in its own system, then resolve (or cancel the job).',
        form: null,
      };
  }
}

/** The cause jobs are grouped by for bulk actions: the error code and the system that refused. */
export const causeOf = (j: StoppedJob) => `${j.lastError?.code ?? 'UNKNOWN'} @ ${j.lastError?.system ?? 'sync'}`;
