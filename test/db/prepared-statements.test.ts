import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, createPool } from '../../lib/db.ts';
import { seedDemo } from '../../seed/index.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

let d: TestDatabase;
beforeAll(async () => {
  d = await createTestDatabase();
  await seedDemo(d.db, { scale: 1, seed: 42, asOf: '2026-11-23' });
});
afterAll(async () => d?.drop());

describe('prepared statements against a real PostgreSQL', () => {
  it('a repeated query is prepared once on its connection and answers exactly as an unnamed one', async () => {
    // One connection, so the session's pg_prepared_statements is the one the queries ran on.
    const named = createDb<any>(createPool(d.url, 1));
    const plain = createDb<any>(createPool(d.url, 1), { preparedStatements: false });
    try {
      const byRegion = (db: typeof named, region: string) =>
        db.selectFrom('crm.customers').select(['id', 'name', 'region']).where('region', '=', region).orderBy('id').execute();
      const regions = ['EMEA', 'NA', 'APAC', 'EMEA', 'NA'];
      let rows = 0;
      for (const region of regions) {
        const answer = await byRegion(named, region);
        expect(answer).toEqual(await byRegion(plain, region));
        rows += answer.length;
      }
      expect(rows).toBeGreaterThan(0);
      const prepared = await sql<{
        name: string;
        statement: string;
        parameter_types: string;
      }>`select name, statement from pg_prepared_statements`.execute(named);
      expect(prepared.rows.filter((r) => r.statement.includes('"crm"."customers"'))).toHaveLength(1);
      expect(prepared.rows.every((r) => r.name.startsWith('ll_'))).toBe(true);
      const none = await sql<{ n: number }>`select count(*)::int as n from pg_prepared_statements`.execute(plain);
      expect(none.rows[0].n).toBe(0);
    } finally {
      await named.destroy();
      await plain.destroy();
    }
  });

  it('transactions and their errors behave the same with named statements', async () => {
    const named = createDb<any>(createPool(d.url, 1));
    try {
      const id = (await named.selectFrom('crm.customers').select('id').limit(1).executeTakeFirstOrThrow()).id as string;
      const rename = (name: string) =>
        named
          .transaction()
          .execute((trx) =>
            trx.updateTable('crm.customers').set({ name }).where('id', '=', id).returning('name').executeTakeFirstOrThrow(),
          );
      for (let i = 0; i < 4; i++) expect((await rename(`Renamed ${i}`)).name).toBe(`Renamed ${i}`);
      // A failing named statement rolls its transaction back and leaves the connection usable.
      const failing = () =>
        named.transaction().execute(async (trx) => {
          await trx.updateTable('crm.customers').set({ name: 'Never' }).where('id', '=', id).execute();
          await trx
            .insertInto('crm.customers')
            .values({ id, name: 'Duplicate' } as any)
            .execute();
        });
      for (let i = 0; i < 4; i++) await expect(failing()).rejects.toThrow();
      expect((await named.selectFrom('crm.customers').select('name').where('id', '=', id).executeTakeFirstOrThrow()).name).toBe(
        'Renamed 3',
      );
    } finally {
      await named.destroy();
    }
  });

  it('a migration that changes a table under a running process: the stale statement reruns unnamed', async () => {
    const named = createDb<any>(createPool(d.url, 1));
    try {
      await sql`create table crm.prepared_probe (id text primary key, name text)`.execute(named);
      await sql`insert into crm.prepared_probe values ('a', 'A')`.execute(named);
      const read = (db: typeof named) => db.selectFrom('crm.prepared_probe').selectAll().where('id', '=', 'a').executeTakeFirstOrThrow();
      for (let i = 0; i < 4; i++) expect(await read(named)).toEqual({ id: 'a', name: 'A' });
      // Another version's migration, as in a rolling deploy: select * now has one more column.
      await sql`alter table crm.prepared_probe add column note text`.execute(named);
      expect(await read(named)).toEqual({ id: 'a', name: 'A', note: null });
      expect(await read(named)).toEqual({ id: 'a', name: 'A', note: null });
      // Inside a transaction the refusal ends that transaction (PostgreSQL aborted it)...
      const other = (db: typeof named) => db.selectFrom('crm.prepared_probe').selectAll().where('name', '=', 'A').executeTakeFirstOrThrow();
      for (let i = 0; i < 4; i++) await other(named);
      await sql`alter table crm.prepared_probe add column later text`.execute(named);
      await expect(named.transaction().execute((trx) => other(trx))).rejects.toThrow(/cached plan must not change result type/);
      // ...and the caller's retry succeeds.
      expect(await named.transaction().execute((trx) => other(trx))).toEqual({ id: 'a', name: 'A', note: null, later: null });
    } finally {
      await named.destroy();
    }
  });
});
