/**
 * Pagefind's word index, read and written at the byte level, so that indexes built in shards can
 * be merged into the one index the search page loads (src/search/merge-shards.ts).
 *
 * A chunk file (`index/<name>.pf_index`, gzipped, behind the `pagefind_dcd` signature) is CBOR:
 *
 *     [ [ [word, [page, …], [variant, …]], … ] ]       page:    [page delta, [location, …], [meta location, …]]
 *                                                      variant: [form, [page, …]]
 *
 * (Pagefind 1.6.0, `pagefind/src/index/index_words.rs`; read by `pagefind_web/src/index.rs`.) Page
 * numbers are delta-encoded within each word's list; everything else about a page is relative to
 * the page. So two shards' lists of a word join by copying their bytes and re-writing one number:
 * the first page delta of the later shard. Nothing is decoded into JavaScript values, which is what
 * makes merging 100 MB of postings at 60,000 articles take about a second instead of half a minute
 * (cborg takes 5.6 s to decode and encode the 15 MB of a 10,000-article index).
 *
 * Words are cut into chunks the way Pagefind cuts them (`chunk_index` and `chunk_meta` in
 * `pagefind/src/index/mod.rs`), with a smaller limit (CHUNK_ENTRIES). Given Pagefind's limit and
 * every location kept, a merged index is the index Pagefind would have written for all the pages at
 * once (test/unit/search-shards.test.ts compares them byte for byte). kbsite keeps one location per
 * word and page (keptLocations), which is where a location list is decoded.
 */
import { KbError } from '../errors.ts';
import { cborHeadBytes } from './pagefind-bytes.ts';

/** Pagefind's `index_chunk_size`: a chunk ends once its words hold this many entries (1.6.0's default). */
export const PAGEFIND_CHUNK_ENTRIES = 20_000;

/**
 * kbsite's chunks are smaller than Pagefind's. A search loads the chunk of each of its words, and a
 * word that few articles use sat in a chunk of 30–40 KB (gzipped) at 60,000 articles: most of what a
 * search for `kerberos` or `dhcp` transferred. At 8,000 entries (every location kept) those chunks
 * were 2–3 times smaller; with one location per page (keptLocations) a page weighs about 2 entries
 * instead of 3–4, and CHUNK_ENTRIES is lower to match. The price is a longer chunk list in the meta
 * file that the first search loads. A common word is a chunk of its own (chunksOf).
 */
export const CHUNK_ENTRIES = 5_000;

/**
 * The most weight the one location kept of a word's locations in a page (keptLocations) carries
 * for the others: 127 is 5.3 times a plain word's weight (24). Pagefind adds the weights of two
 * matched words at the same place (a compound word and its parts) in a byte, so two carried weights
 * must fit in 255.
 */
export const MAX_CARRIED_WEIGHT = 127;

/**
 * A word's locations in one page as kbsite's index keeps them: the first location only, weighted
 * with the sum of all their weights (at most MAX_CARRIED_WEIGHT, and never less than the heaviest).
 *
 * Why: Pagefind keeps every occurrence of a word in every page, and a search downloads all of a
 * word's chunk. At 60,000 articles "window" alone was 314 KB gzipped, most of it the places of
 * words nobody looks at; with one place per page it is 110 KB, and a search has that much less to
 * fetch and decode. What the places served, and what takes their place:
 * - ranking: Pagefind's BM25 reads only the sum of a page's weights for the word, which the kept
 *   location carries (its term frequency saturates long before 5 occurrences matter);
 * - the excerpt: Pagefind centres it on the heaviest place, now the word's first; the search page
 *   highlights the other occurrences in it (src/client/search.ts);
 * - a quoted phrase: Pagefind needs every place to find adjacent words, so the search page searches
 *   a phrase's words and checks the phrase in the text of each result (src/client/search.ts).
 * Input and output are Pagefind's location list: a negative number -(w + 1) sets the weight w of
 * the locations after it. A list whose first location has no weight set is returned as it is.
 */
export function keptLocations(locations: readonly number[]): readonly number[] {
  let weight: number | null = null;
  let count = 0;
  let total = 0;
  let heaviest = 0;
  let first = 0;
  for (const value of locations) {
    if (value < 0) {
      weight = -value - 1;
      continue;
    }
    if (weight === null) return locations;
    if (count++ === 0) first = value;
    total += weight;
    heaviest = Math.max(heaviest, weight);
  }
  if (count <= 1) return locations;
  return [-(carriedWeight(total, heaviest) + 1), first];
}

/** The weight the kept location carries: the sum of all, at most MAX_CARRIED_WEIGHT unless one location weighed more. */
function carriedWeight(total: number, heaviest: number): number {
  return Math.min(total, Math.max(MAX_CARRIED_WEIGHT, heaviest));
}

/** One word's pages (or one variant's) in one shard: the encoded page entries and the page numbers they reach. */
export interface PageRun {
  /** The encoded page entries, the first one's delta included. */
  bytes: Buffer;
  count: number;
  /** Page number (within the shard) of the first and of the last entry. */
  first: number;
  last: number;
  /** Bytes of the first entry's array head and delta, which the merge re-writes. */
  firstHeadLength: number;
  /** Σ (locations + meta locations + 1) over the entries: Pagefind's measure of a chunk's size. */
  entries: number;
}

export interface ShardWord {
  /** UTF-8 bytes of the word; Pagefind sorts words by them. */
  word: Buffer;
  pages: PageRun;
  variants: Array<{ form: Buffer; pages: PageRun }>;
}

function formatError(what: string): KbError {
  return new KbError(`search index: a Pagefind index chunk is not in the format kbsite knows (${what}; Pagefind was upgraded?)`);
}

/** A cursor over CBOR bytes that reads heads (major type and argument) and skips what it does not need. */
export class CborReader {
  pos = 0;
  major = 0;
  value = 0;
  /** Where cut page runs are written before they are copied out (pageRun). */
  private scratch: Buffer | null = null;
  constructor(readonly bytes: Buffer) {}

  head(): void {
    const bytes = this.bytes;
    const initial = bytes[this.pos++]!;
    this.major = initial >> 5;
    const info = initial & 31;
    if (info < 24) this.value = info;
    else if (info === 24) this.value = bytes[this.pos++]!;
    else if (info === 25) {
      this.value = (bytes[this.pos]! << 8) | bytes[this.pos + 1]!;
      this.pos += 2;
    } else if (info === 26) {
      this.value = bytes.readUInt32BE(this.pos);
      this.pos += 4;
    } else if (info === 27) {
      this.value = Number(bytes.readBigUInt64BE(this.pos));
      this.pos += 8;
    } else throw formatError(`CBOR item of indefinite length at byte ${this.pos - 1}`);
  }

  expect(major: number, what: string): number {
    if (this.pos >= this.bytes.length) throw formatError(`${what} missing`);
    this.head();
    if (this.major !== major) throw formatError(`${what} has CBOR major type ${this.major}`);
    return this.value;
  }

  /** Skips `count` integers (Pagefind's location lists hold nothing else). */
  skipIntegers(count: number): void {
    const bytes = this.bytes;
    let pos = this.pos;
    for (let i = 0; i < count; i++) {
      const initial = bytes[pos]!;
      if (initial >> 5 > 1) throw formatError(`a location is not an integer at byte ${pos}`);
      const info = initial & 31;
      pos += info < 24 ? 1 : info === 24 ? 2 : info === 25 ? 3 : info === 26 ? 5 : 9;
    }
    if (pos > bytes.length) throw formatError('a location list runs past the end');
    this.pos = pos;
  }

  text(what: string): Buffer {
    const length = this.expect(3, what);
    const text = this.bytes.subarray(this.pos, this.pos + length);
    this.pos += length;
    return text;
  }

  /**
   * A list of page entries, read through (page numbers summed) and kept as bytes: as they are, or
   * with each entry's locations cut by keptLocations (its meta locations are kept).
   */
  pageRun(cut: boolean): PageRun {
    const count = this.expect(4, 'page list');
    const start = this.pos;
    // A cut entry is never longer than the entry it was cut from, so the run fits in a buffer as long as the chunk.
    const out = cut ? (this.scratch ??= Buffer.allocUnsafe(this.bytes.length)) : null;
    let written = 0;
    const write = (from: number, to: number): void => {
      written += this.bytes.copy(out!, written, from, to);
    };
    // cborHeadBytes, without an array for the one- and two-byte heads of nearly every location and weight.
    const writeHead = (major: number, value: number): void => {
      const type = major << 5;
      if (value < 24) out![written++] = type | value;
      else if (value < 0x100) {
        out![written++] = type | 24;
        out![written++] = value;
      } else for (const byte of cborHeadBytes(major, value)) out![written++] = byte;
    };
    let page = 0;
    let first = 0;
    let firstHeadLength = 0;
    let entries = 0;
    for (let i = 0; i < count; i++) {
      const entryStart = this.pos;
      const fields = this.expect(4, 'page entry');
      if (fields < 2) throw formatError('a page entry has no locations');
      page += this.expect(0, 'page number');
      if (i === 0) {
        first = page;
        firstHeadLength = this.pos - entryStart;
      }
      if (out) write(entryStart, this.pos);
      for (let field = 1; field < fields; field++) {
        const fieldStart = this.pos;
        const locations = this.expect(4, 'location list');
        if (out && field === 1) {
          // keptLocations, read in place: a weight -(w + 1) is CBOR's negative integer with argument w.
          let weight = -1;
          let count = 0;
          let total = 0;
          let heaviest = 0;
          let firstLocation = 0;
          let unweighted = false;
          for (let k = 0; k < locations; k++) {
            if (this.pos >= this.bytes.length) throw formatError('a location list runs past the end');
            this.head();
            if (this.major === 1) weight = this.value;
            else if (this.major !== 0) throw formatError(`a location is not an integer at byte ${this.pos}`);
            else {
              if (weight < 0) unweighted = true;
              if (count++ === 0) firstLocation = this.value;
              total += weight;
              heaviest = Math.max(heaviest, weight);
            }
          }
          if (unweighted || count <= 1) {
            write(fieldStart, this.pos);
            entries += locations;
          } else {
            writeHead(4, 2);
            writeHead(1, carriedWeight(total, heaviest));
            writeHead(0, firstLocation);
            entries += 2;
          }
          continue;
        }
        this.skipIntegers(locations);
        if (out) write(fieldStart, this.pos);
        entries += locations;
      }
      entries += 1;
    }
    const bytes = out ? Buffer.from(out.subarray(0, written)) : this.bytes.subarray(start, this.pos);
    return { bytes, count, first, last: page, firstHeadLength, entries };
  }
}

/** The words of one chunk file's CBOR (after the signature), in order; `cut`: with locations cut by keptLocations. */
export function readChunkWords(cbor: Buffer, cut = false): ShardWord[] {
  const reader = new CborReader(cbor);
  if (reader.expect(4, 'chunk') < 1) throw formatError('empty chunk');
  const count = reader.expect(4, 'word list');
  const words: ShardWord[] = [];
  for (let i = 0; i < count; i++) {
    const fields = reader.expect(4, 'word');
    if (fields < 2) throw formatError('a word has no pages');
    const word = reader.text('word');
    const pages = reader.pageRun(cut);
    const variants: ShardWord['variants'] = [];
    if (fields >= 3) {
      const variantCount = reader.expect(4, 'variant list');
      for (let v = 0; v < variantCount; v++) {
        if (reader.expect(4, 'variant') < 2) throw formatError('a variant has no pages');
        variants.push({ form: reader.text('variant form'), pages: reader.pageRun(cut) });
      }
    }
    if (fields > 3) throw formatError(`a word has ${fields} fields`);
    words.push({ word, pages, variants });
  }
  return words;
}

const cborHead = (major: number, value: number): Buffer => Buffer.from(cborHeadBytes(major, value));

/** A shard's run of pages placed at `offset` in the merged page list. */
export interface PlacedRun {
  run: PageRun;
  offset: number;
}

/** Encodes page runs of several shards as one list: each run's first delta is re-written from the end of the run before. */
function encodeRuns(runs: readonly PlacedRun[], parts: Buffer[]): void {
  parts.push(cborHead(4, runs.reduce((sum, placed) => sum + placed.run.count, 0)));
  let last = 0;
  for (const { run, offset } of runs) {
    const first = offset + run.first;
    if (first < last) throw new KbError('search index: shards were merged out of page order');
    parts.push(run.bytes.subarray(0, 1), cborHead(0, first - last), run.bytes.subarray(run.firstHeadLength));
    last = offset + run.last;
  }
}

/** One word of the merged index: its pages and variants from every shard that has it, in shard order. */
export interface MergedWord {
  word: Buffer;
  pages: PlacedRun[];
  variants: Array<{ form: Buffer; pages: PlacedRun[] }>;
  /** Pagefind's chunk measure of the word: Σ (locations + meta locations + 1) over its pages and its
   *  variants' pages, plus one per variant (Pagefind 1.6; 1.5 counted the word's own pages only). The
   *  merge test pins it. */
  entries: number;
}

function encodeWord(word: MergedWord, parts: Buffer[]): void {
  parts.push(cborHead(4, 3), cborHead(3, word.word.length), word.word);
  encodeRuns(word.pages, parts);
  parts.push(cborHead(4, word.variants.length));
  for (const variant of word.variants) {
    parts.push(cborHead(4, 2), cborHead(3, variant.form.length), variant.form);
    encodeRuns(variant.pages, parts);
  }
}

/** `[[word, …]]`: the CBOR of one chunk file, before its signature. */
export function encodeChunk(words: readonly MergedWord[]): Buffer {
  const parts: Buffer[] = [cborHead(4, 1), cborHead(4, words.length)];
  for (const word of words) encodeWord(word, parts);
  return Buffer.concat(parts);
}

/**
 * Words, in order, into chunks.
 * - Pagefind's rule (`chunk_index`): a chunk ends with the word that brings its entries to `limit`
 *   or more. A rare word is then often in the chunk of the common word after it: at 60,000 articles
 *   a search for `kerberos` loaded 38 KB, most of it `key`.
 * - kbsite's rule: the same, except that a word of `limit` entries or more starts a chunk too, so it
 *   is a chunk of its own. At 60,000 articles the chunks of rare words went from 16 to 9 KB (median)
 *   for 40% more chunks in the meta file's list.
 */
export function* chunksOf(words: Iterable<MergedWord>, limit = CHUNK_ENTRIES, rule: 'kbsite' | 'pagefind' = 'kbsite'): Generator<MergedWord[]> {
  let chunk: MergedWord[] = [];
  let size = 0;
  for (const word of words) {
    if (rule === 'kbsite' && word.entries >= limit && chunk.length) {
      yield chunk;
      chunk = [];
      size = 0;
    }
    size += word.entries;
    chunk.push(word);
    if (size >= limit) {
      yield chunk;
      chunk = [];
      size = 0;
    }
  }
  if (chunk.length) yield chunk;
}

const compareUtf8 = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));

/**
 * The `[from, to]` word range of each chunk as the search reads it: the first and last word, cut
 * between neighbours to the shortest prefixes that tell them apart (Pagefind's `chunk_meta`).
 */
export function chunkRanges(bounds: ReadonlyArray<{ first: string; last: string }>): Array<{ from: string; to: string }> {
  const ranges = bounds.map(({ first, last }) => ({ from: first, to: last }));
  for (let i = 0; i + 1 < ranges.length; i++) {
    const [a, b] = [Array.from(ranges[i]!.to), Array.from(ranges[i + 1]!.from)];
    let common = 0;
    while (common < a.length && common < b.length && a[common] === b[common]) common++;
    const aPrefix = a.slice(0, common + 1).join('');
    if (compareUtf8(aPrefix, ranges[i]!.from) >= 0) ranges[i]!.to = aPrefix;
    ranges[i + 1]!.from = b.slice(0, common + 1).join('');
  }
  return ranges;
}
