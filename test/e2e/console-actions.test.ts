import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../seed/index.ts';
import type { WorldHighlights } from '../../seed/types.ts';
import { startTestGraph, type TestGraph } from '../support/graph.ts';
import { waitForJob, waitForJobStatus } from '../sync/helpers.ts';
import { hasBrowser, launchBrowser } from './browser.ts';
import { actionButtons, ok, openConsole, shot, waitLive } from './console-helpers.ts';

const TAX_CODE_OF_ENTITY: Record<string, string> = { 'LE-US': 'US-NY', 'LE-DE': 'DE-VAT19' };

describe.skipIf(!hasBrowser)('operations console: operator actions and roles, in a browser', () => {
  let g: TestGraph;
  let browser: Browser;
  let highlights: WorldHighlights;
  beforeAll(async () => {
    g = await startTestGraph(
      async (d) => {
        highlights = (await seedDemo(d.db, { scale: 1, seed: 42, asOf: '2026-11-23' })).world.highlights;
      },
      { sync: true },
    );
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await g?.stop();
  });

  it('the planted exception (a deal whose customer has no tax code) is fixed and resolved through the page, and its job ends SUCCEEDED', async () => {
    const opp = highlights.opportunityWithoutTaxCode;
    ok(await g.request(`mutation($id: ID!) { changeOpportunityStage(id: $id, stage: CLOSED_WON) { stage } }`, { id: opp }));
    const stopped = await waitForJob(g, 'OPPORTUNITY_WON', opp);
    expect(stopped.status).toBe('EXCEPTION');
    expect(stopped.lastError?.code).toBe('MISSING_TAX_PROFILE');
    const master = ok<any>(
      await g.request(`query($id: ID!) { customer(id: $id) { financialMaster { legalEntity { id } taxCode } } }`, {
        id: highlights.customerWithoutTaxCode,
      }),
    ).customer.financialMaster;
    expect(master.taxCode).toBeNull();

    const { page, foreign } = await openConsole(browser, g, {
      token: await g.token({ role: 'operator', sub: 'ops@firm' }),
      view: 'exceptions',
    });
    const card = page.locator(`li.exception[data-job="${stopped.id}"]`);
    await card.waitFor({ timeout: 20_000 });
    // Reason, owning system, record at fault and fix hint.
    const text = (await card.textContent()) ?? '';
    expect(text).toContain('MISSING_TAX_PROFILE');
    expect(await card.locator('dt:has-text("Owning system") + dd').textContent()).toBe('erp');
    expect(await card.locator('dt:has-text("Record at fault") + dd').textContent()).toContain(`tax code of`);
    expect(await card.locator('dt:has-text("Fix") + dd').textContent()).toMatch(/Set the tax code/);
    await page.locator(`tr[data-cause="MISSING_TAX_PROFILE @ erp"]`).waitFor();
    await shot(page, 'exceptions');

    // Before the fix, the dry run says the replay would fail, and why.
    await card.getByRole('button', { name: 'Replay: dry run' }).click();
    await card.getByText('Would fail:').waitFor();
    expect(await card.getByRole('button', { name: 'Apply replay' }).isDisabled()).toBe(true);
    await card.getByRole('button', { name: 'Discard' }).click();

    // Fix the record in its system of record (the erp), from the page.
    await card.getByRole('button', { name: 'Fix the record' }).click();
    await card.getByLabel('Tax code').fill(TAX_CODE_OF_ENTITY[master.legalEntity.id]!);
    await card.getByRole('button', { name: 'Save in the ERP' }).click();
    await card.getByText('Saved. Now resolve the exception').waitFor();
    // Now the dry run shows the records the replay would create, and changes nothing.
    await card.getByRole('button', { name: 'Replay: dry run' }).click();
    const preview = card.getByTestId('dry-run-preview');
    await preview.waitFor();
    expect(await preview.locator('tr.diff-new').count()).toBeGreaterThan(0);
    expect(await preview.textContent()).toContain('psa');
    await shot(page, 'exceptions-fixed-dry-run');
    expect((await waitForJobStatus(g, stopped.id, ['EXCEPTION'])).status).toBe('EXCEPTION');
    await card.getByRole('button', { name: 'Discard' }).click();

    await waitLive(page);
    await card.getByLabel(`Note for resolving ${stopped.id}`).fill('Tax code set in the ERP');
    await card.getByRole('button', { name: 'Resolve' }).click();
    // The page follows the job over the live stream until it succeeds.
    await card.locator('.badge.s-succeeded').waitFor({ timeout: 20_000 });
    const done = await waitForJobStatus(g, stopped.id, ['SUCCEEDED']);
    expect(done.status).toBe('SUCCEEDED');
    expect(done.targets.some((t) => t.system === 'psa')).toBe(true);
    await shot(page, 'exceptions-resolved');
    expect(foreign).toEqual([]);
  }, 90_000);

  it('a dry-run replay of a succeeded job shows its diff and changes nothing', async () => {
    // A deal won now, so the job's targets are the ones the flow itself records.
    const opp = highlights.opportunitiesReadyToWin[1]!;
    ok(await g.request(`mutation($id: ID!) { changeOpportunityStage(id: $id, stage: CLOSED_WON) { stage } }`, { id: opp }));
    const won = await waitForJob(g, 'OPPORTUNITY_WON', opp);
    expect(won.status).toBe('SUCCEEDED');
    const before = async () => {
      const job = ok<any>(
        await g.request(
          `query($id: ID!) { syncJob(id: $id) { id status attemptCount updatedAt project { id } targets { system type id } events { sequence } } }`,
          { id: won.id },
        ),
      ).syncJob;
      const counts = await g.database.db
        .selectNoFrom((eb) => [
          eb.selectFrom('psa.projects').select(eb.fn.countAll<number>().as('n')).as('projects'),
          eb.selectFrom('billing.rules').select(eb.fn.countAll<number>().as('n')).as('rules'),
          eb.selectFrom('sync.job_events').select(eb.fn.countAll<number>().as('n')).as('events'),
        ])
        .executeTakeFirstOrThrow();
      return { job, counts };
    };
    const start = await before();
    expect(start.job.targets.length).toBeGreaterThan(0);

    const { page } = await openConsole(browser, g, { token: await g.token({ role: 'admin' }) });
    await page.getByLabel('Project id').fill(start.job.project.id);
    await page.getByLabel('Flow').selectOption('OPPORTUNITY_WON');
    await page.getByRole('button', { name: 'Apply' }).click();
    const row = page.locator(`tr[data-job="${start.job.id}"]`);
    await row.waitFor({ timeout: 15_000 });
    await row.getByRole('button').click();
    const detail = page.getByTestId('job-detail');
    await detail.getByRole('button', { name: 'Replay: dry run' }).click();
    const preview = detail.getByTestId('dry-run-preview');
    await preview.waitFor({ timeout: 15_000 });
    // An idempotent flow finds every record it made: the diff lists them unchanged, nothing new, no failure.
    expect(await preview.locator('tr.diff-unchanged').count()).toBeGreaterThan(0);
    expect(await preview.locator('tr.diff-new').count()).toBe(0);
    expect(await preview.getByText('Would fail').count()).toBe(0);
    expect(await preview.textContent()).toContain('nothing was changed');
    await shot(page, 'live-dry-run');
    expect(await before()).toEqual(start);
  }, 90_000);

  it('an analyst sees no action buttons, and the server refuses the action anyway', async () => {
    const opp = highlights.opportunitiesWithoutMaster[0]!;
    ok(await g.request(`mutation($id: ID!) { changeOpportunityStage(id: $id, stage: CLOSED_WON) { stage } }`, { id: opp }));
    const stopped = await waitForJob(g, 'OPPORTUNITY_WON', opp);
    expect(stopped.status).toBe('EXCEPTION');
    const analyst = await g.token({ role: 'analyst', sub: 'analyst@firm' });

    const { page } = await openConsole(browser, g, { token: analyst, view: 'exceptions' });
    const card = page.locator(`li.exception[data-job="${stopped.id}"]`);
    await card.waitFor({ timeout: 20_000 });
    expect(await card.textContent()).toContain('MISSING_FINANCIAL_MASTER');
    await page.getByText('Your role reads only').waitFor();
    expect(await actionButtons(page)).toEqual([]);
    await shot(page, 'exceptions-analyst');
    // The same in the live view's job detail: no replay for an analyst.
    await page.goto(`${new URL(g.url).origin}/console#/live`);
    await page.locator('.jobs-table tbody tr').first().getByRole('button').click();
    await page.getByTestId('job-detail').getByRole('heading', { name: 'Lineage' }).waitFor();
    expect(await actionButtons(page)).toEqual([]);

    // The page hides the buttons; the server is what refuses. Send the action from the page as the analyst.
    const refused = await page.evaluate(
      async ({ id, token }) => {
        const res = await fetch('/graphql', {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify({ query: 'mutation($id: ID!) { resolveException(id: $id, note: "sneaky") { ok } }', variables: { id } }),
        });
        return res.json();
      },
      { id: stopped.id, token: analyst },
    );
    expect(refused.errors.map((e: { extensions: { code: string } }) => e.extensions.code)).toEqual(['FORBIDDEN']);
    expect((await waitForJobStatus(g, stopped.id, ['EXCEPTION'])).status).toBe('EXCEPTION');
  }, 90_000);

  it('an operator resolves many jobs of one cause at once (bulk by cause)', async () => {
    const opps = highlights.opportunitiesWithoutMaster;
    expect(opps.length).toBeGreaterThanOrEqual(2);
    for (const id of opps)
      ok(await g.request(`mutation($id: ID!) { changeOpportunityStage(id: $id, stage: CLOSED_WON) { stage } }`, { id }));
    const jobs = await Promise.all(opps.map((id) => waitForJob(g, 'OPPORTUNITY_WON', id)));
    expect(jobs.map((j) => j.lastError?.code)).toEqual(opps.map(() => 'MISSING_FINANCIAL_MASTER'));

    const { page } = await openConsole(browser, g, { token: await g.token({ role: 'operator' }), view: 'exceptions' });
    const cause = page.locator('tr[data-cause="MISSING_FINANCIAL_MASTER @ erp"]');
    await cause.waitFor({ timeout: 20_000 });
    expect(await cause.locator('td').nth(1).textContent()).toBe(String(opps.length));
    await cause.getByRole('button', { name: 'Cancel all' }).click();
    await cause.getByText(`cancel ${opps.length} jobs?`).waitFor();
    await cause.getByRole('button', { name: 'Confirm' }).click();
    for (const j of jobs) expect((await waitForJobStatus(g, j.id, ['CANCELLED'])).status).toBe('CANCELLED');
    await shot(page, 'exceptions-bulk');
  }, 90_000);
});
