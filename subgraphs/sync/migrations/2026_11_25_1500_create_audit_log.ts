import { type Kysely, sql } from 'kysely';

// Frozen in time: never import application code here.
// Every mutation and sync action through the gateway: who, what, when, with which result.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table sync.audit_log (
      id bigint generated always as identity primary key,
      at timestamptz not null default now(),
      actor text not null,
      role text not null,
      customer_id text,
      operation_name text,
      fields text[] not null,
      variables_sha256 text not null,
      outcome text not null check (outcome in ('OK', 'ERROR')),
      error_codes text[] not null default '{}',
      request_id text
    );
    create index audit_log_at_idx on sync.audit_log (at desc, id desc);
    create index audit_log_actor_idx on sync.audit_log (actor, at desc);
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table sync.audit_log`.execute(db);
}
