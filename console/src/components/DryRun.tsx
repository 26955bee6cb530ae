import { useClient } from '@urql/preact';
import { useState } from 'preact/hooks';
import { runAction } from '../lib/actions.ts';
import { replayDiff, type Target } from '../lib/diff.ts';
import { DRY_RUN } from '../lib/queries.ts';
import { ErrorBox, problemsOf } from './ErrorBox.tsx';

type Preview = { targets: Target[]; detail: string; failure: { code: string; message: string; system: string | null } | null };

/**
 * Replay with a dry run first: the flow runs in a transaction that is rolled back, and the page shows
 * what the replay would create or touch (against what the job lists now) or the failure it would end
 * in. Only then can the replay be applied.
 */
export function DryRun(props: { jobId: string; current: Target[]; canAct: boolean; onApplied: () => void }) {
  const client = useClient();
  const [preview, setPreview] = useState<Preview | null>(null);
  const [problems, setProblems] = useState<{ code: string; message: string }[]>([]);
  const [busy, setBusy] = useState(false);
  const [applied, setApplied] = useState(false);
  if (!props.canAct) return null;

  const dryRun = async () => {
    setBusy(true);
    setApplied(false);
    const res = await client.mutation(DRY_RUN, { id: props.jobId }).toPromise();
    setBusy(false);
    const payload = res.data?.replaySyncJob;
    setProblems(res.error ? problemsOf(res.error) : (payload?.errors ?? []));
    setPreview(payload?.ok ? payload.preview : null);
  };
  const apply = async () => {
    setBusy(true);
    const outcome = await runAction(client, 'replay', props.jobId);
    setBusy(false);
    setProblems(outcome.problems);
    if (outcome.ok) {
      setApplied(true);
      setPreview(null);
      props.onApplied();
    }
  };
  const diff = preview ? replayDiff(props.current, preview.targets) : [];
  return (
    <section class="dry-run" aria-label="Replay">
      <div class="actions">
        <button type="button" onClick={dryRun} disabled={busy}>
          Replay: dry run
        </button>
        {applied ? <span class="ok-note">Replay queued.</span> : null}
      </div>
      <ErrorBox problems={problems} />
      {preview ? (
        <div class="preview" data-testid="dry-run-preview">
          <h4>Dry run: what a replay would do (nothing was changed)</h4>
          {preview.failure ? (
            <p class="would-fail">
              Would fail: <strong class="code">{preview.failure.code}</strong> {preview.failure.message} ({preview.failure.system ?? 'sync'}
              )
            </p>
          ) : null}
          {diff.length ? (
            <table class="diff">
              <thead>
                <tr>
                  <th>Change</th>
                  <th>System</th>
                  <th>Record</th>
                  <th>Id</th>
                </tr>
              </thead>
              <tbody>
                {diff.map((d) => (
                  <tr key={`${d.system}|${d.type}|${d.id}`} class={`diff-${d.change.replace(' ', '-')}`}>
                    <td>{d.change === 'new' ? '+ new' : d.change === 'unchanged' ? '= unchanged' : '- not touched'}</td>
                    <td>{d.system}</td>
                    <td>{d.type}</td>
                    <td>
                      <code>{d.id}</code>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : (
            <p>No record would be created or touched.</p>
          )}
          {preview.detail && preview.detail !== '{}' ? (
            <pre class="detail">{JSON.stringify(JSON.parse(preview.detail), null, 2)}</pre>
          ) : null}
          <div class="actions">
            <button type="button" class="primary" onClick={apply} disabled={busy || Boolean(preview.failure)}>
              Apply replay
            </button>
            <button type="button" onClick={() => setPreview(null)}>
              Discard
            </button>
          </div>
        </div>
      ) : null}
    </section>
  );
}
