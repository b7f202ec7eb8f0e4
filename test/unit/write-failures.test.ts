/**
 * A disk that fills up is the machine's problem, not a bug in kbsite: `kb` says so, with what to
 * do, and leaves the site and the disk as they were. The `kb` processes here run with
 * test/support/full-disk.mjs preloaded, which makes one kind of write fail with ENOSPC.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { cp, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { filesBelow, snapshot, tempDir } from '../support/build.ts';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function kb(args: string[], fullDisk?: 'pages' | 'state', env: Record<string, string> = {}): Promise<Run> {
  const preload = fullDisk ? ['--import', path.resolve('test/support/full-disk.mjs')] : [];
  return new Promise((resolve) => {
    execFile(process.execPath, [...preload, 'bin/kb.js', ...args], { env: { ...process.env, KB_TEST_FULL_DISK: fullDisk ?? '', ...env } }, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code) : 0, stdout, stderr }),
    );
  });
}

test('a disk that fills up while pages are written fails the build as a full disk (exit 74, with advice), the search index stops, and the site and its folder are left as they were', async () => {
  const root = await tempDir('full-disk');
  const content = path.join(root, 'content');
  const out = path.join(root, '_site');
  await cp('content', content, { recursive: true });
  const first = await kb(['build', '--content', content, '--output', out, '--quiet']);
  assert.equal(first.code, 0, first.stderr);
  const before = await snapshot(out);

  // Search shards of one article, so that the index is still being written when the pages fail: it
  // must stop too, or it writes into the staging folder after the build removed it.
  const full = await kb(['build', '--content', content, '--output', out, '--full', '--quiet'], 'pages', { KB_SEARCH_SHARD_SIZE: '1' });
  assert.equal(full.code, 74, full.stderr);
  assert.match(full.stderr, /the build failed; .*_site was left as it was/);
  assert.match(full.stderr, /no space left on the device \(ENOSPC\); free space on that disk .* or build into a folder on another disk with --output/);
  assert.doesNotMatch(full.stderr, /internal error/);
  assert.doesNotMatch(full.stderr, /\[11ty\]/, "Eleventy's own report of the failure (a stack trace) only with --debug");
  assert.deepEqual(await snapshot(out), before, 'the site is byte for byte the one before');
  assert.deepEqual((await readdir(root)).filter((name) => name.includes('.building-')), [], 'no staging folder is left');
});

test('a disk that fills up while the build state is saved leaves the new site in place, warns that the next build does more work, and leaves no partial file', async () => {
  const root = await tempDir('full-disk-state');
  const content = path.join(root, 'content');
  const out = path.join(root, '_site');
  await cp('content', content, { recursive: true });

  const run = await kb(['build', '--content', content, '--output', out], 'state');
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /built 5 articles into/);
  assert.match(run.stderr, /warning: the site is up to date, but the build cache could not be saved \(no space left on the device \(ENOSPC\); .*\)\. The next kb build will do more work, never wrong work\./);
  assert.ok((await readFile(path.join(out, 'kb/2792165/index.html'), 'utf8')).includes('KB2792165'), 'the site is in place');
  const cacheFiles = await filesBelow(`${out}.cache`);
  assert.deepEqual(cacheFiles.filter((f) => f.endsWith('.tmp')), [], 'the half-written state is removed');
  assert.ok(!cacheFiles.includes('state.v8'), 'no state was saved');

  // The next build, with room on the disk, builds everything and saves its state.
  const next = await kb(['build', '--content', content, '--output', out]);
  assert.equal(next.code, 0, next.stderr);
  assert.match(next.stdout, /built 5 articles into/);
  assert.ok((await filesBelow(`${out}.cache`)).includes('state.v8'));
});

test('kb build --watch whose build fails on a full disk keeps watching, and ends with exit 0 on Ctrl+C, with nothing called an internal error', { timeout: 120_000 }, async () => {
  const root = await tempDir('full-disk-watch');
  const content = path.join(root, 'content');
  await cp('content', content, { recursive: true });
  // What the failed build abandoned (Eleventy's passthrough copy) is never handled: it must not be
  // reported when the process ends, nor end it ten minutes later (src/cli/rejections.ts).
  const child = spawn(process.execPath, ['--import', path.resolve('test/support/full-disk.mjs'), 'bin/kb.js', 'build', '--watch', '--content', content, '--output', path.join(root, '_site')], {
    env: { ...process.env, KB_TEST_FULL_DISK: 'pages' },
  });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const exited = once(child, 'exit');
  while (!output.includes('Ctrl+C to stop')) {
    if (child.exitCode !== null) assert.fail(`kb exited before watching:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill('SIGINT');
  const [code] = await exited;
  assert.match(output, /no space left on the device \(ENOSPC\)/);
  assert.match(output, /still watching; save a fix/);
  assert.doesNotMatch(output, /internal error|Service stopped/);
  assert.equal(code, 0, output);
  assert.deepEqual((await readdir(root)).filter((name) => name.includes('.building-')), [], 'no staging folder is left');
});
