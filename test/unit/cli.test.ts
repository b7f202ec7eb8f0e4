import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { readFile } from 'node:fs/promises';
import { runKb, tempDir } from '../support/build.ts';

test('kb import converts the legacy seed into a modern article that kb check accepts', async () => {
  const out = path.join(await tempDir('import'), 'content');
  const imported = await runKb(['import', 'content/kb/243', '--out', out, '--quiet']);
  assert.equal(imported.exitCode, 0, imported.stderr);
  assert.match(await readFile(path.join(out, 'kb/243852/index.md'), 'utf8'), /^---\nid: 243852\n/);
  const checked = await runKb(['check', '--content', out]);
  assert.equal(checked.exitCode, 0, checked.stderr);
  assert.match(checked.stdout, /kb check: 1 article, no problems/);
});

test('kb import without --out is a usage error with exit code 64', async () => {
  const run = await runKb(['import', 'content']);
  assert.equal(run.exitCode, 64);
  assert.match(run.stderr, /kb import needs one source folder and --out DIR/);
});

test('an unknown command says so and shows the usage', async () => {
  const run = await runKb(['frobnicate']);
  assert.equal(run.exitCode, 64);
  assert.match(run.stderr, /unknown command "frobnicate"[\s\S]*kb build \[--content DIR\]/);
});

test("kb build prints none of Eleventy's notes on slow parts (its benchmark groups are quiet)", async () => {
  // Eleventy prints "[11ty] Benchmark 51ms 9% 5× (Configuration) …" when a part crosses 50 ms and 8% of
  // a run, from groups made before its quiet mode reaches them; whether a part crosses it depends on
  // the machine, so the test looks at what decides it: every group's verbosity when the run ends.
  const { default: BenchmarkGroup } = (await import(pathToFileURL(path.resolve('node_modules/@11ty/eleventy/src/Benchmark/BenchmarkGroup.js')).href)) as { default: { prototype: { finish(label: string, total: number): void; isVerbose: boolean } } };
  const finish = BenchmarkGroup.prototype.finish;
  const verbose: string[] = [];
  BenchmarkGroup.prototype.finish = function (this: { isVerbose: boolean }, label: string, total: number) {
    if (this.isVerbose) verbose.push(label);
    return finish.call(this, label, total);
  };
  try {
    const run = await runKb(['build', '--output', path.join(await tempDir('quiet'), '_site'), '--quiet']);
    assert.equal(run.exitCode, 0, run.stderr);
  } finally {
    BenchmarkGroup.prototype.finish = finish;
  }
  assert.deepEqual(verbose, []);
});
