/** Erp-only input checks; the checks every system shares are in lib/validate.ts. */
import { appError } from '../../../lib/errors.ts';
import type { Db } from '../data/db.ts';
import { findLegalEntity } from '../data/ledger.ts';
import type { LegalEntity } from '../data/tables.ts';

export async function requireLegalEntity(db: Db, id: string, field = 'legalEntityId'): Promise<LegalEntity> {
  const le = await findLegalEntity(db, id);
  if (!le) throw legalEntityNotFound(id, field);
  return le;
}

export const legalEntityNotFound = (id: string, field = 'legalEntityId') =>
  appError('NOT_FOUND', `LegalEntity ${id} does not exist`, { type: 'LegalEntity', id, field });
