import type pg from 'pg';
import { RateLimiterMemory, RateLimiterPostgres, RateLimiterRes } from 'rate-limiter-flexible';

/** Takes one operation from a caller's budget: 0 when allowed, else the seconds to wait. */
export type OperationBudget = { take: (key: string) => Promise<number> };

const WINDOW_SECONDS = 60;

/**
 * The per-minute budgets of every gateway replica, kept in PostgreSQL (rate-limiter-flexible): with
 * N replicas behind a balancer the budget is the budget, not N times it, as it was with a counter per
 * process. While the database cannot answer, each replica falls back to its own memory (a budget per
 * process beats refusing everyone). Without a database, the memory limiter alone.
 */
export async function operationBudget(perMinute: number, keyPrefix: string, pool?: pg.Pool): Promise<OperationBudget> {
  const memory = new RateLimiterMemory({ points: perMinute, duration: WINDOW_SECONDS, keyPrefix });
  const limiter = pool
    ? await new Promise<RateLimiterPostgres>((resolve, reject) => {
        const shared: RateLimiterPostgres = new RateLimiterPostgres(
          {
            storeClient: pool,
            storeType: 'pool',
            tableName: 'ledgerline_rate_limits',
            points: perMinute,
            duration: WINDOW_SECONDS,
            keyPrefix,
            insuranceLimiter: memory,
            clearExpiredByTimeout: true,
          },
          (err?: Error) => (err ? reject(err) : resolve(shared)),
        );
      })
    : memory;
  return {
    take: async (key) => {
      try {
        await limiter.consume(key);
        return 0;
      } catch (res) {
        if (res instanceof RateLimiterRes) return Math.max(1, Math.ceil(res.msBeforeNext / 1000));
        throw res;
      }
    },
  };
}
