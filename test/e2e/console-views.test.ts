import http from 'node:http';
import express from 'express';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consoleRoute } from '../../gateway/console-route.ts';
import { seedDemo } from '../../seed/index.ts';
import { SYNC_JOB_KINDS } from '../../subgraphs/sync/data/tables.ts';
import { startTestGraph, type TestGraph } from '../support/graph.ts';
import { hasBrowser, launchBrowser } from './browser.ts';
import { actionButtons, openConsole, shot, waitLive } from './console-helpers.ts';

describe.skipIf(!hasBrowser)('operations console: every view with the demo data, in a browser, offline', () => {
  let g: TestGraph;
  let browser: Browser;
  beforeAll(async () => {
    g = await startTestGraph(
      async (d) => {
        await seedDemo(d.db, { scale: 1, seed: 42, asOf: '2026-11-23' });
      },
      { sync: true },
    );
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await g?.stop();
  });

  it('live sync: lists the demo jobs, and a deal won elsewhere shows in the live view within 2 s', async () => {
    const { page, foreign } = await openConsole(browser, g);
    await page.waitForSelector('.jobs-table tbody tr', { timeout: 20_000 });
    expect(await page.locator('.jobs-table tbody tr').count()).toBe(20);
    await waitLive(page);
    const tableBefore = await page.locator('.jobs-table').boundingBox();
    const started = Date.now();
    const win = await g.request(`mutation { changeOpportunityStage(id: "opp_0114", stage: CLOSED_WON) { stage } }`);
    expect(win.body.errors).toBeUndefined();
    await page.locator('[data-testid="live-feed"] li', { hasText: 'opp_0114' }).first().waitFor({ timeout: 2000 });
    expect(Date.now() - started).toBeLessThan(2000);
    // The new job is announced in the reserved bar; the table did not move or grow under the reader.
    await page.getByRole('button', { name: /new jobs?: show/ }).waitFor({ timeout: 5000 });
    expect(await page.locator('.jobs-table').boundingBox()).toEqual(tableBefore);
    await shot(page, 'live');
    expect(foreign).toEqual([]);
  }, 60_000);

  it("live sync: a job's attempts, error, lineage links and records touched; lineage filters the list", async () => {
    const { page } = await openConsole(browser, g);
    await page.waitForSelector('.jobs-table tbody tr');
    await page.locator('.jobs-table tbody tr').first().getByRole('button').click();
    const detail = page.getByTestId('job-detail');
    await detail.getByRole('heading', { name: 'Attempts (1)' }).waitFor({ timeout: 10_000 });
    for (const heading of ['Lineage', 'Status history']) await detail.getByRole('heading', { name: heading }).waitFor();
    expect(await detail.getByRole('heading', { name: /Records touched \(\d+\)/ }).count()).toBe(1);
    expect(await detail.locator('.targets li').count()).toBeGreaterThan(0);
    await shot(page, 'live-job-detail');
    const projectLink = detail.locator('.lineage li', { hasText: 'Project' }).getByRole('button');
    const code = (await projectLink.textContent())!.trim();
    await projectLink.click();
    await page.waitForFunction(
      (c) => {
        const rows = [...document.querySelectorAll('.jobs-table tbody tr')];
        return rows.length > 0 && rows.every((r) => r.textContent?.includes(c));
      },
      code,
      { timeout: 10_000 },
    );
    // The filter shows what it is: the project id in its field.
    expect(await page.getByLabel('Project id').inputValue()).toMatch(/^prj_/);
  }, 60_000);

  it('live sync: filters by flow and status, and pages through long lists', async () => {
    const { page } = await openConsole(browser, g);
    await page.getByLabel('Flow').selectOption('INVOICE_ISSUED');
    await page.getByLabel('Status').selectOption('SUCCEEDED');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.waitForFunction(() => {
      const rows = [...document.querySelectorAll('.jobs-table tbody tr')];
      return rows.length === 20 && rows.every((r) => r.textContent?.includes('INVOICE_ISSUED'));
    });
    const first = await page.locator('.jobs-table tbody tr').first().getAttribute('data-job');
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByText('Page 2').waitFor();
    await page.waitForFunction((id) => document.querySelector('.jobs-table tbody tr')?.getAttribute('data-job') !== id, first);
    expect(await page.locator('.jobs-table tbody tr').count()).toBe(20);
  }, 60_000);

  it('reconciliation: every discrepancy class with counts and amounts as of a date, with drill-down to the records', async () => {
    const { page } = await openConsole(browser, g, { view: 'reconciliation' });
    await page.getByLabel('As of').fill('2026-11-23');
    await page.waitForSelector('table.checks tbody tr');
    await page.getByText('As of 2026-11-23').waitFor();
    // Every check the graph reports has its row (new checks are covered without editing this test).
    const checks = (await g.request(`{ reconciliation(asOf: "2026-11-23") { checks { name } } }`)).body.data.reconciliation.checks;
    expect(checks.length).toBeGreaterThanOrEqual(7);
    expect(await page.locator('table.checks tbody tr').count()).toBe(checks.length);
    const wip = page.locator('tr[data-check="WIP"]');
    expect(Number(await wip.locator('td').nth(2).textContent())).toBeGreaterThan(0);
    expect(await wip.locator('td').nth(4).textContent()).toMatch(/\d USD|\d EUR/);
    await wip.getByRole('button', { name: 'Show records' }).click();
    const drill = page.getByTestId('drill-down');
    await drill.waitFor();
    expect(await drill.locator('tbody tr').count()).toBeGreaterThan(0);
    await shot(page, 'reconciliation');
  }, 60_000);

  it('SLOs: per flow p50/p95 latency against the mapping targets, error-budget burn over 24 hours and 7 days, posting accuracy', async () => {
    const { page } = await openConsole(browser, g, { view: 'slos' });
    await page.waitForSelector('table.slo-table tbody tr', { timeout: 20_000 });
    // One row per flow the engine knows.
    expect(await page.locator('table.slo-table tbody tr').count()).toBe(SYNC_JOB_KINDS.length);
    expect(await page.locator('tr[data-flow="OPPORTUNITY_WON"] td').nth(2).textContent()).toBe('60 s');
    await page.getByText('Burn rate, last 24 hours (hourly)').waitFor();
    await page.getByText('Burn rate, last 7 days (6-hour buckets)').waitFor();
    expect(await page.locator('.chart canvas').count()).toBeGreaterThanOrEqual(3);
    expect(await page.locator('.accuracy .big').textContent()).toMatch(/\d+\.\d+%/);
    await shot(page, 'slos');
  }, 60_000);

  it('KPIs: the five KPIs and utilization over time, and by legal entity and service line', async () => {
    const { page } = await openConsole(browser, g, { view: 'kpis' });
    await page.waitForSelector('table.breakdown tbody tr', { timeout: 20_000 });
    for (const title of [
      'Deal won to project active (hours)',
      'Approved time to invoice (days)',
      'Invoices credited or reissued (share)',
      'Revenue leakage (written off + stale unbilled)',
      'Reconciliation effort',
      'Utilization (billable / capacity)',
    ])
      await page.getByText(title, { exact: true }).waitFor();
    const entities = await page.locator('table.breakdown tbody tr td:first-child').allTextContents();
    expect(new Set(entities)).toEqual(new Set(['LE-DE', 'LE-US']));
    await shot(page, 'kpis');
    await page.locator('label:has-text("Legal entity") select').selectOption('LE-DE');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.waitForFunction(() =>
      [...document.querySelectorAll('table.breakdown tbody tr td:first-child')].every((td) => td.textContent === 'LE-DE'),
    );
  }, 60_000);

  it('exceptions and dead letters: the view renders, with an empty state when every job is moving', async () => {
    const { page } = await openConsole(browser, g, { view: 'exceptions' });
    await page.waitForSelector('.exceptions .empty, .exceptions .exception', { timeout: 20_000 });
    await shot(page, 'exceptions-empty');
  }, 60_000);

  it('keyboard: every view is reached with Tab and Enter, and the focused link is the current view', async () => {
    const { page } = await openConsole(browser, g);
    const reached: string[] = [];
    const focused = () => page.evaluate(() => document.activeElement?.textContent);
    for (const name of ['Exceptions', 'Reconciliation', 'SLOs', 'KPIs', 'Live sync']) {
      // Forward through the header; the first view's link lies behind the current one: go back to it.
      for (let i = 0; i < 8 && (await focused()) !== name; i++) await page.keyboard.press('Tab');
      for (let i = 0; i < 16 && (await focused()) !== name; i++) await page.keyboard.press('Shift+Tab');
      expect(await focused()).toBe(name);
      await page.keyboard.press('Enter');
      await page.locator('main.content h2', { hasText: name }).waitFor();
      reached.push((await page.locator('nav a[aria-current="page"]').textContent()) ?? '');
    }
    expect(reached).toEqual(['Exceptions', 'Reconciliation', 'SLOs', 'KPIs', 'Live sync']);
  }, 60_000);

  it('phone width: the live view fits 390 px without sideways scrolling of the page', async () => {
    const { page } = await openConsole(browser, g, { width: 390, height: 844 });
    await page.waitForSelector('.jobs-table tbody tr');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await shot(page, 'live-phone');
  }, 60_000);

  it('portal users get no console: a clear refusal, and no view', async () => {
    const token = await g.token({ role: 'portal', customerId: 'cus_0001' });
    const page = await browser.newPage();
    await page.addInitScript((t) => sessionStorage.setItem('ledgerline-console-token', t), token);
    await page.goto(`${new URL(g.url).origin}/console`);
    await page.getByText('The operations console is for the firm').waitFor({ timeout: 15_000 });
    expect(await page.locator('header.top').count()).toBe(0);
    expect(await actionButtons(page)).toEqual([]);
  }, 60_000);

  it('signs in with a pasted token, and shows who is signed in', async () => {
    const token = await g.token({ role: 'operator', sub: 'ops@firm' });
    // A page from 127.0.0.1 gets the development token: sign out first, then paste.
    const { page } = await openConsole(browser, g);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('Bearer token').fill(`Bearer ${token}`);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByTestId('role').waitFor();
    expect(await page.getByTestId('role').textContent()).toBe('ops@firm (operator)');
    await page.getByLabel('Bearer token').count();
  }, 60_000);
});

describe('operations console: the page and its headers', () => {
  let g: TestGraph;
  beforeAll(async () => {
    g = await startTestGraph();
  });
  afterAll(async () => g?.stop());

  const get = (path: string, headers: Record<string, string> = {}) => fetch(new URL(path, g.url), { headers });

  it('is served with the playground’s protections: no framing, nosniff, a CSP that allows only its own origin', async () => {
    const res = await get('/console', { accept: 'text/html' });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    const csp = res.headers.get('content-security-policy') ?? '';
    for (const rule of ["default-src 'none'", "script-src 'self'", "connect-src 'self'", "frame-ancestors 'none'"])
      expect(csp).toContain(rule);
    const html = await res.text();
    expect(html).toContain('<script type="module" src="/console/app.js">');
    expect(html).not.toMatch(/https?:\/\//);
    const js = await get('/console/app.js', { 'accept-encoding': 'gzip' });
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toMatch(/javascript/);
    expect((await js.text()).length).toBeGreaterThan(10_000);
    const css = await get('/console/app.css');
    expect(css.headers.get('content-type')).toMatch(/css/);
  });

  it('hands the development token only to a local browser that asks for localhost: the playground’s rule', async () => {
    // fetch sends Host: 127.0.0.1:<port> from 127.0.0.1: a local browser.
    expect(await (await get('/console')).text()).toContain('name="ledgerline-dev-token"');
    expect(await (await get('/console', { 'x-forwarded-for': '203.0.113.9' })).text()).not.toContain('ledgerline-dev-token');
    const rebound = await new Promise<string>((resolve, reject) => {
      const u = new URL('/console', g.url);
      http
        .get({ host: u.hostname, port: u.port, path: u.pathname, headers: { host: 'evil.example:80' } }, (r) => {
          let body = '';
          r.on('data', (c) => (body += c));
          r.on('end', () => resolve(body));
        })
        .on('error', reject);
    });
    expect(rebound).toContain('Ledgerline operations console');
    expect(rebound).not.toContain('ledgerline-dev-token');
  });

  it('never hands out a token where no development minter exists (production)', async () => {
    const app = express();
    app.use('/console', consoleRoute({ endpoint: '/graphql' }));
    const server = http.createServer(app);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    const html = await (await fetch(`http://127.0.0.1:${port}/console`)).text();
    await new Promise((r) => server.close(r));
    expect(html).toContain('Ledgerline operations console');
    expect(html).not.toContain('ledgerline-dev-token');
  });
});
