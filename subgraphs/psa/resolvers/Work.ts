import { minutesToHours } from '../../../lib/hours.ts';
import { loadRequired } from '../../../lib/loaders.ts';
import { load } from '../context.ts';
import type * as gql from './types.generated.ts';

export const TaskResolvers: gql.TaskResolvers = {
  project: (t, _, ctx) => loadRequired(load.project(ctx), t.project_id, 'Project'),
};

export const AssignmentResolvers: gql.AssignmentResolvers = {
  project: (a, _, ctx) => loadRequired(load.project(ctx), a.project_id, 'Project'),
  resource: (a, _, ctx) => loadRequired(load.resource(ctx), a.resource_id, 'Resource'),
  startDate: (a) => a.start_date,
  endDate: (a) => a.end_date,
  plannedHours: (a) => minutesToHours(a.planned_minutes),
};
