import { randomUUID } from 'node:crypto';
import type { GraphQLFormattedError } from 'graphql';
import { ERROR_CODES } from './errors.ts';
import type { Logger } from './logger.ts';

// Codes that graphql-js and Apollo Server raise for malformed requests: safe to show as they are.
const PROTOCOL_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
  'BAD_REQUEST',
]);

/**
 * Known business errors pass through with their code. Anything else is an internal error: the client
 * sees a generic message and an error id; the log gets the whole error under the same id. Stack
 * traces and SQL never leave the process outside development.
 */
export function maskError(
  formatted: GraphQLFormattedError,
  error: unknown,
  opts: { development: boolean; logger: Logger },
): GraphQLFormattedError {
  const code = formatted.extensions?.code;
  if (typeof code === 'string' && (code in ERROR_CODES || PROTOCOL_CODES.has(code)) && code !== 'INTERNAL_SERVER_ERROR') return formatted;
  // Apollo Server's own request errors without a code (an APQ hash that does not match its text)
  // carry a 4xx status: the client's mistake, said as BAD_REQUEST, not an internal error to log.
  // (Apollo fills in INTERNAL_SERVER_ERROR for a missing code; the original error has none.)
  const original = error as { extensions?: { code?: unknown; http?: { status?: number } } } | undefined;
  const status = original?.extensions?.http?.status ?? 0;
  if (original?.extensions?.code === undefined && status >= 400 && status < 500)
    return { ...formatted, extensions: { ...formatted.extensions, code: 'BAD_REQUEST' } };
  const errorId = randomUUID();
  opts.logger.error('internal error', {
    errorId,
    error: (error as { originalError?: unknown })?.originalError ?? error,
    path: formatted.path,
  });
  if (opts.development) return { ...formatted, extensions: { ...formatted.extensions, code: 'INTERNAL_SERVER_ERROR', errorId } };
  return {
    message: `Internal error (id ${errorId})`,
    path: formatted.path,
    locations: formatted.locations,
    extensions: { code: 'INTERNAL_SERVER_ERROR', errorId },
  };
}
