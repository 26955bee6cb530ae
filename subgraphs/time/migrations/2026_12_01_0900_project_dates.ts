import { type Kysely, sql } from 'kysely';

// Frozen in time: never import application code here.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    -- The time system's copy of a project's dates, so it refuses time before the start (that time had
    -- no rate and blocked the pricing of its whole timesheet). Null: the dates are not known yet.
    alter table time.projects add column start_date date, add column end_date date;
    alter table time.projects add constraint projects_dates_check check (end_date is null or start_date is null or end_date >= start_date);
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table time.projects drop constraint projects_dates_check, drop column start_date, drop column end_date`.execute(db);
}
