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
    g = await startTestGraph(async (d) => {
      await seedDemo(d.db, { scale: 1, seed: 42, asOf: '2026-11-23' });
    });
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
    await page.waitForFunction(() => document.querySelector('.graphiql-response')?.textContent?.includes('totalCount'), undefined, { timeout: 15_000 });
    // The editor renders spaces as no-break spaces.
    const response = (await page.textContent('.graphiql-response'))?.replace(/\u00a0/g, ' ');
    expect(response).toMatch(/"totalCount":\s*50/);
    expect(response).not.toContain('"errors"');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'playground-query.png'), fullPage: true });
    expect(foreign).toEqual([]);
  }, 60_000);
});
