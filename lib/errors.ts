import { GraphQLError } from 'graphql';

/**
 * The one registry of error codes clients may rely on. A code, once published, keeps its meaning;
 * add new codes rather than reusing old ones. Documented in docs/errors.md.
 */
export const ERROR_CODES = {
  BAD_USER_INPUT: 'An argument is malformed or out of range.',
  NOT_FOUND: 'A referenced object does not exist in the system that owns it.',
  INVALID_CURSOR: 'A pagination cursor is malformed or belongs to another list or sort order.',
  INVALID_MONEY: 'A money amount is malformed, has too many decimals for its currency, or the currency is unknown.',
  INVALID_HOURS: 'Hours must be positive, in quarter-hour steps, and at most 24 in one entry.',
  DAILY_HOURS_EXCEEDED: 'A resource would record more than 24 hours on one day.',
  INVALID_STATE_TRANSITION: 'The object is not in a state that allows this action.',
  TIME_ENTRY_LOCKED: 'The time entry is submitted, approved or billed and cannot be edited; billed time needs a credit memo.',
  DUPLICATE: 'An object with the same unique key already exists.',
  CURRENCY_MISMATCH: 'Amounts in different currencies were combined.',
  UNBALANCED_JOURNAL: 'Journal debits and credits differ, or a line has both or neither.',
  PERIOD_CLOSED: 'The accounting period for that date is closed.',
  PERIOD_NOT_FOUND: 'No accounting period covers that date for the legal entity.',
  UNKNOWN_ACCOUNT: 'The account code is not in the chart of accounts of the legal entity.',
  OVERPAYMENT: 'The payment exceeds the open balance.',
  CREDIT_EXCEEDS_INVOICE: 'The credit exceeds what is left to credit on the invoice line.',
  CUSTOMER_MISMATCH:
    'Two references in one record belong to different customers (a project, invoice or line of another customer than the record names); nothing was written.',
  IDEMPOTENCY_KEY_REUSED:
    'The idempotency key (a bank reference) was sent again with different data: the first request stands and this one wrote nothing.',
  INSUFFICIENT_CUSTOMER_CREDIT: "The refund exceeds the customer's credit (unapplied cash and credits) held in that currency.",
  WRITE_OFF_EXCEEDS_OPEN: 'The write-off exceeds what is still open on the invoice.',
  ISSUE_DATE_OUT_OF_ORDER:
    'The issue date is before the work or milestone the document bills, or before the last issued document of its legal entity (numbers follow dates).',
  PERIODS_OUT_OF_ORDER: 'Periods close in order and reopen from the latest: an earlier period is still open, or a later one is closed.',
  OUTSIDE_PROJECT_DATES: 'Time is dated before the project starts or after it ends.',
  UNAUTHENTICATED: 'No valid credentials were presented.',
  FORBIDDEN: 'The caller may not perform this action or see this data.',
  RATE_LIMITED: 'The caller sent more operations than its budget per minute (HTTP and WebSocket together); retry after the time given.',
  QUERY_COST_EXCEEDED:
    'The operation could return more objects than the gateway allows (page sizes times nesting, variables included): ask for smaller pages.',
  PERSISTED_QUERY_NOT_FOUND:
    'The document is not known: not a trusted document in trusted-documents mode, or an automatic persisted query to send again with its text.',
  INTERNAL_SERVER_ERROR: 'An unexpected error; the request id identifies it in the logs.',
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

/** Builds the GraphQL error for a business-rule violation: message for humans, code for programs. */
export function appError(code: ErrorCode, message: string, details: Record<string, unknown> = {}): GraphQLError {
  // The code goes last: a detail named `code` must never replace it.
  return new GraphQLError(message, { extensions: { ...details, code } });
}

export function notFound(type: string, id: string): GraphQLError {
  return appError('NOT_FOUND', `${type} ${id} does not exist`, { type, id });
}

export function badInput(message: string, field?: string): GraphQLError {
  return appError('BAD_USER_INPUT', message, field ? { field } : {});
}

/**
 * Translates PostgreSQL constraint violations that reach us into stable codes. Constraints and
 * triggers named `*_same_customer` keep the references of a record with one customer (the row rules
 * judge owners by them): whatever their SQLSTATE, they answer CUSTOMER_MISMATCH.
 */
export function fromDatabaseError(err: unknown): GraphQLError | undefined {
  const e = err as { code?: string; constraint?: string; detail?: string };
  if ((e?.code === '23503' || e?.code === '23514') && e.constraint?.endsWith('_same_customer'))
    return appError('CUSTOMER_MISMATCH', `The record names objects of different customers (${e.constraint})`, {
      constraint: e.constraint,
    });
  if (e?.code === '23505')
    return appError('DUPLICATE', `Duplicate value violates ${e.constraint ?? 'a unique key'}`, { constraint: e.constraint });
  if (e?.code === '23503')
    return appError('NOT_FOUND', `A referenced object does not exist (${e.constraint ?? 'foreign key'})`, { constraint: e.constraint });
  if (e?.code === '23514')
    return appError('BAD_USER_INPUT', `A value violates the rule ${e.constraint ?? 'check'}`, { constraint: e.constraint });
  return undefined;
}
