import { createRequire } from 'node:module';

/**
 * pg-boss 10 records a handler's outcome with `complete()` / `fail()` without awaiting them (Manager.watch;
 * upstream timgit/pg-boss#577). If the database blinks at that moment the rejection is unhandled and Node
 * ends the worker, with every job it held. A job whose outcome was not recorded stays active until it
 * expires and pg-boss hands it out again; our ledger makes that repeat harmless. So a failed completion is
 * reported on the manager's 'error' event (the engine logs it) and the worker goes on.
 *
 * The manager is not exported, so it is reached by path; a pg-boss upgrade that moves it fails here, at
 * import, not in production.
 */
const require = createRequire(import.meta.url);
const { prototype: manager } = require('pg-boss/src/manager.js') as {
  prototype: Record<string, unknown> & { emit(event: string, err: unknown): boolean };
};
const GUARDED = Symbol.for('ledgerline.pg-boss.guarded');

for (const name of ['complete', 'fail'] as const) {
  const original = manager[name] as ((...args: unknown[]) => Promise<unknown>) & { [GUARDED]?: true };
  if (typeof original !== 'function') throw new Error(`pg-boss Manager.${name} is gone: review sync-jobs/pg-boss-guard.ts`);
  if (original[GUARDED]) continue;
  const guarded = function (this: typeof manager, ...args: unknown[]) {
    const result = original.apply(this, args);
    // Handled here, still rejected for a caller that awaits it.
    result.catch((err: unknown) => this.emit('error', err));
    return result;
  };
  Object.assign(guarded, { [GUARDED]: true });
  manager[name] = guarded;
}
