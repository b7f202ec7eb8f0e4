/**
 * `kb links --shards n`: one command checks every page of a built site in child processes and adds
 * up their results; a broken link anywhere fails it and is named. Runs the real `bin/kb.js`.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { listPages } from '../../src/link-check.ts';
import { runKb, tempDir } from '../support/build.ts';

async function kb(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ['bin/kb.js', ...args]);
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

test('kb links --shards checks every page in child processes, adds up their counts, and names a broken link', async () => {
  const dir = await tempDir('links-cli');
  const site = path.join(dir, '_site');
  try {
    const built = await runKb(['build', '--content', 'content', '--output', site, '--quiet']);
    assert.equal(built.exitCode, 0, built.stderr);
    const pages = (await listPages(site)).length;

    const ok = await kb('links', '--output', site, '--shards', '3', '--jobs', '2');
    assert.equal(ok.code, 0, ok.stderr);
    assert.equal((ok.stdout.match(/shard \d\/3 done/g) ?? []).length, 3, ok.stdout);
    assert.match(ok.stdout, new RegExp(`\\[kb\\] links: ${pages} pages scanned, \\d+ links checked, 0 broken \\(3 shards, 2 at a time\\)`));

    const home = path.join(site, 'index.html');
    await writeFile(home, (await readFile(home, 'utf8')).replace('</main>', '<a href="/kb/404404/">gone</a></main>'));
    const broken = await kb('links', '--output', site, '--shards', '2');
    assert.equal(broken.code, 1);
    assert.match(broken.stderr, /broken link: \/kb\/404404\/ \(HTTP 404\) on \//);
    assert.match(broken.stdout, /, 1 broken \(2 shards/);

    const usage = await kb('links', '--output', site, '--shards', '0');
    assert.equal(usage.code, 64);
    assert.match(usage.stderr, /--shards must be a whole number of at least 1 \(got 0\)/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
