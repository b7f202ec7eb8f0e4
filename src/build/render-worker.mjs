// The render thread of src/build/render-pages.ts: renders each run of articles it is sent through
// Eleventy, reports pages written as it goes, then answers `done` (or the failure's message).
// JavaScript, because a worker does not inherit the TypeScript loader its process registered. In
// `kb`'s compiled copy of src/ (bin/compiled.js) it sits beside render-pages.js, and .eleventy.js
// must load the plugin from the same copy (it looks for the copy's folder under this symbol).
import { existsSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';

// kb prints the build's progress and summary; Eleventy's notes from this thread (its benchmark
// warnings do not go through the logger runEleventy quiets) would only interleave with them.
// Errors still go to stderr, as on the build's thread.
console.log = console.info = console.warn = () => {};
if (workerData.compiled) globalThis[Symbol.for('kbsite.compiled')] = workerData.compiled;
const compiled = existsSync(new URL('./render-pages.js', import.meta.url));
if (!compiled) (await import('tsx/esm/api')).register();
const { renderArticleRun } = await import(compiled ? './render-pages.js' : './render-pages.ts');

/** Progress goes to the build's thread every this many pages (a message costs more than a page's count). */
const REPORT_EVERY = 100;

parentPort.on('message', async (run) => {
  try {
    await renderArticleRun(run, (count) => {
      if (count % REPORT_EVERY === 0) parentPort.postMessage({ written: count });
    });
    parentPort.postMessage({ written: run.articles.length });
    parentPort.postMessage({ done: true });
  } catch (error) {
    parentPort.postMessage({ failure: error instanceof Error ? error.message : String(error) });
  }
});
