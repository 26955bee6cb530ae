import { sql } from 'kysely';
import type { Db } from './db.ts';

export type ProjectOwnerRow = { project_id: string; customer_id: string | null; has_lines: boolean };

/**
 * The customer the erp's project register records for each project (the first contract reference,
 * receivable or journal line naming the project with a customer; a foreign key holds every later one
 * to it), and whether any journal line names the project at all.
 */
export async function projectOwners(db: Db, projectIds: readonly string[]): Promise<ProjectOwnerRow[]> {
  const r = await sql<ProjectOwnerRow>`
    select x.project_id, pc.customer_id,
           exists (select 1 from erp.journal_lines l where l.project_id = x.project_id) as has_lines
      from unnest(${[...projectIds]}::text[]) as x(project_id)
      left join erp.project_customers pc on pc.project_id = x.project_id`.execute(db);
  return r.rows;
}
