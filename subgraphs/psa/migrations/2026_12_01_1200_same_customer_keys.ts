import { type Kysely, sql } from 'kysely';

// Frozen in time: never import application code here.
// A contract (and a rate override that names both) carries its project's customer: the portal row
// rules judge contracts by that copy, so it must not be able to differ from the project's.
// Constraints named *_same_customer are reported to clients as CUSTOMER_MISMATCH.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    alter table psa.projects add constraint projects_id_customer_key unique (id, customer_id);
    alter table psa.contracts add constraint contracts_project_same_customer
      foreign key (project_id, customer_id) references psa.projects (id, customer_id);
    -- Only a CUSTOMER_ROLE override names a customer; should one name a project too, it is that project's.
    alter table psa.rate_overrides add constraint rate_overrides_project_same_customer
      foreign key (project_id, customer_id) references psa.projects (id, customer_id);
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    alter table psa.rate_overrides drop constraint rate_overrides_project_same_customer;
    alter table psa.contracts drop constraint contracts_project_same_customer;
    alter table psa.projects drop constraint projects_id_customer_key;
  `.execute(db);
}
