import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTimeSubgraph } from '../../subgraphs/time/subgraph.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { codes, execute } from '../support/subgraph-client.ts';

let t: TestDatabase;
let time: ReturnType<typeof createTimeSubgraph>;

// Minutes chosen so every sum below is checked by hand. Sheets: s1 r1 wk 03-02 APPROVED, s2 r2 wk 03-02
// SUBMITTED, s3 r1 wk 03-09 DRAFT, s4 r2 wk 03-09 REJECTED.
const ENTRIES: [string, string, string, string, string, string, number, boolean, string, string][] = [
  ['e01', 's1', 'r1', 'p1', 'cus_1', '2026-03-02', 480, true, 'APPROVED', 'BILLED'],
  ['e02', 's1', 'r1', 'p1', 'cus_1', '2026-03-03', 450, true, 'APPROVED', 'UNBILLED'],
  ['e03', 's1', 'r1', 'p1', 'cus_1', '2026-03-04', 60, false, 'APPROVED', 'UNBILLED'],
  ['e04', 's1', 'r1', 'p2', 'cus_1', '2026-03-05', 195, true, 'APPROVED', 'WRITTEN_OFF'],
  ['e05', 's2', 'r2', 'p1', 'cus_1', '2026-03-03', 240, true, 'SUBMITTED', 'UNBILLED'],
  ['e06', 's2', 'r2', 'p3', 'cus_2', '2026-03-04', 15, true, 'SUBMITTED', 'UNBILLED'],
  ['e07', 's3', 'r1', 'p1', 'cus_1', '2026-03-10', 90, true, 'DRAFT', 'UNBILLED'],
  ['e08', 's4', 'r2', 'p2', 'cus_1', '2026-03-11', 300, false, 'REJECTED', 'UNBILLED'],
  ['e09', 's3', 'r1', 'p3', 'cus_2', '2026-03-12', 45, true, 'DRAFT', 'UNBILLED'],
];

beforeAll(async () => {
  t = await createTestDatabase();
  time = createTimeSubgraph(t.db);
  await t.db
    .insertInto('time.resources')
    .values([
      { id: 'r1', name: 'Ana' },
      { id: 'r2', name: 'Ben' },
    ])
    .execute();
  await t.db
    .insertInto('time.projects')
    .values([
      { id: 'p1', customer_id: 'cus_1', name: 'One', status: 'ACTIVE' },
      { id: 'p2', customer_id: 'cus_1', name: 'Two', status: 'ACTIVE' },
      { id: 'p3', customer_id: 'cus_2', name: 'Three', status: 'CLOSED' },
    ])
    .execute();
  await t.db
    .insertInto('time.timesheets')
    .values([
      { id: 's1', resource_id: 'r1', week_start: '2026-03-02', status: 'APPROVED' },
      { id: 's2', resource_id: 'r2', week_start: '2026-03-02', status: 'SUBMITTED' },
      { id: 's3', resource_id: 'r1', week_start: '2026-03-09', status: 'DRAFT' },
      { id: 's4', resource_id: 'r2', week_start: '2026-03-09', status: 'REJECTED' },
    ])
    .execute();
  await t.db
    .insertInto('time.time_entries')
    .values(
      ENTRIES.map(([id, timesheet_id, resource_id, project_id, customer_id, work_date, minutes, billable, status, billing_status]) => ({
        id,
        timesheet_id,
        resource_id,
        project_id,
        customer_id,
        work_date,
        minutes,
        billable,
        status,
        billing_status,
      })),
    )
    .execute();
});
afterAll(async () => t.drop());

const ids = (conn: { nodes: { id: string }[] }) => conn.nodes.map((n) => n.id);
const HOURS = `hours { total draft submitted approved rejected billable nonBillable unbilled billed writtenOff }`;
const ZERO = {
  total: 0,
  draft: 0,
  submitted: 0,
  approved: 0,
  rejected: 0,
  billable: 0,
  nonBillable: 0,
  unbilled: 0,
  billed: 0,
  writtenOff: 0,
};

describe('time: entity resolution', () => {
  it('resolves TimeEntry, Timesheet, Project, Resource and Customer through _entities in key order, null for unknown own entities', async () => {
    const res = await execute(
      time,
      `query($r: [_Any!]!) { _entities(representations: $r) {
        ... on TimeEntry { id entryHours: hours date project { id } resource { id } customer { id } timesheet { id } }
        ... on Timesheet { id status weekStart totalHours resource { id } entries { id } }
        ... on Project { id hours { total } timeEntries { totalCount } }
        ... on Resource { id hours { total } }
        ... on Customer { id hours { total } }
      } }`,
      {
        r: [
          { __typename: 'TimeEntry', id: 'e02' },
          { __typename: 'Timesheet', id: 's1' },
          { __typename: 'Project', id: 'p1' },
          { __typename: 'Resource', id: 'r1' },
          { __typename: 'Customer', id: 'cus_1' },
          { __typename: 'TimeEntry', id: 'nope' },
          { __typename: 'Timesheet', id: 'nope' },
        ],
      },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data._entities).toEqual([
      {
        id: 'e02',
        entryHours: 7.5,
        date: '2026-03-03',
        project: { id: 'p1' },
        resource: { id: 'r1' },
        customer: { id: 'cus_1' },
        timesheet: { id: 's1' },
      },
      {
        id: 's1',
        status: 'APPROVED',
        weekStart: '2026-03-02',
        totalHours: 19.75,
        resource: { id: 'r1' },
        entries: [{ id: 'e01' }, { id: 'e02' }, { id: 'e03' }, { id: 'e04' }],
      },
      { id: 'p1', hours: { total: 22 }, timeEntries: { totalCount: 5 } },
      { id: 'r1', hours: { total: 22 } },
      { id: 'cus_1', hours: { total: 30.25 } },
      null,
      null,
    ]);
  });

  it('resolves an extended entity the time system has never seen as having no time (never null: that would null the owner object)', async () => {
    const res = await execute(
      time,
      `query($r: [_Any!]!) { _entities(representations: $r) { ... on Project { id ${HOURS} timeEntries { totalCount nodes { id } } } ... on Customer { id hours { total } } } }`,
      {
        r: [
          { __typename: 'Project', id: 'p_unknown' },
          { __typename: 'Customer', id: 'cus_unknown' },
        ],
      },
    );
    expect(res.data._entities).toEqual([
      { id: 'p_unknown', hours: ZERO, timeEntries: { totalCount: 0, nodes: [] } },
      { id: 'cus_unknown', hours: { total: 0 } },
    ]);
  });
});

describe('time: aggregates', () => {
  it('sums hours by status and billing state per project, exactly', async () => {
    const res = await execute(time, `query($r: [_Any!]!) { _entities(representations: $r) { ... on Project { id ${HOURS} } } }`, {
      r: [
        { __typename: 'Project', id: 'p1' },
        { __typename: 'Project', id: 'p2' },
      ],
    });
    expect(res.data._entities).toEqual([
      {
        id: 'p1',
        hours: {
          total: 22,
          draft: 1.5,
          submitted: 4,
          approved: 16.5,
          rejected: 0,
          billable: 21,
          nonBillable: 1,
          unbilled: 7.5,
          billed: 8,
          writtenOff: 0,
        },
      },
      {
        id: 'p2',
        hours: {
          total: 8.25,
          draft: 0,
          submitted: 0,
          approved: 3.25,
          rejected: 5,
          billable: 3.25,
          nonBillable: 5,
          unbilled: 0,
          billed: 0,
          writtenOff: 3.25,
        },
      },
    ]);
  });

  it('sums per customer over its projects and per resource within a date range', async () => {
    const res = await execute(
      time,
      `query($r: [_Any!]!) { _entities(representations: $r) { ... on Customer { id ${HOURS} } ... on Resource { id ${HOURS} all: hours { total } } } }`,
      {
        r: [
          { __typename: 'Customer', id: 'cus_1' },
          { __typename: 'Resource', id: 'r1' },
        ],
      },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data._entities[0].hours).toEqual({
      total: 30.25,
      draft: 1.5,
      submitted: 4,
      approved: 19.75,
      rejected: 5,
      billable: 24.25,
      nonBillable: 6,
      unbilled: 7.5,
      billed: 8,
      writtenOff: 3.25,
    });
    const ranged = await execute(
      time,
      `{ _entities(representations: [{ __typename: "Resource", id: "r1" }]) { ... on Resource { hours(from: "2026-03-03", to: "2026-03-10") { total draft approved billable nonBillable unbilled billed writtenOff } } } }`,
    );
    expect(ranged.data._entities[0].hours).toEqual({
      total: 13.25,
      draft: 1.5,
      approved: 11.75,
      billable: 12.25,
      nonBillable: 1,
      unbilled: 7.5,
      billed: 0,
      writtenOff: 3.25,
    });
    expect(res.data._entities[1].all).toEqual({ total: 22 });
  });
});

describe('time: lists and pagination', () => {
  const LIST = `query($first: Int, $after: String, $filter: TimeEntryFilter, $orderBy: TimeEntryOrder) {
    timeEntries(first: $first, after: $after, filter: $filter, orderBy: $orderBy) { nodes { id } pageInfo { hasNextPage endCursor } totalCount } }`;

  it('pages time entries by work date then id with cursors and totalCount', async () => {
    const p1 = await execute(time, LIST, { first: 4 });
    expect(ids(p1.data.timeEntries)).toEqual(['e01', 'e02', 'e05', 'e03']);
    expect(p1.data.timeEntries).toMatchObject({ totalCount: 9, pageInfo: { hasNextPage: true } });
    const p2 = await execute(time, LIST, { first: 4, after: p1.data.timeEntries.pageInfo.endCursor });
    expect(ids(p2.data.timeEntries)).toEqual(['e06', 'e04', 'e07', 'e08']);
    const p3 = await execute(time, LIST, { first: 4, after: p2.data.timeEntries.pageInfo.endCursor });
    expect(ids(p3.data.timeEntries)).toEqual(['e09']);
    expect(p3.data.timeEntries.pageInfo.hasNextPage).toBe(false);
    const desc = await execute(time, LIST, { first: 2, orderBy: { field: 'WORK_DATE', direction: 'DESC' } });
    expect(ids(desc.data.timeEntries)).toEqual(['e09', 'e08']);
  });

  it('filters time entries on every filter field', async () => {
    const run = async (filter: object) => ids((await execute(time, LIST, { filter })).data.timeEntries);
    expect(await run({ customerId: 'cus_2' })).toEqual(['e06', 'e09']);
    expect(await run({ status: 'APPROVED', billable: true })).toEqual(['e01', 'e02', 'e04']);
    expect(await run({ billingStatus: 'WRITTEN_OFF' })).toEqual(['e04']);
    expect(await run({ resourceId: 'r2', projectId: 'p2' })).toEqual(['e08']);
    expect(await run({ from: '2026-03-05', to: '2026-03-11' })).toEqual(['e04', 'e07', 'e08']);
  });

  it('rejects a malformed cursor, a cursor of another list or sort, and a forged one with INVALID_CURSOR', async () => {
    const forged = Buffer.from(JSON.stringify({ l: 'timeEntries', s: 'e.work_date:asc', v: ['not-a-date', 'e01'] })).toString('base64url');
    const desc = await execute(time, LIST, { first: 1, orderBy: { field: 'WORK_DATE', direction: 'DESC' } });
    for (const after of ['not-a-cursor', forged, desc.data.timeEntries.pageInfo.endCursor]) {
      expect(codes(await execute(time, LIST, { after }))).toEqual(['INVALID_CURSOR']);
    }
    expect(codes(await execute(time, `{ timesheets(after: "garbage") { totalCount } }`))).toEqual(['INVALID_CURSOR']);
    expect(
      codes(
        await execute(
          time,
          `{ _entities(representations: [{ __typename: "Project", id: "p1" }]) { ... on Project { timeEntries(after: "garbage") { totalCount } } } }`,
        ),
      ),
    ).toEqual(['INVALID_CURSOR']);
  });

  it('pages timesheets newest week first, with filters', async () => {
    const q = `query($after: String, $filter: TimesheetFilter) { timesheets(first: 3, after: $after, filter: $filter) { nodes { id } pageInfo { hasNextPage endCursor } totalCount } }`;
    const p1 = await execute(time, q);
    expect(ids(p1.data.timesheets)).toEqual(['s4', 's3', 's2']);
    expect(p1.data.timesheets.totalCount).toBe(4);
    const p2 = await execute(time, q, { after: p1.data.timesheets.pageInfo.endCursor });
    expect(ids(p2.data.timesheets)).toEqual(['s1']);
    expect(ids((await execute(time, q, { filter: { resourceId: 'r1' } })).data.timesheets)).toEqual(['s3', 's1']);
    expect(
      ids((await execute(time, q, { filter: { status: 'SUBMITTED', weekFrom: '2026-03-02', weekTo: '2026-03-08' } })).data.timesheets),
    ).toEqual(['s2']);
  });

  it('returns one entry and one timesheet by id, or null', async () => {
    const res = await execute(
      time,
      `{ timeEntry(id: "e08") { id billable status billingStatus } timesheet(id: "s4") { id status } none: timeEntry(id: "x") { id } }`,
    );
    expect(res.data).toEqual({
      timeEntry: { id: 'e08', billable: false, status: 'REJECTED', billingStatus: 'UNBILLED' },
      timesheet: { id: 's4', status: 'REJECTED' },
      none: null,
    });
  });
});

describe('time: nested timeEntries connections', () => {
  const NESTED = `query($r: [_Any!]!, $first: Int, $after: String, $filter: TimeEntryFilter) { _entities(representations: $r) {
    ... on Project { id timeEntries(first: $first, after: $after, filter: $filter) { nodes { id timesheet { status } } pageInfo { hasNextPage endCursor } totalCount } hours { total } }
    ... on Resource { id timeEntries(first: $first, after: $after, filter: $filter) { nodes { id } totalCount } }
  } }`;
  const projects = (...p: string[]) => p.map((id) => ({ __typename: 'Project', id }));

  it('pages each project separately with totalCount, and `after` continues each one from the same position', async () => {
    const res = await execute(time, NESTED, { r: projects('p1', 'p2', 'p3'), first: 2 });
    expect(res.errors).toBeUndefined();
    const [p1, p2, p3] = res.data._entities.map((e: { timeEntries: unknown }) => e.timeEntries);
    expect([ids(p1), p1.totalCount, p1.pageInfo.hasNextPage]).toEqual([['e01', 'e02'], 5, true]);
    expect([ids(p2), p2.totalCount, p2.pageInfo.hasNextPage]).toEqual([['e04', 'e08'], 2, false]);
    expect([ids(p3), p3.totalCount, p3.pageInfo.hasNextPage]).toEqual([['e06', 'e09'], 2, false]);
    const next = await execute(time, NESTED, { r: projects('p1'), first: 2, after: p1.pageInfo.endCursor });
    expect(ids(next.data._entities[0].timeEntries)).toEqual(['e05', 'e03']);
    expect(next.data._entities[0].timeEntries.pageInfo.hasNextPage).toBe(true);
    const last = await execute(time, NESTED, { r: projects('p1'), first: 2, after: next.data._entities[0].timeEntries.pageInfo.endCursor });
    expect(ids(last.data._entities[0].timeEntries)).toEqual(['e07']);
    // Past the end of p1, but not of p2 and p3; every totalCount still counts the whole list.
    const past = await execute(time, NESTED, {
      r: projects('p1', 'p2', 'p3'),
      first: 2,
      after: last.data._entities[0].timeEntries.pageInfo.endCursor,
    });
    expect(
      past.data._entities.map((e: { timeEntries: { nodes: { id: string }[]; totalCount: number } }) => [
        ids(e.timeEntries),
        e.timeEntries.totalCount,
      ]),
    ).toEqual([
      [[], 5],
      [['e08'], 2],
      [['e09'], 2],
    ]);
  });

  it('applies the filter inside each parent list (the parent own id filter is ignored), and first: 0 returns only counts', async () => {
    const res = await execute(time, NESTED, {
      r: [...projects('p1'), { __typename: 'Resource', id: 'r2' }],
      filter: { billable: true, resourceId: 'r1' },
    });
    expect(ids(res.data._entities[0].timeEntries)).toEqual(['e01', 'e02', 'e07']);
    expect(res.data._entities[1].timeEntries).toEqual({ nodes: [{ id: 'e05' }, { id: 'e06' }], totalCount: 2 });
    const zero = await execute(time, NESTED, { r: projects('p1', 'p2'), first: 0 });
    expect(
      zero.data._entities.map((e: { timeEntries: { nodes: unknown[]; totalCount: number; pageInfo: { hasNextPage: boolean } } }) => [
        e.timeEntries.nodes.length,
        e.timeEntries.totalCount,
        e.timeEntries.pageInfo.hasNextPage,
      ]),
    ).toEqual([
      [0, 5, true],
      [0, 2, true],
    ]);
  });

  it('costs the same number of SQL statements for three projects and resources as for one', async () => {
    const count = async (r: object[]) => {
      t.statements.length = 0;
      const res = await execute(time, NESTED, { r, first: 3 });
      expect(res.errors).toBeUndefined();
      return t.statements.length;
    };
    const one = await count([...projects('p1'), { __typename: 'Resource', id: 'r1' }]);
    const many = await count([
      ...projects('p1', 'p2', 'p3', 'p_unknown'),
      { __typename: 'Resource', id: 'r1' },
      { __typename: 'Resource', id: 'r2' },
    ]);
    expect(many).toBe(one);
    // Project page + project hours + timesheets + resource page.
    expect(one).toBe(4);
  });
});
