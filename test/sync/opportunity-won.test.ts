import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../seed/index.ts';
import { startTestGraph, type TestGraph } from '../support/graph.ts';
import { ok, waitForJob, waitForJobStatus } from './helpers.ts';

let g: TestGraph;
let highlights: { opportunitiesReadyToWin: string[]; opportunityWithoutTaxCode: string; customerWithoutTaxCode: string };
beforeAll(async () => {
  g = await startTestGraph(
    async (d) => {
      highlights = (await seedDemo(d.db, { scale: 1, seed: 42, asOf: '2026-11-23' })).world.highlights;
    },
    { sync: true },
  );
});
afterAll(async () => g?.stop());

const WIN = `mutation($id: ID!) { changeOpportunityStage(id: $id, stage: CLOSED_WON, changedBy: "sales@firm") { stage } }`;

describe('flow 1: opportunity won -> project activation', () => {
  it('a won opportunity becomes an active project with contract, rate card, billing rule, time project and erp contract reference', async () => {
    const oppId = highlights.opportunitiesReadyToWin[0];
    ok(await g.request(WIN, { id: oppId }));
    const job = await waitForJob(g, 'OPPORTUNITY_WON', oppId);
    expect(job.status).toBe('SUCCEEDED');
    expect(job.mappingVersion).toMatch(/\S/);
    const data = ok<any>(
      await g.request(
        `query($id: ID!) { opportunity(id: $id) { billingModel project { id status currency contract { billingModel } rateCard { id } billingRule { billingModel } customer { name } } } }`,
        { id: oppId },
      ),
    );
    const project = data.opportunity.project;
    expect(project.status).toBe('ACTIVE');
    expect(project.contract.billingModel).toBe(data.opportunity.billingModel);
    expect(project.billingRule.billingModel).toBe(data.opportunity.billingModel);
    expect(project.rateCard).toEqual({ id: `rc_${oppId}` });
    expect(project.customer.name).toMatch(/\S/);
    const systems = new Set(job.targets.map((t) => t.system));
    expect([...systems].sort()).toEqual(['billing', 'erp', 'psa', 'time']);
    const ref = await g.database.pool.query('select * from erp.contract_refs where project_id = $1', [project.id]);
    expect(ref.rowCount).toBe(1);
    const timeProject = await g.database.pool.query(`select status from time.projects where id = $1`, [project.id]);
    expect(timeProject.rows[0].status).toBe('ACTIVE');
  });

  it('idempotency: 50 concurrent identical triggers make one job and one project', async () => {
    const oppId = highlights.opportunitiesReadyToWin[1];
    ok(await g.request(WIN, { id: oppId }));
    const results = await Promise.all(
      Array.from({ length: 50 }, () =>
        g.request(`mutation($id: ID!) { syncOpportunity(id: $id) { ok created job { id } } }`, { id: oppId }),
      ),
    );
    const ids = new Set(results.map((r) => r.body.data.syncOpportunity.job.id));
    expect(ids.size).toBe(1);
    expect(results.filter((r) => r.body.data.syncOpportunity.created)).toHaveLength(0); // the win already created it
    await waitForJob(g, 'OPPORTUNITY_WON', oppId);
    const projects = await g.database.pool.query('select count(*)::int as n from psa.projects where opportunity_id = $1', [oppId]);
    expect(projects.rows[0].n).toBe(1);
  });

  it('replaying a succeeded job changes nothing (the flow is idempotent); a dry run previews the same targets', async () => {
    const oppId = highlights.opportunitiesReadyToWin[0];
    const before = await g.database.pool.query(
      `select (select count(*) from psa.projects)::int p, (select count(*) from psa.contracts)::int c, (select count(*) from billing.rules)::int r, (select count(*) from erp.contract_refs)::int e`,
    );
    const job = await waitForJob(g, 'OPPORTUNITY_WON', oppId);
    const dry = ok<any>(
      await g.request(
        `mutation($id: ID!) { replaySyncJob(id: $id, dryRun: true) { ok preview { targets { system type id } failure { code } } } }`,
        { id: job.id },
      ),
    );
    expect(dry.replaySyncJob.preview.failure).toBeNull();
    expect(job.targets.length).toBeGreaterThan(0);
    expect(dry.replaySyncJob.preview.targets.map((t: any) => t.id).sort()).toEqual(job.targets.map((t) => t.id).sort());
    ok(await g.request(`mutation($id: ID!) { replaySyncJob(id: $id) { ok } }`, { id: job.id }));
    await waitForJobStatus(g, job.id, ['SUCCEEDED']);
    const after = await g.database.pool.query(
      `select (select count(*) from psa.projects)::int p, (select count(*) from psa.contracts)::int c, (select count(*) from billing.rules)::int r, (select count(*) from erp.contract_refs)::int e`,
    );
    expect(after.rows[0]).toEqual(before.rows[0]);
  });

  it('failure path: no tax profile -> exception naming the system and field -> fix the erp master -> resolve -> project active', async () => {
    const oppId = highlights.opportunityWithoutTaxCode;
    ok(await g.request(WIN, { id: oppId }));
    const failed = await waitForJob(g, 'OPPORTUNITY_WON', oppId);
    expect(failed.status).toBe('EXCEPTION');
    expect(failed.lastError).toMatchObject({ code: 'MISSING_TAX_PROFILE', system: 'erp' });
    expect(failed.lastError!.message).toMatch(/taxCode/);
    // Nothing was created in any system.
    expect((await g.database.pool.query('select 1 from psa.projects where opportunity_id = $1', [oppId])).rowCount).toBe(0);

    const master = ok<any>(
      await g.request(
        `query($id: ID!) { customerFinancialMaster(customerId: $id) { name legalEntity { id } currency paymentTermsDays } }`,
        { id: highlights.customerWithoutTaxCode },
      ),
    );
    const m = master.customerFinancialMaster;
    ok(
      await g.request(
        `mutation($id: ID!, $input: CustomerFinancialMasterInput!) { upsertCustomerFinancialMaster(customerId: $id, input: $input) { taxCode } }`,
        {
          id: highlights.customerWithoutTaxCode,
          input: {
            name: m.name,
            legalEntityId: m.legalEntity.id,
            currency: m.currency,
            paymentTermsDays: m.paymentTermsDays,
            taxCode: m.legalEntity.id === 'LE-US' ? 'US-EXEMPT' : 'DE-VAT19',
          },
        },
      ),
    );
    const resolved = ok<any>(
      await g.request(`mutation($id: ID!) { resolveException(id: $id, note: "tax code set in erp") { ok job { status } } }`, {
        id: failed.id,
      }),
    );
    expect(resolved.resolveException.ok).toBe(true);
    const done = await waitForJobStatus(g, failed.id, ['SUCCEEDED', 'EXCEPTION']);
    expect(done.status).toBe('SUCCEEDED');
    const project = ok<any>(await g.request(`query($id: ID!) { opportunity(id: $id) { project { status } } }`, { id: oppId }));
    expect(project.opportunity.project.status).toBe('ACTIVE');
    // The master change itself flowed to crm, psa and billing.
    const masterJob = await g.request(`{ syncJobs(filter: { kinds: [CUSTOMER_MASTER_CHANGED] }) { nodes { status customer { id } } } }`);
    expect(
      masterJob.body.data.syncJobs.nodes.some((j: any) => j.customer?.id === highlights.customerWithoutTaxCode && j.status === 'SUCCEEDED'),
    ).toBe(true);
  });

  it('exposes per-flow trigger-to-done latency and attempt outcomes as Prometheus metrics', async () => {
    const text = await (
      await fetch(g.url.replace(/\/graphql$/, '/metrics'), { headers: { authorization: `Bearer ${g.adminToken}` } })
    ).text();
    expect(text).toMatch(/ledgerline_sync_job_latency_seconds_bucket\{[^}]*kind="OPPORTUNITY_WON"[^}]*status="SUCCEEDED"/);
    expect(text).toMatch(/ledgerline_sync_attempts_total\{kind="OPPORTUNITY_WON",outcome="EXCEPTION"\} [1-9]/);
    expect(text).toMatch(/ledgerline_graphql_request_duration_seconds_count\{operation="mutation",errors="false"\} [1-9]/);
    // The same SLO as a query, per flow: trigger-to-done latency and failure counts.
    const stats = ok<any>(await g.request(`{ syncJobStats { kind count failed p50LatencyMs p95LatencyMs } }`));
    const won = stats.syncJobStats.find((s: any) => s.kind === 'OPPORTUNITY_WON');
    expect(won.p50LatencyMs).toBeGreaterThan(0);
    expect(won.p95LatencyMs).toBeGreaterThanOrEqual(won.p50LatencyMs);
    expect(won.failed).toBe(0);
  });

  it('operator actions refuse the wrong status with a payload error, not a transport error', async () => {
    const oppId = highlights.opportunitiesReadyToWin[0];
    const job = await waitForJob(g, 'OPPORTUNITY_WON', oppId);
    const res = ok<any>(
      await g.request(`mutation($id: ID!) { resolveException(id: $id, note: "x") { ok errors { code message } } }`, { id: job.id }),
    );
    expect(res.resolveException).toEqual({
      ok: false,
      errors: [{ code: 'INVALID_STATE_TRANSITION', message: expect.stringMatching(/SUCCEEDED/) }],
    });
    // Starting a flow for a record that does not exist is refused, and nothing is enqueued.
    const before = (await g.database.pool.query('select count(*)::int n from sync.jobs')).rows[0].n;
    for (const m of [
      'syncOpportunity(id: "opp_nope")',
      'syncTimesheet(id: "ts_nope")',
      'postInvoice(id: "inv_nope")',
      'runBilling(projectId: "prj_nope", through: "2026-11-30")',
    ]) {
      const refused = ok<any>(await g.request(`mutation { r: ${m} { ok job { id } errors { code } } }`));
      expect(refused.r).toEqual({ ok: false, job: null, errors: [{ code: 'NOT_FOUND' }] });
    }
    expect((await g.database.pool.query('select count(*)::int n from sync.jobs')).rows[0].n).toBe(before);
    const missing = ok<any>(await g.request(`mutation { cancelSyncJob(id: "job_nope") { ok errors { code } } }`));
    expect(missing.cancelSyncJob).toEqual({ ok: false, errors: [{ code: 'NOT_FOUND' }] });
  });
});
