/**
 * src/client/fragment-prefetch.ts against a stand-in for Pagefind's web worker: an EventTarget whose
 * message listener answers `getData` and `search` requests the way Pagefind 1.6's worker does. The
 * browser tests (test/browser/search.test.ts) check the same against the real worker.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { firstDataHandles, prefetchCount, prefetchFirstFragments, PREFETCH_OPTION } from '../../src/client/fragment-prefetch.ts';

/** A worker scope with Pagefind's message handling: `posted` is what reaches the page. */
function fakeWorker() {
  const scope = new EventTarget() as EventTarget & { postMessage(message: unknown): void };
  const posted: Array<{ id: string; result: unknown }> = [];
  const dataAsked: string[] = [];
  scope.postMessage = (message) => posted.push(message as { id: string; result: unknown });
  prefetchFirstFragments(scope as never);
  // Pagefind's own listener, added after the prelude's (as its script comes after it).
  scope.addEventListener('message', (event) => {
    const { id, method, args } = (event as MessageEvent).data as { id: string; method: string; args: unknown[] };
    if (method === 'getData') {
      dataAsked.push(args[0] as string);
      queueMicrotask(() => scope.postMessage({ id, result: { url: `/kb/${String(args[0])}/` } }));
    }
    if (method === 'search') {
      // Pagefind answers once its search is done: later than the request.
      setTimeout(() => scope.postMessage({ id, result: { results: ['a', 'b', 'c', 'd'].map((handle) => ({ id: handle, data: `data_${id}_${handle}` })) } }), 1);
    }
  });
  const request = (data: unknown) => scope.dispatchEvent(new MessageEvent('message', { data }));
  return { posted, dataAsked, request };
}

const settled = () => new Promise((resolve) => setTimeout(resolve, 20));

test('a search that asks for it gets its first results’ data fetched before its results are posted, and the page sees only its own answers', async () => {
  const worker = fakeWorker();
  worker.request({ id: 'msg_1', method: 'search', args: ['exchange', { filters: {}, [PREFETCH_OPTION]: 2 }] });
  await settled();
  assert.deepEqual(worker.dataAsked, ['data_msg_1_a', 'data_msg_1_b']);
  assert.deepEqual(worker.posted.map((m) => m.id), ['msg_1'], 'the answers to the prefetch are kept from the page');
  // The page then asks for the same data: Pagefind answers it (from the fragment it keeps).
  worker.request({ id: 'msg_2', method: 'getData', args: ['data_msg_1_a'] });
  await settled();
  assert.deepEqual(worker.posted.map((m) => m.id), ['msg_1', 'msg_2']);
  assert.deepEqual(worker.posted[1]!.result, { url: '/kb/data_msg_1_a/' });
});

test('a search without the option, and other messages, fetch nothing ahead', async () => {
  const worker = fakeWorker();
  worker.request({ id: 'msg_1', method: 'search', args: ['0x0000007b', { filters: { stop: '0x0000007B' } }] });
  worker.request({ id: 'msg_2', method: 'filters', args: [] });
  await settled();
  assert.deepEqual(worker.dataAsked, []);
});

test('prefetchCount and firstDataHandles read only the shapes Pagefind 1.6 uses', () => {
  assert.equal(prefetchCount({ method: 'search', args: ['x', { [PREFETCH_OPTION]: 5 }] }), 5);
  assert.equal(prefetchCount({ method: 'search', args: ['x', { [PREFETCH_OPTION]: '5' }] }), 0);
  assert.equal(prefetchCount({ method: 'search', args: ['x'] }), 0);
  assert.equal(prefetchCount({ method: 'preload', args: ['x', { [PREFETCH_OPTION]: 5 }] }), 0);
  assert.deepEqual(firstDataHandles({ result: { results: [{ data: 'd0' }, { data: 'd1' }, { data: 'd2' }] } }, 2), ['d0', 'd1']);
  assert.deepEqual(firstDataHandles({ result: { results: [{ data: () => null }] } }, 2), [], 'data not a handle (Pagefind on the page)');
  assert.deepEqual(firstDataHandles({ result: null }, 2), []);
});
