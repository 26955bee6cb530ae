import { useQuery, useSubscription } from '@urql/preact';
import { useState } from 'preact/hooks';
import { SYNC_JOB_KINDS } from '../../../lib/job-kinds.ts';
import { ErrorBox } from '../components/ErrorBox.tsx';
import { JobDetail, type Lineage } from '../components/JobDetail.tsx';
import { Pager } from '../components/Pager.tsx';
import { StatusBadge } from '../components/StatusBadge.tsx';
import { fmtTime } from '../lib/format.ts';
import { JOB_UPDATES, JOBS } from '../lib/queries.ts';

// The one list of job kinds (lib/job-kinds.ts), so the filter offers every flow, new ones included.
export const KINDS = SYNC_JOB_KINDS;
export const STATUSES = ['QUEUED', 'RUNNING', 'SUCCEEDED', 'RETRYING', 'EXCEPTION', 'DEAD_LETTERED', 'CANCELLED'];
const PAGE = 20;
const FEED = 50;

type Filter = { kind: string; status: string; customerId: string; projectId: string; invoiceId: string };
const NO_FILTER: Filter = { kind: '', status: '', customerId: '', projectId: '', invoiceId: '' };

type Job = any;
type Event = { sequence: string; status: string; event: string; at: string; job: Job };

function toGraph(f: Filter) {
  return {
    ...(f.kind ? { kinds: [f.kind] } : {}),
    ...(f.status ? { statuses: [f.status] } : {}),
    ...(f.customerId ? { customerId: f.customerId } : {}),
    ...(f.projectId ? { projectId: f.projectId } : {}),
    ...(f.invoiceId ? { invoiceId: f.invoiceId } : {}),
  };
}

/**
 * Live sync: a page of jobs (filtered by flow, status, customer, project) kept current by the
 * syncJobUpdated subscription, and the raw event stream beside it. Rows change in place; jobs that
 * appear while someone reads are announced in a reserved bar instead of pushing the list down.
 */
export function LiveView() {
  const [draft, setDraft] = useState<Filter>(NO_FILTER);
  const [filter, setFilter] = useState<Filter>(NO_FILTER);
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const [selected, setSelected] = useState<string | null>(null);
  const [version, setVersion] = useState(0);
  const [latest, setLatest] = useState<Record<string, Job>>({});
  const [fresh, setFresh] = useState<string[]>([]);
  const graphFilter = toGraph(filter);
  const [res, refetch] = useQuery({ query: JOBS, variables: { first: PAGE, after: cursors[cursors.length - 1], filter: graphFilter } });
  const rows: Job[] = res.data?.syncJobs.nodes ?? [];

  const [feed] = useSubscription<any, Event[]>({ query: JOB_UPDATES, variables: { filter: graphFilter } }, (prev = [], data) => {
    const e = data.syncJobUpdated as Event;
    setLatest((l) => ({ ...l, [e.job.id]: e.job }));
    if (e.job.id === selected) setVersion((v) => v + 1);
    if (!rows.some((r) => r.id === e.job.id)) setFresh((f) => (f.includes(e.job.id) ? f : [e.job.id, ...f]));
    return [e, ...prev].slice(0, FEED);
  });

  const apply = (f: Filter) => {
    setFilter(f);
    setDraft(f);
    setCursors([null]);
    setFresh([]);
  };
  const showFresh = () => {
    setFresh([]);
    setCursors([null]);
    refetch({ requestPolicy: 'network-only' });
  };
  const lineage = (l: Lineage) => apply({ ...NO_FILTER, ...l });
  const total = res.data?.syncJobs.totalCount;
  const pageNo = cursors.length;

  return (
    <div class="view live">
      <form
        class="filters"
        aria-label="Filter jobs"
        onSubmit={(e) => {
          e.preventDefault();
          apply(draft);
        }}
      >
        <label>
          Flow
          <select value={draft.kind} onChange={(e) => setDraft({ ...draft, kind: e.currentTarget.value })}>
            <option value="">All flows</option>
            {KINDS.map((k) => (
              <option key={k} value={k}>
                {k}
              </option>
            ))}
          </select>
        </label>
        <label>
          Status
          <select value={draft.status} onChange={(e) => setDraft({ ...draft, status: e.currentTarget.value })}>
            <option value="">All statuses</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
        <label>
          Customer id
          <input
            value={draft.customerId}
            placeholder="cus_0001"
            onInput={(e) => setDraft({ ...draft, customerId: e.currentTarget.value.trim() })}
          />
        </label>
        <label>
          Project id
          <input
            value={draft.projectId}
            placeholder="prj_..."
            onInput={(e) => setDraft({ ...draft, projectId: e.currentTarget.value.trim() })}
          />
        </label>
        {draft.invoiceId ? (
          <label>
            Invoice id
            <input value={draft.invoiceId} onInput={(e) => setDraft({ ...draft, invoiceId: e.currentTarget.value.trim() })} />
          </label>
        ) : null}
        <div class="filter-buttons">
          <button type="submit" class="primary">
            Apply
          </button>
          <button type="button" onClick={() => apply(NO_FILTER)}>
            Clear
          </button>
        </div>
      </form>
      <div class="live-grid">
        <section class="panel jobs" aria-label="Sync jobs">
          <div class="fresh-bar" aria-live="polite">
            {fresh.length && pageNo === 1 ? (
              <button type="button" class="link" onClick={showFresh}>
                {fresh.length} new job{fresh.length === 1 ? '' : 's'}: show
              </button>
            ) : (
              <span>{total === undefined ? '' : `${total.toLocaleString('en-US')} jobs`}</span>
            )}
          </div>
          <ErrorBox error={res.error} />
          {res.fetching && !res.data ? <p class="loading">Loading jobs...</p> : null}
          {res.data && rows.length === 0 ? <p class="empty">No job matches these filters.</p> : null}
          {rows.length ? (
            <div class="table-scroll">
              <table class="jobs-table">
                <thead>
                  <tr>
                    <th>Created</th>
                    <th>Flow</th>
                    <th>Status</th>
                    <th>Customer</th>
                    <th>Project</th>
                    <th>Source</th>
                    <th>Tries</th>
                    <th>Error</th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((r0) => {
                    const r = latest[r0.id] ?? r0;
                    return (
                      <tr key={r.id} class={selected === r.id ? 'selected' : ''} data-job={r.id}>
                        <td>
                          <button type="button" class="link" onClick={() => setSelected(r.id)} aria-label={`Open job ${r.id}`}>
                            {fmtTime(r.createdAt)}
                          </button>
                        </td>
                        <td>{r.kind}</td>
                        <td>
                          <StatusBadge status={r.status} />
                        </td>
                        <td class="clip">{r.customer?.name ?? r.customer?.id ?? '-'}</td>
                        <td>{r.project?.code ?? '-'}</td>
                        <td class="clip">
                          {r.source.type} {r.source.id}
                        </td>
                        <td>
                          {r.attemptCount}/{r.maxAttempts}
                        </td>
                        <td class="clip">{r.lastError ? r.lastError.code : ''}</td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          ) : null}
          <Pager
            label={`Page ${pageNo}`}
            hasPrev={pageNo > 1}
            hasNext={Boolean(res.data?.syncJobs.pageInfo.hasNextPage)}
            onPrev={() => setCursors(cursors.slice(0, -1))}
            onNext={() => setCursors([...cursors, res.data.syncJobs.pageInfo.endCursor])}
          />
        </section>
        <section class="panel feed" aria-label="Live events">
          <h3>Live events</h3>
          <ErrorBox error={feed.error} />
          <ol class="feed-list" data-testid="live-feed">
            {(feed.data ?? []).length === 0 ? <li class="empty">Waiting for events... (they appear as jobs change)</li> : null}
            {(feed.data ?? []).map((e) => (
              <li key={e.sequence}>
                <span class="time">{fmtTime(e.at).slice(11)}</span> <StatusBadge status={e.status} />{' '}
                <button type="button" class="link" onClick={() => setSelected(e.job.id)}>
                  {e.job.kind}
                </button>{' '}
                <span class="clip">{e.job.source.id}</span>
              </li>
            ))}
          </ol>
        </section>
      </div>
      {selected ? <JobDetail id={selected} version={version} onClose={() => setSelected(null)} onLineage={lineage} /> : null}
    </div>
  );
}
