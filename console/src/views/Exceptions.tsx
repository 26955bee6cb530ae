import { useClient, useQuery, useSubscription } from '@urql/preact';
import { useState } from 'preact/hooks';
import { DryRun } from '../components/DryRun.tsx';
import { ErrorBox } from '../components/ErrorBox.tsx';
import { MasterFix } from '../components/MasterFix.tsx';
import { Pager } from '../components/Pager.tsx';
import { StatusBadge } from '../components/StatusBadge.tsx';
import { type Action, type ActionOutcome, runAction, runBulk } from '../lib/actions.ts';
import { canAct } from '../lib/auth.ts';
import { causeOf, fixFor, type StoppedJob } from '../lib/fixes.ts';
import { fmtTime } from '../lib/format.ts';
import { JOB_UPDATES, JOBS } from '../lib/queries.ts';
import { useSession } from '../lib/session.ts';

const STOPPED = ['EXCEPTION', 'DEAD_LETTERED', 'RETRYING'];
const PAGE = 25;
type Job = StoppedJob & {
  createdAt: string;
  attemptCount: number;
  maxAttempts: number;
  targets: { system: string; type: string; id: string }[];
};

/** Which actions fit a status (the server checks again: sync-jobs/control.ts). */
const allowed = (status: string): Action[] =>
  status === 'EXCEPTION' ? ['resolve', 'cancel'] : status === 'DEAD_LETTERED' || status === 'RETRYING' ? ['retry', 'cancel'] : [];

/**
 * Exceptions and dead letters: why each job stopped, the system that refused, the record at fault and
 * how to fix it; fix forms where the console has one, then resolve, retry, cancel or replay (dry run
 * first). Jobs of the same cause can be acted on together.
 */
export function ExceptionsView() {
  const session = useSession();
  const client = useClient();
  const acts = canAct(session);
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const [res, refetch] = useQuery({
    query: JOBS,
    variables: { first: PAGE, after: cursors[cursors.length - 1], filter: { statuses: STOPPED } },
  });
  const [latest, setLatest] = useState<Record<string, Job>>({});
  const [outcomes, setOutcomes] = useState<Record<string, ActionOutcome>>({});
  const [notes, setNotes] = useState<Record<string, string>>({});
  const [fixing, setFixing] = useState<string | null>(null);
  const [confirm, setConfirm] = useState<{ cause: string; action: Action } | null>(null);
  const [busy, setBusy] = useState(false);
  // Jobs acted on stay on the page (the list itself holds only stopped jobs), so the operator sees
  // them run and end, streamed in place.
  const [kept, setKept] = useState<Job[]>([]);
  const keep = (list: Job[]) => setKept((k) => [...k.filter((x) => !list.some((j) => j.id === x.id)), ...list]);
  useSubscription({ query: JOB_UPDATES, variables: {} }, (_prev: unknown, data: any) => {
    const job = data.syncJobUpdated.job as Job;
    setLatest((l) => ({ ...l, [job.id]: job }));
    return null;
  });
  const listed: Job[] = res.data?.syncJobs.nodes ?? [];
  const jobs: Job[] = [...listed, ...kept.filter((k) => !listed.some((j) => j.id === k.id))].map((j: Job) => latest[j.id] ?? j);
  const causes = new Map<string, Job[]>();
  for (const j of jobs) if (STOPPED.includes(j.status)) causes.set(causeOf(j), [...(causes.get(causeOf(j)) ?? []), j]);

  const act = async (action: Action, job: Job) => {
    setBusy(true);
    const out = await runAction(client, action, job.id, notes[job.id] ?? '');
    setBusy(false);
    if (out.ok) keep([job]);
    setOutcomes((o) => ({ ...o, [job.id]: out }));
  };
  const bulk = async (cause: string, action: Action) => {
    const targets = (causes.get(cause) ?? []).filter((j) => allowed(j.status).includes(action));
    const ids = targets.map((j) => j.id);
    keep(targets);
    setBusy(true);
    const outs = await runBulk(client, action, ids, notes[`cause:${cause}`] ?? '');
    setBusy(false);
    setConfirm(null);
    setOutcomes((o) => ({ ...o, ...Object.fromEntries(outs.map((x) => [x.id, x])) }));
  };

  return (
    <div class="view exceptions">
      <div class="view-head">
        <p>
          Jobs waiting for an operator (EXCEPTION), parked after their last attempt (DEAD_LETTERED) or waiting to retry.
          {acts ? '' : ' Your role reads only: actions are for operators and admins.'}
        </p>
        <button type="button" onClick={() => refetch({ requestPolicy: 'network-only' })}>
          Refresh
        </button>
      </div>
      <ErrorBox error={res.error} />
      {res.fetching && !res.data ? <p class="loading">Loading exceptions...</p> : null}
      {res.data && jobs.length === 0 ? <p class="empty">No exception or dead letter: every job is moving.</p> : null}
      {causes.size ? (
        <section class="panel causes" aria-label="By cause">
          <h3>By cause</h3>
          <div class="table-scroll">
            <table>
              <thead>
                <tr>
                  <th>Cause</th>
                  <th>Jobs</th>
                  <th>Flows</th>
                  {acts ? <th>Bulk action</th> : null}
                </tr>
              </thead>
              <tbody>
                {[...causes.entries()].map(([cause, list]) => (
                  <tr key={cause} data-cause={cause}>
                    <td>
                      <code>{cause}</code>
                    </td>
                    <td>{list.length}</td>
                    <td>{[...new Set(list.map((j) => j.kind))].join(', ')}</td>
                    {acts ? (
                      <td class="bulk">
                        {confirm?.cause === cause ? (
                          <>
                            <span>
                              {confirm.action} {list.filter((j) => allowed(j.status).includes(confirm.action)).length} jobs?
                            </span>
                            {confirm.action === 'resolve' ? (
                              <input
                                aria-label={`Note for resolving every ${cause} job`}
                                placeholder="What was fixed"
                                value={notes[`cause:${cause}`] ?? ''}
                                onInput={(e) => setNotes({ ...notes, [`cause:${cause}`]: e.currentTarget.value })}
                              />
                            ) : null}
                            <button
                              type="button"
                              class="primary"
                              disabled={busy || (confirm.action === 'resolve' && !(notes[`cause:${cause}`] ?? '').trim())}
                              onClick={() => bulk(cause, confirm.action)}
                            >
                              Confirm
                            </button>
                            <button type="button" onClick={() => setConfirm(null)}>
                              Back
                            </button>
                          </>
                        ) : (
                          (['resolve', 'retry', 'cancel'] as Action[])
                            .filter((a) => list.some((j) => allowed(j.status).includes(a)))
                            .map((a) => (
                              <button key={a} type="button" onClick={() => setConfirm({ cause, action: a })}>
                                {a === 'resolve' ? 'Resolve all' : a === 'retry' ? 'Retry all' : 'Cancel all'}
                              </button>
                            ))
                        )}
                      </td>
                    ) : null}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      ) : null}
      <ul class="exception-list">
        {jobs.map((j) => {
          const fix = fixFor(j);
          const out = outcomes[j.id];
          return (
            <li key={j.id} class="panel exception" data-job={j.id}>
              <header class="panel-head">
                <h3>
                  {j.kind} <code>{j.source.id}</code>
                </h3>
                <StatusBadge status={j.status} />
              </header>
              <dl class="facts">
                <dt>Reason</dt>
                <dd>
                  <strong class="code">{j.lastError?.code ?? '-'}</strong> {j.lastError?.message ?? ''}
                </dd>
                <dt>Owning system</dt>
                <dd>{j.lastError?.system ?? 'sync'}</dd>
                <dt>Record at fault</dt>
                <dd>{fix.record}</dd>
                <dt>Fix</dt>
                <dd class="hint">{fix.hint}</dd>
                <dt>Customer</dt>
                <dd>{j.customer ? `${j.customer.name ?? ''} (${j.customer.id})` : '-'}</dd>
                <dt>Since</dt>
                <dd>
                  {fmtTime(j.createdAt)}, {j.attemptCount}/{j.maxAttempts} attempts
                </dd>
              </dl>
              {acts ? (
                <div class="actions">
                  {fix.form && j.customer ? (
                    <button type="button" onClick={() => setFixing(fixing === j.id ? null : j.id)} aria-expanded={fixing === j.id}>
                      Fix the record
                    </button>
                  ) : null}
                  {allowed(j.status).includes('resolve') ? (
                    <>
                      <input
                        aria-label={`Note for resolving ${j.id}`}
                        placeholder="What was fixed"
                        value={notes[j.id] ?? ''}
                        onInput={(e) => setNotes({ ...notes, [j.id]: e.currentTarget.value })}
                      />
                      <button
                        type="button"
                        class="primary"
                        disabled={busy || !(notes[j.id] ?? '').trim()}
                        onClick={() => act('resolve', j)}
                      >
                        Resolve
                      </button>
                    </>
                  ) : null}
                  {allowed(j.status).includes('retry') ? (
                    <button type="button" disabled={busy} onClick={() => act('retry', j)}>
                      Retry
                    </button>
                  ) : null}
                  {allowed(j.status).includes('cancel') ? (
                    <button type="button" disabled={busy} onClick={() => act('cancel', j)}>
                      Cancel
                    </button>
                  ) : null}
                </div>
              ) : null}
              {acts && fixing === j.id && j.customer ? <MasterFix customerId={j.customer.id} onSaved={() => undefined} /> : null}
              {out ? (
                out.ok ? (
                  <p class="ok-note">Done: the job is {(latest[j.id] ?? j).status.toLowerCase().replace('_', ' ')}.</p>
                ) : (
                  <ErrorBox problems={out.problems} />
                )
              ) : null}
              {acts && ['EXCEPTION', 'DEAD_LETTERED'].includes(j.status) ? (
                <DryRun jobId={j.id} current={j.targets} canAct={acts} onApplied={() => undefined} />
              ) : null}
            </li>
          );
        })}
      </ul>
      <Pager
        label={`Page ${cursors.length}`}
        hasPrev={cursors.length > 1}
        hasNext={Boolean(res.data?.syncJobs.pageInfo.hasNextPage)}
        onPrev={() => setCursors(cursors.slice(0, -1))}
        onNext={() => setCursors([...cursors, res.data.syncJobs.pageInfo.endCursor])}
      />
    </div>
  );
}
