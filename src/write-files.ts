/**
 * Writing many small files: the data outputs (src/build/direct-outputs.ts) and the search bundle,
 * 300,000 files at 60,000 articles.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { KbError } from './errors.ts';

/** A file to write: its path below the output folder, and its content, made when it is written. */
export interface OutputFile {
  path: string;
  render: () => string | Uint8Array;
}

/**
 * Write files below `outputDir`, creating each folder once. Synchronously, in slices that give the
 * event loop a turn (Pagefind's answers, progress): for small files the promise API costs 3–5 times
 * the CPU (40,000 files of 700 bytes: 1.7 s user + 3.9–6.3 s system against 0.3–0.5 s + 1.4–4.3 s).
 */
export async function writeFiles(outputDir: string, outputs: ReadonlyArray<OutputFile>, onProgress?: (done: number) => void): Promise<void> {
  const made = new Set<string>();
  for (let done = 0; done < outputs.length; ) {
    const end = Math.min(done + 500, outputs.length);
    for (; done < end; done++) {
      const out = outputs[done]!;
      const file = path.join(outputDir, out.path);
      const dir = path.dirname(file);
      if (!made.has(dir)) {
        mkdirSync(dir, { recursive: true });
        made.add(dir);
      }
      writeFileSync(file, out.render());
    }
    onProgress?.(done);
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

/** Files a batch sends to the writing thread, and batches sent before one must be answered. */
const BATCH = 1000;
const BATCHES_AHEAD = 4;

export interface BackgroundWrite {
  /** Resolves once every file is written; rejects with the first failure, which names the file: a
   *  KbError, as parse-workers.ts reports its threads, since a full disk is not a bug in kbsite. */
  done: Promise<void>;
  /** End the thread now, written or not (a failed build, before its staging folder is removed). */
  stop(): Promise<void>;
}

/**
 * `writeFiles` on a thread of its own (src/write-worker.mjs), so that the caller can go on meanwhile.
 * A full build at 60,000 articles writes 240,000 data files, most of them redirect stubs in folders
 * of their own; a file and its folder cost this machine's kernel 100–400 µs, and on the build's
 * thread that was 75–100 s in which Pagefind waited for records and the other core was 30–45% idle.
 * The contents are made here, a batch at a time with the event loop turning between batches, and at
 * most BATCHES_AHEAD batches wait to be written, so memory stays bounded.
 */
export function writeFilesOnThread(outputDir: string, outputs: ReadonlyArray<OutputFile>, onProgress?: (done: number) => void): BackgroundWrite {
  const worker = new Worker(new URL('./write-worker.mjs', import.meta.url), { workerData: { root: outputDir } });
  let answered = 0;
  let written = 0;
  let failure: Error | null = null;
  let stopping = false;
  let wake: (() => void) | null = null;
  const fail = (error: Error) => {
    failure ??= error;
    wake?.();
  };
  worker.on('message', (answer: { written?: number; failure?: { message: string; code?: string } }) => {
    answered++;
    if (answer.failure) fail(Object.assign(new KbError(`writing the data files: ${answer.failure.message}`), { code: answer.failure.code }));
    else {
      written += answer.written!;
      onProgress?.(written);
    }
    wake?.();
  });
  worker.on('error', (error) => fail(new KbError(`writing the data files: the thread writing them failed: ${error.message}`)));
  worker.on('exit', (code) => {
    if (!stopping) fail(new KbError(`writing the data files: the thread writing them stopped (exit code ${code}) before it had written them`));
  });
  const answer = () => new Promise<void>((resolve) => (wake = resolve));
  const end = async () => {
    stopping = true;
    await worker.terminate();
  };
  const stop = async () => {
    fail(new KbError('writing the data files: the thread writing them was stopped before it had written them'));
    await end();
  };

  const done = (async () => {
    try {
      let sent = 0;
      for (let start = 0; start < outputs.length && !failure; start += BATCH) {
        while (!failure && sent - answered >= BATCHES_AHEAD) await answer();
        if (failure) break;
        const batch: Array<string | Uint8Array> = [];
        for (const out of outputs.slice(start, start + BATCH)) batch.push(out.path, out.render());
        worker.postMessage(batch);
        sent++;
        await new Promise<void>((resolve) => setImmediate(resolve)); // the pages and Pagefind get a turn
      }
      while (!failure && answered < sent) await answer();
    } finally {
      await end();
    }
    if (failure) throw failure;
  })();
  return { done, stop };
}
