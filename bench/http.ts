/** Headers every benchmark request carries (e.g. a bearer token once the gateway requires one). */
export const requestHeaders: Record<string, string> = { 'content-type': 'application/json' };

export type GraphResult<T = any> = { data?: T; errors?: { message: string; extensions?: Record<string, unknown> }[] };

/** One GraphQL request over HTTP, as a client sends it. */
export async function gql<T = any>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  operationName?: string,
): Promise<GraphResult<T>> {
  const res = await fetch(url, { method: 'POST', headers: requestHeaders, body: JSON.stringify({ query, variables, operationName }) });
  const text = await res.text();
  try {
    return JSON.parse(text) as GraphResult<T>;
  } catch {
    return { errors: [{ message: `HTTP ${res.status}: ${text.slice(0, 300)}` }] };
  }
}

/** Like `gql`, but a GraphQL error is an exception. */
export async function gqlOk<T = any>(url: string, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const r = await gql<T>(url, query, variables);
  if (r.errors?.length || !r.data) throw new Error(`GraphQL error: ${JSON.stringify(r.errors).slice(0, 500)}`);
  return r.data;
}

/** Runs `fn` over `items` with at most `limit` in flight. */
export async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T, i: number) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i], i);
      }
    }),
  );
  return out;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i];
}
