import type { Kysely, Transaction } from 'kysely';
import type { PsaDatabase } from './tables.ts';

/** What the system API takes: the PSA's database handle; each call opens its own transaction. */
export type Db = Kysely<PsaDatabase>;
export type Trx = Transaction<PsaDatabase>;
