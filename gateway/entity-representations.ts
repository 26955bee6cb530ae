import type { GraphQLFormattedError } from 'graphql';

type Variables = Record<string, unknown> | undefined;
type EntitiesResponse = { data?: Record<string, unknown> | null; errors?: readonly GraphQLFormattedError[] };

/**
 * Sends an entity fetch with each distinct representation once, and hands the gateway back the
 * answer it asked for: one entity (a copy) per representation it sent, in its order.
 *
 * Why: @apollo/gateway builds one representation per entity occurrence in the parent results, not per
 * entity. The lineage read reaches the same project through each of its 192 time entries, so psa was
 * asked to resolve `Project:prj_0664` 192 times and crm its opportunity 192 times: 192 graphql-js
 * field completions, authorization checks and a 37 KB answer each, for one row. Hive Gateway and Apollo
 * Router send distinct representations only. Duplicates within one fetch are the same caller asking
 * for the same key, so the answer for one is the answer for all of them.
 *
 * Errors at `_entities.<i>` are repeated for every position that shares representation i, as the
 * subgraph would have reported them; other errors pass through.
 */
export async function withDistinctRepresentations<R extends EntitiesResponse>(
  variables: Variables,
  send: (variables: Variables) => Promise<R>,
): Promise<R> {
  const representations = variables?.representations;
  if (!Array.isArray(representations) || representations.length < 2) return send(variables);
  const distinctIndex = new Map<string, number>();
  const distinct: unknown[] = [];
  const positionOf = new Array<number>(representations.length);
  for (let i = 0; i < representations.length; i++) {
    const key = JSON.stringify(representations[i]);
    let at = distinctIndex.get(key);
    if (at === undefined) {
      at = distinct.length;
      distinctIndex.set(key, at);
      distinct.push(representations[i]);
    }
    positionOf[i] = at;
  }
  if (distinct.length === representations.length) return send(variables);

  const response = await send({ ...variables, representations: distinct });
  const entities = response.data?._entities;
  // An answer of the wrong shape goes back untouched: the gateway reports the mismatch itself.
  if (!Array.isArray(entities) || entities.length !== distinct.length) return response;
  // The gateway merges later fetches into these objects in place: each position gets its own copy.
  const used = new Array<boolean>(distinct.length).fill(false);
  const expanded = positionOf.map((at) => {
    if (!used[at]) {
      used[at] = true;
      return entities[at];
    }
    return copyJson(entities[at]);
  });
  let errors = response.errors;
  if (errors?.some(isEntityError)) {
    const positionsOf = new Map<number, number[]>();
    positionOf.forEach((at, i) => {
      const list = positionsOf.get(at);
      if (list) list.push(i);
      else positionsOf.set(at, [i]);
    });
    errors = errors.flatMap((e) =>
      isEntityError(e)
        ? (positionsOf.get(e.path![1] as number) ?? []).map((i) => ({ ...e, path: ['_entities', i, ...e.path!.slice(2)] }))
        : [e],
    );
  }
  return { ...response, data: { ...response.data, _entities: expanded }, ...(errors ? { errors } : {}) };
}

function isEntityError(e: GraphQLFormattedError): boolean {
  return e.path?.[0] === '_entities' && typeof e.path[1] === 'number';
}

/** A deep copy of parsed JSON (plain objects, arrays, primitives). */
function copyJson(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(copyJson);
  const out: Record<string, unknown> = {};
  for (const k in value) out[k] = copyJson((value as Record<string, unknown>)[k]);
  return out;
}
