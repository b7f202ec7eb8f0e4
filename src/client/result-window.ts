/**
 * A search's results are handed from Pagefind's web worker to the search page in windows: the first
 * FIRST_WINDOW, then more when the page shows more, instead of all of them at once.
 *
 * Why. The page shows 10 results, but Pagefind's worker posts every result of a search, and the page
 * receives them all before it can ask for the first fragment: for "service pack" at 60,000 articles
 * (11,130 results) the worker took about 9 ms to post them and the page 56–70 ms to receive them, a
 * closure and a `FinalizationRegistry` entry each (docs/performance.md, "Latency").
 *
 * How. The page asks for a window in the search's options (`WINDOW_OPTION`: `{ from, size }`;
 * Pagefind passes options it does not know to the worker and ignores them). When Pagefind's handler
 * posts the results of such a search, this posts only the window, with the whole count in
 * `TOTAL_FIELD`, and keeps every result in the worker. A request for a later window of the same search
 * (same instance, term and options) is answered from what is kept, without searching again. The
 * handles of kept results the page never received are released once another search replaced them
 * and the worker is quiet, as the page's `FinalizationRegistry` would have released them.
 *
 * It runs in Pagefind's worker, before Pagefind's code (src/search/worker-script.ts), through the
 * hooks of worker-hooks.ts, and relies on Pagefind's `releaseData` method too. Should they change,
 * every window is answered by a search of its own, with every result: slower, never wrong. The
 * page side (`searchInWindows`) takes any answer without the count as the whole list, so Pagefind
 * running on the page (no worker) works too.
 */
import { PREFETCH_OPTION } from './fragment-prefetch.ts';
import { hookWorker, searchArgs, type WorkerRequest, type WorkerResponse, type WorkerScope } from './worker-hooks.ts';

/** The search option that asks for a window of the results: `{ from, size }`. */
export const WINDOW_OPTION = 'kbWindow';
/** The field of a windowed answer that holds the search's whole count. */
export const TOTAL_FIELD = 'kbTotal';
/** The first window: the page shows 10, and checks up to 50 for a quoted phrase (search.ts). */
export const FIRST_WINDOW = 100;
/**
 * Kept results the page never received are released while the worker is quiet: no message from
 * the page or answer to it for QUIET_MS, RELEASE_BATCH handles per task. Each release goes through
 * Pagefind's message handler: 11,030 of them took Chromium's worker 93 ms at once, and released in
 * tasks of 256 a second after the next search (about 2 ms each), they still slowed the searches
 * that followed within a second or two (docs/performance.md).
 */
const QUIET_MS = 500;
const RELEASE_BATCH = 256;

export interface ResultWindow {
  from: number;
  size: number;
}

/** The window a search request asks for; null for other messages and searches without one. */
export function requestedWindow(request: WorkerRequest): ResultWindow | null {
  const window = searchArgs(request)?.options[WINDOW_OPTION] as Partial<ResultWindow> | null | undefined;
  const { from, size } = window ?? {};
  if (!Number.isInteger(from) || !Number.isInteger(size) || from! < 0 || size! < 1) return null;
  return { from: from!, size: size! };
}

/** What makes two search requests the same search: instance, term and options, less this module's and the prefetch's. */
export function searchKey(request: WorkerRequest): string {
  const { term, options } = searchArgs(request) ?? { term: undefined, options: {} };
  const { [WINDOW_OPTION]: _window, [PREFETCH_OPTION]: _prefetch, ...rest } = options;
  return JSON.stringify([request.instanceId ?? null, term, rest]);
}

/** The results of one search, kept in the worker after its first window was posted. */
interface KeptSearch {
  key: string;
  instanceId: unknown;
  /** The answer's fields other than `results` (filters, counts, timings). */
  fields: Record<string, unknown>;
  results: unknown[];
  /** Which results the page has received (their handles are the page's to release). */
  handedOver: Uint8Array;
}

/** The answer to a window of a kept search, marking the results in it as the page's. */
function windowAnswer(id: unknown, kept: KeptSearch, { from, size }: ResultWindow): WorkerResponse {
  const end = Math.min(from + size, kept.results.length);
  kept.handedOver.fill(1, from, Math.max(from, end));
  return { id, result: { ...kept.fields, results: kept.results.slice(from, end), [TOTAL_FIELD]: kept.results.length } };
}

/** The data handles of kept results the page never received. */
export function unclaimedHandles(kept: Pick<KeptSearch, 'results' | 'handedOver'>): string[] {
  const handles: string[] = [];
  kept.results.forEach((result, i) => {
    const data = (result as { data?: unknown }).data;
    if (!kept.handedOver[i] && typeof data === 'string') handles.push(data);
  });
  return handles;
}

/** Installs the hooks in the worker's global scope; does nothing in a scope that is not a worker's. */
export function handOverInWindows(scope: WorkerScope): void {
  const hook = hookWorker(scope, 'window');
  if (!hook) return;
  /** Search request id → the window it asked for, until Pagefind answers it. */
  const wanted = new Map<unknown, { key: string; instanceId: unknown; window: ResultWindow }>();
  let kept: KeptSearch | null = null;

  /** Handles to release, by instance, oldest first. */
  const unclaimed: Array<{ instanceId: unknown; handles: string[] }> = [];
  let lastActive = 0;
  let releasing = false;
  const releaseWhenQuiet = (): void => {
    const quietFor = Date.now() - lastActive;
    if (quietFor < QUIET_MS) return void setTimeout(releaseWhenQuiet, QUIET_MS - quietFor);
    const job = unclaimed[0]!;
    for (const handle of job.handles.splice(0, RELEASE_BATCH)) hook.ask('releaseData', [handle], job.instanceId);
    if (!job.handles.length) unclaimed.shift();
    releasing = unclaimed.length > 0;
    if (releasing) setTimeout(releaseWhenQuiet, 0);
  };
  const release = (search: KeptSearch): void => {
    const handles = unclaimedHandles(search);
    if (!handles.length) return;
    unclaimed.push({ instanceId: search.instanceId, handles });
    if (!releasing) {
      releasing = true;
      setTimeout(releaseWhenQuiet, QUIET_MS);
    }
  };

  hook.onRequest((request, event) => {
    if (!hook.isOwn(request)) lastActive = Date.now();
    const window = requestedWindow(request);
    if (!window) return;
    const key = searchKey(request);
    // Only a later window is answered from what is kept, and only with results the page never had:
    // a handle it had may have been released since.
    if (window.from > 0 && kept?.key === key && !kept.handedOver.subarray(window.from, window.from + window.size).includes(1)) {
      event.stopImmediatePropagation(); // Pagefind's listener, added after this one, never sees it
      hook.post(windowAnswer(request.id, kept, window));
      return;
    }
    wanted.set(request.id, { key, instanceId: request.instanceId, window });
  });

  hook.onAnswer((answer, post) => {
    lastActive = Date.now();
    const asked = wanted.get(answer.id);
    wanted.delete(answer.id);
    const { results, ...fields } = answer.result ?? {};
    if (!asked || !Array.isArray(results)) return post(answer);
    const previous = kept;
    kept = { key: asked.key, instanceId: asked.instanceId, fields, results, handedOver: new Uint8Array(results.length) };
    post(windowAnswer(answer.id, kept, asked.window));
    if (previous) release(previous);
  });
}

/** Pagefind's `search` as the page calls it; `kbTotal` is there when the worker answered with a window. */
type Search<R> = (term: string | null, options: Record<string, unknown>) => Promise<{ results: R[]; [TOTAL_FIELD]?: unknown }>;

/** A search's results on the page: the whole count, and any of them, asked from the worker when first wanted. */
export interface ResultList<R> {
  readonly total: number;
  slice(from: number, to: number): Promise<R[]>;
}

/** Results already all on the page (a search listed in another order than Pagefind's, say). */
export function resultListOf<R>(results: readonly R[]): ResultList<R> {
  return { total: results.length, slice: async (from, to) => results.slice(from, to) };
}

/**
 * Searches for the first `size` results and the count; later results are asked for as `slice`
 * reaches them, at least `size` at a time. Calls of `slice` are expected one at a time.
 */
export async function searchInWindows<R>(search: Search<R>, term: string | null, options: Record<string, unknown>, size = FIRST_WINDOW): Promise<ResultList<R>> {
  const first = await search(term, { ...options, [WINDOW_OPTION]: { from: 0, size } });
  // Without the count the answer is every result: Pagefind on the page, or a worker without the hooks.
  let total = typeof first[TOTAL_FIELD] === 'number' ? first[TOTAL_FIELD] : first.results.length;
  const loaded = [...first.results];
  const later = { ...options };
  delete later[PREFETCH_OPTION]; // fetched ahead for the first results only
  return {
    get total() {
      return total;
    },
    async slice(from, to) {
      const end = Math.min(to, total);
      while (loaded.length < end) {
        const window = { from: loaded.length, size: Math.max(size, end - loaded.length) };
        const answer = await search(term, { ...later, [WINDOW_OPTION]: window });
        const more = typeof answer[TOTAL_FIELD] === 'number' ? answer.results : answer.results.slice(window.from);
        if (!more.length) {
          total = loaded.length; // fewer than counted (never with a static site's index): the count follows what there is
          break;
        }
        loaded.push(...more);
      }
      return loaded.slice(from, end);
    },
  };
}
