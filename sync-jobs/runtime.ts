import type { Kysely } from 'kysely';
import type { Clock } from '../lib/clock.ts';
import type { Logger } from '../lib/logger.ts';
import { loadMapping, type Mapping } from '../lib/mapping.ts';
import type { StackOptions } from '../subgraphs/index.ts';
import { engineControl } from './control.ts';
import { type EngineOptions, SyncEngine } from './engine.ts';
import { FLOWS } from './flows/index.ts';
import { engineTriggers } from './triggers.ts';

export type SyncRuntime = { engine: SyncEngine; mapping: Mapping; stackOptions: StackOptions; stop: () => Promise<void> };

/**
 * The engine with every flow, the validated mapping, and what the subgraphs need from it. `work`
 * makes this process a worker too; without it the process only enqueues (a subgraph process, say).
 */
export type SyncTuning = Pick<EngineOptions, 'maxAttempts' | 'backoffBaseSeconds' | 'lockTimeoutMs' | 'pollingIntervalSeconds'>;

export async function startSync(
  opts: { connectionString: string; db: Kysely<any>; logger: Logger; work: boolean; mapping?: Mapping; clock?: Clock } & SyncTuning,
): Promise<SyncRuntime> {
  const mapping = opts.mapping ?? loadMapping();
  const engine = new SyncEngine({
    connectionString: opts.connectionString,
    db: opts.db,
    flows: FLOWS,
    mapping,
    clock: opts.clock,
    logger: opts.logger.child({ service: 'sync' }),
    maxAttempts: opts.maxAttempts,
    backoffBaseSeconds: opts.backoffBaseSeconds,
    lockTimeoutMs: opts.lockTimeoutMs,
    pollingIntervalSeconds: opts.pollingIntervalSeconds,
  });
  await engine.start({ work: opts.work });
  return {
    engine,
    mapping,
    stackOptions: { triggers: engineTriggers(engine), control: engineControl(engine, opts.db), clock: opts.clock, mapping },
    stop: () => engine.stop(),
  };
}
