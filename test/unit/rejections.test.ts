/**
 * src/cli/rejections.ts: a rejection handled late (as Eleventy handles a failed page's write) is no
 * bug; one never handled by the time a command succeeds is, and so is one left when the process
 * ends. Each case runs in a process of its own, since the tracking is process-wide.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { tempDir } from '../support/build.ts';

const module = pathToFileURL(path.resolve('src/cli/rejections.ts')).href;

/** Run `body` (a module's code, with trackRejections, takeUnhandled and `turns` to wait in scope). */
async function run(body: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const file = path.join(await tempDir('rejections'), 'case.mts');
  await writeFile(file, `import { trackRejections, takeUnhandled } from ${JSON.stringify(module)};\nconst turns = () => new Promise((resolve) => setTimeout(resolve, 20));\ntrackRejections();\n${body}\n`);
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', file], (error, stdout, stderr) => resolve({ code: error ? Number(error.code) : 0, stdout, stderr }));
  });
}

test('a rejection handled late is not reported, and the process goes on', async () => {
  const late = await run(`const failed = Promise.reject(new Error('a page could not be written'));\nawait turns();\nawait failed.catch(() => {});\nconsole.log('reported', await takeUnhandled(true));`);
  assert.equal(late.code, 0, late.stderr);
  assert.equal(late.stdout.trim(), 'reported false');
  assert.equal(late.stderr, '');
});

test('a rejection never handled is reported as an internal error once the command succeeded, and not after it failed', async () => {
  const lost = await run(`Promise.reject(new Error('nothing awaited this'));\nawait turns();\nconsole.log('reported', await takeUnhandled(true), await takeUnhandled(true));`);
  assert.equal(lost.stdout.trim(), 'reported true false', 'reported once');
  assert.match(lost.stderr, /^kb: internal error \(a bug in kbsite or a library it uses\): nothing awaited this$/m);

  const abandoned = await run(`Promise.reject(new Error('abandoned by a failed build'));\nawait turns();\nconsole.log('reported', await takeUnhandled(false));`);
  assert.equal(abandoned.stdout.trim(), 'reported false');
  assert.equal(abandoned.stderr, '');
});

test('a rejection still unhandled when the process ends makes its exit code 70', async () => {
  const left = await run(`Promise.reject(new Error('left behind'));`);
  assert.equal(left.code, 70);
  assert.match(left.stderr, /internal error .*: left behind/);
});
