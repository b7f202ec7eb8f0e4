/**
 * The parse cache (src/article/parse-cache.ts) makes a rebuild parse only the files that changed,
 * and never makes a build different: problems are reported again, edits and deletions are seen,
 * and a damaged or foreign cache is ignored.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cp, readFile, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { loadArticles } from '../../src/article/load.ts';
import { ParseCache } from '../../src/article/parse-cache.ts';
import { articleDigest } from '../../src/build/fingerprints.ts';
import { runKb, tempDir } from '../support/build.ts';

async function demoCopy(prefix: string): Promise<{ dir: string; content: string; site: string; cacheDir: string }> {
  const dir = await tempDir(prefix);
  const content = path.join(dir, 'content');
  await cp(path.resolve('content'), content, { recursive: true });
  const site = path.join(dir, '_site');
  return { dir, content, site, cacheDir: `${site}.cache/parsed` };
}

async function build(content: string, site: string, ...extra: string[]) {
  return runKb(['build', '--content', content, '--output', site, ...extra]);
}

test('a rebuild parses only the edited article, and the page shows the edit', async () => {
  const { dir, content, site } = await demoCopy('parse-cache');
  try {
    const first = await build(content, site);
    assert.equal(first.exitCode, 0, first.stderr);
    const total = Number(/\[kb\] (\d+) articles read/.exec(first.stdout)?.[1]);
    assert.ok(total >= 5, first.stdout);
    assert.doesNotMatch(first.stdout, /unchanged since the last build/, 'nothing is cached before the first build');

    const file = path.join(content, 'kb/5000101/index.md');
    await writeFile(file, (await readFile(file, 'utf8')).replace("title: 'Computer stops", "title: 'Server stops"));
    const second = await build(content, site);
    assert.equal(second.exitCode, 0, second.stderr);
    assert.match(second.stdout, new RegExp(`${total} articles read from .* \\(1 parsed, ${total - 1} unchanged since the last build\\)`));
    assert.match(await readFile(path.join(site, 'kb/5000101/index.html'), 'utf8'), /<h1>Server stops with Stop 0x0000000A/);

    const full = await build(content, site, '--full');
    assert.match(full.stdout, new RegExp(`${total} articles read from [^(\\n]*\\n`), '--full parses everything again');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('an article with a problem fails every build, also when its result comes from the cache', async () => {
  const { dir, content, site } = await demoCopy('parse-cache-bad');
  try {
    const file = path.join(content, 'kb/5000101/index.md');
    await writeFile(file, (await readFile(file, 'utf8')).replace(/^type: problem$/m, 'type: problemm'));
    for (const run of [await build(content, site), await build(content, site)]) {
      assert.equal(run.exitCode, 2);
      assert.match(run.stderr, /kb\/5000101\/index\.md:\d+.*type/);
    }
    // The other articles were cached by the failed runs: the fix is the only file parsed.
    await writeFile(file, (await readFile(file, 'utf8')).replace('type: problemm', 'type: problem'));
    const fixed = await build(content, site);
    assert.equal(fixed.exitCode, 0, fixed.stderr);
    assert.match(fixed.stdout, /\(1 parsed, \d+ unchanged since the last build\)/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a change of size or modification time of an article or its files.yaml means parse again', async () => {
  const { dir, content, cacheDir } = await demoCopy('parse-cache-sig');
  try {
    const cache = new ParseCache(cacheDir, 'v1');
    await loadArticles(content, { cache });
    const md = path.join(content, 'kb/2792165/index.md');
    const yaml = path.join(content, 'kb/2792165/files.yaml');
    await writeFile(yaml, `${await readFile(yaml, 'utf8')}# reviewed\n`);
    const later = new Date('2030-01-01T00:00:00Z');
    await utimes(yaml, later, later);
    const again = await loadArticles(content, { cache });
    assert.equal(again.parsed, 1, 'the article whose files.yaml changed is parsed again');
    await utimes(md, later, later);
    assert.equal((await loadArticles(content, { cache })).parsed, 1, 'a newer modification time alone means parse again');
    assert.equal((await loadArticles(content, { cache })).parsed, 0);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('the cache on disk: deleted files are dropped, a damaged shard or another version is ignored', async () => {
  const { dir, content, cacheDir } = await demoCopy('parse-cache-disk');
  try {
    const cache = new ParseCache(cacheDir, 'v1');
    const first = await loadArticles(content, { cache });
    await cache.write();
    const shards = (await readdir(cacheDir)).filter((f) => f.endsWith('.v8'));
    assert.ok(shards.length > 1, 'written in shards');

    const reread = await ParseCache.read(cacheDir, 'v1');
    assert.equal(reread.size, first.articles.length);
    const warm = await loadArticles(content, { cache: reread });
    assert.equal(warm.parsed, 0);
    assert.deepEqual(warm.articles, first.articles, 'cached articles are the articles');
    assert.deepEqual(warm.articles.map(articleDigest), first.articles.map(articleDigest), 'with the digests of the articles');

    assert.equal((await ParseCache.read(cacheDir, 'v2')).size, 0, 'another kbsite version does not use it');

    await writeFile(path.join(cacheDir, shards[0]!), 'not a v8 value');
    const damaged = await ParseCache.read(cacheDir, 'v1');
    const afterDamage = await loadArticles(content, { cache: damaged });
    assert.ok(afterDamage.parsed > 0 && afterDamage.parsed < first.articles.length, `only the damaged shard's files are parsed (${afterDamage.parsed})`);
    assert.deepEqual(afterDamage.articles, first.articles);

    await rm(path.join(content, 'kb/5000101'), { recursive: true });
    await loadArticles(content, { cache: damaged });
    assert.equal(damaged.size, first.articles.length - 1, 'the deleted article left the cache');
    assert.ok(damaged.dirtyShards >= 1);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
