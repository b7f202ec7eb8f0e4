/**
 * Atomic output: a build that fails, at any step, leaves the previous site byte for byte as it was,
 * and the next good build works. The failures are real ones: invalid content (stops before any
 * writing), and the Pagefind process dying in the middle of indexing (after pages were rendered),
 * in a full build and in a one-article rebuild.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmod, cp, mkdir, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { runKb, snapshot, tempDir, type BuildRun } from '../support/build.ts';
import { applyIncremental, stateFileOf, swapIn } from '../../src/build/pipeline.ts';

function assertSame(after: Map<string, string>, before: Map<string, string>, what: string): void {
  const changed = [...new Set([...before.keys(), ...after.keys()])].filter((f) => before.get(f) !== after.get(f));
  assert.deepEqual(changed, [], `${what}: these changed`);
}

/** A stand-in for the Pagefind binary that dies without answering the requests sent to it. */
async function dyingPagefind(dir: string): Promise<string> {
  const file = path.join(dir, 'pagefind-that-dies');
  await writeFile(file, '#!/bin/sh\nsleep 0.2\nexit 3\n');
  await chmod(file, 0o755);
  return file;
}

async function withPagefindBinary<T>(binary: string, run: () => Promise<T>): Promise<T> {
  const saved = { plain: process.env.PAGEFIND_BINARY_PATH, extended: process.env.PAGEFIND_EXTENDED_BINARY_PATH };
  // The API tries pagefind_extended first (lib/resolveBinary.js).
  process.env.PAGEFIND_EXTENDED_BINARY_PATH = binary;
  process.env.PAGEFIND_BINARY_PATH = binary;
  try {
    return await run();
  } finally {
    for (const [key, value] of [['PAGEFIND_BINARY_PATH', saved.plain], ['PAGEFIND_EXTENDED_BINARY_PATH', saved.extended]] as const) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
}

function assertFailedCleanly(run: BuildRun, output: string, message: RegExp): void {
  assert.notEqual(run.exitCode, 0, 'the build must fail');
  assert.notEqual(run.exitCode, 70, `a failure of Pagefind is reported, not an internal error:\n${run.stderr}`);
  assert.match(run.stderr, message);
  assert.match(run.stderr, new RegExp(`the build failed; .*${path.basename(output)} was left as it was`));
}

test('a failed build, full or rebuild, leaves the previous site byte for byte as it was', async (t) => {
  const root = await tempDir('atomic');
  const content = path.join(root, 'content');
  const out = path.join(root, '_site');
  await cp('content', content, { recursive: true });
  const first = await runKb(['build', '--content', content, '--output', out, '--quiet']);
  assert.equal(first.exitCode, 0, first.stderr);
  const before = await snapshot(out);
  const state = await readFile(stateFileOf(out));
  const leftovers = async () => (await readdir(root)).filter((n) => /\.(building|previous)-/.test(n));

  // 1. Invalid content: refused before anything is written.
  const article = path.join(content, 'kb/5000101/index.md');
  const good = await readFile(article, 'utf8');
  await writeFile(article, good.replace(/^title: .*$/m, 'title: [unclosed'));
  const invalid = await runKb(['build', '--content', content, '--output', out, '--quiet']);
  assert.equal(invalid.exitCode, 2, invalid.stderr);
  assertSame(await snapshot(out), before, 'after invalid content');

  // 2. A one-article rebuild whose search delta index fails after the page was rendered.
  await writeFile(article, good.replace('## Symptoms', '## Symptoms\n\nAn edit that must not be published by a failed build.'));
  const dying = await dyingPagefind(root);
  const rebuild = await withPagefindBinary(dying, () => runKb(['build', '--content', content, '--output', out, '--quiet']));
  assertFailedCleanly(rebuild, out, /the Pagefind process exited with code 3 before the index was written/);
  assertSame(await snapshot(out), before, 'after a failed rebuild');

  // 3. A full build whose search index fails.
  const full = await withPagefindBinary(dying, () => runKb(['build', '--content', content, '--output', out, '--quiet', '--full']));
  assertFailedCleanly(full, out, /the Pagefind process exited with code 3 before the index was written/);
  assertSame(await snapshot(out), before, 'after a failed full build');

  assert.deepEqual(await leftovers(), [], 'no staging folder left behind');
  assert.deepEqual(await readFile(stateFileOf(out)), state, 'the rebuild state still describes the site on disk');
  t.diagnostic(`${before.size} files and folders compared byte for byte after each of 3 failed builds`);

  // The next good build publishes the edit: nothing was left half-done.
  const next = await runKb(['build', '--content', content, '--output', out, '--quiet']);
  assert.equal(next.exitCode, 0, next.stderr);
  assert.match(await readFile(path.join(out, 'kb/5000101/index.html'), 'utf8'), /An edit that must not be published by a failed build\./);
});

/** The demo content built into a new temporary folder: the folder, the site, a snapshot of it and a staging folder's path beside it. */
async function builtDemo(prefix: string) {
  const root = await tempDir(prefix);
  const out = path.join(root, '_site');
  const built = await runKb(['build', '--content', 'content', '--output', out, '--quiet']);
  assert.equal(built.exitCode, 0, built.stderr);
  return { root, out, before: await snapshot(out), staging: path.join(root, 'staging') };
}

/** File-system steps whose `failAt`-th rename fails, as on a full disk. */
function renameFailingAt(failAt: number) {
  let calls = 0;
  return {
    async rename(from: string, to: string) {
      if (++calls === failAt) throw new Error(`disk full (simulated, step ${failAt})`);
      await rename(from, to);
    },
  };
}

test('a rebuild that fails while moving its files into the site undoes every move, at whichever step it fails', async (t) => {
  const { root, out, before, staging } = await builtDemo('atomic-apply');
  // What a rebuild leaves in its staging folder: a changed page, a new page, a delta index.
  const stage = async () => {
    await rm(staging, { recursive: true, force: true });
    await mkdir(path.join(staging, 'kb/5000101'), { recursive: true });
    await writeFile(path.join(staging, 'kb/5000101/index.html'), 'new version');
    await mkdir(path.join(staging, 'kb/7000001'), { recursive: true });
    await writeFile(path.join(staging, 'kb/7000001/index.html'), 'new page');
    await mkdir(path.join(staging, 'pagefind-delta'), { recursive: true });
    await writeFile(path.join(staging, 'pagefind-delta/delta.json'), '{"replaced":[]}');
  };
  const removed = ['kb/5000103/index.html'];
  let failures = 0;
  for (let failAt = 1; ; failAt++) {
    await stage();
    const applied = await applyIncremental(staging, out, removed, 'delta', true, renameFailingAt(failAt)).then(() => true, (error: Error) => (assert.match(error.message, /simulated/), false));
    if (applied) break;
    failures++;
    assertSame(await snapshot(out), before, `after a failure at step ${failAt}`);
    assert.deepEqual((await readdir(root)).filter((n) => n.includes('.undo-')), [], 'the undo folder is removed');
  }
  assert.ok(failures >= 5, `every step was made to fail once (${failures} steps)`);
  t.diagnostic(`a failure at each of the ${failures} steps left the site byte for byte as it was`);
  // Without a failure, the rebuild's files are in place and the removed page is gone.
  assert.equal(await readFile(path.join(out, 'kb/5000101/index.html'), 'utf8'), 'new version');
  assert.equal(await readFile(path.join(out, 'kb/7000001/index.html'), 'utf8'), 'new page');
  await assert.rejects(readFile(path.join(out, 'kb/5000103/index.html')));
});

test('a full build over a site swaps the new one in and leaves deleting the old one to a process of its own, which also deletes what earlier full builds left', async () => {
  const root = await tempDir('discard');
  const out = path.join(root, '_site');
  const first = await runKb(['build', '--content', 'content', '--output', out, '--quiet']);
  assert.equal(first.exitCode, 0, first.stderr);
  // What a deleting process that never finished (the machine was switched off) leaves, and a folder that is not kb's.
  await mkdir(path.join(`${out}.previous-999999`, 'kb'), { recursive: true });
  await writeFile(path.join(`${out}.previous-999999`, 'kb', 'index.html'), 'an old page');
  await mkdir(`${out}.previous-notes`);

  const full = await runKb(['build', '--content', 'content', '--output', out, '--quiet', '--full']);
  assert.equal(full.exitCode, 0, full.stderr);
  assert.match(await readFile(path.join(out, 'kb/5000101/index.html'), 'utf8'), /<title>/, 'the new site is in place');
  const discarded = async () => (await readdir(root)).filter((name) => /^_site\.previous-\d+$/.test(name));
  // The deleting process runs on its own; wait for it (a liveness wait, not a timing).
  for (let waited = 0; (await discarded()).length && waited < 60_000; waited += 100) await new Promise((resolve) => setTimeout(resolve, 100));
  assert.deepEqual(await discarded(), [], 'the previous site and the leftover are deleted');
  assert.deepEqual((await readdir(root)).filter((name) => name.includes('.previous-')), ['_site.previous-notes'], 'a folder whose name does not end in a process number is not touched');
});

test('a build deletes the staging folders that stopped builds left, and keeps one whose build is still running', async () => {
  const root = await tempDir('leftover-staging');
  const out = path.join(root, '_site');
  const first = await runKb(['build', '--content', 'content', '--output', out, '--quiet']);
  assert.equal(first.exitCode, 0, first.stderr);
  // What a build that could not clean up leaves (its process gone), and the folder of a build still running.
  const running = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60_000)'], { stdio: 'ignore' });
  try {
    const stopped = `${out}.building-999999`;
    const live = `${out}.building-${running.pid}`;
    for (const dir of [stopped, live]) {
      await mkdir(path.join(dir, 'kb'), { recursive: true });
      await writeFile(path.join(dir, 'kb', 'index.html'), 'a half-written page');
    }
    // An incremental rebuild (nothing changed) cleans up too: after a full disk, the next build need not be a full one.
    const again = await runKb(['build', '--content', 'content', '--output', out, '--quiet']);
    assert.equal(again.exitCode, 0, again.stderr);
    const exists = (dir: string) => readdir(dir).then(() => true, () => false);
    // The deleting process runs on its own; wait for it (a liveness wait, not a timing).
    for (let waited = 0; (await exists(stopped)) && waited < 60_000; waited += 100) await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(await exists(stopped), false, 'the stopped build\'s folder is deleted');
    assert.equal(await readFile(path.join(live, 'kb', 'index.html'), 'utf8'), 'a half-written page', 'the running build\'s folder is kept');
  } finally {
    running.kill();
  }
});

test('a full build whose swap fails at either rename leaves the previous site in place, byte for byte', async () => {
  const { root, out, before, staging } = await builtDemo('atomic-swap');
  for (const failAt of [1, 2]) {
    await rm(staging, { recursive: true, force: true });
    await mkdir(staging);
    await writeFile(path.join(staging, 'index.html'), 'the new site');
    await assert.rejects(swapIn(staging, out, renameFailingAt(failAt)), /simulated/);
    assertSame(await snapshot(out), before, `after a failure at rename ${failAt}`);
    assert.deepEqual((await readdir(root)).filter((name) => name.includes('.previous-')), [], 'no copy of the site is left beside it');
  }
  await swapIn(staging, out);
  assert.equal(await readFile(path.join(out, 'index.html'), 'utf8'), 'the new site', 'without a failure, the new site is in place');
});
