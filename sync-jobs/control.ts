import type { Kysely, Transaction } from 'kysely';
import { anyOf } from '../lib/db.ts';
import { appError, notFound } from '../lib/errors.ts';
import type { DryRunPreview, SyncControl } from '../subgraphs/sync/api/index.ts';
import type { Job, SyncDatabase, SyncJobKind, SyncJobStatus } from '../subgraphs/sync/data/tables.ts';
import type { SyncEngine } from './engine.ts';
import { classifyFailure } from './failures.ts';
import { cancelJobRow, lockJob, requeueJob } from './ledger.ts';

// Which operator action is allowed from which status.
const RETRYABLE: SyncJobStatus[] = ['RETRYING', 'DEAD_LETTERED'];
const REPLAYABLE: SyncJobStatus[] = ['SUCCEEDED', 'EXCEPTION', 'DEAD_LETTERED', 'CANCELLED'];
const CANCELLABLE: SyncJobStatus[] = ['QUEUED', 'RETRYING', 'EXCEPTION', 'DEAD_LETTERED'];

/**
 * Operator actions on the ledger. Each locks the job row, checks the status, records the action as a
 * status event and hands the job to the engine, all in one transaction.
 */
export function engineControl(engine: SyncEngine, db: Kysely<SyncDatabase>): SyncControl {
  const act = (
    jobId: string,
    allowed: SyncJobStatus[],
    action: string,
    fn: (trx: Transaction<SyncDatabase>, kind: SyncJobKind) => Promise<Job>,
  ) =>
    db.transaction().execute(async (trx) => {
      const job = await lockJob(trx, jobId);
      if (!job) throw notFound('SyncJob', jobId);
      if (!allowed.includes(job.status)) {
        throw appError(
          'INVALID_STATE_TRANSITION',
          `Cannot ${action} job ${jobId}: it is ${job.status} (allowed from ${allowed.join(', ')})`,
          { status: job.status },
        );
      }
      return fn(trx, job.kind);
    });

  const startMany: SyncControl['startMany'] = (requests, actor) =>
    db.transaction().execute(async (trx) => {
      const started = await engine.enqueueMany(
        trx,
        requests.map((r) => ({ ...r, trigger: 'MANUAL' as const, triggeredBy: actor })),
      );
      const jobs = new Map(
        (started.length
          ? await trx
              .selectFrom('sync.jobs')
              .selectAll()
              .where('id', '=', anyOf(started.map((s) => s.jobId)))
              .execute()
          : []
        ).map((j) => [j.id, j]),
      );
      return started.map((s) => ({ job: jobs.get(s.jobId)!, created: s.created }));
    });

  return {
    start: async (request, actor) => (await startMany([request], actor))[0]!,
    startMany,
    retry: (jobId, actor) =>
      act(jobId, RETRYABLE, 'retry', async (trx, kind) => {
        const job = await requeueJob(trx, jobId, 'RETRIED', { by: actor });
        await engine.send(trx, kind, jobId);
        return job;
      }),
    replay: (jobId, actor) =>
      act(jobId, REPLAYABLE, 'replay', async (trx, kind) => {
        const job = await requeueJob(trx, jobId, 'REPLAYED', { by: actor });
        await engine.send(trx, kind, jobId);
        return job;
      }),
    resolveException: (jobId, note, actor) =>
      act(jobId, ['EXCEPTION'], 'resolve the exception of', async (trx, kind) => {
        const job = await requeueJob(trx, jobId, 'EXCEPTION_RESOLVED', { by: actor, note });
        await engine.send(trx, kind, jobId);
        return job;
      }),
    cancel: (jobId, actor) => act(jobId, CANCELLABLE, 'cancel', (trx) => cancelJobRow(trx, jobId, actor)),
    dryRun: async (jobId): Promise<DryRunPreview> => {
      const exists = await db.selectFrom('sync.jobs').select('id').where('id', '=', jobId).executeTakeFirst();
      if (!exists) throw notFound('SyncJob', jobId);
      let result: Awaited<ReturnType<typeof engine.dryRun>>;
      try {
        result = await engine.dryRun(jobId);
      } catch (err) {
        const f = classifyFailure(err, 'sync');
        return { targets: [], detail: {}, failure: { code: f.code, message: f.message, system: f.system } };
      }
      const targets = Object.entries(result.targets ?? {}).flatMap(([system, types]) =>
        Object.entries(types ?? {}).flatMap(([type, ids]) => (Array.isArray(ids) ? ids : [ids]).map((id) => ({ system, type, id }))),
      );
      return { targets, detail: result.detail ?? {}, failure: null };
    },
  };
}
