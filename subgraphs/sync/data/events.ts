import type { Kysely, Transaction } from 'kysely';
import { anyOf } from '../../../lib/db.ts';
import { badInput } from '../../../lib/errors.ts';
import type { JobEvent, SyncDatabase } from './tables.ts';

type Db = Kysely<SyncDatabase> | Transaction<SyncDatabase>;

/** Which events of the stream: the filter of `syncJobUpdated`, applied to the ledger. */
export type EventFilter = {
  jobId?: string | null;
  kinds?: readonly string[] | null;
  statuses?: readonly string[] | null;
  customerId?: string | null;
  projectId?: string | null;
  invoiceId?: string | null;
};

/** An event with its job's customer: the row rules judge who may see it by that. */
export type EventWithCustomer = JobEvent & { customer_id: string | null };

/**
 * Events after `afterSequence` (exclusive), oldest first, at most `limit`, that match `filter`: how
 * a stream consumer resumes from the last sequence it saw (either subscription field; the gateway
 * catches up after a lost LISTEN connection the same way). Pass 0 to read from the beginning.
 */
export function findEventsAfter(db: Db, afterSequence: number, limit: number, filter: EventFilter = {}): Promise<EventWithCustomer[]> {
  let q = db
    .selectFrom('sync.job_events as e')
    .innerJoin('sync.jobs as j', 'j.id', 'e.job_id')
    .selectAll('e')
    .select('j.customer_id')
    .where('e.sequence', '>', afterSequence);
  if (filter.jobId) q = q.where('e.job_id', '=', filter.jobId);
  if (filter.kinds?.length) q = q.where('j.kind', '=', anyOf(filter.kinds as never[]));
  if (filter.statuses?.length) q = q.where('e.status', '=', anyOf(filter.statuses as never[]));
  if (filter.customerId) q = q.where('j.customer_id', '=', filter.customerId);
  if (filter.projectId) q = q.where('j.project_id', '=', filter.projectId);
  if (filter.invoiceId) q = q.where('j.invoice_id', '=', filter.invoiceId);
  return q.orderBy('e.sequence').limit(limit).execute();
}

/** The newest sequence of the stream (0 when empty): where a new subscriber starts. */
export async function eventHead(db: Db): Promise<number> {
  const row = await db
    .selectFrom('sync.job_events')
    .select((eb) => eb.fn.max('sequence').as('head'))
    .executeTakeFirst();
  return Number(row?.head ?? 0);
}

/** Every event of each job, oldest first (for `SyncJob.events`, batched). */
export function findEventsOfJobs(db: Db, jobIds: readonly string[]): Promise<JobEvent[]> {
  return db.selectFrom('sync.job_events').selectAll().where('job_id', '=', anyOf(jobIds)).orderBy('job_id').orderBy('sequence').execute();
}

/**
 * Sequences travel as strings (bigint does not fit GraphQL's Int); this turns a client's string back
 * into a number, or refuses it. Null means "from the beginning".
 */
export function parseSequence(value: string | null | undefined, field = 'afterSequence'): number {
  if (value === null || value === undefined) return 0;
  const n = /^\d{1,16}$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(n))
    throw badInput(`${field} must be a sequence number as a string of digits, got ${JSON.stringify(value)}`, field);
  return n;
}
