import { type Kysely, sql } from 'kysely';

// Frozen in time: never import application code here.
// Jobs name the customer, project and invoice their source was about. The hub has no project or
// invoice table of its own, so two registers hold the one customer of each project and invoice its
// jobs named first (a statement trigger), and foreign keys hold every later job to it: a job can
// no longer file one customer's invoice or project under another customer's jobs. Checked at
// commit, after the statement's trigger has registered. Constraints named *_same_customer are
// reported to clients as CUSTOMER_MISMATCH.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table sync.project_customers (
      project_id text primary key,
      customer_id text not null,
      unique (project_id, customer_id)
    );
    create table sync.invoice_customers (
      invoice_id text primary key,
      customer_id text not null,
      unique (invoice_id, customer_id)
    );
    insert into sync.project_customers (project_id, customer_id)
    select distinct on (project_id) project_id, customer_id from sync.jobs
     where project_id is not null and customer_id is not null order by project_id, created_at;
    insert into sync.invoice_customers (invoice_id, customer_id)
    select distinct on (invoice_id) invoice_id, customer_id from sync.jobs
     where invoice_id is not null and customer_id is not null order by invoice_id, created_at;

    create function sync.register_job_owners() returns trigger language plpgsql as $fn$
    begin
      insert into sync.project_customers (project_id, customer_id)
      select distinct project_id, customer_id from new_rows where project_id is not null and customer_id is not null
      on conflict (project_id) do nothing;
      insert into sync.invoice_customers (invoice_id, customer_id)
      select distinct invoice_id, customer_id from new_rows where invoice_id is not null and customer_id is not null
      on conflict (invoice_id) do nothing;
      return null;
    end $fn$;
    create trigger jobs_register_owners after insert on sync.jobs
      referencing new table as new_rows for each statement execute function sync.register_job_owners();
    create trigger jobs_register_owners_on_update after update on sync.jobs
      referencing new table as new_rows for each statement execute function sync.register_job_owners();

    alter table sync.jobs add constraint jobs_project_same_customer
      foreign key (project_id, customer_id) references sync.project_customers (project_id, customer_id) deferrable initially deferred;
    alter table sync.jobs add constraint jobs_invoice_same_customer
      foreign key (invoice_id, customer_id) references sync.invoice_customers (invoice_id, customer_id) deferrable initially deferred;
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    alter table sync.jobs drop constraint jobs_invoice_same_customer;
    alter table sync.jobs drop constraint jobs_project_same_customer;
    drop trigger jobs_register_owners_on_update on sync.jobs;
    drop trigger jobs_register_owners on sync.jobs;
    drop function sync.register_job_owners();
    drop table sync.invoice_customers, sync.project_customers;
  `.execute(db);
}
