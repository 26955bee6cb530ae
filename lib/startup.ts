import { ConfigError } from './config.ts';
import { EmbeddedPostgresError } from './embedded-postgres.ts';
import { ListenError } from './listen.ts';
import type { Logger } from './logger.ts';

/** Failures at start-up that an operator fixes from one line: no stack trace for them. */
export function isOperatorError(err: unknown): err is Error {
  return err instanceof ListenError || err instanceof EmbeddedPostgresError || err instanceof ConfigError;
}

/**
 * Ends a process that could not start: the one line for what an operator can fix, the whole error
 * otherwise, and a non-zero exit code. `cleanup` runs first (stop what did start).
 */
export async function failStartup(err: unknown, logger: Logger, cleanup?: () => Promise<unknown>): Promise<never> {
  if (isOperatorError(err)) logger.error(err.message);
  else logger.error('start-up failed', { error: err });
  await cleanup?.().catch(() => undefined);
  process.exit(1);
}
