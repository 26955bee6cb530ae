import { type Kysely, sql } from 'kysely';

// Frozen in time: never import application code here.
// Every status event is announced on channel `ledgerline_sync_events`. NOTIFY is delivered at commit,
// so a listener never hears of a status change that rolled back. The payload is small on purpose
// (8000-byte limit); listeners fetch the rest.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create function sync.notify_job_event() returns trigger language plpgsql as $fn$
    begin
      perform pg_notify('ledgerline_sync_events', json_build_object('sequence', new.sequence, 'jobId', new.job_id, 'status', new.status, 'event', new.event)::text);
      return null;
    end $fn$;
    create trigger job_events_notify after insert on sync.job_events for each row execute function sync.notify_job_event();
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop trigger job_events_notify on sync.job_events; drop function sync.notify_job_event();`.execute(db);
}
