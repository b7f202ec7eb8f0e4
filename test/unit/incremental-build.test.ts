/**
 * A rebuild renders only what changed, and what it leaves behind is exactly what a full build of
 * the same content would write (apart from the search bundles, which are a delta by design).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { assertSameSite, runKb, tempDir } from '../support/build.ts';

async function build(content: string, out: string, ...extra: string[]) {
  const run = await runKb(['build', '--content', content, '--output', out, ...extra]);
  assert.equal(run.exitCode, 0, run.stderr);
  return run.stdout;
}

test('after editing one article, a rebuild renders only the pages that show it and matches a full build', async () => {
  const dir = await tempDir('incremental');
  const content = path.join(dir, 'content');
  await cp(path.resolve('content'), content, { recursive: true });
  const site = path.join(dir, '_site');
  await build(content, site);
  const sitemapBefore = await stat(path.join(site, 'sitemap.xml'));
  const file = path.join(content, 'kb/5000101/index.md');
  await writeFile(file, (await readFile(file, 'utf8')).replace("title: 'Computer stops", "title: 'Server stops"));
  const summary = await build(content, site);
  // The article, its two product pages and two stop-code pages, and the three articles that show its
  // title (as a backlink or related article); not the file pages or the legacy article. Data files:
  // its JSON, and the two site-wide files that show titles (api/articles.json, feed.xml).
  assert.match(summary, /updated 8 pages and 3 data files, 1 article in the search delta index/);
  // The sitemap shows no titles, so it is not written again.
  assert.equal((await stat(path.join(site, 'sitemap.xml'))).ino, sitemapBefore.ino, 'sitemap.xml is the file the first build wrote');
  assert.match(await readFile(path.join(site, 'kb/5000101/index.html'), 'utf8'), /<h1>Server stops with Stop 0x0000000A/);
  assert.deepEqual(JSON.parse(await readFile(path.join(site, 'pagefind-delta/delta.json'), 'utf8')), { replaced: ['/kb/5000101/'] });
  assert.match(await readFile(path.join(site, 'search/index.html'), 'utf8'), /data-delta="yes"/);
  const full = path.join(dir, '_full');
  await build(content, full, '--full');
  await assertSameSite(site, full);
});

test('a rebuild after deleting an article removes its page and redirects, and hides it from the full index', async () => {
  const dir = await tempDir('incremental');
  const content = path.join(dir, 'content');
  await cp(path.resolve('content'), content, { recursive: true });
  const site = path.join(dir, '_site');
  await build(content, site);
  await rm(path.join(content, 'kb/5000103'), { recursive: true });
  await build(content, site);
  for (const gone of ['kb/5000103/index.html', 'kb/Q5000103/index.html', 'kb/5000103.json']) {
    await assert.rejects(readFile(path.join(site, gone)), `${gone} is removed`);
  }
  for (const folder of ['kb/5000103', 'kb/Q5000103', 'kb/KB5000103']) {
    await assert.rejects(readdir(path.join(site, folder)), `${folder}/ is removed, not left empty`);
  }
  assert.deepEqual(JSON.parse(await readFile(path.join(site, 'pagefind-delta/delta.json'), 'utf8')), { replaced: ['/kb/5000103/'] });
  const full = path.join(dir, '_full');
  await build(content, full, '--full');
  await assertSameSite(site, full);
});

test('a rebuild with nothing changed writes no pages and keeps the search index as it is', async () => {
  const dir = await tempDir('incremental');
  const site = path.join(dir, '_site');
  await build(path.resolve('content'), site);
  const summary = await build(path.resolve('content'), site);
  assert.match(summary, /updated 0 pages and 0 data files into/);
  await assert.rejects(readFile(path.join(site, 'pagefind-delta/delta.json')), 'no delta index');
});

test('changing the site config (path prefix) renders every page again', async () => {
  const dir = await tempDir('incremental');
  const site = path.join(dir, '_site');
  await build(path.resolve('content'), site);
  const summary = await build(path.resolve('content'), site, '--path-prefix', '/kb-site/');
  assert.match(summary, /built 5 articles/);
  assert.match(await readFile(path.join(site, 'kb/243852/index.html'), 'utf8'), /href="\/kb-site\/css\/site\.css"/);
});
