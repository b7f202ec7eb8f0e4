/**
 * Page contexts kept between builds (src/build/page-contexts.ts): a quick rebuild reads those of the
 * articles it needs, and never those of another build.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { PAGE_CONTEXT_SHARDS, readPageContexts, writePageContexts, type PageContexts } from '../../src/build/page-contexts.ts';
import { tempDir } from '../support/build.ts';

const contexts: PageContexts = new Map(Array.from({ length: 100 }, (_, i): [number, [string, string]] => [1000 + i, [`content/kb/${1000 + i}/index.md`, `[[],[],[${i}]]`]]));

test('the contexts of the articles asked for come back from the set they were written in', async () => {
  const dir = await tempDir('page-contexts');
  await writePageContexts(dir, 'set-1', contexts);
  const found = await readPageContexts(dir, 'set-1', [1005, 1042]);
  assert.deepEqual(found?.get(1005), ['content/kb/1005/index.md', '[[],[],[5]]']);
  assert.deepEqual(found?.get(1042), ['content/kb/1042/index.md', '[[],[],[42]]']);
  assert.ok(found!.size < contexts.size, 'only the shards of those articles are read');
  assert.deepEqual(await readPageContexts(dir, 'set-1', []), new Map(), 'nothing asked, nothing read');
});

test('a shard of another set, a missing or a damaged shard gives no contexts', async () => {
  const dir = await tempDir('page-contexts');
  await writePageContexts(dir, 'set-1', contexts);
  assert.equal(await readPageContexts(dir, 'set-2', [1005]), null, 'another set');
  // The shards of a later set, one of them then lost and one damaged.
  await writePageContexts(dir, 'set-2', new Map([[1000, ['a.md', '[[],[],[]]']]]));
  await rm(path.join(dir, 'pages', `${1005 % PAGE_CONTEXT_SHARDS}.v8`));
  assert.equal(await readPageContexts(dir, 'set-2', [1005]), null, 'missing');
  await writeFile(path.join(dir, 'pages', `${1006 % PAGE_CONTEXT_SHARDS}.v8`), 'not V8 serialization');
  assert.equal(await readPageContexts(dir, 'set-2', [1006]), null, 'damaged');
});

test('written for some articles, only their shards are written again, in the same set', async () => {
  const dir = await tempDir('page-contexts');
  await writePageContexts(dir, 'set-1', contexts);
  const read = (await readPageContexts(dir, 'set-1', [1005]))!;
  read.set(1005, ['content/kb/1005/index.md', '[[],[[1042,"A new title"]],[5]]']);
  // An entry of another shard, not read: were its shard written, it would lose the rest of it.
  read.set(1006, ['content/kb/1006/index.md', 'not written']);
  await writePageContexts(dir, 'set-1', read, [1005]);
  const after = (await readPageContexts(dir, 'set-1', contexts.keys()))!;
  assert.deepEqual(after.get(1005), ['content/kb/1005/index.md', '[[],[[1042,"A new title"]],[5]]']);
  assert.deepEqual(after.get(1006), contexts.get(1006), 'the shard of an article not named is as it was');
  assert.equal(after.size, contexts.size);
});
