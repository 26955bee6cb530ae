/** Previous / next for a list; `label` says where the reader is. */
export function Pager(props: { label: string; hasPrev: boolean; hasNext: boolean; onPrev: () => void; onNext: () => void }) {
  return (
    <nav class="pager" aria-label="Pages">
      <button type="button" disabled={!props.hasPrev} onClick={props.onPrev}>
        Previous
      </button>
      <span aria-live="polite">{props.label}</span>
      <button type="button" disabled={!props.hasNext} onClick={props.onNext}>
        Next
      </button>
    </nav>
  );
}

/** Client-side paging of a list already loaded (reconciliation drill-downs). */
export function pageOf<T>(rows: readonly T[], page: number, size: number): { rows: T[]; pages: number } {
  const pages = Math.max(1, Math.ceil(rows.length / size));
  const p = Math.min(page, pages - 1);
  return { rows: rows.slice(p * size, p * size + size), pages };
}
