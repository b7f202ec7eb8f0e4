/**
 * Parsing article files on worker threads. A full build reads and converts every article before
 * anything else can start (the search index orders its pages by every article's date), and on one
 * thread that took 40 s of a 60,000-article build while the machine's other core waited.
 *
 * Each worker reads, parses and digests a batch of files (src/article/parse-worker.mjs) and posts
 * the results back as structured clones: the same objects the parse cache stores with v8.serialize.
 */
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import { KbError } from '../errors.ts';
import type { FileResult } from './load.ts';

/**
 * Below this many files, starting threads costs more than it saves: each thread loads the parser
 * (and tsx) anew. `kb check` of 10,000 legacy articles took 10.4 s on two threads against 7.5 s on
 * one; of 60,000, 26.5 s against 40.5 s. Rebuilds parse a few files and stay on this thread.
 */
export const PARALLEL_PARSE_MIN = 20_000;
/** Files a worker is given at a time: large enough that messages are few, small enough to share the work evenly. */
const BATCH = 250;

export interface ParsedFile {
  result: FileResult;
  /** src/build/fingerprints.ts articleDigest of the article, computed on the worker. */
  digest?: string;
}

/** Every file read and parsed (and digested, with `digests`) on `threads` workers; results in the order of `files`. */
export async function parseOnWorkers(files: readonly string[], digests: boolean, threads = Math.min(2, os.availableParallelism())): Promise<ParsedFile[]> {
  const results: ParsedFile[] = new Array(files.length);
  let next = 0;
  const work = () =>
    new Promise<void>((resolve, reject) => {
      const worker = new Worker(new URL('./parse-worker.mjs', import.meta.url));
      let finished = false;
      const send = () => {
        if (next >= files.length) {
          finished = true;
          void worker.terminate().then(() => resolve(), reject);
          return;
        }
        const start = next;
        next = Math.min(files.length, start + BATCH);
        worker.postMessage({ start, files: files.slice(start, next), digests });
      };
      worker.on('message', (message: { start: number; parsed: ParsedFile[] }) => {
        message.parsed.forEach((parsed, k) => (results[message.start + k] = parsed));
        send();
      });
      worker.on('error', (error) => reject(new KbError(`reading articles: a parsing thread failed: ${error.message}`)));
      worker.on('exit', (code) => {
        if (!finished) reject(new KbError(`reading articles: a parsing thread stopped (exit code ${code}) before its files were read`));
      });
      send();
    });
  await Promise.all(Array.from({ length: Math.max(1, Math.min(threads, Math.ceil(files.length / BATCH))) }, work));
  return results;
}
