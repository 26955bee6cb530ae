import { hostname } from 'node:os';
import { CompiledQuery, sql, type Kysely } from 'kysely';
import PgBoss from 'pg-boss';
import type { Logger } from '../lib/logger.ts';
import { syncAttempts, syncLatency } from '../lib/metrics.ts';
import type { Mapping } from '../lib/mapping.ts';
import type { SyncDatabase, SyncJobKind } from '../subgraphs/sync/data/tables.ts';
import { backoffSeconds, classifyFailure } from './failures.ts';
import { systemsOf, type Flow } from './flow.ts';
import { completeJob, createJob, failJob, startAttempt, type JobResult, type JobSpec } from './ledger.ts';

export const PGBOSS_SCHEMA = 'pgboss';

/**
 * pg-boss tuning. A job whose worker dies stays "active" until it expires; maintenance then hands it
 * to another worker. 30 s expiry + 5 s maintenance keeps recovery of a killed worker under a minute.
 * Flows are short (one project, one invoice), so 30 s is ample for a live attempt.
 */
const QUEUE_OPTIONS = { expireInSeconds: 30, retryLimit: 20, retryDelay: 1, retryBackoff: false, retentionDays: 7 };

export type EngineOptions = {
  connectionString: string;
  db: Kysely<any>;
  flows: Flow[];
  mapping: Mapping;
  logger: Logger;
  workerId?: string;
  /** Jobs fetched per poll and processed one after another by each worker loop. */
  batchSize?: number;
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

  constructor(private readonly opts: EngineOptions) {
    this.boss = new PgBoss({
      connectionString: opts.connectionString,
      schema: PGBOSS_SCHEMA,
      max: 4,
      application_name: 'ledgerline-sync',
      maintenanceIntervalSeconds: 5,
      monitorStateIntervalSeconds: 60,
      schedule: false,
    });
    this.boss.on('error', (err) => opts.logger.error('pg-boss error', { error: err }));
    this.flows = new Map(opts.flows.map((f) => [f.kind, f]));
    this.workerId = opts.workerId ?? `${hostname()}:${process.pid}`;
  }

  /** Installs pg-boss's schema and our queues (idempotent); with `work`, starts consuming. */
  async start({ work }: { work: boolean }): Promise<void> {
    await this.boss.start();
    for (const kind of this.flows.keys()) {
      const name = queueName(kind);
      if (!(await this.boss.getQueue(name))) await this.boss.createQueue(name, { name, ...QUEUE_OPTIONS });
    }
    if (!work) return;
    this.working = true;
    for (const kind of this.flows.keys()) {
      for (let i = 0; i < (this.opts.concurrency ?? 3); i++) {
        await this.boss.work<{ jobId: string }>(
          queueName(kind),
          { batchSize: this.opts.batchSize ?? 5, pollingIntervalSeconds: this.opts.pollingIntervalSeconds ?? 0.5 },
          async (jobs) => {
            for (const j of jobs) await this.execute(j.data.jobId);
          },
        );
      }
    }
  }

  async stop(): Promise<void> {
    await this.boss.stop({ graceful: this.working, wait: true, timeout: 10_000 });
  }

  /**
   * Records a job in the ledger and hands it to pg-boss, both inside `db` (pass the business write's
   * transaction). Idempotent on (kind, source key): a repeated trigger returns the existing job.
   */
  async enqueue(db: Kysely<any>, spec: JobSpec): Promise<{ jobId: string; created: boolean }> {
    const { job, created } = await createJob(db as Kysely<SyncDatabase>, { mappingVersion: this.opts.mapping.version, maxAttempts: this.opts.maxAttempts ?? 5, ...spec });
    if (created) await this.send(db, spec.kind, job.id);
    return { jobId: job.id, created };
  }

  /** Hands an existing ledger job to pg-boss (first run, retry, replay), optionally later. */
  async send(db: Kysely<any>, kind: SyncJobKind, jobId: string, startAfterSeconds?: number): Promise<void> {
    await this.boss.send(queueName(kind), { jobId }, { db: transactionalDb(db), ...(startAfterSeconds ? { startAfter: startAfterSeconds } : {}) });
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
    try {
      await this.opts.db.transaction().execute(async (trx) => {
        await sql`select set_config('lock_timeout', ${`${this.opts.lockTimeoutMs ?? 10_000}ms`}, true)`.execute(trx);
        const result = await flow.run({
          trx,
          sys: systemsOf(trx),
          job: started.job,
          attemptNo: started.attemptNo,
          mapping: this.opts.mapping,
          logger: log,
          enqueue: async (spec) => {
            await this.enqueue(trx, spec);
          },
        });
        await completeJob(trx as never, jobId, started.attemptNo, result, this.opts.mapping.version);
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
      if (status !== 'RETRYING') syncLatency.observe({ kind: started.job.kind, status }, (Date.now() - started.job.created_at.getTime()) / 1000);
      log.warn('sync job failed', { status, code: failure.code, system: failure.system, message: failure.message });
    }
  }

  /** Runs a job's flow in a transaction that is rolled back: what a replay would change, changing nothing. */
  async dryRun(jobId: string): Promise<JobResult> {
    const job = await (this.opts.db as Kysely<SyncDatabase>).selectFrom('sync.jobs').selectAll().where('id', '=', jobId).executeTakeFirstOrThrow();
    const flow = this.flows.get(job.kind);
    if (!flow) throw new Error(`No flow for job kind ${job.kind}`);
    const rollback = new Error('dry run');
    let result: JobResult = {};
    try {
      await this.opts.db.transaction().execute(async (trx) => {
        result = await flow.run({ trx, sys: systemsOf(trx), job, attemptNo: job.attempts + 1, mapping: this.opts.mapping, logger: this.opts.logger, enqueue: async () => undefined });
        throw rollback;
      });
    } catch (err) {
      if (err !== rollback) throw err;
    }
    return result;
  }
}
