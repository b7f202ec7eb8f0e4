/**
 * Joins search indexes built in shards into the one index the search page loads.
 *
 * Why shards: Pagefind's cost per page grows with the size of the index it holds. Measured on this
 * machine kind with kbsite's records, Pagefind's API takes 2.1 ms a page for 5,000 pages and
 * 4.2 ms a page for 60,000 (252 s), and its process peaks at 0.66 GB and about 7 GB. So the build
 * gives Pagefind 5,000 pages at a time, two processes at once (src/search/index.ts), and merges.
 *
 * Why merged: the search page would otherwise pay for the shards, one meta file, one index chunk per
 * word and one request each per shard (Pagefind's `mergeIndex`). A merged index is the index Pagefind
 * would have written for all pages at once: pages numbered in the order they were added, each
 * word's pages from every shard, chunks cut by Pagefind's rule (src/search/index-chunks.ts) and the
 * same filters. Three things differ, all to make searches transfer less: a word keeps one location
 * per page (keptLocations), the chunks are smaller and common words are chunks of their own
 * (CHUNK_ENTRIES, chunksOf), and the word counts are rounded (roundWordCount). Beside the meta file
 * and the chunks go their compact forms, which the search page loads instead (compact-meta.ts,
 * compact-chunks.ts).
 */
import { promisify } from 'node:util';
import { gunzipSync, gzip, gzipSync } from 'node:zlib';
import { KbError } from '../errors.ts';
import { CHUNK_ENTRIES, PAGEFIND_CHUNK_ENTRIES, chunkRanges, chunksOf, encodeChunk, readChunkWords, type MergedWord, type ShardWord } from './index-chunks.ts';
import { COMPACT_META_EXTENSION, compactMeta } from './compact-meta.ts';
import { COMPACT_CHUNK_EXTENSION, compactChunkFile, compactChunks } from './compact-chunks.ts';
import { byName, contentName, encodePagefindFile, unpack, type BundleFile, type Entry } from './stable-bundle.ts';
import { SIGNATURE } from './pagefind-bytes.ts';
import { commonWordsFile, commonWordsOf } from './common-words.ts';

const gzipAsync = promisify(gzip);
const CHUNK_GZIP_LEVEL = 6;

/** Values a page's word count is rounded to from 20 on, each at most 10% above the one before: 20, 22, 24, 26, 28, 30, 33, … */
const WORD_COUNT_GRID: number[] = [];
for (let value = 20; value < 2 ** 32; value = Math.max(value + 1, Math.floor(value * 1.1))) WORD_COUNT_GRID.push(value);

/**
 * A page's word count as the meta file keeps it: exact below 20, else the nearest value of
 * WORD_COUNT_GRID (the lower one on a tie), which is within 5% of it.
 *
 * Why: the meta file, which the first search loads, lists every page's name and word count. At
 * 60,000 articles the counts were 94 KB of its 280 KB (gzipped): a count of hundreds of words is
 * noise to gzip. Rounded, the file is 210 KB. Pagefind uses the count only in BM25's length
 * normalisation, a page's length against the average (weight 0.75 by default), so 5% moves a
 * score by less than 4%, and only between pages that differ in little else.
 */
export function roundWordCount(count: number): number {
  if (count < WORD_COUNT_GRID[0]!) return count;
  let low = 0;
  let high = WORD_COUNT_GRID.length - 1;
  while (high - low > 1) {
    const middle = (low + high) >> 1;
    if (WORD_COUNT_GRID[middle]! <= count) low = middle;
    else high = middle;
  }
  const [below, above] = [WORD_COUNT_GRID[low]!, WORD_COUNT_GRID[high]!];
  return count >= above ? above : count - below <= above - count ? below : above;
}

/** What a shard's index adds to the merged one; its fragments are written as they are (renamed). */
export interface ShardIndex {
  language: string;
  /** The meta file's version and meta fields, which every shard must share. */
  version: unknown;
  metaFields: unknown;
  /** Fields of a page in the meta file: 2 (name, word count) up to Pagefind 1.5, 3 since 1.6 (and an empty fragment group). */
  pageFields: 2 | 3;
  /** Word count of every page, in page order. */
  wordCounts: number[];
  /** The gzipped chunk files, in word order. */
  chunks: Uint8Array[];
  filters: Array<[string, Array<[string, number[]]>]>;
}

/** A shard's words in order, one chunk file unpacked at a time. */
class ShardCursor {
  private next = 0;
  private words: ShardWord[] = [];
  private at = 0;
  constructor(
    private readonly chunks: readonly Uint8Array[],
    readonly offset: number,
    private readonly cut: boolean,
  ) {
    this.fill();
  }

  get current(): ShardWord | undefined {
    return this.words[this.at];
  }

  advance(): void {
    this.at++;
    this.fill();
  }

  private fill(): void {
    while (this.at >= this.words.length && this.next < this.chunks.length) {
      this.words = readChunkWords(unpack(this.chunks[this.next]!, `index chunk ${this.next + 1} of a shard`), this.cut);
      this.next++;
      this.at = 0;
    }
  }
}

/** Every word of the shards in byte order, with its pages from each shard that has it, in shard order. */
function* mergedWords(shards: ReadonlyArray<{ chunks: readonly Uint8Array[]; offset: number }>, cut: boolean): Generator<MergedWord> {
  const cursors = shards.map((shard) => new ShardCursor(shard.chunks, shard.offset, cut));
  for (;;) {
    let smallest: Buffer | undefined;
    for (const cursor of cursors) {
      const word = cursor.current?.word;
      if (word && (!smallest || Buffer.compare(word, smallest) < 0)) smallest = word;
    }
    if (!smallest) return;
    const merged: MergedWord = { word: smallest, pages: [], variants: [], entries: 0 };
    for (const cursor of cursors) {
      const found = cursor.current;
      if (!found || !found.word.equals(smallest)) continue;
      if (found.pages.count) merged.pages.push({ run: found.pages, offset: cursor.offset });
      merged.entries += found.pages.entries;
      for (const variant of found.variants) {
        merged.entries += variant.pages.entries;
        const same = merged.variants.find((v) => v.form.equals(variant.form));
        if (same) same.pages.push({ run: variant.pages, offset: cursor.offset });
        else merged.variants.push({ form: variant.form, pages: [{ run: variant.pages, offset: cursor.offset }] });
      }
      cursor.advance();
    }
    merged.entries += merged.variants.length;
    yield merged;
  }
}

/** A name for a file that no other file of its kind has, from its content (Pagefind lengthens a colliding hash the same way). */
function uniqueName(language: string, content: Uint8Array, length: number, taken: Set<string>): string {
  let name = contentName(language, content, length);
  for (let l = length + 1; taken.has(name); l++) name = contentName(language, content, l);
  taken.add(name);
  return name;
}

function sameAcrossShards(indexes: readonly ShardIndex[], what: string, valueOf: (index: ShardIndex) => unknown): void {
  const first = JSON.stringify(valueOf(indexes[0]!));
  const other = indexes.findIndex((index) => JSON.stringify(valueOf(index)) !== first);
  if (other >= 0) throw new KbError(`search index: shard ${other + 1} has another ${what} than shard 1 (${JSON.stringify(valueOf(indexes[other]!))} vs ${first})`);
}

export interface MergeOptions {
  /**
   * Merge as Pagefind indexes: every location of a word in a page, and Pagefind's chunk rule and
   * size; the merged index is then Pagefind's own for all the pages (test/unit/search-shards.test.ts).
   */
  asPagefind?: boolean;
  /** Smaller chunks than kbsite's, for tests: a chunk ends once its words hold this many entries. */
  chunkEntries?: number;
  /** Write the list of common words (src/search/common-words.ts), with this least number of articles. */
  commonWords?: { minArticles: number };
}

/**
 * The merged index's chunks, filters, meta file and entry, given each shard's index (in page order)
 * and the names of all pages. `entry` is a shard's `pagefind-entry.json`, whose language it updates.
 */
export async function mergeShards(indexes: readonly ShardIndex[], pageNames: readonly string[], entry: Entry, options: MergeOptions = {}): Promise<BundleFile[]> {
  const asPagefind = options.asPagefind ?? false;
  const chunkEntries = options.chunkEntries ?? (asPagefind ? PAGEFIND_CHUNK_ENTRIES : CHUNK_ENTRIES);
  if (!indexes.length) throw new KbError('search index: no shard to merge');
  sameAcrossShards(indexes, 'language', (index) => index.language);
  sameAcrossShards(indexes, 'Pagefind version', (index) => index.version);
  sameAcrossShards(indexes, 'list of meta fields', (index) => index.metaFields);
  sameAcrossShards(indexes, 'page format', (index) => index.pageFields);
  const { language } = indexes[0]!;
  const offsets: number[] = [];
  let pageCount = 0;
  for (const index of indexes) {
    offsets.push(pageCount);
    pageCount += index.wordCounts.length;
  }
  if (pageNames.length !== pageCount) throw new KbError(`search index: ${pageNames.length} page names for ${pageCount} pages`);

  const files: BundleFile[] = [];
  const chunkNames = new Set<string>();
  const bounds: Array<{ first: string; last: string; hash: string }> = [];
  const compressing: Array<Promise<void>> = [];
  // Each chunk's CBOR, kept for its compact form (src/search/compact-chunks.ts), which needs the
  // places that several words share in the whole index. At 60,000 articles they are 54 MB.
  const chunks: Array<{ cbor: Buffer; first: string; last: string }> = [];
  const articleCounts: Array<[string, number]> = [];
  const words = mergedWords(indexes.map((index, i) => ({ chunks: index.chunks, offset: offsets[i]! })), !asPagefind);
  for (const chunk of chunksOf(words, chunkEntries, asPagefind ? 'pagefind' : 'kbsite')) {
    if (options.commonWords) {
      for (const word of chunk) {
        const count = [...word.pages, ...word.variants.flatMap((v) => v.pages)].reduce((sum, placed) => sum + placed.run.count, 0);
        articleCounts.push([word.word.toString('utf8'), count]);
      }
    }
    chunks.push({ cbor: encodeChunk(chunk), first: chunk[0]!.word.toString('utf8'), last: chunk[chunk.length - 1]!.word.toString('utf8') });
  }
  // The chunks' compact forms: written only if every chunk has one. A compact form depends on the
  // places that words of other chunks share, so a chunk whose bytes did not change can get another
  // one; the chunk is named by both, so that a name always stands for the same files (a browser or
  // a host may keep them as long as it likes).
  const compact = asPagefind ? null : compactChunks(chunks.map(({ cbor }) => cbor));
  const compactFiles: BundleFile[] = [];
  for (const [i, { cbor, first, last }] of chunks.entries()) {
    const hash = uniqueName(language, compact ? Buffer.concat([cbor, compact[i]!]) : cbor, 7, chunkNames);
    bounds.push({ first, last, hash });
    // zlib works in its own threads. Level 6, not Pagefind's 9: at 60,000 articles level 9 took
    // 15.3 s of CPU for these chunks and 8.9 s for their compact forms, level 6 3.7 and 1.8 s, for
    // files 1% larger (the search page loads the compact forms; these are its fallback).
    compressing.push(gzipAsync(Buffer.concat([Buffer.from(SIGNATURE), cbor]), { level: CHUNK_GZIP_LEVEL }).then((content) => void files.push({ path: `index/${hash}.pf_index`, content })));
    if (compact) {
      const path = `index/${hash}.${COMPACT_CHUNK_EXTENSION}`;
      const form = compact[i]!;
      compressing.push(gzipAsync(form, { level: CHUNK_GZIP_LEVEL }).then((gzipped) => void compactFiles.push({ path, content: compactChunkFile(form, gzipped) })));
    }
    if (compressing.length >= 16) await Promise.all(compressing.splice(0, 8));
  }
  chunks.length = 0;
  await Promise.all(compressing);
  const ranges = chunkRanges(bounds);

  const values = new Map<string, Map<string, number[]>>();
  indexes.forEach((index, i) => {
    for (const [filter, list] of index.filters) {
      const byValue = values.get(filter) ?? values.set(filter, new Map()).get(filter)!;
      for (const [value, pages] of list) {
        const all = byValue.get(value) ?? byValue.set(value, []).get(value)!;
        for (const page of pages) all.push(page + offsets[i]!);
      }
    }
  });
  const filterNames = new Set<string>();
  const filters: Array<[string, string]> = [];
  for (const [filter, byValue] of values) {
    const content = encodePagefindFile([filter, [...byValue].sort(byName)]);
    const hash = uniqueName(language, content, 7, filterNames);
    files.push({ path: `filter/${hash}.pf_filter`, content });
    filters.push([filter, hash]);
  }

  const wordCounts = indexes.flatMap((index) => index.wordCounts);
  const meta = [
    indexes[0]!.version,
    pageNames.map((name, i) => (indexes[0]!.pageFields === 3 ? [name, roundWordCount(wordCounts[i]!), ''] : [name, roundWordCount(wordCounts[i]!)])),
    ranges.map((range, i) => [range.from, range.to, bounds[i]!.hash]),
    filters.sort(byName),
    [],
    indexes[0]!.metaFields,
  ];
  const metaContent = encodePagefindFile(meta);
  const metaHash = contentName(language, metaContent, 10);
  files.push({ path: `pagefind.${metaHash}.pf_meta`, content: metaContent });
  // The search page loads this instead, when it is there (src/search/compact-meta.ts), and with it
  // the chunks' compact forms when it says they are there.
  const compactMetaFile = compactMeta(meta, gunzipSync(metaContent), compact ? COMPACT_CHUNK_EXTENSION : undefined);
  if (compactMetaFile) files.push({ path: `pagefind.${metaHash}.${COMPACT_META_EXTENSION}`, content: gzipSync(compactMetaFile, { level: 9 }) }, ...compactFiles);
  const info = entry.languages[language];
  if (!info) throw new KbError(`search index: pagefind-entry.json has no language ${language}`);
  const merged: Entry = { ...entry, languages: { [language]: { ...info, hash: metaHash, page_count: pageCount } } };
  files.push({ path: 'pagefind-entry.json', content: Buffer.from(JSON.stringify(merged)) });
  if (options.commonWords) {
    files.push(commonWordsFile(commonWordsOf(articleCounts, pageCount, options.commonWords.minArticles)));
  }
  return files;
}
