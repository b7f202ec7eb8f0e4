/**
 * How a large site is built (src/build/pipeline.ts renderBatches, src/search/index.ts): articles
 * rendered in several Eleventy runs and indexed in several Pagefind shards. Shown here on the demo
 * with runs and shards of 2 articles, against a build in one run and one shard.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import path from 'node:path';
import { assertSameSite, filesBelow, runKb, tempDir } from '../support/build.ts';
import { decodePagefindFile } from '../../src/search/stable-bundle.ts';
import { renderBatches } from '../../src/build/pipeline.ts';
import { article } from '../support/articles.ts';

async function withEnv<T>(env: Record<string, string>, work: () => Promise<T>): Promise<T> {
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  try {
    return await work();
  } finally {
    for (const [k, v] of Object.entries(saved)) if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
}

/** The URL of every page in a built site's search index, in index order. */
async function indexedUrls(site: string): Promise<string[]> {
  const entry = JSON.parse(await readFile(path.join(site, 'pagefind/pagefind-entry.json'), 'utf8')) as { languages: { en: { hash: string; page_count: number } } };
  const metaPath = `pagefind/pagefind.${entry.languages.en.hash}.pf_meta`;
  const [, pages] = decodePagefindFile(await readFile(path.join(site, metaPath)), metaPath) as [unknown, Array<[string, number]>];
  assert.equal(entry.languages.en.page_count, pages.length);
  return Promise.all(pages.map(async ([name]) => (JSON.parse(gunzipSync(await readFile(path.join(site, `pagefind/fragment/${name}.pf_fragment`))).subarray(12).toString()) as { url: string }).url));
}

test('the demo built in Eleventy runs of 2 articles and Pagefind shards of 2 gives the same pages and data, and an index of every article', async (t) => {
  const root = await tempDir('large-build');
  const [whole, parts] = [path.join(root, 'whole'), path.join(root, 'parts')];
  const one = await runKb(['build', '--content', 'content', '--output', whole, '--quiet']);
  assert.equal(one.exitCode, 0, one.stderr);
  const many = await withEnv({ KB_ARTICLES_PER_RUN: '2', KB_SEARCH_SHARD_SIZE: '2' }, () => runKb(['build', '--content', 'content', '--output', parts, '--quiet']));
  assert.equal(many.exitCode, 0, many.stderr);
  await assertSameSite(parts, whole);

  const [wholeUrls, partUrls] = await Promise.all([indexedUrls(whole), indexedUrls(parts)]);
  assert.equal(partUrls.length, 5);
  assert.deepEqual(partUrls, wholeUrls, 'the same articles in the same order');
  const shards = new Set((await filesBelow(path.join(parts, 'pagefind/fragment'))).map((name) => name.slice(3, 5)));
  assert.deepEqual([...shards].sort(), ['00', '01', '02'], 'the 5 pages came from 3 shards');
  t.diagnostic(`${(await filesBelow(parts)).length} files; pages and data byte-identical to a build in one run`);
});

test('a build renders the listing pages with the first run, and only articles in the others', () => {
  const articles = [1, 2, 3, 4, 5].map((id) => article(id));
  const runs = renderBatches({ articles, productPages: [], stopCodes: [], files: [] }, 2);
  assert.deepEqual(runs.map((r) => r.articles.map((a) => a.id)), [[1, 2], [3, 4], [5]]);
  assert.deepEqual(runs.map((r) => r.sitePages ?? true), [true, false, false]);
  assert.equal(renderBatches({ articles: [], productPages: [], stopCodes: [], files: [] }, 2).length, 1, 'a rebuild with no article to render still renders the site pages once');
});

test('a shard size or run size that is not a whole number is a clear error', async () => {
  const out = path.join(await tempDir('bad-run-size'), 'out');
  const run = await withEnv({ KB_ARTICLES_PER_RUN: '0' }, () => runKb(['build', '--content', 'content', '--output', out, '--quiet']));
  assert.notEqual(run.exitCode, 0);
  assert.match(run.stderr, /KB_ARTICLES_PER_RUN must be a whole number of articles of 1 or more \(got "0"\)/);
});
