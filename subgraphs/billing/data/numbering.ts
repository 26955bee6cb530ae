import { sql, type Transaction } from 'kysely';
import type { BillingDatabase, DocumentType } from './tables.ts';

/** 'LE-US' -> 'US': the mapping file's invoice prefixes follow the legal entity codes. */
export function defaultPrefix(legalEntityId: string, documentType: DocumentType): string {
  const base = legalEntityId.replace(/^LE[-_]/i, '').toUpperCase();
  return documentType === 'INVOICE' ? base : `${base}-CM`;
}

/**
 * Takes the next number of a legal entity's document sequence, e.g. 'US-2026-000123'. The counter
 * runs on across years (the year in the number is the issue date's, for readers); it is gap-free
 * because the row stays locked until the issuing transaction commits or rolls back, so a rolled-back
 * issue gives its number back and concurrent issues queue on the row.
 */
export async function nextDocumentNumber(
  trx: Transaction<BillingDatabase>,
  legalEntityId: string,
  documentType: DocumentType,
  issueDate: string,
  prefix?: string,
): Promise<string> {
  return (await nextDocumentNumbers(trx, legalEntityId, documentType, issueDate, 1, prefix))[0]!;
}

/** `count` consecutive numbers of the sequence at once, on the same terms as `nextDocumentNumber`. */
export async function nextDocumentNumbers(
  trx: Transaction<BillingDatabase>,
  legalEntityId: string,
  documentType: DocumentType,
  issueDate: string,
  count: number,
  prefix?: string,
): Promise<string[]> {
  if (count <= 0) return [];
  await trx
    .insertInto('billing.number_sequences')
    .values({ legal_entity_id: legalEntityId, document_type: documentType, prefix: prefix ?? defaultPrefix(legalEntityId, documentType) })
    .onConflict((oc) => oc.columns(['legal_entity_id', 'document_type']).doNothing())
    .execute();
  // The update locks the row until commit; `returning` gives the counter after the increment.
  const seq = await trx
    .updateTable('billing.number_sequences')
    .set({ next_number: sql`next_number + ${count}` })
    .where('legal_entity_id', '=', legalEntityId)
    .where('document_type', '=', documentType)
    .returning(['prefix', 'next_number'])
    .executeTakeFirstOrThrow();
  const first = seq.next_number - count;
  return Array.from({ length: count }, (_, i) => `${seq.prefix}-${issueDate.slice(0, 4)}-${String(first + i).padStart(6, '0')}`);
}
