/**
 * The compact form of the search index's meta file (src/search/compact-meta.ts): it expands to the
 * meta file's exact bytes, or is not written at all.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import vm from 'node:vm';
import { encode } from 'cborg';
import { compactMeta, expandCompactMeta } from '../../src/search/compact-meta.ts';
import { pageNames } from '../../src/search/page-names.ts';
import { roundWordCount } from '../../src/search/merge-shards.ts';
import { compactIndexLoader, withCompactIndexLoader } from '../../src/search/worker-script.ts';

/** Signature + CBOR: a meta file once gunzipped, as the build writes it (stable-bundle.ts). */
const fileOf = (meta: unknown) => Buffer.concat([Buffer.from('pagefind_dcd'), encode(meta)]);

/** A meta value like the build's: `shards` shards of pages named by pageNames, newest first; each page
 *  [name, word count, empty fragment group] as Pagefind 1.6 writes it, or [name, word count] as 1.5 did. */
function metaOf(pageCount: number, shards: number, pagefind: '1.6.0' | '1.5.2' = '1.6.0'): unknown[] {
  let seed = 7;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  // About 16 articles a day, newest first, and a few undated ones at the end.
  const day = (i: number) => new Date(Date.UTC(2006, 0, 1) - Math.floor(i / 16) * 86_400_000).toISOString().slice(0, 10);
  const dates = Array.from({ length: pageCount }, (_, i) => (i >= pageCount - 3 ? '' : day(i)));
  const size = Math.ceil(pageCount / shards);
  const names = Array.from({ length: shards }, (_, s) => pageNames('en', `${String(s).padStart(2, '0')}k3x`, dates.slice(s * size, (s + 1) * size))).flat();
  const pages = names.map((name) => [name, roundWordCount(Math.floor(50 + random() * random() * 3000)), ...(pagefind === '1.6.0' ? [''] : [])]);
  const chunks = [['0', '0x1', 'en_44480bb'], ['0x2', 'window', 'en_1d13746'], ['windows', 'zz', 'en_36bea66']];
  return [pagefind, pages, chunks, [['product', 'en_6267a68'], ['year', 'en_403fb78']], [], ['kb', 'title', 'updated']];
}

test('the compact form expands to the meta file byte for byte, across shards, dates repeated and undated pages', () => {
  for (const pagefind of ['1.6.0', '1.5.2'] as const) {
    const meta = metaOf(1000, 3, pagefind);
    const compact = compactMeta(meta, fileOf(meta));
    assert.ok(compact, `written for Pagefind ${pagefind}'s pages`);
    assert.ok(Buffer.from(expandCompactMeta(compact)).equals(fileOf(meta)), `Pagefind ${pagefind}'s pages`);
  }
});

test('at 60,000 pages the compact form, gzipped, is under a third of the meta file gzipped', () => {
  const meta = metaOf(60_000, 12);
  const compact = compactMeta(meta, fileOf(meta))!;
  const [small, full] = [gzipSync(compact, { level: 9 }).length, gzipSync(fileOf(meta), { level: 9 }).length];
  assert.ok(small * 3 < full, `${small} bytes against ${full}`);
});

test('there is no compact form when it would not give the same bytes: names that are not kbsite\'s, values it does not know, other bytes', () => {
  const meta = metaOf(50, 1);
  const pagefindNames = structuredClone(meta) as [string, Array<[string, number]>];
  pagefindNames[1][7]![0] = 'en_4f9c2a1b3de';
  assert.equal(compactMeta(pagefindNames, fileOf(pagefindNames)), null, "Pagefind's own hash names");
  const outOfOrder = structuredClone(meta) as [string, Array<[string, number]>];
  [outOfOrder[1][3], outOfOrder[1][4]] = [outOfOrder[1][4]!, outOfOrder[1][3]!];
  assert.equal(compactMeta(outOfOrder, fileOf(outOfOrder)), null, 'numbers that do not count the pages of a date in order');
  const withMap = [...meta.slice(0, 4), [{ sort: 'updated' }], meta[5]];
  assert.equal(compactMeta(withMap, fileOf(withMap)), null, 'a sort, which kbsite does not write');
  const grouped = structuredClone(meta) as [string, Array<[string, number, string]>];
  grouped[1][5]![2] = 'en_group_1a2b3c4';
  assert.equal(compactMeta(grouped, fileOf(grouped)), null, 'fragments bundled into groups, which kbsite does not ask Pagefind for');
  const mixed = structuredClone(meta) as [string, unknown[][]];
  mixed[1][5] = mixed[1][5]!.slice(0, 2);
  assert.equal(compactMeta(mixed, fileOf(mixed)), null, 'pages of two forms');
  const withNegative = structuredClone(meta) as [string, Array<[string, number]>];
  withNegative[1][0]![1] = -1;
  assert.equal(compactMeta(withNegative, fileOf(withNegative)), null, 'a negative word count');
  const other = fileOf(meta);
  other[other.length - 1] = other[other.length - 1]! ^ 1;
  assert.equal(compactMeta(meta, other), null, 'a file with other bytes than the value encodes to');
});

test('a damaged compact form is an error, not a wrong meta file', () => {
  const meta = metaOf(200, 2);
  const compact = compactMeta(meta, fileOf(meta))!;
  assert.throws(() => expandCompactMeta(compact.subarray(0, compact.length - 5)), /column ends early/);
  assert.throws(() => expandCompactMeta(Buffer.concat([compact, Buffer.from([0])])), /columns longer than the pages/);
  assert.throws(() => expandCompactMeta(Buffer.from('no header')), /no header/);
});

test("Pagefind's worker script, with the loader in front, fetches the compact file and gets the meta file's bytes; without the compact file, the meta file", async () => {
  const meta = metaOf(300, 2);
  const compact = compactMeta(meta, fileOf(meta))!;
  const pagefindScript = Buffer.from('globalThis.pagefindRan = true;');
  const script = withCompactIndexLoader(pagefindScript, await compactIndexLoader());
  assert.ok(script.subarray(script.length - pagefindScript.length).equals(pagefindScript), "Pagefind's script follows, as it was");

  // The worker's globals, with a fetch that serves the compact file, or not.
  const run = async (compactServed: boolean) => {
    const requested: string[] = [];
    const files = new Map<string, Buffer>([['/pagefind/pagefind.en_1.pf_meta', gzipSync(fileOf(meta))]]);
    if (compactServed) files.set('/pagefind/pagefind.en_1.kb_meta', gzipSync(compact));
    const fetch = async (url: string) => {
      requested.push(url);
      const body = files.get(url);
      return body ? new Response(new Uint8Array(body)) : new Response('', { status: 404 });
    };
    const worker = vm.createContext({ fetch, DecompressionStream, Response, Blob, TextEncoder, TextDecoder, URL, console: { warn() {} } });
    vm.runInContext(script.toString(), worker);
    assert.equal(worker.pagefindRan, true);
    const response = (await vm.runInContext("fetch('/pagefind/pagefind.en_1.pf_meta')", worker)) as Response;
    return { bytes: Buffer.from(await response.arrayBuffer()), requested };
  };
  const served = await run(true);
  assert.deepEqual(served.requested, ['/pagefind/pagefind.en_1.kb_meta']);
  assert.ok(served.bytes.equals(fileOf(meta)), "the meta file's bytes, expanded from the compact file");
  const missing = await run(false);
  assert.deepEqual(missing.requested, ['/pagefind/pagefind.en_1.kb_meta', '/pagefind/pagefind.en_1.pf_meta']);
  assert.ok(gzipSync(fileOf(meta)).equals(missing.bytes), 'the meta file itself, as served');
});
