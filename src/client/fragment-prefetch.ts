/**
 * The first results' fragments are fetched by Pagefind's web worker as soon as its search has them,
 * not when the search page asks for them.
 *
 * Why. A search with thousands of results spends a long time between Pagefind's search and the
 * first fragment request: the worker gives every result a data handle and posts them all, and the
 * page receives them (for "exchange", 6,954 results at 60,000 articles, about 40 ms; for "service
 * pack", 11,130, about 60 ms; docs/performance.md). Only then does the page ask for the fragments of
 * the results it shows, one request each. Fetched meanwhile, they are in (or on their way) when the
 * page asks: Pagefind keeps a fragment once loaded, so the page's request is answered from it.
 *
 * How. The page says how many to fetch ahead in the search's options (`PREFETCH_OPTION`; Pagefind
 * passes options it does not know to the worker untouched and ignores them). When the worker posts
 * that search's results, this asks Pagefind's own message handler for the first ones' data, as the
 * page would (`getData`), and keeps the answers from the page. Only searches that show results in
 * Pagefind's order ask for it: a stop-code or filter search lists its results by date.
 *
 * It runs in Pagefind's worker, before Pagefind's code (src/search/worker-script.ts), through the
 * hooks of worker-hooks.ts: should Pagefind's messages change, nothing matches and nothing is fetched
 * ahead: slower, never wrong.
 */
import { hookWorker, searchArgs, type WorkerRequest, type WorkerResponse, type WorkerScope } from './worker-hooks.ts';

/** The search option that asks for the first results' fragments ahead. */
export const PREFETCH_OPTION = 'kbPrefetch';

/** How many fragments a search request asks to fetch ahead (0 for any other message). */
export function prefetchCount(request: WorkerRequest): number {
  const count = searchArgs(request)?.options[PREFETCH_OPTION];
  return typeof count === 'number' && Number.isInteger(count) && count > 0 ? count : 0;
}

/** The data handles of the first `count` results of a search's response. */
export function firstDataHandles(response: WorkerResponse, count: number): string[] {
  const results = response.result?.results;
  if (!Array.isArray(results)) return [];
  return results.slice(0, count).flatMap((r: { data?: unknown }) => (typeof r.data === 'string' ? [r.data] : []));
}

/** Installs the hooks in the worker's global scope; does nothing in a scope that is not a worker's. */
export function prefetchFirstFragments(scope: WorkerScope): void {
  const hook = hookWorker(scope, 'prefetch');
  if (!hook) return;
  /** Search request id → how many of its results to fetch ahead. */
  const wanted = new Map<unknown, number>();
  hook.onRequest((request) => {
    const count = prefetchCount(request);
    if (count) wanted.set(request.id, count);
  });
  hook.onAnswer((answer, post) => {
    const count = wanted.get(answer.id);
    if (count !== undefined) {
      wanted.delete(answer.id);
      // Asked before the results are posted, so that the fetches run while they are copied to the page.
      for (const handle of firstDataHandles(answer, count)) hook.ask('getData', [handle]);
    }
    post(answer);
  });
}
