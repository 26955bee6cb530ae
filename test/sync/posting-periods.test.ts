import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadMapping } from '../../lib/mapping.ts';
import { seedDemo } from '../../seed/index.ts';
import { systemsOf } from '../../sync-jobs/flow.ts';
import { entityAccounts, postManyWithPolicy } from '../../sync-jobs/flows/posting.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

// Set-based flows post many entries per transaction and open the months they post into. Several
// batches reaching the same new months at once must queue behind one another, not deadlock.
let d: TestDatabase;
const mapping = loadMapping();
beforeAll(async () => {
  d = await createTestDatabase();
  await seedDemo(d.db, { scale: 1, seed: 42, asOf: '2026-11-23' });
});
afterAll(async () => d?.drop());

describe('opening periods from concurrent batches', () => {
  it('eight batches posting into the same six new months in different orders all commit', async () => {
    const accounts = entityAccounts(mapping, 'LE-US');
    const months = ['2031-01', '2031-02', '2031-03', '2031-04', '2031-05', '2031-06'];
    const batch = (b: number) =>
      // Each batch its own rotation and direction of the months.
      (b % 2 ? [...months].reverse() : months)
        .map((_, k, list) => list[(k + b) % list.length]!)
        .map((month) => ({
          legalEntityId: 'LE-US',
          date: `${month}-15`,
          sourceType: 'TEST',
          sourceId: `batch-${b}-${month}`,
          currency: 'USD',
          lines: [
            { accountCode: accounts.cash, debit: '10.00' },
            { accountCode: accounts.receivable, credit: '10.00' },
          ],
        }));
    const results = await Promise.allSettled(
      Array.from({ length: 8 }, (_, b) => d.db.transaction().execute((trx) => postManyWithPolicy(systemsOf(trx).erp, mapping, batch(b)))),
    );
    expect(results.filter((r) => r.status === 'rejected').map((r) => String((r as PromiseRejectedResult).reason))).toEqual([]);
    const periods = await d.pool.query(`select code from erp.periods where legal_entity_id = 'LE-US' and code like '2031-%' order by code`);
    expect(periods.rows.map((r) => r.code)).toEqual(months);
    const entries = await d.pool.query(`select count(*)::int n from erp.journal_entries where source_type = 'TEST'`);
    expect(entries.rows[0].n).toBe(48);
  });
});
