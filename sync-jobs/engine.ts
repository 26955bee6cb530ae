import { hostname } from 'node:os';
import type { Span } from '@opentelemetry/api';
import { CompiledQuery, type Kysely, sql } from 'kysely';
import PgBoss from 'pg-boss';
import './pg-boss-guard.ts';
import { type Clock, systemClock } from '../lib/clock.ts';
import type { Logger } from '../lib/logger.ts';
import type { Mapping } from '../lib/mapping.ts';
import { syncAttempts, syncLatency } from '../lib/metrics.ts';
import { inSpan, linkTo } from '../lib/telemetry.ts';
import type { SyncDatabase, SyncJobKind } from '../subgraphs/sync/data/tables.ts';
import { backoffSeconds, classifyFailure } from './failures.ts';
import { type Flow, type HubDatabase, narrow, systemsOf } from './flow.ts';
import {
  appendEvents,
  completeJob,
  completeJobs,
  type EventRow,
  failJob,
  insertJobs,
  type JobResult,
  type JobSpec,
  startAttempt,
  startBatchAttempts,
} from './ledger.ts';
import { JobWakeups } from './wakeups.ts';

export const PGBOSS_SCHEMA = 'pgboss';

/**
 * pg-boss tuning. A job whose worker dies stays "active" until it expires; maintenance then hands it
 * to another worker. 30 s expiry + 5 s maintenance keeps recovery of a killed worker under a minute.
 * Flows are short (one project, one invoice), so 30 s is ample for a live attempt.
 */
/** Connections pg-boss may open per engine: part of each process's share of max_connections (docs/operations.md). */
export const PGBOSS_POOL_MAX = 4;

const QUEUE_OPTIONS = { expireInSeconds: 30, retryLimit: 20, retryDelay: 1, retryBackoff: false, retentionDays: 7 };

export type EngineOptions = {
  connectionString: string;
  db: Kysely<any>;
  flows: Flow[];
  mapping: Mapping;
  logger: Logger;
  /** Business time for the flows (lib/clock.ts); the host's clock by default. */
  clock?: Clock;
  workerId?: string;
  /** Jobs fetched per poll and processed one after another by each worker loop. */
  batchSize?: number;
  /** Jobs fetched per poll by flows that work set-based (`runMany`), processed in one transaction. */
  setBatchSize?: number;
  /** Worker loops per queue in this process: flows wait on the database, so a few overlap well. */
  concurrency?: number;
  pollingIntervalSeconds?: number;
  /** Attempts before a transiently failing job is dead-lettered. */
  maxAttempts?: number;
  /** Base of the exponential backoff between attempts. */
  backoffBaseSeconds?: number;
  /**
   * How long a flow waits for a lock held elsewhere before the attempt fails as transient and is
   * retried later, rather than holding a worker indefinitely.
   */
  lockTimeoutMs?: number;
};

const ENQUEUE_CHUNK = 1000;

export const queueName = (kind: SyncJobKind) => `ledgerline.${kind.toLowerCase()}`;

/** Runs pg-boss's SQL inside a kysely transaction: the job row commits with the business write. */
function transactionalDb(trx: Kysely<any>): PgBoss.Db {
  return { executeSql: async (text, values) => ({ rows: (await trx.executeQuery(CompiledQuery.raw(text, values))).rows as any[] }) };
}

/**
 * The sync engine: our ledger (sync schema) decides and records; pg-boss (its own schema) delivers,
 * schedules retries and recovers jobs of dead workers. Any number of engines may run against one
 * database; pg-boss's SKIP LOCKED fetch gives each job to one of them.
 */
export class SyncEngine {
  readonly boss: PgBoss;
  private readonly flows: Map<SyncJobKind, Flow>;
  private readonly workerId: string;
  private working = false;
  private readonly wakeups: JobWakeups;

  constructor(private readonly opts: EngineOptions) {
    this.boss = new PgBoss({
      connectionString: opts.connectionString,
      schema: PGBOSS_SCHEMA,
      max: PGBOSS_POOL_MAX,
      application_name: 'ledgerline-sync',
      maintenanceIntervalSeconds: 5,
      monitorStateIntervalSeconds: 60,
      schedule: false,
    });
    this.boss.on('error', (err) => opts.logger.error('pg-boss error', { error: err }));
    this.flows = new Map(opts.flows.map((f) => [f.kind, f]));
    this.workerId = opts.workerId ?? `${hostname()}:${process.pid}`;
    this.wakeups = new JobWakeups(opts.connectionString, (id) => this.boss.notifyWorker(id), opts.logger);
  }

  /** Installs pg-boss's schema and our queues (idempotent); with `work`, starts consuming. */
  async start({ work }: { work: boolean }): Promise<void> {
    await this.boss.start();
    await this.createQueues();
    if (!work) return;
    this.working = true;
    for (const kind of this.flows.keys()) {
      const flow = this.flows.get(kind)!;
      // A set-based batch keeps the database busy by itself; several per engine mostly queue on each
      // other's row locks (measured in the sync bench), so they get one loop per engine.
      const loops = flow.runMany ? 1 : (this.opts.concurrency ?? 3);
      for (let i = 0; i < loops; i++) {
        // Set-based flows take big batches: their cost is per batch, not per job.
        const batchSize = flow.runMany ? (this.opts.setBatchSize ?? 100) : (this.opts.batchSize ?? 5);
        const workerId = await this.boss.work<{ jobId: string }>(
          queueName(kind),
          { batchSize, pollingIntervalSeconds: this.opts.pollingIntervalSeconds ?? 0.5 },
          async (jobs) => {
            const ids = jobs.map((j) => j.data.jobId);
            if (flow.runMany && ids.length > 1) await this.executeBatch(flow, ids);
            else for (const id of ids) await this.execute(id);
          },
        );
        this.wakeups.add(kind, workerId);
      }
    }
    await this.wakeups.start();
  }

  /**
   * Processes started together on a fresh database (compose's subgraphs and workers) would each create
   * the queues, and pg-boss's create_queue deadlocks with itself: one process at a time, under a
   * transaction-scoped advisory lock held while pg-boss creates them on its own connections.
   */
  private async createQueues(): Promise<void> {
    await this.opts.db.transaction().execute(async (trx) => {
      await sql`select pg_advisory_xact_lock(hashtext('ledgerline.sync.create-queues'))`.execute(trx);
      for (const kind of this.flows.keys()) {
        const name = queueName(kind);
        if (!(await this.boss.getQueue(name))) await this.boss.createQueue(name, { name, ...QUEUE_OPTIONS });
      }
    });
  }

  async stop(): Promise<void> {
    await this.wakeups.stop();
    await this.boss.stop({ graceful: this.working, wait: true, timeout: 10_000 });
  }

  /**
   * Records a job in the ledger and hands it to pg-boss, both inside `db` (pass the business write's
   * transaction). Idempotent on (kind, source key): a repeated trigger returns the existing job.
   */
  async enqueue(db: Kysely<any>, spec: JobSpec): Promise<{ jobId: string; created: boolean }> {
    return (await this.enqueueMany(db, [spec]))[0]!;
  }

  /** `enqueue` for many jobs in a fixed number of statements (a bulk approval, a batch's follow-ups). */
  async enqueueMany(
    db: Kysely<any>,
    specs: readonly JobSpec[],
    deferredEvents?: EventRow[],
  ): Promise<{ jobId: string; created: boolean }[]> {
    const defaults = { mappingVersion: this.opts.mapping.version, maxAttempts: this.opts.maxAttempts ?? 5 };
    const out: { jobId: string; created: boolean }[] = [];
    const events: EventRow[] = [];
    // Chunks keep each multi-row insert well under PostgreSQL's 65,535 bind parameters.
    for (let i = 0; i < specs.length; i += ENQUEUE_CHUNK) {
      const inserted = await insertJobs(
        db as Kysely<SyncDatabase>,
        specs.slice(i, i + ENQUEUE_CHUNK).map((s) => ({ ...defaults, ...s })),
      );
      const fresh = inserted.results.filter((r) => r.created);
      if (fresh.length)
        await this.boss.insert(
          fresh.map((r) => ({ name: queueName(r.job.kind), data: { jobId: r.job.id } })),
          { db: transactionalDb(db) },
        );
      out.push(...inserted.results.map((r) => ({ jobId: r.job.id, created: r.created })));
      events.push(...inserted.events);
    }
    // The QUEUED events go last (or to the caller's tail): the event-order lock is held from here to commit.
    if (deferredEvents) deferredEvents.push(...events);
    else await appendEvents(db as Kysely<SyncDatabase>, events);
    return out;
  }

  /** Hands an existing ledger job to pg-boss (first run, retry, replay), optionally later. */
  async send(db: Kysely<any>, kind: SyncJobKind, jobId: string, startAfterSeconds?: number): Promise<void> {
    await this.boss.send(
      queueName(kind),
      { jobId },
      { db: transactionalDb(db), ...(startAfterSeconds ? { startAfter: startAfterSeconds } : {}) },
    );
  }

  /**
   * One attempt of one job. The flow's effects and the SUCCEEDED mark share one transaction: a crash
   * anywhere before commit leaves no partial effect, and the retry starts from a clean slate.
   */
  async execute(jobId: string): Promise<void> {
    const db = this.opts.db as Kysely<SyncDatabase>;
    const started = await startAttempt(db, jobId, this.workerId);
    if (!started) return;
    const flow = this.flows.get(started.job.kind);
    if (!flow) throw new Error(`No flow for job kind ${started.job.kind}`);
    const log = this.opts.logger.child({ jobId, kind: started.job.kind, attempt: started.attemptNo });
    // A job's span starts a trace of its own, linked to the request that enqueued it.
    await inSpan(
      `sync.job ${started.job.kind}`,
      {
        links: linkTo(started.job.trace_parent),
        attributes: { 'ledgerline.job.id': jobId, 'ledgerline.job.kind': started.job.kind, 'ledgerline.job.attempt': started.attemptNo },
      },
      () => this.attempt(jobId, started, flow, log),
    );
  }

  private async attempt(
    jobId: string,
    started: NonNullable<Awaited<ReturnType<typeof startAttempt>>>,
    flow: Flow,
    log: Logger,
  ): Promise<void> {
    const db = this.opts.db as Kysely<SyncDatabase>;
    try {
      await this.opts.db.transaction().execute(async (trx) => {
        await sql`select set_config('lock_timeout', ${`${this.opts.lockTimeoutMs ?? 10_000}ms`}, true)`.execute(trx);
        const followUpEvents: EventRow[] = [];
        const sys = systemsOf(trx);
        const result = await flow.run({
          trx,
          sys,
          job: started.job,
          attemptNo: started.attemptNo,
          mapping: this.opts.mapping,
          clock: this.opts.clock ?? systemClock,
          logger: log,
          enqueue: async (spec) => {
            await this.enqueueMany(trx, [spec], followUpEvents);
          },
        });
        await completeJob(narrow<SyncDatabase>(trx), jobId, started.attemptNo, result, this.opts.mapping.version, followUpEvents);
      });
      syncAttempts.inc({ kind: started.job.kind, outcome: 'SUCCEEDED' });
      syncLatency.observe({ kind: started.job.kind, status: 'SUCCEEDED' }, (Date.now() - started.job.created_at.getTime()) / 1000);
      log.debug('sync job succeeded');
    } catch (err) {
      const failure = classifyFailure(err, flow.system);
      const delay = failure.kind === 'TRANSIENT' ? backoffSeconds(started.attemptNo, this.opts.backoffBaseSeconds ?? 2) : undefined;
      const status = await failJob(db, jobId, started.attemptNo, failure, delay ? new Date(Date.now() + delay * 1000) : undefined, (trx) =>
        this.send(trx, started.job.kind, jobId, delay),
      );
      syncAttempts.inc({ kind: started.job.kind, outcome: status });
      if (status !== 'RETRYING')
        syncLatency.observe({ kind: started.job.kind, status }, (Date.now() - started.job.created_at.getTime()) / 1000);
      log.warn('sync job failed', { status, code: failure.code, system: failure.system, message: failure.message });
    }
  }

  /**
   * One attempt of each job of a batch, set-based: the attempts, the flow's effects and the SUCCEEDED
   * marks share one transaction. If anything fails, all of it rolls back (no attempt is recorded) and
   * each job runs alone through `execute`, which records the failure on the job that caused it. A
   * worker killed mid-batch leaves the jobs QUEUED; pg-boss redelivers them after expiry.
   */
  async executeBatch(flow: Flow, jobIds: string[]): Promise<void> {
    const runMany = flow.runMany?.bind(flow);
    if (!runMany) {
      for (const id of jobIds) await this.execute(id);
      return;
    }
    await inSpan(`sync.batch ${flow.kind}`, { attributes: { 'ledgerline.batch.jobs': jobIds.length } }, (span) =>
      this.batchAttempt(flow, runMany, jobIds, span),
    );
  }

  private async batchAttempt(flow: Flow, runMany: NonNullable<Flow['runMany']>, jobIds: string[], span: Span | undefined): Promise<void> {
    const db: Kysely<HubDatabase> = this.opts.db;
    const t0 = Date.now();
    let others: string[] = [];
    let done: { kind: SyncJobKind; createdAt: Date }[] = [];
    try {
      await db.transaction().execute(async (trx) => {
        await sql`select set_config('lock_timeout', ${`${this.opts.lockTimeoutMs ?? 10_000}ms`}, true)`.execute(trx);
        const sys = systemsOf(trx);
        const ledger = narrow<SyncDatabase>(trx);
        const batch = await startBatchAttempts(ledger, jobIds, this.workerId);
        span?.addLinks(batch.started.flatMap((b) => linkTo(b.job.trace_parent)));
        const followUpEvents: EventRow[] = [];
        others = batch.others;
        if (batch.started.length === 0) return;
        const results = await runMany({
          trx,
          sys,
          jobs: batch.started.map((s) => s.job),
          mapping: this.opts.mapping,
          clock: this.opts.clock ?? systemClock,
          logger: this.opts.logger.child({ kind: flow.kind, batch: batch.started.length }),
          enqueueMany: async (specs) => {
            await this.enqueueMany(trx, specs, followUpEvents);
          },
        });
        if (results.length !== batch.started.length)
          throw new Error(`${flow.kind} returned ${results.length} results for ${batch.started.length} jobs`);
        await completeJobs(
          ledger,
          batch.started.map((s, i) => ({ jobId: s.job.id, attemptNo: s.attemptNo, result: results[i]! })),
          this.opts.mapping.version,
          [...batch.startedEvents, ...followUpEvents],
        );
        done = batch.started.map((s) => ({ kind: s.job.kind, createdAt: s.job.created_at }));
      });
    } catch (err) {
      this.opts.logger.info('sync batch failed; running its jobs one by one', { kind: flow.kind, jobs: jobIds.length, error: err });
      for (const id of jobIds) await this.execute(id);
      return;
    }
    for (const d of done) {
      syncAttempts.inc({ kind: d.kind, outcome: 'SUCCEEDED' });
      syncLatency.observe({ kind: d.kind, status: 'SUCCEEDED' }, (Date.now() - d.createdAt.getTime()) / 1000);
    }
    this.opts.logger.debug('sync batch succeeded', { kind: flow.kind, jobs: done.length, ms: Date.now() - t0 });
    for (const id of others) await this.execute(id);
  }

  /** Runs a job's flow in a transaction that is rolled back: what a replay would change, changing nothing. */
  async dryRun(jobId: string): Promise<JobResult> {
    const job = await (this.opts.db as Kysely<SyncDatabase>)
      .selectFrom('sync.jobs')
      .selectAll()
      .where('id', '=', jobId)
      .executeTakeFirstOrThrow();
    const flow = this.flows.get(job.kind);
    if (!flow) throw new Error(`No flow for job kind ${job.kind}`);
    const rollback = new Error('dry run');
    let result: JobResult = {};
    try {
      await this.opts.db.transaction().execute(async (trx) => {
        result = await flow.run({
          trx,
          sys: systemsOf(trx),
          job,
          attemptNo: job.attempts + 1,
          mapping: this.opts.mapping,
          clock: this.opts.clock ?? systemClock,
          logger: this.opts.logger,
          enqueue: async () => undefined,
        });
        throw rollback;
      });
    } catch (err) {
      if (err !== rollback) throw err;
    }
    return result;
  }
}
