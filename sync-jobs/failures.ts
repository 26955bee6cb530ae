import { GraphQLError } from 'graphql';
import type { JobFailure } from './ledger.ts';

/** A business validation failure raised by a flow itself (not by a system API): never retried blindly. */
export class BusinessRuleFailure extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly system: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

// PostgreSQL errors worth another try: serialization and deadlock, lock timeout, connection and
// resource trouble.
const TRANSIENT_SQLSTATE = /^(40001|40P01|55P03|08...|53...|57P0[1-3])$/;

/**
 * Classifies an error thrown by a flow. A system API that rejects the data (a GraphQL error with a
 * business code) is a business exception an operator must fix: retrying cannot help. Infrastructure
 * trouble is transient and retried with backoff. Unknown errors are retried too, then dead-lettered.
 */
export function classifyFailure(err: unknown, system: string): JobFailure {
  if (err instanceof BusinessRuleFailure) return { kind: 'BUSINESS', code: err.code, message: err.message, system: err.system };
  if (err instanceof GraphQLError) {
    const code = String(err.extensions?.code ?? 'BAD_USER_INPUT');
    return { kind: 'BUSINESS', code, message: err.message, system: String(err.extensions?.system ?? system) };
  }
  const e = err as { code?: string; message?: string };
  if (typeof e?.code === 'string' && TRANSIENT_SQLSTATE.test(e.code))
    return { kind: 'TRANSIENT', code: `SQLSTATE_${e.code}`, message: e.message ?? 'database error', system: 'database' };
  return { kind: 'TRANSIENT', code: 'UNEXPECTED_ERROR', message: e?.message ?? String(err), system };
}

/** Exponential backoff with full jitter (AWS architecture blog): spreads retries of many jobs apart. */
export function backoffSeconds(attempt: number, baseSeconds = 2, capSeconds = 300, random = Math.random): number {
  const ceiling = Math.min(capSeconds, baseSeconds * 2 ** Math.max(0, attempt - 1));
  return Math.max(1, Math.round(random() * ceiling));
}
