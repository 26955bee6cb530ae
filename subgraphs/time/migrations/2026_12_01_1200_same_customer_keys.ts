import { type Kysely, sql } from 'kysely';

// Frozen in time: never import application code here.
// A time entry keeps a copy of its project's customer for the per-customer sums and the portal row
// rules; the copy must be the customer of the time system's project, or a customer's hours would
// count another's time. Constraints named *_same_customer are reported as CUSTOMER_MISMATCH.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    alter table time.projects add constraint projects_id_customer_key unique (id, customer_id);
    alter table time.time_entries add constraint time_entries_project_same_customer
      foreign key (project_id, customer_id) references time.projects (id, customer_id);
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    alter table time.time_entries drop constraint time_entries_project_same_customer;
    alter table time.projects drop constraint projects_id_customer_key;
  `.execute(db);
}
