/**
 * Articles parsed on worker threads (src/article/parse-workers.ts), as a full build of a large
 * site parses them, must be the articles this thread parses: same fields, problems and digests.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { findArticleFiles, loadArticleFile } from '../../src/article/load.ts';
import { parseOnWorkers } from '../../src/article/parse-workers.ts';
import { articleDigest } from '../../src/build/fingerprints.ts';

test('articles parsed on two worker threads equal the articles parsed here, problems and digests included', async () => {
  const files = [...(await findArticleFiles('content')), ...(await findArticleFiles('test/fixtures/legacy')), ...(await findArticleFiles('test/fixtures/hostile'))];
  assert.ok(files.length >= 10, `enough files to give both threads work (${files.length})`);
  const onWorkers = await parseOnWorkers(files, true, 2);
  for (const [k, file] of files.entries()) {
    const here = await loadArticleFile(file, await readFile(file));
    assert.deepEqual(onWorkers[k]!.result, here, path.relative('.', file));
    assert.equal(onWorkers[k]!.digest, here.article ? articleDigest(here.article) : undefined, `digest of ${file}`);
  }
  assert.ok(onWorkers.some((p) => p.result.article?.format === 'legacy') && onWorkers.some((p) => p.result.article?.format === 'modern'), 'legacy and modern articles');
});

test('a file that is gone when its thread reads it fails the load with a clear error, not a hang', async () => {
  await assert.rejects(parseOnWorkers(['content/kb/no-such-article/index.md'], false, 1), /reading articles: a parsing thread failed: ENOENT/);
});
