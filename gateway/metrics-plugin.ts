import type { ApolloServerPlugin } from '@apollo/server';
import { graphqlRequests } from '../lib/metrics.ts';

/** Times every GraphQL request by operation type (query, mutation) and whether it had errors. */
export function requestMetricsPlugin(): ApolloServerPlugin {
  return {
    async requestDidStart() {
      const end = graphqlRequests.startTimer();
      let operation = 'unknown';
      return {
        async didResolveOperation(ctx) {
          operation = ctx.operation?.operation ?? 'unknown';
        },
        async willSendResponse(ctx) {
          const errors = ctx.response.body.kind === 'single' && ctx.response.body.singleResult.errors?.length ? 'true' : 'false';
          end({ operation, errors });
        },
      };
    },
  };
}
