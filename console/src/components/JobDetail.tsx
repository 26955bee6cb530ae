import { useQuery } from '@urql/preact';
import { useEffect } from 'preact/hooks';
import { canAct } from '../lib/auth.ts';
import { fmtMs, fmtTime } from '../lib/format.ts';
import { JOB_DETAIL } from '../lib/queries.ts';
import { useSession } from '../lib/session.ts';
import { DryRun } from './DryRun.tsx';
import { ErrorBox } from './ErrorBox.tsx';
import { StatusBadge } from './StatusBadge.tsx';

export type Lineage = { customerId?: string; projectId?: string; invoiceId?: string };

/**
 * One job whole: attempts, error, the records it touched, its status history and its lineage (the
 * customer, project, invoice and journal entry it belongs to, each a link that filters the live view).
 */
export function JobDetail(props: { id: string; version: number; onClose: () => void; onLineage: (l: Lineage) => void }) {
  const session = useSession();
  const [res, refetch] = useQuery({ query: JOB_DETAIL, variables: { id: props.id } });
  // A streamed event for this job bumps `version`: read the job again.
  useEffect(() => {
    if (props.version > 0) refetch({ requestPolicy: 'network-only' });
  }, [props.version]);
  const job = res.data?.syncJob;
  return (
    <section class="panel job-detail" aria-label="Job detail" data-testid="job-detail">
      <header class="panel-head">
        <h3>Job {props.id}</h3>
        <button type="button" onClick={props.onClose} aria-label="Close job detail">
          Close
        </button>
      </header>
      <ErrorBox error={res.error} />
      {!job && res.fetching ? <p class="loading">Loading the job...</p> : null}
      {job ? (
        <>
          <dl class="facts">
            <dt>Flow</dt>
            <dd>{job.kind}</dd>
            <dt>Status</dt>
            <dd>
              <StatusBadge status={job.status} />
            </dd>
            <dt>Source</dt>
            <dd>
              {job.source.type} <code>{job.source.id}</code>
            </dd>
            <dt>Trigger</dt>
            <dd>
              {job.trigger}
              {job.triggeredBy ? ` by ${job.triggeredBy}` : ''}
            </dd>
            <dt>Created</dt>
            <dd>{fmtTime(job.createdAt)}</dd>
            <dt>Finished</dt>
            <dd>
              {fmtTime(job.finishedAt)} {job.durationMs !== null ? `(${fmtMs(job.durationMs)})` : ''}
            </dd>
            <dt>Mapping</dt>
            <dd>{job.mappingVersion ?? '-'}</dd>
          </dl>
          {job.lastError ? (
            <p class="job-error">
              <strong class="code">{job.lastError.code}</strong> {job.lastError.message} <em>({job.lastError.system ?? 'sync'})</em>
            </p>
          ) : null}
          <h4>Lineage</h4>
          <ul class="lineage">
            {job.customer ? (
              <li>
                Customer{' '}
                <button type="button" class="link" onClick={() => props.onLineage({ customerId: job.customer.id })}>
                  {job.customer.name ?? job.customer.id}
                </button>
              </li>
            ) : null}
            {job.project ? (
              <li>
                Project{' '}
                <button type="button" class="link" onClick={() => props.onLineage({ projectId: job.project.id })}>
                  {job.project.code ?? job.project.id}
                </button>
              </li>
            ) : null}
            {job.invoice ? (
              <li>
                Invoice{' '}
                <button type="button" class="link" onClick={() => props.onLineage({ invoiceId: job.invoice.id })}>
                  {job.invoice.number ?? job.invoice.id}
                </button>
              </li>
            ) : null}
            {job.journalEntry ? (
              <li>
                Journal entry <code>{job.journalEntry.id}</code> ({job.journalEntry.date}, {job.journalEntry.lines.length} lines)
              </li>
            ) : null}
            {!job.customer && !job.project && !job.invoice && !job.journalEntry ? <li>None recorded.</li> : null}
          </ul>
          <h4>Records touched ({job.targets.length})</h4>
          {job.targets.length ? (
            <ul class="targets">
              {job.targets.map((t: { system: string; type: string; id: string }) => (
                <li key={`${t.system}|${t.type}|${t.id}`}>
                  {t.system} {t.type} <code>{t.id}</code>
                </li>
              ))}
            </ul>
          ) : (
            <p class="empty">None yet.</p>
          )}
          <h4>Attempts ({job.attempts.length})</h4>
          {job.attempts.length ? (
            <table class="compact">
              <thead>
                <tr>
                  <th>#</th>
                  <th>Started</th>
                  <th>Finished</th>
                  <th>Outcome</th>
                  <th>Error</th>
                </tr>
              </thead>
              <tbody>
                {job.attempts.map((a: any) => (
                  <tr key={a.attemptNo}>
                    <td>{a.attemptNo}</td>
                    <td>{fmtTime(a.started)}</td>
                    <td>{fmtTime(a.finished)}</td>
                    <td>{a.outcome ?? 'running'}</td>
                    <td>{a.error ? `${a.error.code}: ${a.error.message}` : ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : (
            <p class="empty">No attempt yet.</p>
          )}
          <h4>Status history</h4>
          <ol class="events">
            {job.events.map((e: any) => (
              <li key={e.sequence}>
                {fmtTime(e.at)} <StatusBadge status={e.status} /> {e.event}
              </li>
            ))}
          </ol>
          {['SUCCEEDED', 'EXCEPTION', 'DEAD_LETTERED', 'CANCELLED'].includes(job.status) ? (
            <DryRun
              jobId={job.id}
              current={job.targets}
              canAct={canAct(session)}
              onApplied={() => refetch({ requestPolicy: 'network-only' })}
            />
          ) : null}
        </>
      ) : null}
    </section>
  );
}
