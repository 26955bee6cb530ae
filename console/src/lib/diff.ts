export type Target = { system: string; type: string; id: string };
export type DiffRow = Target & { change: 'new' | 'unchanged' | 'not touched' };

// Types compare without case: jobs written by the demo seed name them in lower case (project), the
// flows in PascalCase (Project).
const key = (t: Target) => `${t.system}|${t.type.toLowerCase()}|${t.id}`;

/**
 * What a replay would do to the records a job touched: records the dry run would create or touch that
 * the job does not list yet are new; those it lists already are unchanged (flows are idempotent: a
 * replay finds them); those the job lists and the dry run no longer touches are shown too.
 */
export function replayDiff(current: readonly Target[], preview: readonly Target[]): DiffRow[] {
  const now = new Set(current.map(key));
  const next = new Set(preview.map(key));
  const rows: DiffRow[] = [
    ...preview.map((t): DiffRow => ({ ...t, change: now.has(key(t)) ? 'unchanged' : 'new' })),
    ...current.filter((t) => !next.has(key(t))).map((t): DiffRow => ({ ...t, change: 'not touched' })),
  ];
  const order = { new: 0, 'not touched': 1, unchanged: 2 };
  return rows.sort((a, b) => order[a.change] - order[b.change] || key(a).localeCompare(key(b)));
}
