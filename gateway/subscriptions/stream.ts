import { type ExecutionResult, GraphQLError, print } from 'graphql';
import type { SyncEventListener, SyncNotice } from '../../lib/sync-listener.ts';
import { FILTER_VARIABLE, PAGE_VARIABLE, SEQUENCE_ALIAS, SEQUENCE_VARIABLE, type SubscriptionPlan } from './plan.ts';
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
  /** The ledger's newest sequence now: where a stream that does not resume starts. */
  head: () => Promise<bigint | undefined>;
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
/**
 * The ledger's head, read once for all the subscriptions that open within `ttlMs` (a dashboard
 * reconnecting with a thousand panels asks once).
 */
export function sharedHead(run: RunQuery, ttlMs = 500): () => Promise<bigint | undefined> {
  let pending: Promise<bigint | undefined> | undefined;
  return () => {
    if (!pending) {
      pending = run('{ syncEventHead }', {}).then((r) => {
        const head = (r.data as { syncEventHead?: string } | null | undefined)?.syncEventHead;
        return head === undefined ? undefined : BigInt(head);
      });
      void pending.finally(() => setTimeout(() => (pending = undefined), ttlMs).unref());
    }
    return pending;
  };
}

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

/** How often a failed catch-up read is tried again while the stream holds its live notices. */
const CATCH_UP_RETRY_MS = 1000;

/**
 * The stream of one subscription: live notices filtered by its arguments, each resolved through the
 * gateway. With `afterSequence`, it first replays the ledger after that sequence, then continues live
 * without gap or duplicate (notices that arrive during the catch-up are held and deduplicated).
 *
 * Nothing is lost and nothing ends the stream:
 * - A stream starts at the ledger's head (`syncEventHead`), so it always knows where it is: when the
 *   LISTEN connection comes back, either field catches up from the ledger by sequence, with its filter.
 * - An event whose selection fails (a subgraph down) is delivered with its errors and partial data;
 *   a catch-up read that fails is delivered as an error result and tried again, the live notices held.
 */
export function openStream(
  plan: SubscriptionPlan,
  scope: string,
  executions: EventExecutions,
  opts: StreamOptions,
): AsyncIterableIterator<ExecutionResult> {
  const resumeFrom = plan.args.afterSequence != null ? BigInt(String(plan.args.afterSequence)) : undefined;
  let lastSequence: bigint | undefined = resumeFrom;
  let catchingUp = resumeFrom !== undefined;
  let ended = false;
  const held: SyncNotice[] = [];
  let chain = Promise.resolve();
  const filter = plan.field === 'syncJobUpdated' ? (plan.args.filter ?? null) : null;

  const queue = new BoundedQueue<ExecutionResult>(
    opts.maxPending,
    () => ({
      errors: [
        new GraphQLError(
          `Subscriber too slow: more than ${opts.maxPending} events pending. Resume with afterSequence: "${lastSequence ?? 0n}"`,
          { extensions: { code: 'SLOW_CONSUMER', lastSequence: String(lastSequence ?? 0n) } },
        ),
      ],
    }),
    () => {
      ended = true;
      opts.listener.off('notice', onNotice);
      opts.listener.off('reconnected', onReconnected);
      opts.onEnd?.();
    },
  );

  const deliver = (n: SyncNotice) => {
    // Results are delivered in notice order: each waits for the one before it.
    chain = chain.then(async () => {
      if (lastSequence !== undefined && BigInt(n.sequence) <= lastSequence) return;
      const result = await executions.get(plan, scope, n.sequence, opts.run);
      if (lastSequence !== undefined && BigInt(n.sequence) <= lastSequence) return;
      lastSequence = BigInt(n.sequence);
      const event = (result.data as Record<string, unknown> | null | undefined)?.[plan.responseKey];
      // The event may be gone from view (another scope) or the job deleted: nothing to send.
      if (event === null && !result.errors?.length) return;
      queue.push(stripBookkeeping(result, plan.responseKey));
    });
  };

  function onNotice(n: SyncNotice) {
    if (!matches(filter, n)) return;
    if (catchingUp) held.push(n);
    else deliver(n);
  }
  function onReconnected() {
    // Notices sent while the listener was down are lost; read them from the ledger. A stream that
    // has no position yet (its head read still pending) has nothing it could have missed.
    if (lastSequence === undefined || catchingUp) return;
    catchingUp = true;
    chain = chain.then(catchUp);
  }
  opts.listener.on('notice', onNotice);
  opts.listener.on('reconnected', onReconnected);

  async function catchUp(): Promise<void> {
    const page = opts.catchUpPage ?? 500;
    const listQuery = print(plan.catchUpQuery);
    while (!ended) {
      const result = await opts.run(listQuery, {
        ...plan.variables,
        [SEQUENCE_VARIABLE]: String(lastSequence ?? 0n),
        [PAGE_VARIABLE]: page,
        [FILTER_VARIABLE]: filter,
      });
      if (result.errors?.length) {
        queue.push({ errors: result.errors });
        await new Promise((r) => setTimeout(r, CATCH_UP_RETRY_MS).unref());
        continue;
      }
      const events = ((result.data as Record<string, any[]>)[plan.responseKey] ?? []) as Record<string, any>[];
      for (const e of events) {
        const seq = BigInt(e.sequence ?? e[SEQUENCE_ALIAS]);
        if (lastSequence !== undefined && seq <= lastSequence) continue;
        lastSequence = seq;
        queue.push(stripBookkeeping({ data: { [plan.responseKey]: e } }, plan.responseKey));
      }
      if (events.length < page) break;
    }
    catchingUp = false;
    for (const n of held.splice(0)) deliver(n);
  }

  if (catchingUp) chain = chain.then(catchUp);
  else {
    // Where this stream starts: the notices it hears from now on are after the head.
    void opts
      .head()
      .then((head) => {
        if (head !== undefined && lastSequence === undefined) lastSequence = head;
      })
      .catch(() => undefined);
  }

  return queue;
}
