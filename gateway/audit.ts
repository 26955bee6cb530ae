import { createHash } from 'node:crypto';
import type { ApolloServerPlugin } from '@apollo/server';
import { Kind, type OperationDefinitionNode } from 'graphql';
import type pg from 'pg';
import type { Logger } from '../lib/logger.ts';
import type { GatewayContext } from './context.ts';

/**
 * Writes one audit row per mutation (system writes and sync actions alike): actor, role, operation,
 * the root fields, a hash of the variables (values may be personal or financial: the hash proves
 * what was sent without storing it), the outcome and its error codes. Queryable by admins as
 * `auditLog` in the sync subgraph.
 */
export function auditPlugin(pool: pg.Pool, logger: Logger): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ operation, request, response, contextValue, errors }) {
          if (operation?.operation !== 'mutation') return;
          const fields = (operation as OperationDefinitionNode).selectionSet.selections.flatMap((s) =>
            s.kind === Kind.FIELD ? [s.name.value] : [],
          );
          const body = response.body.kind === 'single' ? response.body.singleResult : undefined;
          const failures = [...(errors ?? []), ...(body?.errors ?? [])];
          const codes = [...new Set(failures.map((e) => String(e.extensions?.code ?? 'INTERNAL_SERVER_ERROR')))];
          const p = contextValue.principal;
          try {
            await pool.query(
              `insert into sync.audit_log (actor, role, customer_id, operation_name, fields, variables_sha256, outcome, error_codes, request_id)
               values ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
              [
                p.sub,
                p.role,
                p.customerId,
                // The name in the document: a client need not repeat it in the request body.
                operation.name?.value ?? request.operationName ?? null,
                fields,
                createHash('sha256')
                  .update(JSON.stringify(request.variables ?? {}))
                  .digest('hex'),
                codes.length ? 'ERROR' : 'OK',
                codes,
                contextValue.requestId,
              ],
            );
          } catch (err) {
            // An audit write that fails is an incident, not a silent gap.
            logger.error('audit log write failed', { error: err, actor: p.sub, fields });
          }
        },
      };
    },
  };
}
