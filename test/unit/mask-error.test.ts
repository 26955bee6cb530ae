import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../lib/logger.ts';
import { maskError } from '../../lib/mask-error.ts';

const logger = createLogger('silent');
const internal = new GraphQLError('relation "crm.secret" does not exist', { originalError: new Error('select * from crm.secret') });

describe('error masking', () => {
  it('outside development an internal error becomes a generic message with an error id, no SQL, no stack', () => {
    const out = maskError(
      { message: internal.message, extensions: { code: 'INTERNAL_SERVER_ERROR', stacktrace: ['at x.ts:1'] } },
      internal,
      { development: false, logger },
    );
    expect(out.message).toMatch(/^Internal error \(id [0-9a-f-]{36}\)$/);
    expect(out.extensions).toEqual({ code: 'INTERNAL_SERVER_ERROR', errorId: expect.any(String) });
    expect(JSON.stringify(out)).not.toMatch(/crm\.secret|select|stack/);
  });

  it('business errors keep their code, message and details', () => {
    const formatted = { message: 'Journal is unbalanced', extensions: { code: 'UNBALANCED_JOURNAL', field: 'lines' } };
    expect(maskError(formatted, new GraphQLError('x'), { development: false, logger })).toBe(formatted);
  });

  it('in development the original message stays, tagged with an error id', () => {
    const out = maskError({ message: internal.message, extensions: {} }, internal, { development: true, logger });
    expect(out.message).toBe(internal.message);
    expect(out.extensions?.errorId).toEqual(expect.any(String));
  });
});
