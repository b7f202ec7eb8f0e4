/**
 * Pagefind's web worker script, with kbsite's loader of the compact meta file in front of it.
 *
 * Pagefind searches in a web worker (`pagefind-worker.js`), so that a search does not freeze the
 * page: at 60,000 articles "service pack" has 10,516 results and takes about a second. The worker
 * fetches the index's files with its own `fetch`, which the search page's cannot answer; for it to
 * load the compact meta file (src/search/compact-meta.ts), the loader
 * (src/client/compact-meta-fetch.ts) has to run in the worker, before Pagefind's code. So the build
 * writes the worker script as the loader, bundled by esbuild into a classic script, then
 * Pagefind's script as it is.
 */
import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';

export const PAGEFIND_WORKER = 'pagefind-worker.js';

let loader: string | undefined;

/** The loader as a classic script: bundled once per process, the same bytes every time. */
function metaLoaderScript(): string {
  loader ??= buildSync({
    stdin: {
      contents: "import { loadSearchMetaCompactly } from './compact-meta-fetch.ts';\nloadSearchMetaCompactly();\n",
      resolveDir: fileURLToPath(new URL('../client/', import.meta.url)),
      loader: 'ts',
    },
    bundle: true,
    format: 'iife',
    minify: true,
    target: 'es2020',
    write: false,
    logLevel: 'silent',
  }).outputFiles[0]!.text;
  return loader;
}

/** Pagefind's worker script with the loader in front. */
export function withCompactMetaLoader(workerScript: Uint8Array): Buffer {
  return Buffer.concat([Buffer.from(metaLoaderScript()), Buffer.from(workerScript)]);
}
