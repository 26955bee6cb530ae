import DataLoader from 'dataloader';

/**
 * Per-request DataLoaders, created on first use under a name. Keeping them in the request context
 * means caching never leaks across requests or users.
 */
export class Loaders {
  private readonly map = new Map<string, DataLoader<any, any>>();

  /** Keys are strings; a composite key is encoded into one by the caller. */
  get<V>(name: string, batch: (keys: readonly string[]) => Promise<(V | Error)[]>): DataLoader<string, V> {
    let loader = this.map.get(name);
    if (!loader) {
      loader = new DataLoader<string, V>(batch, { maxBatchSize: 5000 });
      this.map.set(name, loader);
    }
    return loader as DataLoader<string, V>;
  }
}

/** Batch result for "one row per key": rows in key order, undefined where none exists. */
export function byKey<K, R>(keys: readonly K[], rows: readonly R[], keyOf: (row: R) => K): (R | undefined)[] {
  const index = new Map<K, R>();
  for (const r of rows) index.set(keyOf(r), r);
  return keys.map((k) => index.get(k));
}

/** Batch result for "many rows per key": an array per key, in key order, empty where none exist. */
export function groupByKey<K, R>(keys: readonly K[], rows: readonly R[], keyOf: (row: R) => K): R[][] {
  const index = new Map<K, R[]>();
  for (const r of rows) {
    const k = keyOf(r);
    const list = index.get(k);
    if (list) list.push(r);
    else index.set(k, [r]);
  }
  return keys.map((k) => index.get(k) ?? []);
}

/**
 * Loads the row a non-null field refers to. A miss is a broken reference inside one system, reported
 * with what was missing; graphql-js would otherwise answer "Cannot return null for non-nullable field".
 */
export async function loadRequired<V>(loader: DataLoader<string, V | undefined>, key: string, what: string): Promise<V> {
  const row = await loader.load(key);
  if (row === undefined) throw new Error(`${what} ${key} is referenced but does not exist`);
  return row;
}
