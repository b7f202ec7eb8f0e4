/**
 * After a rebuild (one article edited, one removed) the search finds what the pages now say: the
 * delta index is merged and the full index's stale copies are hidden.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { cp, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { runKb, tempDir } from '../support/build.ts';
import { serveDirectory, type RunningServer } from '../support/static-server.ts';
import { launchChromium } from '../support/browser.ts';
import { resultsFor as searchResults } from '../support/search-page.ts';

let server: RunningServer;
let browser: Browser;
let rebuildSummary = '';

before(async () => {
  const dir = await tempDir('rebuild-search');
  const content = path.join(dir, 'content');
  const site = path.join(dir, '_site');
  await cp(path.resolve('content'), content, { recursive: true });
  const first = await runKb(['build', '--content', content, '--output', site, '--quiet']);
  assert.equal(first.exitCode, 0, first.stderr);
  const edited = path.join(content, 'kb/5000101/index.md');
  await writeFile(edited, (await readFile(edited, 'utf8')).replace('Open Device Manager and roll back', 'Open zanzibarite and roll back'));
  await rm(path.join(content, 'kb/5000103'), { recursive: true });
  const second = await runKb(['build', '--content', content, '--output', site]);
  assert.equal(second.exitCode, 0, second.stderr);
  rebuildSummary = second.stdout;
  server = await serveDirectory(site);
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

const resultsFor = (query: string) => searchResults(browser, server.url, query);

test('the rebuild used the delta index rather than indexing every article again', () => {
  assert.match(rebuildSummary, /1 article in the search delta index/);
});

test('a word that only the edited article now contains finds it', async () => {
  assert.deepEqual(await resultsFor('zanzibarite'), ['KB5000101']);
});

test('a word the edit removed no longer finds the article (the stale copy is hidden)', async () => {
  assert.ok(!(await resultsFor('Manager')).includes('KB5000101'));
});

test('the edited article appears once, not once per index', async () => {
  const found = await resultsFor('network adapter driver');
  assert.equal(found.filter((kb) => kb === 'KB5000101').length, 1, JSON.stringify(found));
});

test('a removed article is no longer found', async () => {
  assert.deepEqual(await resultsFor('storport'), []);
});
