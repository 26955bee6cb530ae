import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../seed/index.ts';
import { startTestGraph, type TestGraph } from '../support/graph.ts';
import { hasBrowser, launchBrowser } from './browser.ts';

export const SCREENSHOTS = path.resolve('.ledgerline', 'screenshots');

describe.skipIf(!hasBrowser)('playground in a browser, offline', () => {
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
    mkdirSync(SCREENSHOTS, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await g?.stop();
  });

  it('loads GraphiQL with every request to the gateway itself, and runs the default cross-graph query', async () => {
    const page = await browser.newPage();
    const foreign: string[] = [];
    const origin = new URL(g.url).origin;
    await page.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith(origin) || url.startsWith('data:') || url.startsWith('blob:')) return route.continue();
      foreign.push(url);
      return route.abort();
    });
    await page.goto(g.url);
    await page.waitForSelector('.graphiql-container', { timeout: 15_000 });
    await page.click('.graphiql-execute-button');
    await page.waitForFunction(() => document.querySelector('.graphiql-response')?.textContent?.includes('totalCount'), undefined, {
      timeout: 15_000,
    });
    // The editor renders spaces as no-break spaces.
    const response = (await page.textContent('.graphiql-response'))?.replace(/\u00a0/g, ' ');
    expect(response).toMatch(/"totalCount":\s*50/);
    expect(response).not.toContain('"errors"');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'playground-query.png'), fullPage: true });
    expect(foreign).toEqual([]);
  }, 60_000);

  it('the status subscription tab shows live events over graphql-ws when a deal is won elsewhere', async () => {
    const page = await browser.newPage();
    const origin = new URL(g.url).origin.replace(/^http/, 'ws');
    const foreign: string[] = [];
    await page.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith(new URL(g.url).origin) || url.startsWith('data:') || url.startsWith('blob:')) return route.continue();
      foreign.push(url);
      return route.abort();
    });
    const sockets: string[] = [];
    page.on('websocket', (ws) => sockets.push(ws.url()));
    await page.goto(g.url);
    await page.waitForSelector('.graphiql-container', { timeout: 15_000 });
    // GraphiQL's tabs are drag-reorderable (framer-motion), which swallows synthetic mouse clicks in
    // headless Chromium; the click event itself is what a person's click delivers.
    await page.locator('.graphiql-tab-button', { hasText: 'LiveSyncStatus' }).dispatchEvent('click');
    await page.waitForFunction(() => document.querySelector('.graphiql-tab-active')?.textContent?.includes('LiveSyncStatus'));
    // GraphiQL picks up the tab's operation name a moment after the editor content changes.
    await page.waitForTimeout(750);
    await page.click('.graphiql-execute-button');
    // Give the socket a moment to subscribe, then win the deal from "another tab" (a plain HTTP client).
    await page.waitForTimeout(1000);
    await g.request(`mutation { changeOpportunityStage(id: "opp_0114", stage: CLOSED_WON) { stage } }`);
    await page
      .waitForFunction(() => (document.querySelector('.graphiql-response')?.textContent ?? '').includes('OPPORTUNITY_WON'), undefined, {
        timeout: 20_000,
      })
      .catch(async (err) => {
        await page.screenshot({ path: path.join(SCREENSHOTS, 'playground-subscription-failed.png'), fullPage: true });
        throw new Error(`${err}; sockets: ${JSON.stringify(sockets)}; response: ${await page.textContent('.graphiql-response')}`);
      });
    const response = (await page.textContent('.graphiql-response'))?.replace(/\u00a0/g, ' ');
    expect(response).toMatch(/"kind":\s*"OPPORTUNITY_WON"/);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'playground-subscription.png'), fullPage: true });
    expect(sockets.every((u) => u.startsWith(origin))).toBe(true);
    expect(sockets.length).toBeGreaterThan(0);
    expect(foreign).toEqual([]);
  }, 60_000);
});
