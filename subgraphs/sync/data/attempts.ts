import type { Kysely, Transaction } from 'kysely';
import { anyOf } from '../../../lib/db.ts';
import type { JobAttempt, SyncDatabase } from './tables.ts';

type Db = Kysely<SyncDatabase> | Transaction<SyncDatabase>;

/** Every attempt of each job, first attempt first (for `SyncJob.attempts`, batched). */
export function findAttemptsOfJobs(db: Db, jobIds: readonly string[]): Promise<JobAttempt[]> {
  return db
    .selectFrom('sync.job_attempts')
    .selectAll()
    .where('job_id', '=', anyOf(jobIds))
    .orderBy('job_id')
    .orderBy('attempt_no')
    .execute();
}
