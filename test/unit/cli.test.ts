import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
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
