import { type SelectQueryBuilder, sql } from 'kysely';
import { appError } from './errors.ts';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 1000;

export type PageArgs = { first?: number | null; after?: string | null };
export type SortDirection = 'ASC' | 'DESC';

export type Connection<T> = {
  nodes: T[];
  edges: { cursor: string; node: T }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  /** Lazy: GraphQL calls it only when a client selects totalCount, so unused counts cost no SQL. */
  totalCount: () => Promise<number> | number;
};

type CursorPayload = { l: string; s: string; v: [unknown, string] };

/** Cursors are opaque base64url JSON naming the list and sort they belong to, so one cannot be replayed on another. */
export function encodeCursor(list: string, sort: string, sortValue: unknown, id: string): string {
  const payload: CursorPayload = { l: list, s: sort, v: [sortValue, id] };
  return Buffer.from(JSON.stringify(payload)).toString('base64url');
}

export function decodeCursor(list: string, sort: string, cursor: string): [unknown, string] {
  let payload: CursorPayload;
  try {
    payload = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as CursorPayload;
  } catch {
    throw appError('INVALID_CURSOR', 'The cursor is malformed', { field: 'after' });
  }
  if (
    !payload ||
    payload.l !== list ||
    payload.s !== sort ||
    !Array.isArray(payload.v) ||
    payload.v.length !== 2 ||
    typeof payload.v[1] !== 'string'
  ) {
    throw appError('INVALID_CURSOR', `The cursor does not belong to this list sorted by ${sort}`, { field: 'after' });
  }
  return payload.v;
}

export function pageSize(first: number | null | undefined): number {
  if (first === null || first === undefined) return DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(first) || first < 0 || first > MAX_PAGE_SIZE) {
    throw appError('BAD_USER_INPUT', `first must be between 0 and ${MAX_PAGE_SIZE}`, { field: 'first' });
  }
  return first;
}

export type KeysetOptions<Row> = {
  /** A stable name of the list, baked into its cursors. */
  list: string;
  args: PageArgs;
  /** Qualified column to sort by (e.g. "c.name"), not null; the cursor carries its value as PostgreSQL prints it. */
  sortColumn: string;
  direction: SortDirection;
  idColumn: string;
  id: (row: Row) => string;
};

/**
 * Keyset pagination over an already filtered query: `(sort, id) > (after)` uses the index and costs
 * the same on page 1 and page 10,000, unlike OFFSET. `query` must have its selections; the count
 * reuses its FROM and WHERE.
 */
export async function keysetPage<Row>(query: SelectQueryBuilder<any, any, Row>, opts: KeysetOptions<Row>): Promise<Connection<Row>> {
  const first = pageSize(opts.args.first);
  const dir = opts.direction === 'DESC' ? 'desc' : 'asc';
  let q = query;
  if (opts.args.after) {
    const [v, id] = decodeCursor(opts.list, `${opts.sortColumn}:${dir}`, opts.args.after);
    const cmp = dir === 'asc' ? sql.raw('>') : sql.raw('<');
    q = q.where(sql<boolean>`(${sql.ref(opts.sortColumn)}, ${sql.ref(opts.idColumn)}) ${cmp} (${v}, ${id})`);
  }
  // The cursor keeps the sort value as PostgreSQL prints it: a JS Date would drop the microseconds of
  // a timestamptz and skip or repeat rows created within the same millisecond.
  const rows =
    first === 0
      ? []
      : await rejectBadCursorValues(opts.args.after, () =>
          q
            .select(sql<string>`${sql.ref(opts.sortColumn)}::text`.as('__sort_key'))
            .orderBy(sql.ref(opts.sortColumn), dir)
            .orderBy(sql.ref(opts.idColumn), dir)
            .limit(first + 1)
            .execute(),
        );
  const hasNextPage = rows.length > first;
  const nodes = rows.slice(0, first) as (Row & { __sort_key: string })[];
  const sortKey = `${opts.sortColumn}:${dir}`;
  const edges = nodes.map((node) => ({ node: node as Row, cursor: encodeCursor(opts.list, sortKey, node.__sort_key, opts.id(node)) }));
  let count: Promise<number> | undefined;
  return {
    nodes: nodes as Row[],
    edges,
    pageInfo: { hasNextPage, endCursor: edges.at(-1)?.cursor ?? null },
    totalCount: () =>
      (count ??= query
        .clearSelect()
        .clearOrderBy()
        .select(sql<number>`count(*)::int`.as('n'))
        .executeTakeFirstOrThrow()
        .then((r) => (r as unknown as { n: number }).n)),
  };
}

/**
 * A cursor is opaque to clients but not tamper-proof: a forged one can carry a sort value of the wrong
 * type, which PostgreSQL rejects with a data exception (class 22). That is the client's bad cursor,
 * not an internal error.
 */
async function rejectBadCursorValues<T>(after: string | null | undefined, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (after && /^22/.test(String((err as { code?: string }).code ?? '')))
      throw appError('INVALID_CURSOR', 'The cursor holds a value this list cannot sort by', { field: 'after' });
    throw err;
  }
}

/** A connection built from rows already fetched (for children loaded in a batch). */
export function connectionFromRows<Row>(rows: Row[], first: number, total: number, cursorOf: (row: Row) => string): Connection<Row> {
  const nodes = rows.slice(0, first);
  const edges = nodes.map((node) => ({ node, cursor: cursorOf(node) }));
  return { nodes, edges, pageInfo: { hasNextPage: rows.length > first, endCursor: edges.at(-1)?.cursor ?? null }, totalCount: () => total };
}
