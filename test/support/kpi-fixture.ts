import type { Kysely } from 'kysely';

/**
 * A small firm written row by row, with every number of the KPI and SLO tests worked out by hand in
 * test/subgraphs/sync-kpis.test.ts. Two projects: prj_a (LE-US, ADVISORY) and prj_b (LE-DE,
 * ENGINEERING); October 2026 time, invoices, credit memos and postings; sync jobs in October and in
 * the week before 2026-11-23T12:00Z.
 */
export const SLO_UNTIL = '2026-11-23T12:00:00.000Z';

const at = (iso: string, plusMs = 0) => new Date(new Date(iso).getTime() + plusMs);

export async function writeKpiFixture(db: Kysely<any>, suffix = ''): Promise<void> {
  const id = (x: string) => `${x}${suffix}`;
  const project = (pid: string, le: string, sl: string, currency: string) => ({
    id: id(pid),
    code: id(pid).toUpperCase(),
    name: `Project ${pid}`,
    customer_id: id(`cus_${pid}`),
    legal_entity_id: le,
    currency,
    start_date: '2026-09-01',
    status: 'ACTIVE',
    service_line: sl,
  });
  await db
    .insertInto('psa.projects')
    .values([project('prj_a', 'LE-US', 'ADVISORY', 'USD'), project('prj_b', 'LE-DE', 'ENGINEERING', 'EUR')])
    .execute();
  const resource = (rid: string, le: string, weekly: number, currency: string) => ({
    id: id(rid),
    name: `Resource ${rid}`,
    role: 'CONSULTANT',
    cost_rate_minor: 5000,
    cost_currency: currency,
    legal_entity_id: le,
    capacity_minutes_per_week: weekly,
  });
  await db
    .insertInto('psa.resources')
    .values([resource('res_1', 'LE-US', 2400, 'USD'), resource('res_2', 'LE-DE', 1200, 'EUR')])
    .execute();

  await db
    .insertInto('time.resources')
    .values([
      { id: id('res_1'), name: 'Resource 1' },
      { id: id('res_2'), name: 'Resource 2' },
    ])
    .execute();
  await db
    .insertInto('time.projects')
    .values([
      { id: id('prj_a'), customer_id: id('cus_prj_a'), name: 'A', status: 'ACTIVE' },
      { id: id('prj_b'), customer_id: id('cus_prj_b'), name: 'B', status: 'ACTIVE' },
    ])
    .execute();
  await db
    .insertInto('time.timesheets')
    .values([
      { id: id('ts_1'), resource_id: id('res_1'), week_start: '2026-10-05', status: 'APPROVED', decided_at: at('2026-10-12T09:00:00Z') },
      { id: id('ts_2'), resource_id: id('res_2'), week_start: '2026-10-05', status: 'APPROVED', decided_at: at('2026-10-14T10:00:00Z') },
      { id: id('ts_3'), resource_id: id('res_1'), week_start: '2026-10-26', status: 'REJECTED', decided_at: at('2026-11-02T10:00:00Z') },
    ])
    .execute();
  const entry = (eid: string, ts: string, rid: string, pid: string, day: string, minutes: number, over: object = {}) => ({
    id: id(eid),
    timesheet_id: id(ts),
    resource_id: id(rid),
    project_id: id(pid),
    customer_id: id(`cus_${pid}`),
    work_date: day,
    minutes,
    status: 'APPROVED',
    ...over,
  });
  await db
    .insertInto('time.time_entries')
    .values([
      entry('e1', 'ts_1', 'res_1', 'prj_a', '2026-10-06', 480),
      entry('e2', 'ts_1', 'res_1', 'prj_a', '2026-10-07', 240),
      entry('e3', 'ts_2', 'res_2', 'prj_b', '2026-10-06', 480),
      entry('e4', 'ts_2', 'res_2', 'prj_b', '2026-10-08', 120, { billable: false }),
      entry('e5', 'ts_3', 'res_1', 'prj_a', '2026-10-27', 60, { status: 'REJECTED' }),
    ])
    .execute();

  // Billing's rule of each project names its customer: invoices and items must agree with it.
  const rule = (pid: string, le: string, currency: string, sl: string) => ({
    project_id: id(pid),
    customer_id: id(`cus_${pid}`),
    contract_id: id(`ctr_${pid}`),
    legal_entity_id: le,
    billing_model: 'TIME_AND_MATERIALS' as const,
    currency,
    cap_minor: null,
    fixed_fee_minor: null,
    service_line: sl,
  });
  await db
    .insertInto('billing.rules')
    .values([rule('prj_a', 'LE-US', 'USD', 'ADVISORY'), rule('prj_b', 'LE-DE', 'EUR', 'ENGINEERING')])
    .execute();
  const invoice = (iid: string, pid: string, le: string, currency: string, status: string, issue: string | null) => ({
    id: id(iid),
    number: issue ? id(`${le}-${iid}`) : null,
    legal_entity_id: le,
    customer_id: id(`cus_${pid}`),
    project_id: id(pid),
    currency,
    status,
    issue_date: issue,
    due_date: issue,
  });
  await db
    .insertInto('billing.invoices')
    .values([
      invoice('inv_1', 'prj_a', 'LE-US', 'USD', 'ISSUED', '2026-10-20'),
      invoice('inv_2', 'prj_b', 'LE-DE', 'EUR', 'CREDITED', '2026-10-23'),
      invoice('inv_3', 'prj_a', 'LE-US', 'USD', 'ISSUED', '2026-10-30'),
      invoice('inv_4', 'prj_a', 'LE-US', 'USD', 'DRAFT', null),
    ])
    .execute();
  const line = (lid: string, iid: string, sl: string) => ({
    id: id(lid),
    invoice_id: id(iid),
    line_no: 1,
    kind: 'TIME',
    description: 'Time',
    quantity: '1',
    unit_price_minor: 0,
    amount_minor: 0,
    tax_code: 'US-EXEMPT',
    tax_rate_bp: 0,
    tax_minor: 0,
    service_line: sl,
  });
  await db
    .insertInto('billing.invoice_lines')
    .values([line('l1', 'inv_1', 'ADVISORY'), line('l2', 'inv_2', 'ENGINEERING'), line('l3', 'inv_3', 'ADVISORY')])
    .execute();
  const item = (bid: string, rid: string, pid: string, day: string, minutes: number, amount: number, currency: string, over: object) => ({
    id: id(bid),
    source_type: 'TIME_ENTRY',
    source_id: id(`src_${bid}`),
    project_id: id(pid),
    customer_id: id(`cus_${pid}`),
    resource_id: id(rid),
    work_date: day,
    source_minutes: minutes,
    minutes,
    rate_minor: 0,
    rate_source: 'RATE_CARD',
    amount_minor: amount,
    currency,
    ...over,
  });
  await db
    .insertInto('billing.billable_items')
    .values([
      item('b1', 'res_1', 'prj_a', '2026-10-06', 480, 80000, 'USD', { status: 'INVOICED', invoice_line_id: id('l1') }),
      item('b2', 'res_1', 'prj_a', '2026-10-07', 240, 40000, 'USD', { status: 'INVOICED', invoice_line_id: id('l1') }),
      item('b3', 'res_2', 'prj_b', '2026-10-06', 480, 60000, 'EUR', { status: 'INVOICED', invoice_line_id: id('l2') }),
      item('b4', 'res_1', 'prj_a', '2026-10-09', 60, 15000, 'USD', { status: 'WRITTEN_OFF' }),
      item('b5', 'res_2', 'prj_b', '2026-08-10', 120, 20000, 'EUR', { status: 'UNBILLED' }),
      item('b6', 'res_1', 'prj_a', '2026-10-15', 60, 9000, 'USD', { status: 'UNBILLED' }),
    ])
    .execute();
  const memo = (mid: string, iid: string, le: string, pid: string, currency: string, disposition: string) => ({
    id: id(mid),
    number: id(`CM-${mid}`),
    legal_entity_id: le,
    invoice_id: id(iid),
    customer_id: id(`cus_${pid}`),
    currency,
    issue_date: '2026-11-02',
    reason: 'Correction',
    time_disposition: disposition,
    subtotal_minor: 0,
    tax_minor: 0,
    total_minor: 0,
  });
  await db
    .insertInto('billing.credit_memos')
    .values([memo('cm1', 'inv_2', 'LE-DE', 'prj_b', 'EUR', 'UNBILL'), memo('cm2', 'inv_3', 'LE-US', 'prj_a', 'USD', 'WRITE_OFF')])
    .execute();

  if (!suffix) {
    await db.insertInto('erp.legal_entities').values({ id: 'LE-US', name: 'US', country: 'US', functional_currency: 'USD' }).execute();
    await db
      .insertInto('erp.periods')
      .values({ id: 'per_us_2026_10', legal_entity_id: 'LE-US', code: '2026-10', start_date: '2026-10-01', end_date: '2026-10-31' })
      .execute();
  }
  const entryRow = (jid: string, day: string, type: string, source: string, reverses: string | null = null) => ({
    id: id(jid),
    legal_entity_id: 'LE-US',
    entry_date: day,
    period_id: 'per_us_2026_10',
    source_type: type,
    source_id: id(source),
    currency: 'USD',
    functional_currency: 'USD',
    reverses_id: reverses ? id(reverses) : null,
  });
  await db
    .insertInto('erp.journal_entries')
    .values([
      entryRow('je_1', '2026-10-20', 'INVOICE', 'inv_1'),
      entryRow('je_2', '2026-10-23', 'INVOICE', 'inv_2'),
      entryRow('je_3', '2026-10-30', 'INVOICE', 'inv_3'),
    ])
    .execute();
  await db
    .insertInto('erp.journal_entries')
    .values(entryRow('je_4', '2026-10-31', 'CREDIT_MEMO', 'cm1', 'je_2'))
    .execute();

  await writeJobs(db, id);
}

type JobSpec = {
  id: string;
  kind: string;
  status: string;
  project?: string;
  created: string;
  finishedAfterMs?: number;
  /** [status, event, instant] after the QUEUED one, in order. */
  events?: [string, string, string][];
};

async function writeJobs(db: Kysely<any>, id: (x: string) => string): Promise<void> {
  const jobs: JobSpec[] = [
    // Deal won to project active: 2 h and 24 h; a third stopped in exception, still open.
    {
      id: 'j1',
      kind: 'OPPORTUNITY_WON',
      status: 'SUCCEEDED',
      project: 'prj_a',
      created: '2026-10-02T10:00:00Z',
      finishedAfterMs: 2 * 3_600_000,
    },
    {
      id: 'j2',
      kind: 'OPPORTUNITY_WON',
      status: 'SUCCEEDED',
      project: 'prj_b',
      created: '2026-10-05T08:00:00Z',
      finishedAfterMs: 24 * 3_600_000,
      events: [
        ['EXCEPTION', 'EXCEPTION', '2026-10-05T08:01:00Z'],
        ['QUEUED', 'EXCEPTION_RESOLVED', '2026-10-06T07:01:00Z'],
        ['SUCCEEDED', 'SUCCEEDED', '2026-10-06T08:00:00Z'],
      ],
    },
    {
      id: 'j3',
      kind: 'OPPORTUNITY_WON',
      status: 'EXCEPTION',
      project: 'prj_a',
      created: '2026-10-20T09:00:00Z',
      events: [['EXCEPTION', 'EXCEPTION', '2026-10-20T09:00:30Z']],
    },
    // The SLO week before 2026-11-23T12:00Z (INVOICE_ISSUED: p95 target 60 s, objective 99.5%).
    { id: 's1', kind: 'INVOICE_ISSUED', status: 'SUCCEEDED', created: '2026-11-23T10:00:00Z', finishedAfterMs: 2000 },
    { id: 's2', kind: 'INVOICE_ISSUED', status: 'SUCCEEDED', created: '2026-11-22T13:00:00Z', finishedAfterMs: 120_000 },
    {
      id: 's3',
      kind: 'INVOICE_ISSUED',
      status: 'SUCCEEDED',
      created: '2026-11-20T12:00:00Z',
      finishedAfterMs: 4000,
      events: [
        ['RETRYING', 'FAILED_WILL_RETRY', '2026-11-20T12:00:01Z'],
        ['SUCCEEDED', 'SUCCEEDED', '2026-11-20T12:00:04Z'],
      ],
    },
    { id: 's4', kind: 'INVOICE_ISSUED', status: 'EXCEPTION', created: '2026-11-21T12:00:00Z' },
    { id: 's5', kind: 'INVOICE_ISSUED', status: 'QUEUED', created: '2026-11-23T11:00:00Z' },
    { id: 's6', kind: 'INVOICE_ISSUED', status: 'CANCELLED', created: '2026-11-23T09:00:00Z' },
    { id: 's7', kind: 'INVOICE_ISSUED', status: 'SUCCEEDED', created: '2026-11-10T12:00:00Z', finishedAfterMs: 1000 },
  ];
  for (const j of jobs) {
    const created = at(j.created);
    const finished = j.finishedAfterMs !== undefined ? at(j.created, j.finishedAfterMs) : null;
    await db
      .insertInto('sync.jobs')
      .values({
        id: id(j.id),
        kind: j.kind,
        source_type: 'Fixture',
        source_id: id(`src_${j.id}`),
        source_key: id(`key_${j.id}`),
        status: j.status,
        project_id: j.project ? id(j.project) : null,
        created_at: created,
        updated_at: finished ?? created,
        started_at: created,
        finished_at: finished,
      })
      .execute();
    const events = [['QUEUED', 'QUEUED', j.created], ...(j.events ?? [])];
    for (const [status, event, when] of events) {
      await db
        .insertInto('sync.job_events')
        .values({ job_id: id(j.id), status, event, at: at(when!) })
        .execute();
    }
  }
}
