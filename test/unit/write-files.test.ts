/**
 * src/write-files.ts: the data files written on a thread of their own (writeFilesOnThread) are the
 * files `writeFiles` writes here; a failure names the file and ends the thread; `stop` ends it at once.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { tempDir } from '../support/build.ts';
import { writeFiles, writeFilesOnThread, type OutputFile } from '../../src/write-files.ts';
import { KbError } from '../../src/errors.ts';

/** Every file below `dir` → its bytes as text. */
async function filesBelow(dir: string): Promise<Map<string, string>> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const files = new Map<string, string>();
  for (const e of entries.filter((e) => e.isFile()).sort((a, b) => path.join(a.parentPath, a.name).localeCompare(path.join(b.parentPath, b.name)))) {
    files.set(path.relative(dir, path.join(e.parentPath, e.name)), await readFile(path.join(e.parentPath, e.name), 'utf8'));
  }
  return files;
}

/** 4,200 files: more batches than are sent ahead of the thread's answers (4 of 1,000), in shared
 *  and own folders, as text and as bytes. */
function outputs(): OutputFile[] {
  const out: OutputFile[] = [];
  for (let i = 0; i < 4200; i++) {
    const content = `file ${i} ${'é'.repeat(i % 7)}`;
    out.push({ path: i % 100 === 0 ? `kb/Q${i}/index.html` : `kb/${i % 40}/${i}.json`, render: i % 2 ? () => content : () => new TextEncoder().encode(content) });
  }
  return out;
}

test('files written on a thread are those writeFiles writes: the same paths and bytes, and progress counts them all', async () => {
  const root = await tempDir('write-thread');
  const [here, there] = [path.join(root, 'here'), path.join(root, 'there')];
  await writeFiles(here, outputs());
  const progress: number[] = [];
  const write = writeFilesOnThread(there, outputs(), (n) => progress.push(n));
  await write.done;
  const [expected, got] = [await filesBelow(here), await filesBelow(there)];
  assert.equal(got.size, 4200);
  assert.deepEqual(got, expected);
  assert.equal(progress.at(-1), 4200);
  assert.ok(progress.every((n, i) => i === 0 || n > progress[i - 1]!), 'progress only grows');
});

test('a file that cannot be written fails the write with its name (a KbError), and the thread writes nothing after it', async () => {
  const root = await tempDir('write-thread-fail');
  await writeFile(path.join(root, 'kb'), 'a file where a folder should be');
  const files: OutputFile[] = [{ path: 'first.txt', render: () => 'written' }, { path: 'kb/Q1/index.html', render: () => 'x' }, { path: 'after.txt', render: () => 'not written' }];
  const write = writeFilesOnThread(root, files);
  await assert.rejects(write.done, (error: Error & { code?: string }) => {
    assert.match(error.message, new RegExp(`could not write ${path.join(root, 'kb/Q1/index.html').replace(/[.\\/]/g, '\\$&')}`));
    assert.equal(error.code, 'ENOTDIR');
    assert.ok(error instanceof KbError, 'reported as what went wrong, not as a bug in kbsite');
    return true;
  });
  assert.deepEqual([...(await filesBelow(root)).keys()].sort(), ['first.txt', 'kb']);
});

test('stop ends the thread at once: no file is written after it returns', async () => {
  const root = await tempDir('write-thread-stop');
  const many: OutputFile[] = Array.from({ length: 20_000 }, (_, i) => ({ path: `d${i % 100}/f${i}.txt`, render: () => String(i) }));
  const write = writeFilesOnThread(root, many);
  write.done.catch(() => {});
  await new Promise((resolve) => setTimeout(resolve, 30));
  await write.stop();
  const count = async () => (await readdir(root, { recursive: true })).length;
  const atStop = await count();
  await new Promise((resolve) => setTimeout(resolve, 200));
  assert.equal(await count(), atStop);
  assert.ok(atStop < 20_000 + 100, 'not everything was written');
  await assert.rejects(write.done, /was stopped before it had written them/);
});
