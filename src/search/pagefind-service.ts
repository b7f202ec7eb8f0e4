/**
 * One Pagefind session at a time, ended only once the service has exited by itself.
 *
 * (kbsite now takes the bundle from `getFiles` and writes it itself, src/search/index.ts, so no
 * index file depends on the service's own writes; ending it this way still leaves no process
 * behind and reports a service that crashed or was killed.) Why it was built: Pagefind's Node API answers `writeFiles` once its writes are *queued*; the Rust
 * service (tokio file I/O) may still be writing the last bytes of some files in the background.
 * `pagefind.close()` then kills the service, and the files still being written stay short or empty.
 * We saw it happen: CI built a site whose `pagefind/pagefind-worker.js` was empty, which breaks
 * search. Writing a 20-record index 150 times under CPU and disk load gave a short or empty
 * pagefind-worker.js 1–2 times with `close()`, and 0 times when we end the service's stdin instead
 * and wait: the service then exits by itself, after its writes are done
 * (test/unit/pagefind-service.test.ts checks that it exits with code 0, not by a signal).
 *
 * The API keeps its child process private, so we learn it by watching `child_process.spawn` for the
 * one call that `createIndex` makes to start the service (the API starts it lazily, synchronously,
 * inside that call).
 *
 * The API keeps one service per module instance, so the search index, built in shards
 * (src/search/merge-shards.ts), gets up to SERVICES sessions at once by loading the module once per
 * service (under its own URL). Each service runs one session at a time.
 */
import childProcess, { type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import type { PagefindIndex } from 'pagefind';
import { KbError } from '../errors.ts';

/** How long a finished service may take to exit before it is killed as the API would. */
const EXIT_WAIT_MS = 120_000;

/**
 * Pagefind processes at once. Each uses about one core and, for a shard of 5,000 articles, up to
 * 0.7 GB; two shards side by side took 15 s where one index of both took 22 s (2 cores).
 */
export const SERVICES = 2;

type PagefindApi = typeof import('pagefind');

/** A module instance of the API (so a service of its own), and whether a session is using it. */
interface Slot {
  api: Promise<PagefindApi>;
  busy: boolean;
}

const slots: Slot[] = [];
const waiting: Array<() => void> = [];

async function takeSlot(): Promise<Slot> {
  for (;;) {
    const free = slots.find((slot) => !slot.busy);
    if (free) {
      free.busy = true;
      return free;
    }
    if (slots.length < SERVICES) {
      const url = import.meta.resolve('pagefind');
      const slot = { api: import(slots.length ? `${url}?service=${slots.length + 1}` : url) as Promise<PagefindApi>, busy: true };
      slots.push(slot);
      return slot;
    }
    await new Promise<void>((resolve) => waiting.push(resolve));
  }
}

function releaseSlot(slot: Slot): void {
  slot.busy = false;
  waiting.shift()?.();
}

/** Runs `work` with a fresh Pagefind index and returns its result once the service has exited cleanly. */
export async function withPagefindIndex<T>(work: (index: PagefindIndex) => Promise<T>, signal?: AbortSignal): Promise<T> {
  const slot = await takeSlot();
  try {
    signal?.throwIfAborted();
    return await runSession(await slot.api, work, signal);
  } finally {
    releaseSlot(slot);
  }
}

/** A promise that rejects when `signal` aborts (null without one), and the way to stop listening. */
function abortedBy(signal: AbortSignal | undefined): { aborted: Promise<never>; dispose(): void } | null {
  if (!signal) return null;
  let onAbort!: () => void;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(signal.reason);
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
  aborted.catch(() => {}); // raced below; an abort after the session ended is nobody's failure
  // A build's signal outlives its sessions (one per shard): each takes its listener with it.
  return { aborted, dispose: () => signal.removeEventListener('abort', onAbort) };
}

async function runSession<T>(pagefind: PagefindApi, work: (index: PagefindIndex) => Promise<T>, signal?: AbortSignal): Promise<T> {
  const { created, service } = startService(pagefind);
  const early = service ? watchForEarlyExit(service) : null;
  // An abort ends the session at once (the service is stopped below), not when Pagefind next answers.
  const abort = abortedBy(signal);
  const stoppers = [early?.exited, abort?.aborted].filter((p): p is Promise<never> => p != null);
  const orStop = <R>(step: Promise<R>): Promise<R> => (stoppers.length ? Promise.race([step, ...stoppers]) : step);
  try {
    const { index, errors } = await orStop(created);
    if (errors.length || !index) throw new KbError(`search index: createIndex failed: ${errors.join('; ')}`);
    return await orStop(work(index));
  } finally {
    abort?.dispose();
    early?.expect();
    await stopService(pagefind, service);
  }
}

/**
 * The API never answers the requests that were in flight when its service dies (a crash, the
 * out-of-memory killer): the build would wait forever, or Node would exit with nothing left to do.
 * So an exit before we end the session fails the build, naming how the service stopped.
 */
function watchForEarlyExit(service: ChildProcess): { exited: Promise<never>; expect(): void } {
  let expected = false;
  const exited = new Promise<never>((_, reject) => {
    service.once('exit', (code, signal) => {
      if (expected) return;
      reject(new KbError(`search index: the Pagefind process ${howItExited(code, signal)} before the index was written. Run the build again; if it happens again, run it with --debug and report Pagefind's output.`));
    });
  });
  exited.catch(() => {}); // only a race that is still running reports it
  return { exited, expect: () => void (expected = true) };
}

function howItExited(code: number | null, signal: NodeJS.Signals | null): string {
  return signal ? `was killed by ${signal}${signal === 'SIGKILL' ? ' (out of memory?)' : ''}` : `exited with code ${code}`;
}

function startService(pagefind: PagefindApi): { created: ReturnType<PagefindApi['createIndex']>; service: ChildProcess | undefined } {
  const spawn = childProcess.spawn;
  let service: ChildProcess | undefined;
  const watching = function (this: unknown, ...args: Parameters<typeof spawn>): ChildProcess {
    service = (spawn as (...a: unknown[]) => ChildProcess).apply(this, args);
    return service;
  };
  (childProcess as { spawn: unknown }).spawn = watching;
  try {
    const created = pagefind.createIndex({ forceLanguage: 'en' });
    return { created, service };
  } finally {
    (childProcess as { spawn: unknown }).spawn = spawn;
  }
}

async function stopService(pagefind: PagefindApi, service: ChildProcess | undefined): Promise<void> {
  let failure: string | null = null;
  if (service && service.exitCode === null && service.signalCode === null) {
    // The API unrefs its child; without a ref Node could exit while we wait and skip the rest of the build.
    service.ref();
    const exited = once(service, 'exit');
    const timer = setTimeout(() => service.kill(), EXIT_WAIT_MS);
    service.stdin?.end();
    try {
      const [code, signal] = (await exited) as [number | null, NodeJS.Signals | null];
      // Killed or failed while finishing its writes: some index files may be short.
      if (code !== 0) failure = howItExited(code, signal);
    } finally {
      clearTimeout(timer);
    }
  }
  // Forget the (now exited) service so the next session starts a new one.
  await pagefind.close();
  if (failure) throw new KbError(`search index: the Pagefind process ${failure} while finishing the index files. Run the build again.`);
}
