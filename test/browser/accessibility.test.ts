/**
 * Quality gate: axe-core finds no serious or critical accessibility violation on the pages people
 * land on (articles modern and legacy, search with results, a stop code, a file, home, products),
 * in the light and in the dark colour scheme (the CSS has a dark mode, so colour contrast is
 * checked twice). The demo site is built once and each scheme uses one browser page.
 *
 * axe is injected with page.addScriptTag; the pages' Content-Security-Policy allows only the
 * site's own scripts, so the context bypasses it (what is tested here is the markup and the CSS,
 * not the CSP). Scripts are passed to the page as strings: functions compiled by tsx refer to a
 * `__name` helper that does not exist in the page.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import type { BrowserContext, Page } from 'playwright-core';
import { buildAndServe, type ServedSite } from '../support/site.ts';
import { waitForResults } from '../support/search-page.ts';

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

/** The pages to check; `prepare` puts a page into a state with its own colours before axe runs. */
const PAGES: Array<{ name: string; path: string; ready?: string; prepare?: (page: Page) => Promise<void> }> = [
  // With a file-table row targeted by a link from a ticket, so its highlight is checked too.
  { name: 'the article page', path: '/kb/2792165/#file-ntfs.sys-x64', ready: `document.querySelector('tr:target') !== null` },
  { name: 'the legacy article page', path: '/kb/243852/' },
  {
    name: 'the search page with results',
    path: '/search/?q=ntfs',
    async prepare(page) {
      await waitForResults(page);
      await page.locator('#kb-results li').first().waitFor();
    },
  },
  { name: 'a stop-code page', path: '/stop/0x00000024/' },
  {
    name: 'a file page, with rows highlighted for an installed version',
    path: '/files/ntfs.sys/',
    async prepare(page) {
      await page.locator('#installed-version').fill('6.0.6002.18005');
      await page.waitForSelector('tr.newer');
    },
  },
  { name: 'the home page', path: '/' },
  { name: 'the products page', path: '/products/' },
  { name: 'a product page', path: '/products/windows-server-2008/' },
];

interface Violation {
  id: string;
  impact: string | null;
  help: string;
  helpUrl: string;
  nodes: Array<{ target: string; summary: string }>;
}

const RUN_AXE = `axe.run(document, { resultTypes: ['violations'] }).then((results) => results.violations.map((v) => ({
  id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
  nodes: v.nodes.map((n) => ({ target: n.target.map(String).join(' '), summary: n.failureSummary || '' })),
})))`;

/** One line per violation and one per element it was found on: enough to find and fix it. */
function describeViolations(violations: Violation[]): string {
  return violations
    .map((v) => {
      const nodes = v.nodes.slice(0, 8).map((n) => `    ${n.target}  ${n.summary.replace(/\s*\n\s*/g, ' ')}`);
      if (v.nodes.length > 8) nodes.push(`    … and ${v.nodes.length - 8} more`);
      return [`  ${v.id} (${v.impact}): ${v.help} — ${v.helpUrl}`, ...nodes].join('\n');
    })
    .join('\n');
}

let site: ServedSite;

before(async () => {
  site = await buildAndServe('content');
});

after(async () => {
  await site?.close();
});

for (const colorScheme of ['light', 'dark'] as const) {
  describe(`accessibility (axe-core), ${colorScheme} colour scheme`, () => {
    let context: BrowserContext;
    let page: Page;

    before(async () => {
      context = await site.browser.newContext({ bypassCSP: true, colorScheme });
      page = await context.newPage();
    });

    after(async () => {
      await context?.close();
    });

    for (const { name, path, ready, prepare } of PAGES) {
      test(`${name} (${path}) has no serious or critical violations`, async () => {
        const response = await page.goto(site.server.url + path);
        assert.equal(response?.status(), 200, `${path} is served`);
        if (ready) await page.waitForFunction(ready);
        await prepare?.(page);
        assert.equal(await page.evaluate(`matchMedia('(prefers-color-scheme: dark)').matches`), colorScheme === 'dark');
        await page.addScriptTag({ path: AXE });
        const violations = (await page.evaluate(RUN_AXE)) as Violation[];
        const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
        assert.equal(serious.length, 0, `${path} (${colorScheme}) has ${serious.length} serious or critical violations:\n${describeViolations(serious)}`);
      });
    }
  });
}
