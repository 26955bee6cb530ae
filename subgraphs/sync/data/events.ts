import type { Kysely, Transaction } from 'kysely';
import { anyOf } from '../../../lib/db.ts';
import { badInput } from '../../../lib/errors.ts';
import type { JobEvent, SyncDatabase } from './tables.ts';

type Db = Kysely<SyncDatabase> | Transaction<SyncDatabase>;

/**
 * Events after `afterSequence` (exclusive), oldest first, at most `limit`: how a stream consumer
 * resumes from the last sequence it saw. Pass 0 to read from the beginning.
 */
export function findEventsAfter(db: Db, afterSequence: number, limit: number): Promise<JobEvent[]> {
  return db.selectFrom('sync.job_events').selectAll().where('sequence', '>', afterSequence).orderBy('sequence').limit(limit).execute();
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
