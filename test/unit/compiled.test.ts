/**
 * `kb` runs src/ compiled to JavaScript (bin/compiled.js): compiled once per version of the
 * sources, complete or not at all, and doing exactly what the TypeScript does.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { cp, mkdir, readdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
// @ts-expect-error: plain JavaScript without declarations (it runs before any TypeScript can)
import { compiledSources, sourceFiles } from '../../bin/compiled.js';
import { findArticleFiles, loadArticleFile } from '../../src/article/load.ts';
import { filesBelow, tempDir } from '../support/build.ts';

type Compile = (options?: { source?: string; root?: string }) => Promise<string>;
const compile = compiledSources as Compile;

test('src/ is compiled once per version: a twin for every module, the worker scripts copied, a new folder when a source changes', async () => {
  const dir = await tempDir('compiled');
  const source = path.join(dir, 'src');
  const root = path.join(dir, 'dist');
  await cp('src', source, { recursive: true });

  const first = await compile({ source, root });
  assert.equal(path.dirname(first), root);
  const files = (sourceFiles as (source: string) => string[])(source);
  const compiled = new Set(await filesBelow(first));
  for (const file of files) {
    const twin = file.replace(/\.ts$/, '.js');
    assert.ok(compiled.has(twin), `${twin} compiled from ${file}`);
  }
  assert.ok(compiled.has('article/parse-worker.mjs') && compiled.has('article/survey-worker.mjs'), 'worker scripts copied');
  const main = await readFile(path.join(first, 'cli/main.js'), 'utf8');
  assert.match(main, /from "\.\.\/errors\.js"/, 'relative imports point at the compiled twins');
  assert.doesNotMatch(main, /class KbError/, 'imported modules are not inlined');
  assert.doesNotMatch(main, /from "[^"]+\.ts"/);

  // The same sources: the same folder, not compiled again.
  await writeFile(path.join(first, 'marker'), '');
  assert.equal(await compile({ source, root }), first);
  await stat(path.join(first, 'marker'));

  // A changed source: a new folder; the older one stays for a process that may still run from it.
  await writeFile(path.join(source, 'errors.ts'), `${await readFile(path.join(source, 'errors.ts'), 'utf8')}\n// changed\n`);
  const second = await compile({ source, root });
  assert.notEqual(second, first);
  await stat(path.join(first, 'cli/main.js'));

  // A copy without its completion mark is not trusted: it is compiled again.
  await rm(path.join(second, '.complete'));
  await rm(path.join(second, 'cli/main.js'));
  assert.equal(await compile({ source, root }), second);
  await stat(path.join(second, 'cli/main.js'));
});

test('compiling a new version removes copies unused for a day and keeps recent ones', async () => {
  const dir = await tempDir('compiled-prune');
  const source = path.join(dir, 'src');
  const root = path.join(dir, 'dist');
  await cp('src', source, { recursive: true });
  const stale = path.join(root, 'stale0000000000');
  const recent = path.join(root, 'recent000000000');
  await mkdir(stale, { recursive: true });
  await mkdir(recent, { recursive: true });
  const twoDaysAgo = new Date(Date.now() - 2 * 24 * 60 * 60 * 1000);
  await utimes(stale, twoDaysAgo, twoDaysAgo);
  const compiled = await compile({ source, root });
  assert.deepEqual((await readdir(root)).sort(), [path.basename(compiled), 'recent000000000'].sort());
});

test('the compiled kb builds byte for byte the site the TypeScript builds, on its render thread too', async () => {
  const dir = await tempDir('compiled-site');
  // Runs of 2 articles, so that the render thread (src/build/render-worker.mjs) renders from the compiled copy too.
  const run = (output: string, env: NodeJS.ProcessEnv) =>
    promisify(execFile)(process.execPath, ['bin/kb.js', 'build', '--content', 'content', '--output', output, '--quiet', '--debug'], { env: { ...process.env, KB_ARTICLES_PER_RUN: '2', ...env } });
  const compiled = await run(path.join(dir, 'compiled'), {});
  assert.doesNotMatch(compiled.stderr, /through tsx/, 'it ran compiled');
  await run(path.join(dir, 'source'), { KB_FROM_SOURCE: '1' });
  const files = await filesBelow(path.join(dir, 'compiled'));
  assert.deepEqual(await filesBelow(path.join(dir, 'source')), files);
  assert.ok(files.includes('kb/2792165/index.html') && files.some((f) => f.startsWith('pagefind/')), 'a whole site');
  for (const file of files) {
    const [a, b] = await Promise.all([readFile(path.join(dir, 'compiled', file)), readFile(path.join(dir, 'source', file))]);
    assert.ok(a.equals(b), `${file} is the same`);
  }
});

test('compiled parse workers load the compiled parser and parse as the TypeScript does', async () => {
  const compiledDir = await compile();
  const { parseOnWorkers } = (await import(pathToFileURL(path.join(compiledDir, 'article/parse-workers.js')).href)) as typeof import('../../src/article/parse-workers.ts');
  const files = [...(await findArticleFiles('content')), ...(await findArticleFiles('test/fixtures/legacy'))];
  const parsed = await parseOnWorkers(files, false, 2);
  for (const [k, file] of files.entries()) assert.deepEqual(parsed[k]!.result, await loadArticleFile(file, await readFile(file)), file);
});
