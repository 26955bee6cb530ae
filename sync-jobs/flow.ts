import type { Kysely, Transaction } from 'kysely';
import type { Clock } from '../lib/clock.ts';
import type { Logger } from '../lib/logger.ts';
import type { Mapping } from '../lib/mapping.ts';
import type { BillingDatabase } from '../subgraphs/billing/data/tables.ts';
import type { CrmDatabase } from '../subgraphs/crm/data/tables.ts';
import type { ErpDatabase } from '../subgraphs/erp/data/tables.ts';
import type { PsaDatabase } from '../subgraphs/psa/data/tables.ts';
import type { Job, SyncDatabase, SyncJobKind } from '../subgraphs/sync/data/tables.ts';
import type { TimeDatabase } from '../subgraphs/time/data/tables.ts';
import type { JobResult, JobSpec } from './ledger.ts';

/**
 * One transaction seen through each system's own table types: `sys.psa` can reach psa tables only,
 * so a flow can write to a system only through that system's API or read its own data functions.
 */
export type Systems = {
  crm: Kysely<CrmDatabase>;
  psa: Kysely<PsaDatabase>;
  time: Kysely<TimeDatabase>;
  billing: Kysely<BillingDatabase>;
  erp: Kysely<ErpDatabase>;
  sync: Kysely<SyncDatabase>;
};

/** Every system's tables: the database one sync transaction spans. */
export type HubDatabase = CrmDatabase & PsaDatabase & TimeDatabase & BillingDatabase & ErpDatabase & SyncDatabase;

/**
 * The hub's transaction seen as one system's database. Kysely cannot narrow a database type, so this
 * is the one cast, and its constraint lets it narrow only to tables the transaction really spans.
 */
export function narrow<DB>(trx: Transaction<HubDatabase>): HubDatabase extends DB ? Transaction<DB> : never {
  return trx as never;
}

export function systemsOf(trx: Transaction<HubDatabase>): Systems {
  return {
    crm: narrow<CrmDatabase>(trx),
    psa: narrow<PsaDatabase>(trx),
    time: narrow<TimeDatabase>(trx),
    billing: narrow<BillingDatabase>(trx),
    erp: narrow<ErpDatabase>(trx),
    sync: narrow<SyncDatabase>(trx),
  };
}

/** What a flow gets: one transaction shared by every system API it calls, so its effects are atomic. */
export type FlowContext = {
  trx: Transaction<HubDatabase>;
  sys: Systems;
  job: Job;
  attemptNo: number;
  mapping: Mapping;
  /** Business time (lib/clock.ts): what a flow dates its effects by when its inputs carry no date. */
  clock: Clock;
  logger: Logger;
  /** Enqueues a follow-up job in the same transaction (e.g. an issued invoice's ERP posting). */
  enqueue: (spec: JobSpec) => Promise<void>;
};

/** What a set-based flow gets: many jobs of its kind, one transaction for all of them. */
export type BatchFlowContext = Omit<FlowContext, 'job' | 'enqueue' | 'attemptNo'> & {
  jobs: Job[];
  /** Enqueues follow-up jobs in the same transaction, in one round of statements. */
  enqueueMany: (specs: JobSpec[]) => Promise<void>;
};

/**
 * One kind of sync job. `system` names the target blamed for an error that names none.
 * `runMany`, when present, does the work of many jobs set-based and returns their results in order;
 * it must throw if any job of the batch fails, so the engine can rerun the jobs one by one and put
 * the failure on the job that caused it.
 */
export type Flow = {
  kind: SyncJobKind;
  system: string;
  run: (ctx: FlowContext) => Promise<JobResult>;
  runMany?: (ctx: BatchFlowContext) => Promise<JobResult[]>;
};
