import { type ExecutionResult, GraphQLError, print } from 'graphql';
import type { SyncEventListener, SyncNotice } from '../../lib/sync-listener.ts';
import { PAGE_VARIABLE, SEQUENCE_ALIAS, SEQUENCE_VARIABLE, type SubscriptionPlan } from './plan.ts';
import { BoundedQueue } from './queue.ts';

/** Runs a query through the gateway's own pipeline (query planning, federated fetches, plugins). */
export type RunQuery = (query: string, variables: Record<string, unknown>) => Promise<ExecutionResult>;

export type StreamOptions = {
  listener: SyncEventListener;
  run: RunQuery;
  /** Events a subscriber may have pending before it is cut off with a resume hint. */
  maxPending: number;
  /** Page size of the catch-up read of a resuming stream. */
  catchUpPage?: number;
  /** Called once when the stream ends (the client completed it, the socket closed, or it overflowed). */
  onEnd?: () => void;
};

type Filter = {
  jobId?: string | null;
  kinds?: string[] | null;
  statuses?: string[] | null;
  customerId?: string | null;
  projectId?: string | null;
  invoiceId?: string | null;
};

export function matches(filter: Filter | null | undefined, n: SyncNotice): boolean {
  if (!filter) return true;
  if (filter.jobId && filter.jobId !== n.jobId) return false;
  if (filter.kinds?.length && !filter.kinds.includes(n.kind)) return false;
  if (filter.statuses?.length && !filter.statuses.includes(n.status)) return false;
  if (filter.customerId && filter.customerId !== n.customerId) return false;
  if (filter.projectId && filter.projectId !== n.projectId) return false;
  if (filter.invoiceId && filter.invoiceId !== n.invoiceId) return false;
  return true;
}

/**
 * Identical subscriptions (same document and variables) share one execution per event, so a
 * thousand dashboards watching the same stream cost one federated fetch per event, not a thousand.
 */
export class EventExecutions {
  private readonly inflight = new Map<string, Promise<ExecutionResult>>();

  /** `scope` names what the caller may see (its role and customer): only equal scopes share a result. */
  get(plan: SubscriptionPlan, scope: string, sequence: string, run: RunQuery): Promise<ExecutionResult> {
    const query = printed(plan);
    const key = `${sequence}\u0000${scope}\u0000${query}\u0000${JSON.stringify(plan.variables)}`;
    let p = this.inflight.get(key);
    if (!p) {
      p = run(query, { ...plan.variables, [SEQUENCE_VARIABLE]: sequence });
      this.inflight.set(key, p);
      // Everyone interested in this event asked for it within the same tick of the notice.
      void p.finally(() => setTimeout(() => this.inflight.delete(key), 1000).unref());
    }
    return p;
  }
}

const printedCache = new WeakMap<SubscriptionPlan, string>();
function printed(plan: SubscriptionPlan): string {
  let s = printedCache.get(plan);
  if (!s) {
    s = print(plan.eventQuery);
    printedCache.set(plan, s);
  }
  return s;
}

/** Removes the sequence the gateway added for its own bookkeeping from a result. */
function stripBookkeeping(result: ExecutionResult, key: string): ExecutionResult {
  const event = (result.data as Record<string, any> | null | undefined)?.[key];
  if (!event || !(SEQUENCE_ALIAS in event)) return result;
  const { [SEQUENCE_ALIAS]: _drop, ...rest } = event;
  return { ...result, data: { ...(result.data as object), [key]: rest } };
}

/**
 * The stream of one subscription: live notices filtered by its arguments, each resolved through the
 * gateway. `syncEvents(afterSequence)` first replays the ledger after that sequence, then continues
 * live without gap or duplicate (notices that arrive during the catch-up are held and deduplicated).
 */
export function openStream(
  plan: SubscriptionPlan,
  scope: string,
  executions: EventExecutions,
  opts: StreamOptions,
): AsyncIterableIterator<ExecutionResult> {
  let lastSequence = BigInt(plan.field === 'syncEvents' && plan.args.afterSequence ? String(plan.args.afterSequence) : '-1');
  let catchingUp = plan.field === 'syncEvents' && plan.args.afterSequence != null;
  const held: SyncNotice[] = [];
  let chain = Promise.resolve();

  const queue = new BoundedQueue<ExecutionResult>(
    opts.maxPending,
    () => ({
      errors: [
        new GraphQLError(
          `Subscriber too slow: more than ${opts.maxPending} events pending. Resume with syncEvents(afterSequence: "${lastSequence}")`,
          {
            extensions: { code: 'SLOW_CONSUMER', lastSequence: String(lastSequence) },
          },
        ),
      ],
    }),
    () => {
      opts.listener.off('notice', onNotice);
      opts.listener.off('reconnected', onReconnected);
      opts.onEnd?.();
    },
  );

  const deliver = (n: SyncNotice) => {
    // Results are delivered in notice order: each waits for the one before it.
    chain = chain.then(async () => {
      if (BigInt(n.sequence) <= lastSequence) return;
      const result = await executions.get(plan, scope, n.sequence, opts.run);
      if (BigInt(n.sequence) <= lastSequence) return;
      lastSequence = BigInt(n.sequence);
      const event = (result.data as Record<string, unknown> | null | undefined)?.[plan.responseKey];
      // The event may be gone from view (another scope) or the job deleted: nothing to send.
      if (event === null && !result.errors?.length) return;
      queue.push(stripBookkeeping(result, plan.responseKey));
    });
  };

  function onNotice(n: SyncNotice) {
    if (!matches(plan.field === 'syncJobUpdated' ? plan.args.filter : null, n)) return;
    if (catchingUp) held.push(n);
    else deliver(n);
  }
  function onReconnected() {
    // Notices sent while the listener was down are lost; read them from the ledger.
    if (plan.field === 'syncEvents') void catchUp();
  }
  opts.listener.on('notice', onNotice);
  opts.listener.on('reconnected', onReconnected);

  async function catchUp() {
    const page = opts.catchUpPage ?? 500;
    const listQuery = print(plan.catchUpQuery);
    for (;;) {
      const result = await opts.run(listQuery, { ...plan.variables, [SEQUENCE_VARIABLE]: String(lastSequence), [PAGE_VARIABLE]: page });
      if (result.errors?.length) {
        queue.push({ errors: result.errors });
        queue.finish();
        return;
      }
      const events = ((result.data as Record<string, any[]>)[plan.responseKey] ?? []) as Record<string, any>[];
      for (const e of events) {
        const seq = BigInt(e.sequence ?? e[SEQUENCE_ALIAS]);
        if (seq <= lastSequence) continue;
        lastSequence = seq;
        queue.push(stripBookkeeping({ data: { [plan.responseKey]: e } }, plan.responseKey));
      }
      if (events.length < page) break;
    }
    catchingUp = false;
    for (const n of held.splice(0)) deliver(n);
  }
  if (catchingUp) chain = chain.then(catchUp);

  return queue;
}
