import { type ChildProcess, spawn } from 'node:child_process';
import net from 'node:net';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The entry points of the production parts: package.json's scripts, the Dockerfile and compose.yaml use these. */
export const ENTRY_POINTS = {
  gateway: 'gateway/server.ts',
  subgraph: 'scripts/start-subgraph.ts',
  worker: 'scripts/start-worker.ts',
  migrate: 'scripts/migrate.ts',
} as const;

/** One part of a deployment running as its own process, started by the same entry point production uses. */
export type Part = {
  name: string;
  child: ChildProcess;
  /** Every JSON log line the process wrote on stderr so far. */
  logs: Record<string, unknown>[];
  /** Resolves with the first log line that `match` accepts; rejects if the process exits first. */
  waitForLog: (match: (line: Record<string, unknown>) => boolean, timeoutMs?: number) => Promise<Record<string, unknown>>;
  /** SIGKILL, as a crash or an OOM kill would: no shutdown hook runs. */
  kill: () => Promise<void>;
};

/** Starts `script` (relative to the repository) under tsx, as `npm run ...` would, with `env` on top of ours. */
export function startPart(name: string, script: string, args: string[], env: Record<string, string>): Part {
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const logs: Record<string, unknown>[] = [];
  const raw: string[] = [];
  const waiters = new Set<() => void>();
  let buffered = '';
  child.stderr!.on('data', (d: Buffer) => {
    buffered += d.toString();
    const lines = buffered.split('\n');
    buffered = lines.pop()!;
    for (const line of lines) {
      raw.push(line);
      try {
        logs.push(JSON.parse(line));
      } catch {
        // Not a log line (a warning from Node): kept in `raw` for the failure message.
      }
    }
    for (const w of waiters) w();
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    name,
    child,
    logs,
    waitForLog: (match, timeoutMs = 60_000) =>
      new Promise((resolve, reject) => {
        const check = () => {
          const hit = logs.find(match);
          if (!hit) return;
          cleanup();
          resolve(hit);
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`${name}: no such log line within ${timeoutMs} ms; stderr:\n${raw.slice(-20).join('\n')}`));
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        exited.then((code) => {
          if (!waiters.has(check)) return;
          cleanup();
          reject(new Error(`${name} exited with ${code} before it was ready; stderr:\n${raw.slice(-20).join('\n')}`));
        });
        check();
      }),
    kill: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}

/** `count` consecutive free TCP ports on loopback: subgraphs started alone take SUBGRAPH_PORT_BASE + their index. */
export async function freePortRange(count: number): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = 20_000 + Math.floor(Math.random() * 30_000);
    const held: net.Server[] = [];
    try {
      for (let i = 0; i < count; i++) {
        const server = net.createServer();
        await new Promise<void>((resolve, reject) => {
          server.once('error', reject);
          server.listen(base + i, '127.0.0.1', () => resolve());
        });
        held.push(server);
      }
      return base;
    } catch {
      // Taken: try another range.
    } finally {
      await Promise.all(held.map((s) => new Promise((r) => s.close(r))));
    }
  }
  throw new Error(`no ${count} consecutive free ports found`);
}

/** Polls `url` until it answers 200 (a load balancer's readiness probe). */
export async function waitReady(url: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    try {
      const res = await fetch(url);
      if (res.status === 200) return;
      last = `${res.status} ${await res.text()}`;
    } catch (err) {
      last = String(err);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} not ready within ${timeoutMs} ms: ${last}`);
}
