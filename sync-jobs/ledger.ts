/**
 * Our ledger of sync jobs (schema `sync`): the source of truth for status, attempts, audit and replay,
 * whatever engine executes the work. Every status change appends a job_events row; a trigger turns it
 * into a NOTIFY that is delivered at commit, so listeners never see work that rolled back.
 */
import { type Kysely, sql, type Transaction } from 'kysely';
import { anyOf } from '../lib/db.ts';
import { newId } from '../lib/ids.ts';
import { currentTraceParent } from '../lib/telemetry.ts';
import type { Job, SyncDatabase, SyncJobKind, SyncJobStatus, SyncSourceType } from '../subgraphs/sync/data/tables.ts';

/**
 * The job ledger's timestamps all come from the database's clock, as its defaults (created_at) do:
 * latencies and durations are differences of two readings of one clock, whatever the skew between
 * the workers' hosts and the database (a worker's clock ahead by a day made every latency a day long).
 * statement_timestamp() is one instant per statement, so finished_at equals updated_at.
 */
const dbNow = () => sql<Date>`statement_timestamp()`;

/** Arbitrary constant naming the advisory lock that orders status events. */
const EVENT_ORDER_LOCK = 7_362_211_001;

export type LedgerDb = Kysely<SyncDatabase> | Transaction<SyncDatabase>;

export type JobSpec = {
  kind: SyncJobKind;
  sourceType: SyncSourceType;
  sourceId: string;
  /** Idempotency key within the kind; defaults to the source id. */
  sourceKey?: string;
  trigger?: 'AUTOMATIC' | 'MANUAL';
  triggeredBy?: string | null;
  customerId?: string | null;
  projectId?: string | null;
  invoiceId?: string | null;
  payload?: Record<string, unknown>;
  maxAttempts?: number;
  mappingVersion?: string | null;
};

/**
 * Appends a status event. The transaction-scoped lock makes sequence order equal commit order: a
 * sequence is taken only after every earlier event's transaction has committed, so a client that
 * resumes "after N" can never miss an event numbered below N that committed later. The lock is held
 * from the append to the commit, which in every caller is the tail of its transaction.
 */
export async function appendEvent(
  db: LedgerDb,
  jobId: string,
  status: SyncJobStatus,
  event: string,
  detail: Record<string, unknown> = {},
): Promise<void> {
  await appendEvents(db, [{ jobId, status, event, detail }]);
}

export type EventRow = { jobId: string; status: SyncJobStatus; event: string; detail?: Record<string, unknown> };

/** `appendEvent` for many events at once: one lock, one insert, sequences in the order given. */
export async function appendEvents(db: LedgerDb, events: readonly EventRow[]): Promise<void> {
  if (events.length === 0) return;
  await sql`select pg_advisory_xact_lock(${EVENT_ORDER_LOCK})`.execute(db);
  await db
    .insertInto('sync.job_events')
    .values(events.map((e) => ({ job_id: e.jobId, status: e.status, event: e.event, detail: JSON.stringify(e.detail ?? {}) })))
    .execute();
}

const keyOf = (kind: string, sourceKey: string) => `${kind}\u0000${sourceKey}`;

/**
 * Records a job unless one exists for (kind, source key): concurrent identical triggers create one job.
 * Returns the job and whether this call created it (only then must the caller hand it to the engine).
 */
export async function createJob(db: LedgerDb, spec: JobSpec): Promise<{ job: Job; created: boolean }> {
  return (await createJobs(db, [spec]))[0]!;
}

/**
 * `createJob` for many specs in three statements (a bulk approval enqueues hundreds). Specs with the
 * same (kind, source key) get the same job; results are in the order of `specs`.
 */
export async function createJobs(db: LedgerDb, specs: readonly JobSpec[]): Promise<{ job: Job; created: boolean }[]> {
  const { results, events } = await insertJobs(db, specs);
  await appendEvents(db, events);
  return results;
}

/**
 * `createJobs` without appending the QUEUED events: they come back for the caller to append at the
 * tail of its transaction (with `appendEvents` or `completeJobs`), so the global event-order lock is
 * not held while the rest of the transaction runs.
 */
export async function insertJobs(
  db: LedgerDb,
  specs: readonly JobSpec[],
): Promise<{ results: { job: Job; created: boolean }[]; events: EventRow[] }> {
  if (specs.length === 0) return { results: [], events: [] };
  const unique = new Map<string, JobSpec>();
  for (const s of specs) {
    const k = keyOf(s.kind, s.sourceKey ?? s.sourceId);
    if (!unique.has(k)) unique.set(k, s);
  }
  const inserted = await db
    .insertInto('sync.jobs')
    .values(
      [...unique.values()].map((spec) => ({
        id: newId('job'),
        kind: spec.kind,
        source_type: spec.sourceType,
        source_id: spec.sourceId,
        source_key: spec.sourceKey ?? spec.sourceId,
        status: 'QUEUED' as const,
        trigger: spec.trigger ?? 'AUTOMATIC',
        triggered_by: spec.triggeredBy ?? null,
        customer_id: spec.customerId ?? null,
        project_id: spec.projectId ?? null,
        invoice_id: spec.invoiceId ?? null,
        journal_entry_id: null,
        payload: JSON.stringify(spec.payload ?? {}),
        trace_parent: currentTraceParent(),
        mapping_version: spec.mappingVersion ?? null,
        max_attempts: spec.maxAttempts ?? 5,
        last_error_code: null,
        last_error_message: null,
        last_error_system: null,
        started_at: null,
        finished_at: null,
      })),
    )
    .onConflict((oc) => oc.columns(['kind', 'source_key']).doNothing())
    .returningAll()
    .execute();
  const events = inserted.map((j): EventRow => ({ jobId: j.id, status: 'QUEUED', event: 'QUEUED', detail: { trigger: j.trigger } }));
  const found = new Map<string, { job: Job; created: boolean }>(
    inserted.map((j) => [keyOf(j.kind, j.source_key), { job: j, created: true }]),
  );
  const missing = [...unique.values()].filter((s) => !found.has(keyOf(s.kind, s.sourceKey ?? s.sourceId)));
  if (missing.length) {
    const existing = await db
      .selectFrom('sync.jobs')
      .selectAll()
      .where((eb) => eb.or(missing.map((s) => eb.and([eb('kind', '=', s.kind), eb('source_key', '=', s.sourceKey ?? s.sourceId)]))))
      .execute();
    for (const j of existing) found.set(keyOf(j.kind, j.source_key), { job: j, created: false });
  }
  // A spec repeated within the call was created once: only its first occurrence reports `created`.
  const reported = new Set<string>();
  const results = specs.map((s) => {
    const k = keyOf(s.kind, s.sourceKey ?? s.sourceId);
    const hit = found.get(k)!;
    const first = !reported.has(k);
    reported.add(k);
    return { job: hit.job, created: hit.created && first };
  });
  return { results, events };
}

export type StartedAttempt = { job: Job; attemptNo: number };

const RUNNABLE: SyncJobStatus[] = ['QUEUED', 'RETRYING', 'RUNNING'];

/**
 * Opens an attempt. A job found RUNNING means the previous worker died mid-attempt (its transaction
 * rolled back, so nothing of it persisted): that attempt is closed as lost and the job runs again.
 * Returns null when the job is no longer runnable (cancelled, succeeded, or waiting for an operator).
 */
export async function startAttempt(db: Kysely<SyncDatabase>, jobId: string, workerId: string): Promise<StartedAttempt | null> {
  return db.transaction().execute(async (trx) => {
    const job = await trx.selectFrom('sync.jobs').selectAll().where('id', '=', jobId).forUpdate().executeTakeFirst();
    if (!job || !RUNNABLE.includes(job.status)) return null;
    const now = dbNow();
    if (job.status === 'RUNNING') {
      if (job.attempts >= job.max_attempts) {
        await trx
          .updateTable('sync.jobs')
          .set({
            status: 'DEAD_LETTERED',
            updated_at: now,
            finished_at: now,
            last_error_code: 'WORKER_LOST',
            last_error_message: 'Workers kept stopping mid-attempt',
            last_error_system: 'sync',
          })
          .where('id', '=', jobId)
          .execute();
        await appendEvent(trx, jobId, 'DEAD_LETTERED', 'DEAD_LETTERED', { code: 'WORKER_LOST' });
        return null;
      }
      await trx
        .updateTable('sync.job_attempts')
        .set({
          finished_at: now,
          outcome: 'FAILED',
          error_code: 'WORKER_LOST',
          error_message: 'The worker stopped before finishing; its work was rolled back',
          error_system: 'sync',
        })
        .where('job_id', '=', jobId)
        .where('finished_at', 'is', null)
        .execute();
    }
    const attemptNo = job.attempts + 1;
    await trx
      .insertInto('sync.job_attempts')
      .values({
        job_id: jobId,
        attempt_no: attemptNo,
        worker_id: workerId,
        finished_at: null,
        outcome: null,
        error_code: null,
        error_message: null,
        error_system: null,
      })
      .execute();
    const updated = await trx
      .updateTable('sync.jobs')
      .set({ status: 'RUNNING', attempts: attemptNo, started_at: job.started_at ?? now, updated_at: now })
      .where('id', '=', jobId)
      .returningAll()
      .executeTakeFirstOrThrow();
    await appendEvent(trx, jobId, 'RUNNING', 'STARTED', { attempt: attemptNo, worker: workerId });
    return { job: updated, attemptNo };
  });
}

export type JobResult = {
  targets?: { [system: string]: { [type: string]: string | string[] } | undefined };
  journalEntryId?: string | null;
  invoiceId?: string | null;
  projectId?: string | null;
  customerId?: string | null;
  detail?: Record<string, unknown>;
};

export type Completion = { jobId: string; attemptNo: number; result: JobResult };

/** Marks success in the flow's own transaction, so the effects and the SUCCEEDED status commit together. */
export async function completeJob(
  trx: Transaction<SyncDatabase>,
  jobId: string,
  attemptNo: number,
  result: JobResult,
  mappingVersion: string,
  eventsBefore: readonly EventRow[] = [],
): Promise<void> {
  await completeJobs(trx, [{ jobId, attemptNo, result }], mappingVersion, eventsBefore);
}

/**
 * `completeJob` for a batch, in three statements. `eventsBefore` are appended ahead of the SUCCEEDED
 * events under the same lock (a batch appends its STARTED events here, at the tail of its transaction).
 */
export async function completeJobs(
  trx: Transaction<SyncDatabase>,
  done: readonly Completion[],
  mappingVersion: string,
  eventsBefore: readonly EventRow[] = [],
): Promise<void> {
  if (done.length === 0) return;
  const now = dbNow();
  const ids = done.map((d) => d.jobId);
  await trx
    .updateTable('sync.job_attempts')
    .set({ finished_at: now, outcome: 'SUCCEEDED' })
    .where((eb) => eb.or(done.map((d) => eb.and([eb('job_id', '=', d.jobId), eb('attempt_no', '=', d.attemptNo)]))))
    .execute();
  const rows = done.map((d) => ({
    id: d.jobId,
    targets: d.result.targets ?? {},
    journal_entry_id: d.result.journalEntryId || null,
    invoice_id: d.result.invoiceId || null,
    project_id: d.result.projectId || null,
    customer_id: d.result.customerId || null,
  }));
  // A result's ids fill the job's columns; a result without one leaves the job's value alone.
  await sql`
    update sync.jobs j set
      status = 'SUCCEEDED', finished_at = ${now}, updated_at = ${now}, mapping_version = ${mappingVersion},
      last_error_code = null, last_error_message = null, last_error_system = null,
      target_refs = j.target_refs || r.targets,
      journal_entry_id = coalesce(r.journal_entry_id, j.journal_entry_id),
      invoice_id = coalesce(r.invoice_id, j.invoice_id),
      project_id = coalesce(r.project_id, j.project_id),
      customer_id = coalesce(r.customer_id, j.customer_id)
    from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as r(id text, targets jsonb, journal_entry_id text, invoice_id text, project_id text, customer_id text)
    where j.id = r.id and j.id = any(${ids})`.execute(trx);
  await appendEvents(trx, [
    ...eventsBefore,
    ...done.map((d) => ({
      jobId: d.jobId,
      status: 'SUCCEEDED' as const,
      event: 'SUCCEEDED',
      detail: { attempt: d.attemptNo, ...(d.result.detail ?? {}) },
    })),
  ]);
}

/**
 * Opens an attempt on each job of a batch that waits for its first run or a retry, inside the batch's
 * own transaction: if the batch rolls back, so do its attempts, and the jobs simply run again. The
 * STARTED events are returned for `completeJobs` to append at the tail, so the global event lock is
 * not held while the flow runs. Jobs in any other state (RUNNING after a lost worker, already done)
 * come back in `others`, for the one-job path that knows how to treat them.
 */
export async function startBatchAttempts(
  trx: Transaction<SyncDatabase>,
  jobIds: readonly string[],
  workerId: string,
): Promise<{ started: StartedAttempt[]; startedEvents: EventRow[]; others: string[] }> {
  // Locked in id order, so two workers holding overlapping deliveries cannot deadlock.
  const locked = await trx.selectFrom('sync.jobs').selectAll().where('id', '=', anyOf(jobIds)).orderBy('id').forUpdate().execute();
  const fresh = locked.filter((j) => j.status === 'QUEUED' || j.status === 'RETRYING');
  const freshIds = new Set(fresh.map((j) => j.id));
  const others = jobIds.filter((id) => !freshIds.has(id));
  if (fresh.length === 0) return { started: [], startedEvents: [], others };
  const now = dbNow();
  await trx
    .insertInto('sync.job_attempts')
    .values(
      fresh.map((j) => ({
        job_id: j.id,
        attempt_no: j.attempts + 1,
        worker_id: workerId,
        finished_at: null,
        outcome: null,
        error_code: null,
        error_message: null,
        error_system: null,
      })),
    )
    .execute();
  const updated = await trx
    .updateTable('sync.jobs')
    .set({ status: 'RUNNING', attempts: sql`attempts + 1`, started_at: sql`coalesce(started_at, ${now})`, updated_at: now })
    .where('id', '=', anyOf(freshIds))
    .returningAll()
    .execute();
  const started = updated.map((job) => ({ job, attemptNo: job.attempts }));
  return {
    started,
    startedEvents: started.map((s) => ({
      jobId: s.job.id,
      status: 'RUNNING' as const,
      event: 'STARTED',
      detail: { attempt: s.attemptNo, worker: workerId, batch: started.length },
    })),
    others,
  };
}

export type FailureKind = 'TRANSIENT' | 'BUSINESS';
export type JobFailure = { kind: FailureKind; code: string; message: string; system: string };

/**
 * Records a failed attempt. Business failures wait for an operator (EXCEPTION); transient ones retry
 * until the attempt limit, then the job is dead-lettered. Returns the new status.
 */
export async function failJob(
  db: Kysely<SyncDatabase>,
  jobId: string,
  attemptNo: number,
  failure: JobFailure,
  retryAt?: Date,
  /** Schedules the retry in the same transaction, so a RETRYING job always has a delivery pending. */
  onRetrying?: (trx: Transaction<SyncDatabase>) => Promise<void>,
): Promise<SyncJobStatus> {
  return db.transaction().execute(async (trx) => {
    const job = await trx.selectFrom('sync.jobs').selectAll().where('id', '=', jobId).forUpdate().executeTakeFirstOrThrow();
    const now = dbNow();
    const status: SyncJobStatus = failure.kind === 'BUSINESS' ? 'EXCEPTION' : attemptNo >= job.max_attempts ? 'DEAD_LETTERED' : 'RETRYING';
    await trx
      .updateTable('sync.job_attempts')
      .set({
        finished_at: now,
        outcome: failure.kind === 'BUSINESS' ? 'EXCEPTION' : 'FAILED',
        error_code: failure.code,
        error_message: failure.message,
        error_system: failure.system,
      })
      .where('job_id', '=', jobId)
      .where('attempt_no', '=', attemptNo)
      .execute();
    await trx
      .updateTable('sync.jobs')
      .set({
        status,
        updated_at: now,
        finished_at: status === 'RETRYING' ? null : now,
        last_error_code: failure.code,
        last_error_message: failure.message,
        last_error_system: failure.system,
      })
      .where('id', '=', jobId)
      .execute();
    await appendEvent(trx, jobId, status, status === 'RETRYING' ? 'FAILED_WILL_RETRY' : status, {
      attempt: attemptNo,
      code: failure.code,
      system: failure.system,
      ...(retryAt ? { retryAt: retryAt.toISOString() } : {}),
    });
    if (status === 'RETRYING' && onRetrying) await onRetrying(trx);
    return status;
  });
}

/** Puts a finished or stuck job back in the queue (operator replay or retry). */
export async function requeueJob(
  trx: Transaction<SyncDatabase>,
  jobId: string,
  event: 'REPLAYED' | 'RETRIED' | 'EXCEPTION_RESOLVED',
  detail: Record<string, unknown>,
): Promise<Job> {
  const job = await trx
    .updateTable('sync.jobs')
    .set({ status: 'QUEUED', updated_at: new Date(), finished_at: null, max_attempts: sql`greatest(max_attempts, attempts + 3)` })
    .where('id', '=', jobId)
    .returningAll()
    .executeTakeFirstOrThrow();
  await appendEvent(trx, jobId, 'QUEUED', event, detail);
  return job;
}

export async function cancelJobRow(trx: Transaction<SyncDatabase>, jobId: string, by: string | null): Promise<Job> {
  const now = dbNow();
  const job = await trx
    .updateTable('sync.jobs')
    .set({ status: 'CANCELLED', updated_at: now, finished_at: now })
    .where('id', '=', jobId)
    .returningAll()
    .executeTakeFirstOrThrow();
  await appendEvent(trx, jobId, 'CANCELLED', 'CANCELLED', { by });
  return job;
}

export function lockJob(trx: Transaction<SyncDatabase>, jobId: string): Promise<Job | undefined> {
  return trx.selectFrom('sync.jobs').selectAll().where('id', '=', jobId).forUpdate().executeTakeFirst();
}
