// The render thread of src/build/render-pages.ts: renders each run of articles it is sent through
// Eleventy, reports pages written as it goes, then answers `done` (or the failure's message).
// JavaScript, because a worker does not inherit the TypeScript loader its process registered. In
// `kb`'s compiled copy of src/ (bin/compiled.js) it sits beside render-pages.js, and .eleventy.js
// must load the plugin from the same copy (it looks for the copy's folder under this symbol).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parentPort } from 'node:worker_threads';

// kb prints the build's progress and summary; Eleventy's notes from this thread (its benchmark
// warnings do not go through the logger runEleventy quiets) would only interleave with them.
// Errors still go to stderr, as on the build's thread.
console.log = console.info = console.warn = () => {};
const compiled = existsSync(new URL('./render-pages.js', import.meta.url));
// .eleventy.js loads the plugin from the copy named under bin/compiled.js's COMPILED_KEY: this one's folder.
if (compiled) globalThis[Symbol.for('kbsite.compiled')] = fileURLToPath(new URL('..', import.meta.url));
else (await import('tsx/esm/api')).register();
const { renderArticleRun, threadFailure } = await import(compiled ? './render-pages.js' : './render-pages.ts');

/** Progress goes to the build's thread every this many pages (a message costs more than a page's count). */
const REPORT_EVERY = 100;

// Eleventy handles some rejections late (a page's write is awaited with the rest of its template's,
// see src/cli/rejections.ts); Node would end the thread at the first. Those still unhandled once a
// run has ended fail the run.
const unhandled = new Map();
process.on('unhandledRejection', (reason, promise) => unhandled.set(promise, reason));
process.on('rejectionHandled', (promise) => unhandled.delete(promise));

parentPort.on('message', async (run) => {
  try {
    await renderArticleRun(run, (count) => {
      if (count % REPORT_EVERY === 0) parentPort.postMessage({ written: count });
    });
    const [left] = unhandled.values();
    if (left !== undefined) throw new Error(`internal error (a bug in kbsite or a library it uses): ${left instanceof Error ? left.message : String(left)}`);
    parentPort.postMessage({ written: run.articles.length });
    parentPort.postMessage({ done: true });
  } catch (error) {
    unhandled.clear();
    parentPort.postMessage({ failure: threadFailure(error) });
  }
});
