import { sql } from 'kysely';
import { anyOf } from '../../../lib/db.ts';
import { keysetPage, type PageArgs, type SortDirection } from '../../../lib/pagination.ts';
import type { Db } from './db.ts';
import type { JournalEntry, JournalLine } from './tables.ts';

export type JournalEntryFilter = {
  legalEntityId?: string | null;
  sourceType?: string | null;
  sourceId?: string | null;
  customerId?: string | null;
  projectId?: string | null;
  from?: string | null;
  to?: string | null;
};
export type JournalEntryOrder = { field: 'ENTRY_DATE'; direction: SortDirection };

export function findEntriesByIds(db: Db, ids: readonly string[]): Promise<JournalEntry[]> {
  return db.selectFrom('erp.journal_entries').selectAll().where('id', '=', anyOf(ids)).execute();
}

/** Entries posted for these source ids of one source type (e.g. every INVOICE among `sourceIds`). */
export function findEntriesBySource(db: Db, sourceType: string, sourceIds: readonly string[]): Promise<JournalEntry[]> {
  return db
    .selectFrom('erp.journal_entries')
    .selectAll()
    .where('source_type', '=', sourceType)
    .where('source_id', '=', anyOf(sourceIds))
    .orderBy('posted_at')
    .orderBy('id')
    .execute();
}

export function findEntryBySourceKey(
  db: Db,
  legalEntityId: string,
  sourceType: string,
  sourceId: string,
): Promise<JournalEntry | undefined> {
  return db
    .selectFrom('erp.journal_entries')
    .selectAll()
    .where('legal_entity_id', '=', legalEntityId)
    .where('source_type', '=', sourceType)
    .where('source_id', '=', sourceId)
    .executeTakeFirst();
}

/** The entries already posted for any of these (legal entity, source type, source id) keys. */
export function findEntriesBySourceKeys(
  db: Db,
  keys: readonly { legalEntityId: string; sourceType: string; sourceId: string }[],
): Promise<JournalEntry[]> {
  if (keys.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('erp.journal_entries')
    .selectAll()
    .where('source_id', '=', anyOf(new Set(keys.map((k) => k.sourceId))))
    .where((eb) =>
      eb.or(
        keys.map((k) =>
          eb.and([eb('legal_entity_id', '=', k.legalEntityId), eb('source_type', '=', k.sourceType), eb('source_id', '=', k.sourceId)]),
        ),
      ),
    )
    .execute();
}

export function findReversalsOf(db: Db, entryIds: readonly string[]): Promise<JournalEntry[]> {
  return db.selectFrom('erp.journal_entries').selectAll().where('reverses_id', '=', anyOf(entryIds)).orderBy('posted_at').execute();
}

export function findLinesOfEntries(db: Db, entryIds: readonly string[]): Promise<JournalLine[]> {
  return db
    .selectFrom('erp.journal_lines')
    .selectAll()
    .where('journal_entry_id', '=', anyOf(entryIds))
    .orderBy('journal_entry_id')
    .orderBy('line_no')
    .execute();
}

export function findLinesByIds(db: Db, ids: readonly string[]): Promise<JournalLine[]> {
  return db.selectFrom('erp.journal_lines').selectAll().where('id', '=', anyOf(ids)).execute();
}

export function findLinesBySourceLine(db: Db, sourceLineType: string, sourceLineIds: readonly string[]): Promise<JournalLine[]> {
  return db
    .selectFrom('erp.journal_lines')
    .selectAll()
    .where('source_line_type', '=', sourceLineType)
    .where('source_line_id', '=', anyOf(sourceLineIds))
    .orderBy('journal_entry_id')
    .orderBy('line_no')
    .execute();
}

export type EntryTotalsRow = {
  journal_entry_id: string;
  debit_minor: number;
  credit_minor: number;
  functional_debit_minor: number;
  functional_credit_minor: number;
};

export function entryTotals(db: Db, entryIds: readonly string[]): Promise<EntryTotalsRow[]> {
  return db
    .selectFrom('erp.journal_lines')
    .select([
      'journal_entry_id',
      sql<number>`sum(debit_minor)::bigint`.as('debit_minor'),
      sql<number>`sum(credit_minor)::bigint`.as('credit_minor'),
      sql<number>`sum(functional_debit_minor)::bigint`.as('functional_debit_minor'),
      sql<number>`sum(functional_credit_minor)::bigint`.as('functional_credit_minor'),
    ])
    .where('journal_entry_id', '=', anyOf(entryIds))
    .groupBy('journal_entry_id')
    .execute();
}

export function pageJournalEntries(db: Db, args: PageArgs & { filter?: JournalEntryFilter | null; orderBy?: JournalEntryOrder | null }) {
  const f = args.filter ?? {};
  let q = db.selectFrom('erp.journal_entries as je').selectAll('je');
  if (f.legalEntityId) q = q.where('je.legal_entity_id', '=', f.legalEntityId);
  if (f.sourceType) q = q.where('je.source_type', '=', f.sourceType);
  if (f.sourceId) q = q.where('je.source_id', '=', f.sourceId);
  if (f.from) q = q.where('je.entry_date', '>=', f.from);
  if (f.to) q = q.where('je.entry_date', '<=', f.to);
  // Dimensions live on the lines: an entry matches when any of its lines carries the dimension.
  if (f.customerId) {
    const customerId = f.customerId;
    q = q.where(({ exists, selectFrom }) =>
      exists(
        selectFrom('erp.journal_lines as jl')
          .select('jl.id')
          .whereRef('jl.journal_entry_id', '=', 'je.id')
          .where('jl.customer_id', '=', customerId),
      ),
    );
  }
  if (f.projectId) {
    const projectId = f.projectId;
    q = q.where(({ exists, selectFrom }) =>
      exists(
        selectFrom('erp.journal_lines as jl')
          .select('jl.id')
          .whereRef('jl.journal_entry_id', '=', 'je.id')
          .where('jl.project_id', '=', projectId),
      ),
    );
  }
  const order = args.orderBy ?? { field: 'ENTRY_DATE', direction: 'DESC' };
  return keysetPage(q, {
    list: 'journalEntries',
    args,
    sortColumn: 'je.entry_date',
    direction: order.direction,
    idColumn: 'je.id',
    id: (r) => r.id,
  });
}
