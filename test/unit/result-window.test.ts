/**
 * src/client/result-window.ts against a stand-in for Pagefind's web worker: an EventTarget whose
 * message listener searches, keeps a data handle per result and answers `getData` and `releaseData`
 * the way Pagefind 1.6's worker does. The page side is checked through the same stand-in, as the
 * page's Pagefind would call it. The browser tests (test/browser/search.test.ts) check the hooks in
 * the real worker.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { handOverInWindows, requestedWindow, resultListOf, searchInWindows, searchKey, TOTAL_FIELD, unclaimedHandles, WINDOW_OPTION } from '../../src/client/result-window.ts';
import { PREFETCH_OPTION, prefetchFirstFragments } from '../../src/client/fragment-prefetch.ts';

interface Answer {
  id: string;
  result: { results: Array<{ id: string; data: string }>; [TOTAL_FIELD]?: number; unfilteredResultCount?: number } | null;
}

/** A worker scope with Pagefind's message handling, `count` results per search, and the prelude's hooks as the worker script installs them. */
function fakeWorker(count: number, { hooks = true } = {}) {
  const scope = new EventTarget() as EventTarget & { postMessage(message: unknown): void };
  const posted: Answer[] = [];
  const searches: string[] = [];
  const dataAsked: string[] = [];
  /** Pagefind's data handles still registered. */
  const handles = new Set<string>();
  scope.postMessage = (message) => posted.push(message as Answer);
  if (hooks) {
    handOverInWindows(scope as never);
    prefetchFirstFragments(scope as never);
  }
  scope.addEventListener('message', (event) => {
    const { id, method, args } = (event as MessageEvent).data as { id: string; method: string; args: unknown[] };
    if (method === 'search') {
      searches.push(id);
      const results = Array.from({ length: count }, (_, i) => ({ id: `page${i}`, data: `data_${id}_${i}` }));
      for (const r of results) handles.add(r.data);
      setTimeout(() => scope.postMessage({ id, result: { results, unfilteredResultCount: count, filters: {} } }), 1);
    }
    if (method === 'getData') {
      dataAsked.push(args[0] as string);
      queueMicrotask(() => scope.postMessage({ id, result: handles.has(args[0] as string) ? { url: `/kb/${String(args[0])}/` } : null }));
    }
    if (method === 'releaseData') {
      handles.delete(args[0] as string);
      queueMicrotask(() => scope.postMessage({ id, result: true }));
    }
  });
  let next = 0;
  /** Sends a message as the page's Pagefind does and waits for its answer. */
  const ask = (method: string, args: unknown[]) => {
    const id = `msg_${next++}`;
    scope.dispatchEvent(new MessageEvent('message', { data: { id, instanceId: 'pf_0', method, args } }));
    return new Promise<Answer['result']>((resolve) => {
      const wait = () => {
        const answer = posted.find((m) => m.id === id);
        if (answer) resolve(answer.result);
        else setTimeout(wait, 1);
      };
      wait();
    });
  };
  const search = (term: string | null, options: Record<string, unknown>) => ask('search', [term, options]) as Promise<NonNullable<Answer['result']>>;
  return { posted, searches, dataAsked, handles, ask, search };
}

const settled = (ms = 20) => new Promise((resolve) => setTimeout(resolve, ms));

test('the page receives the first window and the whole count; later windows come from what the worker kept, without searching again', async () => {
  const worker = fakeWorker(250);
  const list = await searchInWindows(worker.search, 'exchange', { filters: {} }, 100);
  assert.equal(list.total, 250);
  assert.equal(worker.posted[0]!.result!.results.length, 100, 'only the first window was posted');
  assert.equal(worker.posted[0]!.result!.unfilteredResultCount, 250, 'the answer keeps Pagefind’s other fields');
  assert.deepEqual((await list.slice(0, 10)).map((r) => r.id), Array.from({ length: 10 }, (_, i) => `page${i}`));
  assert.equal(worker.posted.length, 1, 'results within the window are on the page already');
  const later = await list.slice(95, 130);
  assert.deepEqual(later.map((r) => r.id), Array.from({ length: 35 }, (_, i) => `page${95 + i}`));
  assert.deepEqual((await list.slice(240, 260)).map((r) => r.id), Array.from({ length: 10 }, (_, i) => `page${240 + i}`));
  assert.equal(worker.searches.length, 1, 'one search in the worker for all windows');
  assert.deepEqual(worker.posted.map((m) => m.result!.results.length), [100, 100, 50]);
  // The handles handed over are Pagefind's own: the page loads any of them.
  assert.deepEqual(await worker.ask('getData', [later[0]!.data]), { url: `/kb/${later[0]!.data}/` });
});

test('a new search releases the handles the page never received, and only those, once the worker is quiet', async () => {
  const worker = fakeWorker(1000);
  const first = await searchInWindows(worker.search, 'service pack', {}, 100);
  await first.slice(0, 150);
  await searchInWindows(worker.search, 'exchange', {}, 100);
  assert.equal(worker.handles.size, 2000, 'nothing is released while the new search’s fragments load');
  // While the page keeps asking (fragments, searches), nothing is released: it would slow them.
  for (let i = 0; i < 9; i++) {
    await settled(100);
    await worker.ask('getData', ['data_msg_2_0']);
  }
  assert.equal(worker.handles.size, 2000, 'nothing is released while the page is busy');
  await settled(700);
  const kept = [...worker.handles];
  assert.equal(kept.length, 1000 + 200, 'the first search’s 800 unclaimed handles are released (in several tasks)');
  assert.equal(kept.filter((h) => h.startsWith('data_msg_0_')).length, 200, 'the 200 the page received stay (the page releases them)');
  assert.equal(worker.posted.filter((m) => m.id.startsWith('kb_')).length, 0, 'the releases’ answers never reach the page');
});

test('a search from the start, or a window the page had, is searched again: handles the page had may be released already', async () => {
  const worker = fakeWorker(150);
  await searchInWindows(worker.search, 'exchange', {}, 100);
  const again = await searchInWindows(worker.search, 'exchange', {}, 100);
  assert.equal(worker.searches.length, 2);
  assert.match((await again.slice(0, 1))[0]!.data, /^data_msg_1_/);
  // So is a later window the page was given before.
  const window = { [WINDOW_OPTION]: { from: 100, size: 50 } };
  await worker.search('exchange', window);
  assert.equal(worker.searches.length, 2, 'the window the page never had comes from what is kept');
  await worker.search('exchange', window);
  assert.equal(worker.searches.length, 3);
});

test('a later window of another search, or of the same words with other filters, is searched, not taken from what is kept', async () => {
  const worker = fakeWorker(150);
  const a = await searchInWindows(worker.search, 'exchange', { filters: { product: 'Exchange Server 5.5' } }, 100);
  await searchInWindows(worker.search, 'exchange', { filters: {} }, 100);
  const later = await a.slice(100, 150);
  assert.equal(worker.searches.length, 3, 'the first search’s results were replaced: searched again');
  assert.deepEqual(later.map((r) => r.id), Array.from({ length: 50 }, (_, i) => `page${100 + i}`));
});

test('the first window’s fragments are fetched ahead when the search asks, as without windows', async () => {
  const worker = fakeWorker(500);
  const list = await searchInWindows(worker.search, 'exchange', { filters: {}, [PREFETCH_OPTION]: 5 }, 100);
  assert.deepEqual(worker.dataAsked, ['data_msg_0_0', 'data_msg_0_1', 'data_msg_0_2', 'data_msg_0_3', 'data_msg_0_4']);
  await list.slice(100, 200);
  assert.equal(worker.dataAsked.length, 5, 'later windows fetch nothing ahead');
});

test('without the worker’s hooks (Pagefind on the page) every result comes in the first answer and is used as it is', async () => {
  const worker = fakeWorker(230, { hooks: false });
  const list = await searchInWindows(worker.search, 'exchange', {}, 100);
  assert.equal(list.total, 230);
  assert.deepEqual((await list.slice(200, 240)).map((r) => r.id), Array.from({ length: 30 }, (_, i) => `page${200 + i}`));
  assert.equal(worker.searches.length, 1);
});

test('fewer results than counted end the list instead of asking forever', async () => {
  let asked = 0;
  const list = await searchInWindows(async (_term, options) => {
    asked++;
    const { from } = options[WINDOW_OPTION] as { from: number };
    return { results: from === 0 ? [{ id: 'a' }, { id: 'b' }] : [], [TOTAL_FIELD]: 5 };
  }, 'x', {}, 2);
  assert.deepEqual((await list.slice(0, 5)).map((r) => r.id), ['a', 'b']);
  assert.equal(list.total, 2);
  assert.equal(asked, 2);
});

test('requestedWindow, searchKey, unclaimedHandles and resultListOf read only the shapes they are given', async () => {
  assert.deepEqual(requestedWindow({ method: 'search', args: ['x', { [WINDOW_OPTION]: { from: 100, size: 50 } }] }), { from: 100, size: 50 });
  assert.equal(requestedWindow({ method: 'search', args: ['x', { [WINDOW_OPTION]: { from: -1, size: 50 } }] }), null);
  assert.equal(requestedWindow({ method: 'search', args: ['x', { [WINDOW_OPTION]: { from: 0, size: 0 } }] }), null);
  assert.equal(requestedWindow({ method: 'search', args: ['x', {}] }), null);
  assert.equal(requestedWindow({ method: 'getData', args: ['x', { [WINDOW_OPTION]: { from: 0, size: 5 } }] }), null);
  const key = (options: Record<string, unknown>, instanceId = 'pf_0') => searchKey({ instanceId, method: 'search', args: ['x', options] });
  assert.equal(key({ filters: {}, [WINDOW_OPTION]: { from: 0, size: 5 }, [PREFETCH_OPTION]: 5 }), key({ filters: {}, [WINDOW_OPTION]: { from: 100, size: 100 } }));
  assert.notEqual(key({ filters: { stop: '0x0000007B' } }), key({ filters: {} }));
  assert.notEqual(key({}, 'pf_0'), key({}, 'pf_1'));
  assert.deepEqual(unclaimedHandles({ results: [{ data: 'a' }, { data: 'b' }, { data: () => null }, { data: 'd' }], handedOver: Uint8Array.of(1, 0, 0, 0) }), ['b', 'd']);
  const plain = resultListOf([1, 2, 3]);
  assert.equal(plain.total, 3);
  assert.deepEqual(await plain.slice(1, 9), [2, 3]);
});
