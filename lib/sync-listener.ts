import { EventEmitter } from 'node:events';
import pg from 'pg';
import type { Logger } from './logger.ts';

export const SYNC_CHANNEL = 'ledgerline_sync_events';

/** What the sync ledger announces on every status change (see the job_events NOTIFY trigger). */
export type SyncNotice = {
  sequence: string;
  jobId: string;
  status: string;
  event: string;
  kind: string;
  customerId: string | null;
  projectId: string | null;
  invoiceId: string | null;
};

/**
 * One LISTEN connection per process (a gateway's subscribers, a worker's wake-ups), shared by all its users. NOTIFY is delivered at
 * commit, so every gateway replica hears every committed status change and nothing that rolled back.
 * The connection is re-established with backoff; `reconnected` tells subscribers to catch up from
 * the ledger for what they may have missed meanwhile.
 */
export class SyncEventListener extends EventEmitter {
  private client: pg.Client | undefined;
  private stopped = false;
  private attempt = 0;

  constructor(
    private readonly connectionString: string,
    private readonly logger: Logger,
    private readonly applicationName = 'ledgerline-gateway-listen',
  ) {
    super();
    this.setMaxListeners(0);
  }

  async start(): Promise<void> {
    await this.connect();
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({ connectionString: this.connectionString, application_name: this.applicationName });
    client.on('notification', (msg) => {
      if (msg.channel !== SYNC_CHANNEL || !msg.payload) return;
      try {
        const n = JSON.parse(msg.payload) as SyncNotice & { sequence: string | number };
        this.emit('notice', { ...n, sequence: String(n.sequence) });
      } catch (err) {
        this.logger.warn('unreadable sync notice', { error: err });
      }
    });
    client.on('error', (err) => this.logger.warn('sync listener connection error', { error: err }));
    client.on('end', () => {
      if (this.stopped) return;
      this.client = undefined;
      this.reconnectLater();
    });
    await client.connect();
    await client.query(`listen ${SYNC_CHANNEL}`);
    const wasReconnect = this.attempt > 0;
    this.attempt = 0;
    this.client = client;
    if (wasReconnect) this.emit('reconnected');
  }

  private reconnectLater(): void {
    // Short: while the connection is down, events wait in the ledger and the catch-up grows.
    const delay = Math.min(2_000, 100 * 2 ** this.attempt++);
    setTimeout(() => {
      if (this.stopped) return;
      this.connect().catch((err) => {
        this.logger.warn('sync listener reconnect failed', { error: err, attempt: this.attempt });
        this.reconnectLater();
      });
    }, delay).unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.client?.end().catch(() => undefined);
  }
}
