/**
 * The search index built in shards and merged (src/search/merge-shards.ts, src/search/index-chunks.ts):
 * what the search page loads must be the index Pagefind writes when it is given every page at once.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gunzipSync, gzipSync } from 'node:zlib';
import { decode } from 'cborg';
import { withPagefindIndex } from '../../src/search/pagefind-service.ts';
import { contentName, decodePagefindFile, readShard, shardTag, type BundleFile, type IndexedPage } from '../../src/search/stable-bundle.ts';
import { mergeShards, roundWordCount, type ShardIndex } from '../../src/search/merge-shards.ts';
import { CHUNK_ENTRIES, MAX_CARRIED_WEIGHT, PAGEFIND_CHUNK_ENTRIES, chunkRanges, chunksOf, keptLocations, type MergedWord } from '../../src/search/index-chunks.ts';
import { dateOfPageName } from '../../src/search/page-names.ts';
import { COMMON_WORDS_FILE } from '../../src/search/common-words.ts';
import { compactChunksExtension, expandCompactMeta } from '../../src/search/compact-meta.ts';
import { expandCompactChunk } from '../../src/search/compact-chunks.ts';
import { isGzipped } from '../../src/search/compact-bytes.ts';

interface TestRecord {
  url: string;
  content: string;
  language: string;
  meta: Record<string, string>;
  filters: Record<string, string[]>;
}

/** Deterministic articles of 400 words from a 1,500-word vocabulary; every 7th has words with diacritics, every 5th compound words (`ntfs.sys`, `e-mail`: Pagefind indexes their parts at the same place). */
function records(count: number): TestRecord[] {
  let seed = 12345;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const vocabulary = Array.from({ length: 1500 }, (_, i) => `w${i.toString(36)}${'xyz'[i % 3]}`);
  return Array.from({ length: count }, (_, i) => ({
    url: `/kb/${i + 1}/`,
    content: Array.from({ length: 400 }, () => vocabulary[Math.floor(random() ** 2 * vocabulary.length)]).join(' ') + (i % 7 === 0 ? ' café résumé naïve' : '') + (i % 5 === 0 ? ' see ntfs.sys and e-mail' : ''),
    language: 'en',
    meta: { title: `Article ${i + 1}${i % 11 === 0 ? ' café' : ''}` },
    filters: { year: [String(2000 + (i % 5))], product: i % 3 ? ['Windows'] : ['Windows', 'Office'] },
  }));
}

async function pagefindBundle(list: readonly TestRecord[]): Promise<BundleFile[]> {
  return withPagefindIndex(async (index) => {
    for (const record of list) assert.deepEqual((await index.addCustomRecord(record)).errors, []);
    const { files, errors } = await index.getFiles();
    assert.deepEqual(errors, []);
    return files;
  });
}

function metaOf(files: readonly BundleFile[]): unknown[] {
  const entry = JSON.parse(Buffer.from(files.find((f) => f.path === 'pagefind-entry.json')!.content).toString()) as { languages: { en: { hash: string } } };
  const meta = files.find((f) => f.path === `pagefind.${entry.languages.en.hash}.pf_meta`)!;
  return decodePagefindFile(meta.content, meta.path) as unknown[];
}

function fileOf(files: readonly BundleFile[], path: string): Uint8Array {
  const file = files.find((f) => f.path === path);
  assert.ok(file, `${path} is in the bundle`);
  return file.content;
}

type Meta = [unknown, Array<[string, number, ...unknown[]]>, Array<[string, string, string]>, Array<[string, string]>, unknown[], unknown];

/** 60 records indexed by Pagefind at once, and in 3 shards of 20. */
async function wholeAndShards() {
  const all = records(60);
  const pages: IndexedPage[] = all.map((r) => ({ url: r.url, date: '2004-05-06' }));
  const [whole, ...parts] = await Promise.all([pagefindBundle(all), pagefindBundle(all.slice(0, 20)), pagefindBundle(all.slice(20, 40)), pagefindBundle(all.slice(40))]);
  const shards = parts.map((files, i) => readShard(files, pages.slice(i * 20, i * 20 + 20), i));
  return { all, whole, shards };
}
const indexed = wholeAndShards();

/** Every word entry of an index's chunks, decoded, in chunk order. */
function wordsOf(files: readonly BundleFile[], chunks: Meta[2]): unknown[] {
  return chunks.flatMap(([, , hash]) => (decodePagefindFile(fileOf(files, `index/${hash}.pf_index`), hash) as [unknown[]])[0]);
}

test("an index merged from 3 shards with Pagefind's chunk limit and every location is the index Pagefind writes for all pages at once: the same chunks byte for byte, word ranges, filters, and word counts rounded", async () => {
  const { all, whole, shards } = await indexed;
  const merged = await mergeShards(shards.map((s) => s.index!), shards.flatMap((s) => s.pageNames), shards[0]!.entry, { asPagefind: true });

  const [, wholePages, wholeChunks, wholeFilters, , wholeFields] = metaOf(whole) as Meta;
  const [, mergedPages, mergedChunks, mergedFilters, sorts, mergedFields] = metaOf(merged) as Meta;
  assert.ok(wholeChunks.length >= 2, `the words fill more than one chunk (${wholeChunks.length}), so chunk boundaries are compared`);
  assert.deepEqual(mergedChunks.map(([from, to]) => [from, to]), wholeChunks.map(([from, to]) => [from, to]), 'word ranges of the chunks');
  const chunkBytes = (files: readonly BundleFile[], hash: string) => gunzipSync(fileOf(files, `index/${hash}.pf_index`));
  mergedChunks.forEach(([, , hash], i) => assert.ok(chunkBytes(merged, hash).equals(chunkBytes(whole, wholeChunks[i]![2])), `chunk ${i} (${wholeChunks[i]![0]}–${wholeChunks[i]![1]}) byte for byte`));
  const variantWords = mergedChunks.flatMap(([, , hash]) => (decodePagefindFile(fileOf(merged, `index/${hash}.pf_index`), hash) as [Array<[string, unknown[], unknown[]]>])[0]).filter(([, , variants]) => variants.length);
  assert.ok(variantWords.length > 0, 'some words have variants with diacritics, which the merge joins across shards too');

  assert.deepEqual(mergedPages.map(([, count]) => count), wholePages.map(([, count]) => roundWordCount(count)), 'word counts, page by page');
  assert.deepEqual(mergedPages.map((page) => page.slice(2)), wholePages.map((page) => page.slice(2)), "each page's other fields (Pagefind 1.6's empty fragment group)");
  assert.ok(wholePages.some(([, count]) => roundWordCount(count) !== count), 'some counts were rounded');
  assert.deepEqual(mergedFields, wholeFields);
  assert.deepEqual(sorts, []);
  const filterValues = (files: readonly BundleFile[], list: Array<[string, string]>) =>
    Object.fromEntries(list.map(([name, hash]) => [name, Object.fromEntries((decodePagefindFile(fileOf(files, `filter/${hash}.pf_filter`), hash) as [string, Array<[string, number[]]>])[1])]));
  assert.deepEqual(filterValues(merged, mergedFilters), filterValues(whole, wholeFilters));
  assert.equal(filterValues(merged, mergedFilters).product!.Office!.length, 20, 'the Office filter lists its 20 pages across all shards');

  // Every page name is new, starts with its shard's number, and opens its own fragment.
  assert.equal(new Set(mergedPages.map(([name]) => name)).size, 60);
  const fragments = new Map(shards.flatMap((s) => s.fragments).map((f) => [f.path, f.content]));
  mergedPages.forEach(([name], i) => {
    assert.equal(name.slice(3, 5), String(Math.floor(i / 20)).padStart(2, '0'));
    assert.equal(dateOfPageName(name), '20040506');
    const fragment = fragments.get(`fragment/${name}.pf_fragment`);
    assert.ok(fragment, `fragment of ${name}`);
    assert.equal((JSON.parse(gunzipSync(fragment).subarray('pagefind_dcd'.length).toString()) as { url: string }).url, all[i]!.url);
  });
});

type PageEntry = [number, number[], ...unknown[]];
type WordEntry = [string, PageEntry[], Array<[string, PageEntry[]]>];

/** Pagefind's words with each page's locations cut as kbsite keeps them. */
function cutWords(words: readonly WordEntry[]): WordEntry[] {
  const cut = (pages: PageEntry[]): PageEntry[] => pages.map(([page, locations, ...rest]) => [page, [...keptLocations(locations)], ...rest]);
  return words.map(([word, pages, variants]) => [word, cut(pages), variants.map(([form, list]) => [form, cut(list)])]);
}

test("kbsite's merged index holds Pagefind's words in the same order, each page with its first location carrying the weight of all, in more and smaller chunks", async () => {
  const { whole, shards } = await indexed;
  const merged = await mergeShards(shards.map((s) => s.index!), shards.flatMap((s) => s.pageNames), shards[0]!.entry);
  const [, , wholeChunks] = metaOf(whole) as Meta;
  const [, , mergedChunks] = metaOf(merged) as Meta;
  assert.ok(CHUNK_ENTRIES < PAGEFIND_CHUNK_ENTRIES);
  assert.ok(mergedChunks.length > wholeChunks.length, `${mergedChunks.length} chunks against Pagefind's ${wholeChunks.length}`);
  const wholeWords = wordsOf(whole, wholeChunks) as WordEntry[];
  const mergedWords = wordsOf(merged, mergedChunks) as WordEntry[];
  assert.deepEqual(mergedWords, cutWords(wholeWords), 'every word with its pages, their first locations and variants');
  const locationCounts = (words: WordEntry[]) => words.flatMap(([, pages]) => pages.map(([, locations]) => locations.filter((l) => l >= 0).length));
  assert.ok(Math.max(...locationCounts(wholeWords)) > 3, 'Pagefind kept several locations of some words in a page');
  assert.equal(Math.max(...locationCounts(mergedWords)), 1, 'kbsite keeps one');
  const uncut = await mergeShards(shards.map((s) => s.index!), shards.flatMap((s) => s.pageNames), shards[0]!.entry, { asPagefind: true, chunkEntries: CHUNK_ENTRIES });
  const bytesOf = (files: readonly BundleFile[]) => files.filter((f) => f.path.endsWith('.pf_index')).reduce((sum, f) => sum + f.content.length, 0);
  assert.ok(bytesOf(merged) < bytesOf(uncut) * 0.9, `the chunks are smaller: ${bytesOf(merged)} bytes against ${bytesOf(uncut)} with every location`);
  // The compact meta file the search page loads instead expands to the meta file byte for byte.
  const metaFile = merged.find((f) => f.path.endsWith('.pf_meta'))!;
  const compact = fileOf(merged, metaFile.path.replace(/\.pf_meta$/, '.kb_meta'));
  assert.ok(Buffer.from(expandCompactMeta(gunzipSync(compact))).equals(gunzipSync(metaFile.content)));
  // Each chunk's range covers its words, and the ranges follow one another.
  mergedChunks.forEach(([from, to, hash], i) => {
    const words = (decodePagefindFile(fileOf(merged, `index/${hash}.pf_index`), hash) as [Array<[string]>])[0].map(([word]) => word);
    assert.ok(words[0]!.startsWith(from) && to <= words.at(-1)! && words.at(-1)!.startsWith(to), `chunk ${i}: ${from}–${to} covers ${words[0]}…${words.at(-1)}`);
    if (i > 0) assert.ok(mergedChunks[i - 1]![1] < from, `chunk ${i} starts after chunk ${i - 1} ends`);
  });
});

test("every chunk of kbsite's merged index has a compact form, which the compact meta file lists and the chunk's name covers; expanded, it has the chunk's words, pages, weights and meta fields, and two words at one place of a page exactly when the chunk has them there", async () => {
  const { shards } = await indexed;
  const merged = await mergeShards(shards.map((s) => s.index!), shards.flatMap((s) => s.pageNames), shards[0]!.entry);
  const compactMetaOf = (files: readonly BundleFile[]) => gunzipSync(fileOf(files, files.find((f) => f.path.endsWith('.pf_meta'))!.path.replace(/\.pf_meta$/, '.kb_meta')));
  assert.equal(compactChunksExtension(compactMetaOf(merged)), 'kb_index');
  const [, , chunks] = metaOf(merged) as Meta;
  assert.equal(merged.filter((f) => f.path.endsWith('.kb_index')).length, chunks.length, 'one compact form a chunk, no other');
  // Per page, each location of the chunks and the place it has once expanded: one to one.
  const placeOf = new Map<string, number>();
  const locationOf = new Map<string, number>();
  /** Per page, each kept location and its place. */
  const keptIn = new Map<number, Map<number, number>>();
  let place = 0;
  let shared = 0;
  for (const [, , hash] of chunks) {
    // Named by the chunk's bytes and its compact form's, which depends on other chunks too.
    // Gzipped only when that is smaller (compactChunkFile).
    const file = fileOf(merged, `index/${hash}.kb_index`);
    const gzipped = isGzipped(file);
    const compactBytes = gzipped ? gunzipSync(file) : file;
    assert.equal(gzipped, gzipSync(compactBytes, { level: 6 }).length < compactBytes.length, `chunk ${hash}: gzipped exactly when that is smaller`);
    assert.equal(hash, contentName('en', Buffer.concat([gunzipSync(fileOf(merged, `index/${hash}.pf_index`)).subarray('pagefind_dcd'.length), compactBytes]), 7));
    const { chunk, places } = expandCompactChunk(compactBytes, place);
    place += places;
    const words = (decodePagefindFile(fileOf(merged, `index/${hash}.pf_index`), hash) as [WordEntry[]])[0];
    const expanded = (decode(chunk.subarray('pagefind_dcd'.length), { useMaps: false }) as [WordEntry[]])[0];
    const lists = (entries: WordEntry[]) => entries.flatMap(([word, pages, variants]) => [[word, pages] as const, ...variants.map(([form, list]) => [form, list] as const)]);
    const [before, after] = [lists(words), lists(expanded)];
    assert.deepEqual(after.map(([word, pages]) => [word, pages.length]), before.map(([word, pages]) => [word, pages.length]), `chunk ${hash}: the same words and variants`);
    before.forEach(([word, pages], i) => {
      let page = 0;
      pages.forEach(([delta, locations, metaLocations], k) => {
        page += delta;
        const [deltaAfter, locationsAfter, metaAfter] = after[i]![1][k]!;
        assert.equal(deltaAfter, delta, word);
        assert.equal(locationsAfter.length, locations.length, word);
        assert.deepEqual((metaAfter as number[]).filter((m) => m < 0), (metaLocations as number[]).filter((m) => m < 0), `${word}: the same meta fields`);
        if (!locations.length) return;
        assert.equal(locationsAfter[0], locations[0], `${word}: the same weight`);
        const [location, placed] = [locations[1]!, locationsAfter[1]!];
        if (placed % 2 === 0) (keptIn.get(page) ?? keptIn.set(page, new Map()).get(page)!).set(location, placed);
        const [original, expandedKey] = [`${page}:${location}`, `${page}:${placed}`];
        if (placeOf.has(original)) {
          shared++;
          assert.equal(placeOf.get(original), placed, `${word} is where another word is in page ${page}, in the expansion too`);
        }
        if (locationOf.has(expandedKey)) assert.equal(locationOf.get(expandedKey), location, `${word} is at a place of its own in page ${page}`);
        placeOf.set(original, placed);
        locationOf.set(expandedKey, location);
      });
    });
  }
  assert.ok(shared > 0, 'some words share a place in a page (diacritics, compounds)');
  // A kept place is twice the rank of its location among the page's kept locations: 0, 2, 4, …
  for (const [page, kept] of keptIn) {
    const byLocation = [...kept].sort(([a], [b]) => a - b).map(([, placed]) => placed);
    assert.deepEqual(byLocation, byLocation.map((_, rank) => 2 * rank), `page ${page}: kept places by the rank of their locations`);
  }
  const compactSize = merged.filter((f) => f.path.endsWith('.kb_index')).reduce((sum, f) => sum + f.content.length, 0);
  const chunkSize = merged.filter((f) => f.path.endsWith('.pf_index')).reduce((sum, f) => sum + f.content.length, 0);
  assert.ok(compactSize < chunkSize * 0.8, `${compactSize} bytes gzipped against ${chunkSize}`);
  const asPagefind = await mergeShards(shards.map((s) => s.index!), shards.flatMap((s) => s.pageNames), shards[0]!.entry, { asPagefind: true });
  assert.equal(asPagefind.filter((f) => f.path.endsWith('.kb_index')).length, 0);
  assert.equal(compactChunksExtension(compactMetaOf(asPagefind)), null);
});

test("a word's locations in a page are cut to the first, which carries the sum of their weights, at most MAX_CARRIED_WEIGHT unless one weighed more", () => {
  // Pagefind's lists: -(w + 1) sets the weight w of the locations after it; 24 is a plain word's.
  assert.deepEqual(keptLocations([-25, 7]), [-25, 7], 'one location stays as it is');
  assert.deepEqual(keptLocations([-25, 7, 40, 41]), [-73, 7], 'three plain locations: weight 72 on the first');
  assert.deepEqual(keptLocations([-13, 3, -25, 9, 12]), [-61, 3], 'weights 12 + 24 + 24');
  assert.deepEqual(keptLocations([-25, ...Array.from({ length: 30 }, (_, i) => i * 10 + 5)]), [-(MAX_CARRIED_WEIGHT + 1), 5], '30 locations carry at most MAX_CARRIED_WEIGHT');
  assert.deepEqual(keptLocations([-25, 2, -169, 50, 60]), [-169, 2], 'never less than the heaviest location (a heading, 7 × 24)');
  assert.deepEqual(keptLocations([4, 9]), [4, 9], 'a list without a weight is left alone');
  assert.deepEqual(keptLocations([]), []);
  assert.ok(2 * MAX_CARRIED_WEIGHT <= 255, 'two carried weights at one place fit in the byte Pagefind adds them in');
});

test('the merge lists the common words: those in at least 30% of the pages, with their page counts from every shard', async () => {
  const { whole, shards } = await indexed;
  const merged = await mergeShards(shards.map((s) => s.index!), shards.flatMap((s) => s.pageNames), shards[0]!.entry, { commonWords: { minArticles: 10 } });
  const listed = JSON.parse(Buffer.from(fileOf(merged, COMMON_WORDS_FILE)).toString()) as { articles: number; words: Record<string, number> };
  const [, , wholeChunks] = metaOf(whole) as Meta;
  const pagesOf = new Map((wordsOf(whole, wholeChunks) as WordEntry[]).map(([word, pages, variants]) => [word, pages.length + variants.reduce((sum, [, list]) => sum + list.length, 0)]));
  const expected = Object.fromEntries([...pagesOf].filter(([, count]) => count >= 18).sort(([a], [b]) => (a < b ? -1 : 1)));
  assert.ok(Object.keys(expected).length >= 3 && Object.keys(expected).length < pagesOf.size / 2, `${Object.keys(expected).length} of ${pagesOf.size} words are common`);
  assert.deepEqual(listed, { articles: 60, words: expected });
  const without = await mergeShards(shards.map((s) => s.index!), shards.flatMap((s) => s.pageNames), shards[0]!.entry);
  assert.equal(without.some((f) => f.path === COMMON_WORDS_FILE), false, 'not asked for (a delta index): not written');
});

test("Pagefind's chunk rule puts a rare word in the chunk of the common word after it; kbsite's gives a common word a chunk of its own", () => {
  const words = (sizes: Record<string, number>): MergedWord[] => Object.entries(sizes).map(([word, entries]) => ({ word: Buffer.from(word), pages: [], variants: [], entries }));
  const cut = (rule: 'kbsite' | 'pagefind') => [...chunksOf(words({ kerberos: 30, key: 500, keyboard: 120, kill: 60, knob: 5, known: 900, label: 10 }), 100, rule)].map((chunk) => chunk.map((w) => w.word.toString()));
  assert.deepEqual(cut('pagefind'), [['kerberos', 'key'], ['keyboard'], ['kill', 'knob', 'known'], ['label']]);
  assert.deepEqual(cut('kbsite'), [['kerberos'], ['key'], ['keyboard'], ['kill', 'knob'], ['known'], ['label']]);
});

test('word counts are exact below 20 and rounded to within 5% above, never moving past a larger count', () => {
  for (let count = 0; count < 20; count++) assert.equal(roundWordCount(count), count);
  let previous = 0;
  for (let count = 20; count <= 200_000; count++) {
    const rounded = roundWordCount(count);
    assert.ok(Math.abs(rounded - count) / count <= 0.05, `${count} → ${rounded}`);
    assert.ok(rounded >= previous, `${count} → ${rounded} is not below the count before's ${previous}`);
    assert.equal(roundWordCount(rounded), rounded, `${rounded} is a value of the grid`);
    previous = rounded;
  }
  assert.ok(new Set(Array.from({ length: 1000 }, (_, i) => roundWordCount(500 + i))).size < 25, 'the counts 500–1499 take fewer than 25 values');
});

test("a shard's tag is its number and a hash of its pages: the same pages keep it, any change gives another", () => {
  const tag = shardTag(3, ['en_aaa', 'en_bbb']);
  assert.match(tag, /^03[0-9a-z]{3}$/);
  assert.equal(shardTag(3, ['en_aaa', 'en_bbb']), tag);
  assert.notEqual(shardTag(3, ['en_aaa', 'en_bbc']), tag);
  assert.notEqual(shardTag(3, ['en_bbb', 'en_aaa']), tag, 'the order of the pages counts');
  assert.equal(shardTag(40, ['en_aaa', 'en_bbb']).slice(0, 2), '14', 'base 36');
});

test("chunk ranges are cut between neighbours to the shortest prefixes that tell them apart (Pagefind's chunk_meta)", () => {
  // Pagefind's own example (pagefind/src/index/mod.rs, build_chunk_meta).
  assert.deepEqual(chunkRanges([{ first: 'apple', last: 'apple' }, { first: 'apricot', last: 'banana' }, { first: 'peach', last: 'peach' }]), [
    { from: 'apple', to: 'apple' },
    { from: 'apr', to: 'b' },
    { from: 'p', to: 'peach' },
  ]);
});

test('shards that disagree on their meta fields or language are refused, naming the shard', async () => {
  const shard = (language: string, metaFields: string[]): ShardIndex => ({ language, version: '1.6.0', pageFields: 3, metaFields, wordCounts: [1], chunks: [], filters: [] });
  const entry = { version: '1.6.0', languages: { en: { hash: 'en_x', wasm: 'en', page_count: 1 } } };
  await assert.rejects(mergeShards([shard('en', ['title']), shard('en', ['kb', 'title'])], ['a', 'b'], entry), /shard 2 has another list of meta fields than shard 1/);
  await assert.rejects(mergeShards([shard('en', ['title']), shard('de', ['title'])], ['a', 'b'], entry), /shard 2 has another language than shard 1/);
  await assert.rejects(mergeShards([shard('en', ['title'])], ['a', 'b'], entry), /2 page names for 1 pages/);
});
