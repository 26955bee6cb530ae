import type { Kysely } from 'kysely';
import { byKey, groupByKey } from '../../lib/loaders.ts';
import type { Mapping } from '../../lib/mapping.ts';
import { type BaseContext, baseContext, type RequestInfo, type SubgraphOptions } from '../../lib/subgraph.ts';
import { openBalanceByCustomer } from '../billing/api/reads.ts';
import { receivableOpenByCustomer } from '../erp/api/reads.ts';
import { projectDimensions } from '../psa/api/reads.ts';
import type { SyncControl } from './api/index.ts';
import { findAttemptsOfJobs } from './data/attempts.ts';
import { findEventsOfJobs } from './data/events.ts';
import { findJobsByIds, findJobsOfParents, type ParentColumn } from './data/jobs.ts';
import type { Job, SyncDatabase, SyncJobStatus } from './data/tables.ts';
import { type ArDifference, arDifferencesOf, type ReconciliationReport, reconcile } from './reconciliation/report.ts';
import { readSystemsOf } from './reconciliation/systems.ts';

export type SyncContext = BaseContext<SyncDatabase> & {
  /** The engine's operator actions; absent where no engine runs (then sync mutations fail clearly). */
  control: SyncControl | undefined;
  /** Who asks, for the job's audit trail (the gateway passes the caller; null until auth is on). */
  actor: string | null;
  /** The validated mapping file: SLO targets come from it. */
  mapping: Mapping;
};

export function createContext(
  db: Kysely<SyncDatabase>,
  req: RequestInfo,
  options: SubgraphOptions & { control?: SyncControl; mapping: Mapping },
): SyncContext {
  const actor = req.headers['x-ledgerline-actor'];
  return {
    ...baseContext(db, req, options),
    control: options.control,
    actor: typeof actor === 'string' ? actor : null,
    mapping: options.mapping,
  };
}

/** Per-request batch loaders: one SQL statement per field per request, whatever the number of parents. */
export const load = {
  job: (ctx: SyncContext) => ctx.loaders.get('job', async (ids) => byKey(ids, await findJobsByIds(ctx.db, ids), (r) => r.id)),
  attempts: (ctx: SyncContext) =>
    ctx.loaders.get('attempts', async (ids) => groupByKey(ids, await findAttemptsOfJobs(ctx.db, ids), (r) => r.job_id)),
  events: (ctx: SyncContext) =>
    ctx.loaders.get('events', async (ids) => groupByKey(ids, await findEventsOfJobs(ctx.db, ids), (r) => r.job_id)),
  /**
   * Reconciliation reports keyed "asOf|staleAfterDays": computed once per request and key, however many
   * fields (the report, or Project.reconciliation on any number of projects) ask for it.
   */
  reconciliation: (ctx: SyncContext) =>
    ctx.loaders.get<ReconciliationReport>('reconciliation', (keys) =>
      Promise.all(
        keys.map((k) => {
          const [asOf, stale] = k.split('|');
          return reconcile(readSystemsOf(ctx.db), { asOf: asOf!, staleAfterDays: Number(stale) });
        }),
      ),
    ),
  /** AR differences of customers: two grouped statements (billing, erp) for all customers asked. */
  arDifference: (ctx: SyncContext) =>
    ctx.loaders.get<ArDifference[]>('arDifference', async (ids) => {
      const sys = readSystemsOf(ctx.db);
      const [billing, erp] = await Promise.all([openBalanceByCustomer(sys.billing, ids), receivableOpenByCustomer(sys.erp, ids)]);
      return groupByKey(ids, arDifferencesOf(billing, erp), (d) => d.customerId);
    }),
  /** Legal entity and service line of projects (psa), for the KPIs: one statement per batch of ids. */
  projectDims: (ctx: SyncContext) =>
    ctx.loaders.get('projectDims', async (ids) => byKey(ids, await projectDimensions(readSystemsOf(ctx.db).psa, ids), (r) => r.id)),
  /**
   * Jobs of customers, projects or invoices. The arguments are part of the loader's name: parents
   * asked with the same arguments share one statement, different arguments get their own.
   */
  jobsOf: (ctx: SyncContext, column: ParentColumn, first: number, statuses: readonly SyncJobStatus[] | null | undefined) => {
    const statusKey = statuses?.length ? [...new Set(statuses)].sort().join(',') : '*';
    return ctx.loaders.get(`jobsOf:${column}:${first}:${statusKey}`, async (ids) =>
      groupByKey(ids, await findJobsOfParents(ctx.db, column, ids, first, statuses), (r: Job) => r[column] as string),
    );
  },
};
