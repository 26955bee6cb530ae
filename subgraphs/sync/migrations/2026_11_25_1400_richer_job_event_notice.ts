import { type Kysely, sql } from 'kysely';

// Frozen in time: never import application code here.
// The notice carries what live subscriptions filter on (kind, customer, project, invoice), so a
// gateway can route an event without reading the job first.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create or replace function sync.notify_job_event() returns trigger language plpgsql as $fn$
    declare j sync.jobs%rowtype;
    begin
      select * into j from sync.jobs where id = new.job_id;
      perform pg_notify('ledgerline_sync_events', json_build_object(
        'sequence', new.sequence, 'jobId', new.job_id, 'status', new.status, 'event', new.event,
        'kind', j.kind, 'customerId', j.customer_id, 'projectId', j.project_id, 'invoiceId', j.invoice_id)::text);
      return null;
    end $fn$;
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    create or replace function sync.notify_job_event() returns trigger language plpgsql as $fn$
    begin
      perform pg_notify('ledgerline_sync_events', json_build_object('sequence', new.sequence, 'jobId', new.job_id, 'status', new.status, 'event', new.event)::text);
      return null;
    end $fn$;
  `.execute(db);
}
