import { describe, expect, it } from 'vitest';
import { StatementNames } from '../../lib/prepared-statements.ts';

describe('which statements get a server-side name', () => {
  const q = 'select * from psa.projects where id = $1';

  it('a text is named from its third use on, always with the same name', () => {
    const names = new StatementNames();
    expect(names.nameFor(q, 1)).toBeUndefined();
    expect(names.nameFor(q, 1)).toBeUndefined();
    const name = names.nameFor(q, 1);
    expect(name).toMatch(/^ll_[\w-]{27}$/);
    expect(names.nameFor(q, 1)).toBe(name);
    expect(new StatementNames({ minUses: 1, maxParams: 100, maxStatements: 10 }).nameFor(q, 1)).toBe(name);
  });

  it('transaction control, settings and DDL are never named', () => {
    const names = new StatementNames({ minUses: 1, maxParams: 100, maxStatements: 10 });
    for (const text of ['begin', 'commit', 'rollback', 'savepoint a', "set local lock_timeout = '1s'", 'create table x (a int)'])
      expect(names.nameFor(text, 0)).toBeUndefined();
    for (const text of [
      'select 1',
      '  WITH a as (select 1) select * from a',
      'insert into t values ($1)',
      'update t set a = $1',
      'delete from t',
    ])
      expect(names.nameFor(text, 1)).toBeDefined();
  });

  it('statements with many parameters (bulk inserts, long in-lists) stay unnamed', () => {
    const names = new StatementNames({ minUses: 1, maxParams: 100, maxStatements: 10 });
    expect(names.nameFor('insert into t values ($1), ...', 101)).toBeUndefined();
    expect(names.nameFor('insert into t values ($1), ...', 100)).toBeDefined();
  });

  it('names at most maxStatements texts per process; the rest run unnamed', () => {
    const names = new StatementNames({ minUses: 1, maxParams: 100, maxStatements: 3 });
    const texts = Array.from({ length: 5 }, (_, i) => `select ${i}`);
    expect(texts.map((t) => names.nameFor(t, 0) !== undefined)).toEqual([true, true, true, false, false]);
    expect(names.size).toBe(3);
    expect(names.nameFor('select 0', 0)).toBeDefined();
  });
});
