import { type Kysely, sql } from 'kysely';

/**
 * The W3C traceparent of the request that enqueued a job: the job's own trace links back to it, so
 * an operator follows a mutation into the sync work it caused. Null when tracing was off.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table sync.jobs add column trace_parent text`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table sync.jobs drop column trace_parent`.execute(db);
}
