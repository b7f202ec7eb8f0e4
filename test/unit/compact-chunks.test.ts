/**
 * The compact form of the search index's chunks (src/search/compact-chunks.ts), and the search
 * page's loader that expands it for Pagefind (src/client/compact-index-fetch.ts).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import vm from 'node:vm';
import { decode, encode } from 'cborg';
import { compactChunkFile, compactChunks, expandCompactChunk } from '../../src/search/compact-chunks.ts';
import { compactMeta } from '../../src/search/compact-meta.ts';
import { compactIndexLoader, withCompactIndexLoader } from '../../src/search/worker-script.ts';

type Page = [number, number[], number[]];
type Word = [string, Page[], Array<[string, Page[]]>] | [string, Page[]];

/** A chunk as Pagefind 1.6 writes it, with kbsite's one weighted location per page: [[word, pages, variants], …]. */
const chunk: Word[] = [
  ['printer', [[3, [-25, 17], []], [1, [-128, 2], [-3, 0, 4]], [400, [], [-3, 1]]], []],
  ['setup', [[0, [-49, 9], []], [70_000, [-25, 123_456], [-2, 300, 310, -3, 7]]], [['setüp', [[5, [-25, 1], []]]]]],
  // At location 2 of page 4, as printer: a compound word and its part. And at location 9 of page 3.
  ['zone', [[3, [-1, 9], []], [1, [-1, 2], []]]],
];
/** A second chunk of the same index: its words are at locations 17 (as printer) and 9 (as zone) of page 3. */
const second: Word[] = [['zzz', [[3, [-25, 17], []]], []], ['zzzz', [[3, [-1, 9], []]]]];
const cborOf = (words: Word[]) => Buffer.from(encode([words]));
const decodeChunk = (bytes: Uint8Array) => (decode(bytes.subarray('pagefind_dcd'.length), { useMaps: false }) as [Word[]])[0];
/**
 * Both chunks as expanded after `first` places of the session: a shared location as twice its rank
 * among the page's shared locations (page 3: 9 → 0, 17 → 2; page 4: 2 → 0), the other page lists at
 * odd places of their own.
 */
const own = (list: number, first: number) => 2 * (first + list) + 1;
const expected = (first = 0): [Word[], Word[]] => [
  [
    ['printer', [[3, [-25, 2], []], [1, [-128, 0], [-3, 0, 1]], [400, [], [-3, 0]]], []],
    ['setup', [[0, [-49, own(1, first)], []], [70_000, [-25, own(1, first)], [-2, 0, 1, -3, 0]]], [['setüp', [[5, [-25, own(2, first)], []]]]]],
    ['zone', [[3, [-1, 0], []], [1, [-1, 0], []]]],
  ],
  [['zzz', [[3, [-25, 2], []]], []], ['zzzz', [[3, [-1, 0], []]]]],
];

test('a compact chunk keeps every word, page number, weight, variant and meta field, and a location only where another word of the index is at that place of the page: Pagefind sees two words at one place exactly when they were', () => {
  const compact = compactChunks([cborOf(chunk), cborOf(second)]);
  assert.ok(compact, 'written');
  const first = expandCompactChunk(compact[0]!, 0);
  assert.equal(first.places, 4, 'one place for each page list: three words and a variant');
  assert.deepEqual(decodeChunk(first.chunk), expected()[0]);
  const next = expandCompactChunk(compact[1]!, first.places);
  assert.deepEqual(decodeChunk(next.chunk), expected()[1], 'the places printer and zone share with words of another chunk');
  assert.deepEqual(decodeChunk(expandCompactChunk(compact[0]!, 10).chunk), expected(10)[0], 'places of its own counted from where the session is');
  assert.ok(compact[0]!.length < cborOf(chunk).length, `${compact[0]!.length} bytes against ${cborOf(chunk).length}`);
});

test("a compact chunk's file is gzipped only when that makes it smaller, and never starts as a gzip file does", () => {
  // One word in 3,000 pages with irregular gaps: nearly all of it coded numbers, which gzip cannot squeeze.
  let page = 0;
  const pages: Page[] = Array.from({ length: 3_000 }, (_, i) => [(page += 1 + ((i * 7_919) % 37)), [-25, i % 50], i % 3 ? [] : [-3, 0]]);
  // Many words of one page each: mostly their letters, which gzip can.
  const words: Word[] = Array.from({ length: 400 }, (_, i) => [`configuration${String(i).padStart(4, '0')}`, [[i, [-25, 1], []]]]);
  const [numbers, letters] = compactChunks([cborOf([['common', pages, []]]), cborOf(words)])!;
  for (const compact of [numbers!, letters!]) assert.notEqual(compact[0], 0x1f, 'the format byte is not gzip\'s');
  const file = (compact: Uint8Array) => compactChunkFile(compact, gzipSync(compact, { level: 6 }));
  assert.ok(gzipSync(numbers!, { level: 6 }).length >= numbers!.length, 'this chunk does not gain by gzip');
  assert.equal(file(numbers!), numbers, 'stored as it is');
  assert.ok(gzipSync(letters!, { level: 6 }).length < letters!.length, 'this chunk gains by gzip');
  assert.deepEqual([...file(letters!).subarray(0, 2)], [0x1f, 0x8b], 'stored gzipped');
});

test('chunks with an entry of another shape have no compact forms, and a damaged compact form is refused', () => {
  const withPage = (page: unknown) => [cborOf(chunk), cborOf([['word', [page as Page], []]])];
  assert.equal(compactChunks(withPage([1, [4], []])), null, 'a location without a weight');
  assert.equal(compactChunks(withPage([1, [-25, 4, 9], []])), null, 'two locations');
  assert.equal(compactChunks(withPage([1, [-25, 4]])), null, 'no meta locations');
  assert.equal(compactChunks(withPage([1, [-25, 4], ['x']])), null, 'a meta location that is not a number');
  assert.equal(compactChunks([Buffer.from(encode([[['word', [], [], 'extra']]]))]), null, 'a word of four fields');
  assert.equal(compactChunks([Buffer.concat([cborOf(chunk), Buffer.from([0])])]), null, 'bytes after the chunk');
  assert.equal(compactChunks([cborOf(chunk).subarray(0, 20)]), null, 'a chunk cut short');
  const compact = compactChunks([cborOf(chunk)])![0]!;
  assert.throws(() => expandCompactChunk(compact.subarray(0, compact.length - 3), 0), /ends? early/);
  assert.throws(() => expandCompactChunk(Buffer.concat([compact, Buffer.from([0])]), 0), /columns longer than the words/);
  assert.throws(() => expandCompactChunk(Buffer.from([9]), 0), /unknown format 9/);
});

test("in Pagefind's worker, a chunk of a bundle whose compact meta file lists compact chunks is loaded compact, at the places after the chunks before; other chunks, and a compact chunk that fails, load as they are", async () => {
  const meta = ['1.6.0', [['en_00k3x200401010', 100, '']], [['a', 'z', 'en_1']], [], [], ['title']];
  const metaFile = Buffer.concat([Buffer.from('pagefind_dcd'), encode(meta)]);
  const [compactFirst, compactSecond] = compactChunks([cborOf(chunk), cborOf(second)])!;
  const files = new Map<string, Buffer>([
    ['/pagefind/pagefind.en_1.pf_meta', gzipSync(metaFile)],
    ['/pagefind/pagefind.en_1.kb_meta', gzipSync(compactMeta(meta, metaFile, 'kb_index')!)],
    ['/pagefind/index/en_1.pf_index', gzipSync(Buffer.concat([Buffer.from('pagefind_dcd'), cborOf(chunk)]))],
    ['/pagefind/index/en_1.kb_index', gzipSync(compactFirst!)],
    // Stored as it is: a chunk that gzip does not make smaller (compactChunkFile).
    ['/pagefind/index/en_2.kb_index', Buffer.from(compactSecond!)],
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
  assert.deepEqual(decodeChunk(first.bytes), expected()[0]);
  const next = await get('/pagefind/index/en_2.pf_index');
  assert.deepEqual(next.requested, ['/pagefind/index/en_2.kb_index']);
  assert.deepEqual(decodeChunk(next.bytes), expected()[1], 'the next chunk, not gzipped, at the places after the first');
  const failed = await get('/pagefind/index/en_3.pf_index');
  assert.deepEqual(failed.requested, ['/pagefind/index/en_3.kb_index', '/pagefind/index/en_3.pf_index']);
  assert.equal(Buffer.from(failed.bytes).toString(), 'chunk 3 as it is');
  await get('/delta/pagefind.en_9.pf_meta');
  const other = await get('/delta/index/en_4.pf_index');
  assert.deepEqual(other.requested, ['/delta/index/en_4.pf_index'], 'a bundle whose compact meta file lists no compact chunks');
});
