/**
 * Reproducible builds: the same content gives the same site, byte for byte, so a deploy diff shows
 * only what an author changed and a cache is never invalidated by a rebuild. Dates in the output
 * come from the content (published/updated), never from the clock.
 *
 * This includes the search index: Pagefind 1.5 wrote its filter lists in hash-map order, which
 * changed from run to run (https://github.com/Pagefind/pagefind/issues/638); the build puts them in
 * a fixed order of its own (src/search/stable-bundle.ts). The test builds the demo twice and, to make run-to-run
 * differences likely to show, once more with the articles in another order on disk.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { filesBelow, runKb, tempDir } from '../support/build.ts';
import { decodePagefindFile } from '../../src/search/stable-bundle.ts';

test('building the demo content three times gives byte-identical sites, search index included', async (t) => {
  const root = await tempDir('reproducible');
  const outs = ['first', 'second', 'third'].map((name) => path.join(root, name));
  const zone = process.env.TZ;
  try {
    for (const [i, out] of outs.entries()) {
      // The last build runs in another time zone: no output may depend on the local clock or zone.
      if (i === 2) process.env.TZ = 'Pacific/Kiritimati';
      const run = await runKb(['build', '--content', 'content', '--output', out, '--quiet']);
      assert.equal(run.exitCode, 0, run.stderr);
    }
    process.env.TZ = zone;
    const [first, ...others] = outs as [string, ...string[]];
    const files = await filesBelow(first);
    assert.ok(files.length > 20, `a whole site was written (${files.length} files)`);
    const filterFiles = files.filter((f) => f.startsWith('pagefind/filter/'));
    assert.ok(filterFiles.length >= 4, 'product, type, stop and year filters are in the comparison');
    for (const other of others) {
      assert.deepEqual(await filesBelow(other), files, 'every build writes the same files, with the same names');
      const differing: string[] = [];
      for (const file of files) {
        const [x, y] = await Promise.all([readFile(path.join(first, file)), readFile(path.join(other, file))]);
        if (!x.equals(y)) differing.push(file);
      }
      assert.deepEqual(differing, [], `files that differ between two builds of the same content: ${differing.join(', ')}`);
    }
    // The filter lists are in a fixed order (what made them differ before, Pagefind issue 638).
    for (const file of filterFiles) {
      const [, values] = decodePagefindFile(await readFile(path.join(first, file)), file) as [string, Array<[string, number[]]>];
      const names = values.map(([value]) => value);
      assert.deepEqual(names, [...names].sort(), `${file}: values in order`);
    }
    t.diagnostic(`${files.length} files byte-identical in 3 builds (${filterFiles.length} Pagefind filter files among them)`);
  } finally {
    process.env.TZ = zone;
    await rm(root, { recursive: true, force: true });
  }
});
