import type { TriggerEvent, Triggers } from '../lib/triggers.ts';
import type { SyncEngine } from './engine.ts';
import type { Flow } from './flow.ts';
import { FLOWS } from './flows/index.ts';
import type { JobSpec } from './ledger.ts';

/** The flow each business event starts (its `trigger`), from the one list of flows. */
const FLOW_OF_EVENT = new Map<string, Flow>(FLOWS.flatMap((f) => (f.trigger ? [[f.trigger.event, f] as const] : [])));

/** Which job each business event starts, keyed so that a repeated event finds the job it started. */
export function jobForEvent(event: TriggerEvent): JobSpec {
  const trigger = FLOW_OF_EVENT.get(event.type)?.trigger;
  if (!trigger) throw new Error(`No sync flow is started by ${event.type}: give a flow in sync-jobs/flows a trigger for it`);
  // The map pairs each event type with the flow that declared it, so the event fits its job function.
  return { kind: FLOW_OF_EVENT.get(event.type)!.kind, ...(trigger.job as (e: TriggerEvent) => Omit<JobSpec, 'kind'>)(event) };
}

/** The triggers the subgraphs fire, backed by the engine: each event enqueues its job in the writer's transaction. */
export function engineTriggers(engine: SyncEngine): Triggers {
  return {
    fire: async (trx, event, actor) => {
      await engine.enqueue(trx, { ...jobForEvent(event), triggeredBy: actor ?? null });
    },
    fireMany: async (trx, events, actor) => {
      await engine.enqueueMany(
        trx,
        events.map((e) => ({ ...jobForEvent(e), triggeredBy: actor ?? null })),
      );
    },
  };
}
