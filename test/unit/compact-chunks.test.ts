/**
 * The compact form of the search index's chunks (src/search/compact-chunks.ts), and the search
 * page's loader that expands it to the chunk for Pagefind (src/client/compact-index-fetch.ts).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import vm from 'node:vm';
import { decode, encode } from 'cborg';
import { compactChunk, expandCompactChunk } from '../../src/search/compact-chunks.ts';
import { compactMeta } from '../../src/search/compact-meta.ts';
import { compactIndexLoader, withCompactIndexLoader } from '../../src/search/worker-script.ts';

type Page = [number, number[], number[]];
type Word = [string, Page[], Array<[string, Page[]]>] | [string, Page[]];

/** A chunk as Pagefind 1.6 writes it, with kbsite's one weighted location per page: [[word, pages, variants], …]. */
const chunk: Word[] = [
  ['printer', [[3, [-25, 17], []], [1, [-128, 2], [-3, 0, 4]], [400, [], [-3, 1]]], []],
  ['setup', [[0, [-49, 9], []], [70_000, [-25, 123_456], [-2, 300]]], [['setüp', [[5, [-25, 1], []]]]]],
  ['zone', [[2, [-1, 0], []]]],
];
const cborOf = (words: Word[]) => Buffer.from(encode([words]));
const decodeChunk = (bytes: Uint8Array) => (decode(bytes.subarray('pagefind_dcd'.length), { useMaps: false }) as [Word[]])[0];

/** A chunk file's content once gunzipped: signature + CBOR. */
const fileOf = (words: Word[]) => Buffer.concat([Buffer.from('pagefind_dcd'), cborOf(words)]);

test('a compact chunk expands to the chunk byte for byte: every word, page number, weight, location, variant and meta location', () => {
  const compact = compactChunk(cborOf(chunk));
  assert.ok(compact, 'written');
  assert.ok(Buffer.from(expandCompactChunk(compact)).equals(fileOf(chunk)));
  assert.deepEqual(decodeChunk(expandCompactChunk(compact)), chunk);
  assert.ok(compact.length < cborOf(chunk).length, `${compact.length} bytes against ${cborOf(chunk).length}`);
});

test('a chunk with an entry of another shape has no compact form, and a damaged compact form is refused', () => {
  const withPage = (page: unknown) => cborOf([['word', [page as Page], []]]);
  assert.equal(compactChunk(withPage([1, [4], []])), null, 'a location without a weight');
  assert.equal(compactChunk(withPage([1, [-25, 4, 9], []])), null, 'two locations');
  assert.equal(compactChunk(withPage([1, [-25, 4]])), null, 'no meta locations');
  assert.equal(compactChunk(withPage([1, [-25, 4], ['x']])), null, 'a meta location that is not a number');
  assert.equal(compactChunk(Buffer.from(encode([[['word', [], [], 'extra']]]))), null, 'a word of four fields');
  assert.equal(compactChunk(Buffer.concat([cborOf(chunk), Buffer.from([0])])), null, 'bytes after the chunk');
  assert.equal(compactChunk(cborOf(chunk).subarray(0, 20)), null, 'a chunk cut short');
  const compact = compactChunk(cborOf(chunk))!;
  assert.throws(() => expandCompactChunk(compact.subarray(0, compact.length - 3)), /column ends early/);
  assert.throws(() => expandCompactChunk(Buffer.concat([compact, Buffer.from([0])])), /columns longer than the words/);
  assert.throws(() => expandCompactChunk(Buffer.from([9])), /unknown format 9/);
});

test("in Pagefind's worker, a chunk of a bundle whose compact meta file lists compact chunks is loaded compact; other chunks, and a compact chunk that fails, load as they are", async () => {
  const meta = ['1.6.0', [['en_00k3x200401010', 100, '']], [['a', 'z', 'en_1']], [], [], ['title']];
  const metaFile = Buffer.concat([Buffer.from('pagefind_dcd'), encode(meta)]);
  const second: Word[] = [['zone', [[2, [-25, 6], []]], []]];
  const files = new Map<string, Buffer>([
    ['/pagefind/pagefind.en_1.pf_meta', gzipSync(metaFile)],
    ['/pagefind/pagefind.en_1.kb_meta', gzipSync(compactMeta(meta, metaFile, 'kb_index')!)],
    ['/pagefind/index/en_1.pf_index', gzipSync(Buffer.concat([Buffer.from('pagefind_dcd'), cborOf(chunk)]))],
    ['/pagefind/index/en_1.kb_index', gzipSync(compactChunk(cborOf(chunk))!)],
    ['/pagefind/index/en_2.kb_index', gzipSync(compactChunk(cborOf(second))!)],
    ['/pagefind/index/en_3.pf_index', Buffer.from('chunk 3 as it is')],
    ['/delta/pagefind.en_9.pf_meta', gzipSync(metaFile)],
    ['/delta/pagefind.en_9.kb_meta', gzipSync(compactMeta(meta, metaFile)!)],
    ['/delta/index/en_4.pf_index', Buffer.from('a chunk of a bundle without compact chunks')],
  ]);
  const requested: string[] = [];
  const fetch = async (url: string) => {
    requested.push(url);
    const body = files.get(url);
    return body ? new Response(new Uint8Array(body)) : new Response('', { status: 404 });
  };
  const worker = vm.createContext({ fetch, DecompressionStream, Response, Blob, TextEncoder, TextDecoder, URL, console: { warn() {} } });
  vm.runInContext(withCompactIndexLoader(Buffer.from(''), await compactIndexLoader()).toString(), worker);
  const get = async (url: string) => {
    requested.length = 0;
    const response = (await vm.runInContext(`fetch(${JSON.stringify(url)})`, worker)) as Response;
    return { bytes: new Uint8Array(await response.arrayBuffer()), requested: [...requested] };
  };

  const before = await get('/pagefind/index/en_1.pf_index');
  assert.deepEqual(before.requested, ['/pagefind/index/en_1.pf_index'], 'before the meta file says so, a chunk loads as it is');
  assert.deepEqual((await get('/pagefind/pagefind.en_1.pf_meta')).requested, ['/pagefind/pagefind.en_1.kb_meta']);
  const first = await get('/pagefind/index/en_1.pf_index');
  assert.deepEqual(first.requested, ['/pagefind/index/en_1.kb_index']);
  assert.ok(Buffer.from(first.bytes).equals(fileOf(chunk)), "the chunk's bytes");
  const next = await get('/pagefind/index/en_2.pf_index');
  assert.ok(Buffer.from(next.bytes).equals(fileOf(second)));
  const failed = await get('/pagefind/index/en_3.pf_index');
  assert.deepEqual(failed.requested, ['/pagefind/index/en_3.kb_index', '/pagefind/index/en_3.pf_index']);
  assert.equal(Buffer.from(failed.bytes).toString(), 'chunk 3 as it is');
  await get('/delta/pagefind.en_9.pf_meta');
  const other = await get('/delta/index/en_4.pf_index');
  assert.deepEqual(other.requested, ['/delta/index/en_4.pf_index'], 'a bundle whose compact meta file lists no compact chunks');
});
