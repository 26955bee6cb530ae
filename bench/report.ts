import type { OperationName } from './operations.ts';
import type { ColdStartRow } from './parts/cold-start.ts';
import type { PgRestartResult } from './parts/pg-restart.ts';
import { type ReadRow, type ReadsResult, VARIANT_TITLES, VARIANTS } from './parts/reads.ts';
import type { SqlCountRow } from './parts/sql-count.ts';
import type { SubscriptionRow } from './parts/subscriptions.ts';
import type { SyncResult } from './parts/sync.ts';

/** The benchmark's parts, in the order they run. */
export const PARTS = ['sqlcount', 'reads', 'sync', 'subscriptions', 'coldstart', 'pgrestart'] as const;
export type PartName = (typeof PARTS)[number];

export type Machine = {
  commit: string;
  cpus: number;
  cpuModel: string;
  memoryGiB: number;
  loadAverage: number[];
  os: string;
  node: string;
  postgres: string;
};

export type BenchReport = {
  startedAt: string;
  mode: 'quick' | 'full';
  command: string;
  machine: Machine;
  data?: { scale: number; cached: boolean; seedSeconds: number; cloneSeconds: number; counts: Record<string, number> };
  durationSeconds: number;
  sqlCount?: SqlCountRow[];
  reads?: ReadsResult;
  sync?: SyncResult;
  subscriptions?: SubscriptionRow[];
  coldStart?: ColdStartRow[];
  pgRestart?: PgRestartResult;
  failures: { part: PartName; error: string }[];
};

const f = (v: number | undefined, digits = 0) => (v === undefined || Number.isNaN(v) ? 'n/a' : v.toFixed(digits));
const ratio = (a: number | undefined, b: number | undefined, digits = 2) =>
  a === undefined || b === undefined || !b || Number.isNaN(a) || Number.isNaN(b) ? 'n/a' : `${(a / b).toFixed(digits)}x`;
const verdict = (ok: boolean | undefined) => (ok === undefined ? 'not measured' : ok ? '**met**' : '**MISSED**');

export type TargetRow = { target: string; figure: string; met: boolean | undefined };

/** The issue's targets, each checked against this run's figures. */
export function targets(r: BenchReport): TargetRow[] {
  const out: TargetRow[] = [];
  const reads = r.reads?.rows ?? [];
  const ops = [...new Set(reads.map((x) => x.operation))];
  const get = (op: OperationName, v: string) => reads.find((x) => x.operation === op && x.variant === v && x.available);
  for (const op of ops) {
    const l = get(op, 'ledgerline');
    const hives = ['hive', 'hive-rust'].map((v) => get(op, v)).filter((x): x is ReadRow => Boolean(x));
    const best = hives.reduce<ReadRow | undefined>((m, x) => (!m || (x.rps ?? 0) > (m.rps ?? 0) ? x : m), undefined);
    out.push({
      target: `${op}: req/s above every Hive variant`,
      figure: l && best ? `${f(l.rps)} vs ${f(best.rps)} (${best.variant}) = ${ratio(l.rps, best.rps)}` : 'n/a',
      met: l && best ? (l.rps ?? 0) > (best.rps ?? 0) : undefined,
    });
  }
  for (const op of ops) {
    const l = get(op, 'ledgerline');
    const floor = get(op, 'floor');
    out.push({
      target: `${op}: p50 within 3x of the SQL floor`,
      figure: l && floor ? `${f(l.p50Ms, 1)} ms vs ${f(floor.p50Ms, 1)} ms = ${ratio(l.p50Ms, floor.p50Ms, 1)}` : 'n/a',
      met: l && floor ? (l.p50Ms ?? Infinity) <= 3 * Math.max(floor.p50Ms ?? 0, 1) : undefined,
    });
  }
  if (r.sync) {
    out.push({
      target: 'sync: >= 10,000 time entries/s end to end',
      figure: `${f(r.sync.entriesPerSecond, 1)} entries/s (${r.sync.entries} entries)`,
      met: r.sync.entriesPerSecond >= 10_000,
    });
  } else out.push({ target: 'sync: >= 10,000 time entries/s end to end', figure: 'n/a', met: undefined });
  const s5k = r.subscriptions?.find((s) => s.subscribers >= 5000);
  out.push({
    target: 'subscriptions: 5,000 subscribers, p99 < 250 ms',
    figure: s5k
      ? `p99 ${f(s5k.p99Ms, 1)} ms, ${s5k.deliveries}/${s5k.expectedDeliveries} delivered`
      : r.subscriptions
        ? `not run at 5,000 (${r.mode} run)`
        : 'n/a',
    met: s5k ? s5k.p99Ms < 250 && s5k.deliveries === s5k.expectedDeliveries : undefined,
  });
  const d = r.pgRestart;
  out.push({
    target: 'PostgreSQL restart under load: nothing acknowledged, queued or published is lost; the hub recovers by itself',
    figure: d
      ? `lost: ${d.acknowledgedLost} approvals, ${d.eventsLost} events; ${d.jobs - d.jobsSucceeded} jobs not succeeded; recovered ${f(d.recoverSeconds, 1)} s after the server; processes ${d.processesAlive ? 'alive' : 'DIED'}`
      : 'n/a',
    met: d
      ? d.acknowledgedLost === 0 && d.eventsLost === 0 && d.eventsDuplicated === 0 && d.jobs === d.jobsSucceeded && d.processesAlive
      : undefined,
  });
  return out;
}

export function renderMarkdown(r: BenchReport): string {
  const L: string[] = [];
  const m = r.machine;
  L.push(`# Ledgerline benchmark: ${r.mode} run, ${r.startedAt}`, '');
  L.push(`Command: \`${r.command}\`; took ${f(r.durationSeconds)} s; code: ${m.commit ?? 'unknown'}.`, '');
  L.push(
    `Machine: ${m.cpus} x ${m.cpuModel}, ${m.memoryGiB} GiB RAM, ${m.os}, Node ${m.node}, ${m.postgres}; load average at start ${m.loadAverage.join(' / ')} (shared machine: compare figures within one run).`,
    '',
  );
  if (r.data) {
    L.push(
      `Data: seed scale ${r.data.scale} (${Object.entries(r.data.counts)
        .map(([k, v]) => `${k} ${v.toLocaleString('en-US')}`)
        .join(
          ', ',
        )}); ${r.data.cached ? 'cached template reused' : `seeded in ${f(r.data.seedSeconds)} s`}, cloned in ${f(r.data.cloneSeconds, 1)} s.`,
      '',
    );
  }
  if (r.failures.length) {
    L.push('**Parts that failed:**', '');
    for (const x of r.failures) L.push(`- ${x.part}: ${x.error.replace(/\n/g, ' ')}`);
    L.push('');
  }

  L.push('## Targets', '', '| target | this run | verdict |', '|---|---|---|');
  for (const t of targets(r)) L.push(`| ${t.target} | ${t.figure} | ${verdict(t.met)} |`);
  L.push('');

  if (r.reads) {
    const rd = r.reads;
    L.push(
      `## BI reads (${rd.connections} connections, ${rd.durationSeconds} s each in ${rd.rounds ?? 1} interleaved round${(rd.rounds ?? 1) > 1 ? 's' : ''}, autocannon)`,
      '',
    );
    L.push(
      `Each gateway runs in its own process in front of the same subgraph process (six subgraphs, RSS ${rd.subgraphRssMb} MiB at the end). RSS is the gateway process's peak during the measurement.`,
      '',
    );
    L.push('| operation | server | req/s | p50 ms | p99 ms | errors | same answer | RSS MiB |', '|---|---|---:|---:|---:|---:|---|---:|');
    const ops = [...new Set(rd.rows.map((x) => x.operation))];
    for (const op of ops) {
      for (const v of VARIANTS) {
        const x = rd.rows.find((y) => y.operation === op && y.variant === v);
        if (!x) continue;
        if (!x.available) {
          L.push(`| ${op} | ${VARIANT_TITLES[v]} | did not run | | | | | ${x.note ? x.note.slice(0, 120) : ''} |`);
          continue;
        }
        L.push(
          `| ${op} | ${VARIANT_TITLES[v]} | ${f(x.rps)} | ${f(x.p50Ms, 1)} | ${f(x.p99Ms, 1)} | ${x.errors} | ${x.sameAnswer ? 'yes' : '**no**'} | ${x.gatewayRssMb} |`,
        );
      }
    }
    L.push(
      '',
      '| operation | Ledgerline / Hive req/s | Ledgerline / Hive+Rust req/s | Ledgerline p50 / floor p50 | floor / Ledgerline req/s | in-process / HTTP req/s | in-process / Hive+Rust req/s |',
      '|---|---:|---:|---:|---:|---:|---:|',
    );
    for (const op of ops) {
      const g = (v: string) => rd.rows.find((y) => y.operation === op && y.variant === v && y.available);
      L.push(
        `| ${op} | ${ratio(g('ledgerline')?.rps, g('hive')?.rps)} | ${ratio(g('ledgerline')?.rps, g('hive-rust')?.rps)} | ${ratio(g('ledgerline')?.p50Ms, g('floor')?.p50Ms, 1)} | ${ratio(g('floor')?.rps, g('ledgerline')?.rps, 1)} | ${ratio(g('ledgerline-inproc')?.rps, g('ledgerline')?.rps)} | ${ratio(g('ledgerline-inproc')?.rps, g('hive-rust')?.rps)} |`,
      );
    }
    if (Object.keys(rd.startErrors).length) {
      L.push('', 'Servers that did not start:', '');
      for (const [k, v] of Object.entries(rd.startErrors)) L.push(`- ${k}: ${v}`);
    }
    L.push('');
  }

  if (r.sqlCount) {
    L.push('## SQL statements per request (Ledgerline, all subgraphs; the floor is 1 statement by construction)', '');
    const ops = [...new Set(r.sqlCount.map((x) => x.operation))];
    L.push(
      '| operation | page size -> statements | page size -> statements | grows with the page? | by table (larger page) |',
      '|---|---:|---:|---|---|',
    );
    for (const op of ops) {
      const [a, b] = r.sqlCount.filter((x) => x.operation === op);
      const by = b
        ? Object.entries(b.byStatementKind)
            .sort(([, x], [, y]) => y - x)
            .map(([k, v]) => `${k} ${v}`)
            .join(', ')
        : '';
      L.push(
        `| ${op} | ${a?.first} -> ${a?.statements}${a?.errors ? ' (errors)' : ''} | ${b?.first} -> ${b?.statements}${b?.errors ? ' (errors)' : ''} | ${a && b ? (b.statements > a.statements ? '**yes**' : 'no') : 'n/a'} | ${by} |`,
      );
    }
    L.push('');
  }

  if (r.sync) {
    const s = r.sync;
    L.push(
      '## Sync throughput (bulk approval -> billable items and cost journals -> billing cycle -> invoices -> journals and receivables)',
      '',
    );
    L.push(
      `${s.resources} resources x ${s.weeks} weeks = ${s.timesheets} timesheets x ${s.entriesPerTimesheet} entries = ${s.entries} time entries on ${s.projects} projects, approved in ${s.approvalCalls} approveTimesheets calls (2 in flight); commits: ${s.commits}; workers: ${s.workerProcesses} processes x ${s.enginesPerProcess} pg-boss engines (set-based flows take up to 100 jobs per transaction; LISTEN wake-ups).`,
      '',
    );
    L.push('| phase | seconds (from the first approval) |', '|---|---:|');
    L.push(`| all approvals answered | ${f(s.approveSeconds, 1)} |`);
    L.push(`| every TIME_APPROVED / PROJECT_COST job done | ${f(s.itemsSeconds, 1)} |`);
    L.push(`| runBillingCycle answered (one run per project) | ${f(s.billingRunsAnsweredSeconds, 1)} |`);
    L.push(`| every BILLING_RUN job done (invoices issued) | ${f(s.billingRunsDoneSeconds, 1)} |`);
    L.push(
      `| billing runs -> every invoice posted (${s.invoices} invoices, ${s.journals} journals, ${s.itemsInvoiced} items invoiced) | ${f(s.totalSeconds, 1)} |`,
    );
    L.push('');
    if (s.stages?.length) {
      L.push(
        '| job kind | jobs | batches (transactions) | mean / max batch ms | busy s (sum over batches) | first start -> last finish s |',
        '|---|---:|---:|---:|---:|---:|',
      );
      for (const st of s.stages)
        L.push(
          `| ${st.kind} | ${st.jobs} | ${st.batches} | ${f(st.avgBatchMs)} / ${f(st.maxBatchMs)} | ${f(st.busySeconds, 1)} | ${f(st.firstStartS, 1)} -> ${f(st.lastFinishS, 1)} |`,
        );
      L.push('');
    }
    L.push('| pipeline | entries/s | floor: one INSERT ... SELECT pricing the same rows | pipeline / floor |', '|---|---:|---:|---:|');
    L.push(
      `| end to end | ${f(s.entriesPerSecond, 1)} | ${f(s.floorEntriesPerSecond)} entries/s (${f(s.floorSeconds * 1000, 1)} ms) | ${ratio(s.entriesPerSecond, s.floorEntriesPerSecond, 4)} |`,
    );
    L.push('', `Billable items created: ${s.itemsCreated}; failed or dead-lettered jobs: ${s.failedJobs}.`, '');
  }

  if (r.subscriptions) {
    L.push('## Subscriptions (graphql-ws, one gateway; latency from sending the triggering mutation to receipt)', '');
    L.push(
      '| subscribers | sockets | events | delivered | p50 ms | p99 ms | max ms | mutation p50 ms | gateway RSS idle -> subscribed -> peak MiB | error |',
      '|---:|---:|---:|---:|---:|---:|---:|---:|---|---|',
    );
    for (const s of r.subscriptions) {
      L.push(
        `| ${s.subscribers} | ${s.sockets} | ${s.events} | ${s.deliveries}/${s.expectedDeliveries} | ${f(s.p50Ms, 1)} | ${f(s.p99Ms, 1)} | ${f(s.maxMs, 1)} | ${f(s.mutationP50Ms, 1)} | ${s.gatewayRssBeforeMb} -> ${f(s.gatewayRssSubscribedMb)} -> ${f(s.gatewayRssPeakMb)} | ${s.error ?? ''} |`,
      );
    }
    L.push('');
  }

  if (r.coldStart) {
    L.push('## Start-up (`npm start` to the first answered query)', '', '| start | seconds | note |', '|---|---:|---|');
    for (const c of r.coldStart)
      L.push(
        `| ${c.start === 'cold' ? 'cold: fresh data dir (initdb, migrate, seed scale 1)' : 'warm: same data dir again'} | ${c.ok ? f(c.seconds, 1) : 'failed'} | ${c.note ?? ''} |`,
      );
    L.push('');
  }
  if (r.pgRestart) {
    const d = r.pgRestart;
    L.push(
      '## PostgreSQL restart under load (fast shutdown and start of the server)',
      '',
      `${d.readers} readers, 1 approver and 1 \`syncEvents\` subscriber on a gateway + subgraphs process, 2 workers in another; the server was down ${f(d.downSeconds, 1)} s.`,
      '',
      '| figure | value |',
      '|---|---:|',
      `| reads (failed) | ${d.reads} (${d.readErrors}) |`,
      `| approvals acknowledged (failed) | ${d.approvalsAcknowledged} (${d.approvalErrors}) |`,
      `| errors seen by clients: first to last, s | ${f(d.errorWindowSeconds, 1)} |`,
      `| recovered: server back to the last failed request, s | ${f(d.recoverSeconds, 1)} |`,
      `| acknowledged approvals lost | ${d.acknowledgedLost} |`,
      `| jobs succeeded / caused | ${d.jobsSucceeded} / ${d.jobs}${Object.keys(d.jobsOther).length ? ` (${JSON.stringify(d.jobsOther)})` : ''} |`,
      `| events delivered / in the ledger (lost, duplicated) | ${d.eventsDelivered} / ${d.eventsInLedger} (${d.eventsLost}, ${d.eventsDuplicated}) |`,
      `| subscriber reconnects | ${d.subscriberReconnects} |`,
      `| hub and worker processes alive afterwards | ${d.processesAlive ? 'yes' : '**no**'} |`,
      '',
    );
    for (const death of d.deaths ?? []) L.push('A process died; the end of its stderr:', '', '```', death.trim(), '```', '');
  }
  return L.join('\n');
}
