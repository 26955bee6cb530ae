import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { expect } from 'vitest';
import type { TestGraph } from '../support/graph.ts';

/** Where the console tests leave their screenshots (git-ignored). */
export const CONSOLE_SHOTS = path.resolve('reports', 'console');
mkdirSync(CONSOLE_SHOTS, { recursive: true });

export const shot = (page: Page, name: string) => page.screenshot({ path: path.join(CONSOLE_SHOTS, `${name}.png`), fullPage: true });

/**
 * A page at 1280x800 that may talk only to the gateway: anything else is aborted and recorded, so a
 * CDN or a phone-home would fail the test. With `token`, the tab starts signed in with it (as if
 * pasted into the sign-in form earlier in this tab); without, a local browser gets the development token.
 */
export async function openConsole(
  browser: Browser,
  g: TestGraph,
  opts: { token?: string; view?: string; width?: number; height?: number } = {},
): Promise<{ page: Page; foreign: string[] }> {
  const page = await browser.newPage({ viewport: { width: opts.width ?? 1280, height: opts.height ?? 800 } });
  const origin = new URL(g.url).origin;
  const foreign: string[] = [];
  await page.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(origin) || url.startsWith('data:') || url.startsWith('blob:')) return route.continue();
    foreign.push(url);
    return route.abort();
  });
  if (opts.token) await page.addInitScript((t) => sessionStorage.setItem('ledgerline-console-token', t), opts.token);
  await page.goto(`${origin}/console#/${opts.view ?? 'live'}`);
  await page.waitForSelector('header.top', { timeout: 20_000 });
  return { page, foreign };
}

/** Waits until the live connection (graphql-ws) is up, so subscriptions started by the view are running. */
export async function waitLive(page: Page): Promise<void> {
  await page.waitForSelector('.conn-live', { timeout: 15_000 });
  // The view subscribes right after the socket opens; give the subscribe message a moment to land.
  await page.waitForTimeout(500);
}

/** Button labels a read-only role must never see. */
export const ACTION_LABELS = /^(Resolve|Resolve all|Retry|Retry all|Cancel|Cancel all|Fix the record|Replay: dry run|Apply replay)$/;

export async function actionButtons(page: Page): Promise<string[]> {
  const labels = await page.locator('button').allTextContents();
  return labels.map((l) => l.trim()).filter((l) => ACTION_LABELS.test(l));
}

export function ok<T = any>(res: { body: { data?: T; errors?: unknown[] } }): T {
  expect(res.body.errors).toBeUndefined();
  return res.body.data as T;
}
