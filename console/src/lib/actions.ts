import type { Client } from '@urql/core';
import { CANCEL, REPLAY, RESOLVE, RETRY } from './queries.ts';

export type Action = 'retry' | 'resolve' | 'cancel' | 'replay';
export type ActionOutcome = { id: string; ok: boolean; problems: { code: string; message: string }[] };

const DOCS: Record<Action, { doc: string; field: string }> = {
  retry: { doc: RETRY, field: 'retrySyncJob' },
  resolve: { doc: RESOLVE, field: 'resolveException' },
  cancel: { doc: CANCEL, field: 'cancelSyncJob' },
  replay: { doc: REPLAY, field: 'replaySyncJob' },
};

/**
 * Runs one operator action. A refused action comes back as the payload's errors (INVALID_STATE_TRANSITION,
 * NOT_FOUND); a refused caller (FORBIDDEN) as a GraphQL error: both are shown, with their codes.
 */
export async function runAction(client: Client, action: Action, id: string, note = ''): Promise<ActionOutcome> {
  const { doc, field } = DOCS[action];
  const res = await client.mutation(doc, action === 'resolve' ? { id, note } : { id }).toPromise();
  if (res.error)
    return {
      id,
      ok: false,
      problems: res.error.graphQLErrors.length
        ? res.error.graphQLErrors.map((e) => ({ code: String(e.extensions?.code ?? 'INTERNAL_SERVER_ERROR'), message: e.message }))
        : [{ code: 'NETWORK_ERROR', message: res.error.message }],
    };
  const payload = (res.data as Record<string, { ok: boolean; errors: { code: string; message: string }[] }>)[field]!;
  return { id, ok: payload.ok, problems: payload.errors };
}

/** A bulk action: one job after the other, so each outcome is reported against its job. */
export async function runBulk(client: Client, action: Action, ids: readonly string[], note = ''): Promise<ActionOutcome[]> {
  const out: ActionOutcome[] = [];
  for (const id of ids) out.push(await runAction(client, action, id, note));
  return out;
}
