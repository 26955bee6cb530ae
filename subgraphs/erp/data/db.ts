import type { Kysely, Transaction } from 'kysely';
import type { ErpDatabase } from './tables.ts';

/** Repositories take either the pool or a transaction, so the system API can compose them in one. */
export type Db = Kysely<ErpDatabase> | Transaction<ErpDatabase>;

/** Loader key for an account: codes are unique per legal entity only. */
export const accountKey = (legalEntityId: string, code: string): string => JSON.stringify([legalEntityId, code]);
