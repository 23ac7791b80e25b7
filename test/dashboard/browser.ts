/**
 * Test support: Debian's chromium, driven by playwright-core. Nothing is ever downloaded: the
 * browser is the system package (`apt-get install -y chromium`, as .ci/run does), and a missing
 * one fails the test with that instruction instead of skipping it.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

/** Where the test run leaves its screenshots (git-ignored). */
export const SCREENSHOTS = resolve('test-output', 'dashboard');

const ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync',
];

export interface Browser {
  context: BrowserContext;
  /** Console errors and uncaught exceptions of every page (CSP violations show up here). */
  errors: string[];
  newPage(): Promise<Page>;
  close(): Promise<void>;
}

export async function launchBrowser(): Promise<Browser> {
  assert.ok(existsSync(CHROMIUM),
    `Debian's chromium is not installed at ${CHROMIUM}; the dashboard's acceptance test needs it: run "apt-get update && apt-get install -y chromium" (.ci/run does this before npm test)`);
  await mkdir(SCREENSHOTS, { recursive: true });
  // A new, empty profile every run: no cookies, cache or extensions carried over.
  const profile = await mkdtemp(join(tmpdir(), 'ringback-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM, headless: true, args: ARGS, viewport: { width: 1366, height: 900 }, timeout: 30_000,
    locale: 'en-GB', timezoneId: 'Europe/Berlin', acceptDownloads: false,
  });
  const errors: string[] = [];
  const watch = (page: Page) => {
    page.on('console', (m) => {
      // Signing in starts by asking who we are; a 401 there is the expected answer, not an error.
      if (m.type() === 'error' && !/status of 401/.test(m.text())) errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(`uncaught: ${e.message}`));
  };
  context.on('page', watch);
  for (const p of context.pages()) watch(p);
  return {
    context, errors,
    newPage: () => context.newPage(),
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

export async function screenshot(page: Page, name: string): Promise<string> {
  const path = join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}
