import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

export type Child<Info> = {
  pid: number;
  info: Info;
  rssMb: () => number;
  stop: () => Promise<void>;
  stderr: () => string;
  /** The process has not exited. */
  alive: () => boolean;
};

const ROOT = path.resolve(import.meta.dirname, '..');

/** Resident memory of a process in MiB, from /proc (Linux); NaN elsewhere. */
export function rssMbOf(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

/**
 * Starts `bench/serve.ts <role>` in its own node process (tsx as the loader) and waits for its
 * `READY <json>` line. `cpuProfDir` adds --cpu-prof: the profile is written when the child exits.
 */
export async function startChild<Info>(
  role: string,
  env: Record<string, string>,
  opts: { cpuProfDir?: string; timeoutMs?: number } = {},
): Promise<Child<Info>> {
  const args = [
    '--import',
    'tsx',
    ...(opts.cpuProfDir ? ['--cpu-prof', '--cpu-prof-dir', opts.cpuProfDir] : []),
    path.join(ROOT, 'bench/serve.ts'),
    role,
  ];
  const child: ChildProcess = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-8000);
  });
  const info = await new Promise<Info>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(
      () => reject(new Error(`${role} did not start within ${opts.timeoutMs ?? 60_000} ms: ${stderr.slice(-2000)}`)),
      opts.timeoutMs ?? 60_000,
    );
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /READY (.*)\n/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(JSON.parse(m[1]) as Info);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${role} exited with ${code} before it was ready: ${stderr.slice(-2000)}`));
    });
  }).catch((err) => {
    child.kill('SIGKILL');
    throw err;
  });
  const pid = child.pid!;
  const alive = () => child.exitCode === null && child.signalCode === null;
  return {
    pid,
    info,
    rssMb: () => rssMbOf(pid),
    stderr: () => stderr,
    alive,
    stop: async () => {
      if (!alive()) return;
      const exited = new Promise<void>((r) => child.once('exit', () => r()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Samples a process's RSS every `everyMs` until stopped; returns the peak. */
export function sampleRss(pid: number, everyMs = 250): () => number {
  let peak = rssMbOf(pid);
  const t = setInterval(() => {
    const v = rssMbOf(pid);
    if (v > peak) peak = v;
  }, everyMs);
  return () => {
    clearInterval(t);
    return Math.max(peak, rssMbOf(pid) || 0);
  };
}
