import type { Logger } from '../lib/logger.ts';
import { SyncEventListener, type SyncNotice } from '../lib/sync-listener.ts';

/**
 * Wakes idle pg-boss workers when a job of their kind is queued, instead of letting them sleep out
 * their polling interval: each step of a chain (approval -> items -> cost) then starts within
 * milliseconds. The ledger's status NOTIFY already names the kind, so this costs one LISTEN
 * connection per worker process. Polling stays as the fallback if the connection drops.
 */
export class JobWakeups {
  private readonly workersByKind = new Map<string, string[]>();
  private listener: SyncEventListener | undefined;

  constructor(
    private readonly connectionString: string,
    private readonly notifyWorker: (workerId: string) => void,
    private readonly logger: Logger,
  ) {}

  add(kind: string, workerId: string): void {
    this.workersByKind.set(kind, [...(this.workersByKind.get(kind) ?? []), workerId]);
  }

  async start(): Promise<void> {
    if (this.workersByKind.size === 0 || this.listener) return;
    this.listener = new SyncEventListener(this.connectionString, this.logger, 'ledgerline-sync-wakeups');
    this.listener.on('notice', (n: SyncNotice) => {
      if (n.status !== 'QUEUED' && n.status !== 'RETRYING') return;
      for (const id of this.workersByKind.get(n.kind) ?? []) this.notifyWorker(id);
    });
    await this.listener.start();
  }

  async stop(): Promise<void> {
    await this.listener?.stop();
    this.listener = undefined;
  }
}
