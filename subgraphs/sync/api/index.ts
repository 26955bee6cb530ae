import type { Job, SyncJobKind, SyncSourceType } from '../data/tables.ts';

/** A request to start a flow by hand. */
export type StartRequest = {
  kind: SyncJobKind;
  sourceType: SyncSourceType;
  sourceId: string;
  sourceKey?: string;
  customerId?: string | null;
  projectId?: string | null;
  invoiceId?: string | null;
  payload?: Record<string, unknown>;
};

export type DryRunPreview = {
  targets: { system: string; type: string; id: string }[];
  detail: Record<string, unknown>;
  /** Set when the run would fail: what an operator must fix first. */
  failure: { code: string; message: string; system: string } | null;
};

/**
 * The operations the sync subgraph's mutations perform. The sync engine (sync-jobs/control.ts)
 * implements them; the subgraph only knows this port, so it builds and tests without the engine.
 */
export type SyncControl = {
  start: (request: StartRequest, actor: string | null) => Promise<{ job: Job; created: boolean }>;
  /** `start` for many requests in one transaction; results in request order. */
  startMany: (requests: StartRequest[], actor: string | null) => Promise<{ job: Job; created: boolean }[]>;
  retry: (jobId: string, actor: string | null) => Promise<Job>;
  replay: (jobId: string, actor: string | null) => Promise<Job>;
  dryRun: (jobId: string) => Promise<DryRunPreview>;
  cancel: (jobId: string, actor: string | null) => Promise<Job>;
  resolveException: (jobId: string, note: string, actor: string | null) => Promise<Job>;
};
