import { humanize } from '../lib/format.ts';

/** A job status, fixed width so a row does not move when its status changes. */
export function StatusBadge({ status }: { status: string }) {
  return <span class={`badge s-${status.toLowerCase()}`}>{humanize(status)}</span>;
}
