/**
 * Pagefind's web worker script, with kbsite's loader of the compact index files in front of it.
 *
 * Pagefind searches in a web worker (`pagefind-worker.js`), so that a search does not freeze the
 * page: at 60,000 articles "service pack" has 10,516 results and takes about a second. The worker
 * fetches the index's files with its own `fetch`, which the search page's cannot answer; for it to
 * load the compact meta file and chunks (src/search/compact-meta.ts, compact-chunks.ts), the loader
 * (src/client/compact-index-fetch.ts) has to run in the worker, before Pagefind's code. So the build
 * writes the worker script as the loader, bundled by esbuild into a classic script, then
 * Pagefind's script as it is. The same bundle hands a search's results to the page in windows
 * (src/client/result-window.ts) and fetches the first results' fragments ahead
 * (src/client/fragment-prefetch.ts), which also have to run in the worker.
 */
import path from 'node:path';
import { build } from 'esbuild';
import { PACKAGE_ROOT } from '../package-root.ts';

export const PAGEFIND_WORKER = 'pagefind-worker.js';

let loader: Promise<string> | undefined;

/**
 * The loader as a classic script, the same bytes every time. Bundled once per process, with
 * esbuild's asynchronous API: started before Pagefind indexes, its 0.1 s is not waited for.
 */
export function compactIndexLoader(): Promise<string> {
  loader ??= build({
    stdin: {
      contents: [
        "import { loadSearchIndexCompactly } from './compact-index-fetch.ts';",
        "import { prefetchFirstFragments } from './fragment-prefetch.ts';",
        "import { handOverInWindows } from './result-window.ts';",
        'loadSearchIndexCompactly();',
        // The prefetch's hook on posting wraps the windows' hook, so it sees every result of a search.
        'handOverInWindows(globalThis);',
        'prefetchFirstFragments(globalThis);',
      ].join('\n'),
      resolveDir: path.join(PACKAGE_ROOT, 'src/client'),
      loader: 'ts',
    },
    bundle: true,
    format: 'iife',
    minify: true,
    target: 'es2020',
    write: false,
    logLevel: 'silent',
  }).then((result) => result.outputFiles[0]!.text);
  return loader;
}

/** Pagefind's worker script with the loader in front. */
export function withCompactIndexLoader(workerScript: Uint8Array, loaderScript: string): Buffer {
  return Buffer.concat([Buffer.from(loaderScript), Buffer.from(workerScript)]);
}
