import { notFound } from '../../../lib/errors.ts';
import type { Trx } from '../data/db.ts';
import type { Project } from '../data/tables.ts';

/**
 * Reads a project and locks it for the rest of the transaction, so a write that depends on its
 * status or currency cannot interleave with a status change. `share` lets children be added in
 * parallel while still excluding status changes.
 */
export async function lockProject(trx: Trx, id: string, mode: 'update' | 'share' = 'update'): Promise<Project> {
  const q = trx.selectFrom('psa.projects').selectAll().where('id', '=', id);
  const project = await (mode === 'update' ? q.forUpdate() : q.forShare()).executeTakeFirst();
  if (!project) throw notFound('Project', id);
  return project;
}
