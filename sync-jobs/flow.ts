import type { Transaction } from 'kysely';
import type { Clock } from '../lib/clock.ts';
import type { Logger } from '../lib/logger.ts';
import type { Mapping } from '../lib/mapping.ts';
import type { TriggerEvent } from '../lib/triggers.ts';
import { type DatabaseOf, SUBGRAPH_NAMES, type SubgraphName, type System, type SystemDatabases } from '../subgraphs/index.ts';
import type { Job, SyncJobKind } from '../subgraphs/sync/data/tables.ts';
import type { JobResult, JobSpec } from './ledger.ts';

/**
 * One transaction seen through each system's own table types: `sys.psa` can reach psa tables only,
 * so a flow can write to a system only through that system's API or read its own data functions.
 */
export type Systems = SystemDatabases;

/** Every system's tables, from the registry: the database one sync transaction spans. */
export type HubDatabase = UnionToIntersection<DatabaseOf<System>>;
type UnionToIntersection<U> = (U extends unknown ? (u: U) => void : never) extends (i: infer I) => void ? I : never;

/**
 * The hub's transaction seen as one system's database. Kysely cannot narrow a database type, so this
 * is a cast, and its constraint lets it narrow only to tables the transaction really spans.
 */
export function narrow<DB>(trx: Transaction<HubDatabase>): HubDatabase extends DB ? Transaction<DB> : never {
  return trx as never;
}

export function systemsOf(trx: Transaction<HubDatabase>): Systems {
  // One transaction, every system's view of it: derived from the registry, so a new system is reachable too.
  return Object.fromEntries(SUBGRAPH_NAMES.map((n) => [n, trx])) as unknown as Systems;
}

/**
 * A business event (lib/triggers.ts) and the job it enqueues, minus the kind (the flow's). Declared
 * by the flow it starts, so the event-to-job table is derived from the one list of flows.
 */
export type EventTrigger = {
  [T in TriggerEvent['type']]: { event: T; job: (event: Extract<TriggerEvent, { type: T }>) => Omit<JobSpec, 'kind'> };
}[TriggerEvent['type']];

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
  system: SubgraphName;
  /** The business event that starts it, if one does (others are started by an operator or a schedule). */
  trigger?: EventTrigger;
  run: (ctx: FlowContext) => Promise<JobResult>;
  runMany?: (ctx: BatchFlowContext) => Promise<JobResult[]>;
};
