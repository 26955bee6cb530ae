import { buildSchema, type GraphQLEnumType } from 'graphql';
import { describe, expect, it } from 'vitest';
import { SYNC_JOB_KINDS } from '../../lib/job-kinds.ts';
import { sdl } from '../../subgraphs/sync/subgraph.ts';
import { FLOWS } from '../../sync-jobs/flows/index.ts';

// Adding a flow names its kind in three places (the flow, lib/job-kinds.ts, the SyncJobKind enum); this
// keeps them one list, so a kind without a flow or a flow missing from the graph fails here.
describe('job kinds', () => {
  it('every flow has a kind of the list, and every kind of the list has exactly one flow', () => {
    const kinds = FLOWS.map((f) => f.kind);
    expect(kinds.length).toBeGreaterThan(0);
    expect(new Set(kinds).size).toBe(kinds.length);
    expect([...kinds].sort()).toEqual([...SYNC_JOB_KINDS].sort());
  });

  it('the sync subgraph answers the same kinds as its SyncJobKind enum', () => {
    const schema = buildSchema(`scalar _Any\n${sdl}`, { assumeValidSDL: true });
    const kindEnum = schema.getType('SyncJobKind') as GraphQLEnumType;
    expect(
      kindEnum
        .getValues()
        .map((v) => v.name)
        .sort(),
    ).toEqual([...SYNC_JOB_KINDS].sort());
  });
});
