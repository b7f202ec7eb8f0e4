/**
 * The search index's chunks in a smaller form, which the search page loads instead and expands
 * into Pagefind's chunk format before Pagefind reads it (src/client/compact-index-fetch.ts).
 *
 * Why: a search loads the chunk of each of its words, all of it. At 60,000 articles "word
 * document" transferred 64 KB, twice the 30 KB a later search should. Of a page's entry in a chunk
 * (page number, one location with its weight, meta locations: src/search/index-chunks.ts), the
 * locations are most of what gzip cannot squeeze, and Pagefind uses little of them:
 * - it ranks by the weights (BM25 over a page's weighted term frequency), which are kept;
 * - it cuts excerpts around the locations, which the search page now does itself from the result's
 *   text (src/client/result-text.ts), and finds a quoted phrase by adjacent locations, which the
 *   page already checks in the text;
 * - but it scores two matched words at the same location of a page once ("lowest weight wins"), so
 *   that a compound word and its parts (`mouse-based`: `mousebas`, `mouse`, `base`) do not count
 *   twice. Places made up per chunk changed the order of results in 13 of 30 searches.
 * So a compact chunk keeps the place only of an entry whose (page, location) another word or
 * variant of the index may also have (sharedPlaces; 23% of the entries at 60,000 articles), and
 * expands it as an even number; every other entry gets an odd place of its own page list, counted
 * up across the session, so that it never meets another word's. Two words are then at one place of
 * a page exactly when they are in the chunk, and Pagefind ranks exactly as with the chunks (a
 * browser test compares the two; at 60,000 articles, 30 searches gave the same results and scores).
 * A kept place is not the location itself (a number up to the page's length, which gzip cannot
 * squeeze) but its rank among the page's kept locations (placeNumbers: 0, 1, … up to 1,397 at
 * 60,000 articles): the locations column 40% smaller, the same places for the same locations.
 * Places stay small because Pagefind's excerpt code walks an array as long as the largest place.
 *
 * A meta location list is a field's marker (negative), then the word's positions in that field.
 * Pagefind's metadata ranking reads the fields a word is in, not the positions: with each position
 * replaced by its number within the field (0, 1, …), the same 30 searches gave the same results and
 * scores, and the chunks are 9% smaller.
 *
 * Written column by column (page-number deltas, weights, kept locations, meta locations), gzip made
 * the chunks 19.3 MB instead of 35.3 MB at 60,000 articles, "document" 11.7 KB instead of 25.5 KB
 * (gzip level 9 for both). Those numbers are now coded with learnt odds (adaptive-coder.ts), each
 * in a context: a page's meta locations as one of the chunk's few shapes (a dozen or so: none, in
 * the title once, …), its weight as a symbol given that shape (weights are mostly 24k + 1, and a
 * word in the title weighs more), its page-number gap given the bit length of the gap before. At
 * 60,000 articles the chunks are 14.8 MB instead of 17.8 MB, "access" 11.9 KB instead of 17.3 KB;
 * coding them costs the build about 5 s of CPU, expanding the largest chunk the page a few ms.
 * The build writes the compact forms only when every chunk has one (the compact meta file says so:
 * compact-meta.ts), and none when an entry is not in the shapes below. A file is gzipped when that
 * makes it smaller (compactChunkFile), which only the words column gains by.
 *
 * Layout: a format byte (2); the byte lengths of the words, counts and shapes columns, the number
 * of words and the number of shapes, as varints; then the columns, and the coded numbers to the end:
 * - words: per word its number of fields (2, or 3 with a variant list), its UTF-8 length and bytes,
 *   then with a variant list the number of variants and each variant's length and bytes;
 * - counts: the number of pages of each page list (a word's, then its variants', in order);
 * - shapes: the meta-location lists of the chunk after the empty one (shape 0), in the order first
 *   met: each a length, then a field's marker m as zigzag(m), a position as 0;
 * - coded numbers, for each page of each page list in order: its page number as the difference
 *   from the page before (Pagefind's own encoding); its shape; 0 for a page with no location, else
 *   w + 1 for its one location of weight w; and for a page with a location, 0 for a place of its
 *   own, else its rank among the page's kept locations + 1.
 */
import { CborReader } from './index-chunks.ts';
import { SIGNATURE } from './pagefind-bytes.ts';
import { ByteReader, ByteWriter, CborWriter, unzigzag, zigzag } from './compact-bytes.ts';
import { AdaptiveDecoder, AdaptiveEncoder, NumberModels } from './adaptive-coder.ts';

/** `index/<hash>.pf_index` → `index/<hash>.kb_index`. */
export const COMPACT_CHUNK_EXTENSION = 'kb_index';

const FORMAT = 2;

/** What walkChunk reports of a chunk, in order. */
interface ChunkVisitor {
  word(fields: number, word: Uint8Array): void;
  variants(count: number): void;
  variant(form: Uint8Array): void;
  pageList(count: number): void;
  /** One entry of a page list: the page's delta and number, its location's weight (−1: no location), the location, and its meta locations (the first `metaCount` of `meta`). */
  page(delta: number, page: number, weight: number, location: number, meta: readonly number[], metaCount: number): void;
}

/** Walks a chunk's CBOR (after the signature); false if something is not in the shapes the compact form keeps. */
function walkChunk(cbor: Uint8Array, visit: ChunkVisitor): boolean {
  const reader = new CborReader(Buffer.from(cbor.buffer, cbor.byteOffset, cbor.length));
  const meta: number[] = new Array<number>(64).fill(0);
  const pageList = (): boolean => {
    const count = reader.expect(4, 'page list');
    visit.pageList(count);
    let page = 0;
    for (let i = 0; i < count; i++) {
      if (reader.expect(4, 'page entry') !== 3) return false;
      const delta = reader.expect(0, 'page number');
      page += delta;
      const locations = reader.expect(4, 'location list');
      let weight = -1;
      let location = 0;
      if (locations === 2) {
        // [-(w + 1), location]: CBOR's negative integer with argument w, then the location.
        weight = reader.expect(1, 'weight');
        location = reader.expect(0, 'location');
      } else if (locations !== 0) return false;
      const metaCount = reader.expect(4, 'meta location list');
      for (let k = 0; k < metaCount; k++) {
        reader.head();
        if (reader.major === 0) meta[k] = reader.value;
        else if (reader.major === 1) meta[k] = -1 - reader.value;
        else return false;
      }
      visit.page(delta, page, weight, location, meta, metaCount);
    }
    return true;
  };
  try {
    if (reader.expect(4, 'chunk') !== 1) return false;
    const wordCount = reader.expect(4, 'word list');
    for (let i = 0; i < wordCount; i++) {
      const fields = reader.expect(4, 'word');
      if (fields !== 2 && fields !== 3) return false;
      visit.word(fields, reader.text('word'));
      if (!pageList()) return false;
      if (fields === 2) continue;
      const variants = reader.expect(4, 'variant list');
      visit.variants(variants);
      for (let v = 0; v < variants; v++) {
        if (reader.expect(4, 'variant') !== 2) return false;
        visit.variant(reader.text('variant form'));
        if (!pageList()) return false;
      }
    }
    return reader.pos === cbor.length;
  } catch {
    return false;
  }
}

/** Where a page's location falls among 2³¹ values: MurmurHash3's finaliser over the two numbers. */
function placeHash(page: number, location: number): number {
  let hash = Math.imul(location ^ Math.imul(page, 0x85ebca6b), 0x9e3779b1);
  hash = Math.imul(hash ^ (hash >>> 16), 0x85ebca6b);
  hash = Math.imul(hash ^ (hash >>> 13), 0xc2b2ae35);
  return (hash ^ (hash >>> 16)) >>> 1;
}

/** The page and location of every located entry of the chunks it walks, in order. */
class LocatedEntries implements ChunkVisitor {
  pages = new Uint32Array(1 << 16);
  locations = new Uint32Array(1 << 16);
  count = 0;
  word(): void {}
  variants(): void {}
  variant(): void {}
  pageList(): void {}
  page(_delta: number, page: number, weight: number, location: number): void {
    if (weight < 0) return;
    if (this.count === this.pages.length) {
      const grown = (column: Uint32Array<ArrayBuffer>): Uint32Array<ArrayBuffer> => {
        const more = new Uint32Array(column.length * 2);
        more.set(column);
        return more;
      };
      [this.pages, this.locations] = [grown(this.pages), grown(this.locations)];
    }
    this.pages[this.count] = page;
    this.locations[this.count++] = location;
  }
}

/**
 * For each located entry of an index, in order, whether another word or variant may be at the same
 * place of the same page: then Pagefind may merge the two, and the compact form keeps its place (placeNumbers).
 * Two bits per value of a hash of the pair, "seen" and "seen again", side by side: an entry whose
 * place another word has always finds the second set; one whose place no other word has finds it
 * only when its hash meets another place's, which costs a kept location, never a wrong merge. At
 * 60,000 articles 8.6 million entries have a location, 2 million of them at a shared place; with 16
 * values per entry, about 6% of the others are kept too. The pairs are gathered first and the
 * bits set and read in loops of their own: mixed into the walk of 54 MB of chunks, each of the
 * 17 million random reads of the bit table missed the cache (2.5 s instead of 0.5 s).
 */
function sharedPlaces({ pages, locations, count }: LocatedEntries): Uint8Array {
  let values = 1 << 16;
  while (values < count * 16 && values < 2 ** 31) values *= 2;
  const mask = values - 1;
  const bits = new Uint8Array(values / 4);
  for (let i = 0; i < count; i++) {
    const value = placeHash(pages[i]!, locations[i]!) & mask;
    const [byte, shift] = [value >>> 2, (value & 3) * 2];
    const old = bits[byte]!;
    // 0b01: seen; 0b11: seen again.
    bits[byte] = old | (((old >> shift) & 1 ? 0b11 : 0b01) << shift);
  }
  const shared = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    const value = placeHash(pages[i]!, locations[i]!) & mask;
    shared[i] = (bits[value >>> 2]! >> ((value & 3) * 2)) & 0b10;
  }
  return shared;
}

/** A location (below 2³²) and an entry's index among its page's kept entries (below this) pack into one exact float key: 2³² × 2²¹ = 2⁵³. */
const ENTRIES_PER_PAGE = 2 ** 21;

/**
 * For each located entry, in order, what its compact form keeps: 0 when its place is its own, else
 * 1 + the rank of its location among the distinct kept locations of its page. Entries at one
 * location of a page get one number, entries at different locations different ones: the places
 * Pagefind compares stay the same, and most are a byte. The kept entries are grouped by page
 * (a counting sort), and each page's sorted by location. Null for a page with 2²¹ kept entries.
 */
function placeNumbers(entries: LocatedEntries, shared: Uint8Array): Uint32Array | null {
  const { pages, locations, count } = entries;
  let lastPage = 0;
  for (let i = 0; i < count; i++) if (shared[i] && pages[i]! > lastPage) lastPage = pages[i]!;
  // starts[p] .. starts[p + 1]: page p's kept entries in `grouped`.
  const starts = new Uint32Array(lastPage + 2);
  for (let i = 0; i < count; i++) if (shared[i]) starts[pages[i]! + 1]!++;
  for (let p = 0; p <= lastPage; p++) starts[p + 1]! += starts[p]!;
  const grouped = new Uint32Array(starts[lastPage + 1]!);
  const filled = starts.slice(0, lastPage + 1);
  for (let i = 0; i < count; i++) if (shared[i]) grouped[filled[pages[i]!]!++] = i;
  const numbers = new Uint32Array(count);
  const keys = new Float64Array(grouped.length);
  for (let p = 0; p <= lastPage; p++) {
    const [from, to] = [starts[p]!, starts[p + 1]!];
    if (to - from >= ENTRIES_PER_PAGE) return null;
    for (let k = from; k < to; k++) keys[k] = locations[grouped[k]!]! * ENTRIES_PER_PAGE + (k - from);
    const page = keys.subarray(from, to).sort();
    let rank = 0;
    for (let k = 0; k < page.length; k++) {
      const location = Math.floor(page[k]! / ENTRIES_PER_PAGE);
      if (k > 0 && location !== Math.floor(page[k - 1]! / ENTRIES_PER_PAGE)) rank++;
      numbers[grouped[from + (page[k]! % ENTRIES_PER_PAGE)]!] = rank + 1;
    }
  }
  return numbers;
}

/**
 * The odds the coded numbers of one chunk learn (adaptive-coder.ts), by kind and context: a
 * page-number gap given the bit length of the gap before it in the page list, a page's meta
 * fields given the previous page's, its weight given its meta fields, and a kept place.
 */
class ChunkModels {
  readonly deltas = new NumberModels(DELTA_CONTEXTS);
  readonly shapes = new NumberModels(SHAPE_CONTEXTS);
  readonly weights = new NumberModels(SHAPE_CONTEXTS);
  readonly places = new NumberModels(1);
}
const DELTA_CONTEXTS = 18;
const SHAPE_CONTEXTS = 8;
const bitLength = (n: number): number => 32 - Math.clz32(n);

/** Writes a chunk's compact form as walkChunk reads it. (Visitors are classes: walkChunk's calls stay fast.) */
class CompactWriter implements ChunkVisitor {
  readonly words = new ByteWriter();
  readonly counts = new ByteWriter();
  /** The meta-field shapes after the empty one (shape 0), in the order first met. */
  readonly shapes = new ByteWriter();
  private readonly shapeIds = new Map<string, number>();
  private readonly coder = new AdaptiveEncoder();
  private readonly models = new ChunkModels();
  private previousDelta = 0;
  private previousShape = 0;
  wordCount = 0;
  /** `places` has for each located entry of the index, in order, what the compact form keeps of its place (placeNumbers); `next` is this chunk's first. */
  constructor(
    private readonly places: Uint32Array,
    public next: number,
  ) {}

  word(fields: number, word: Uint8Array): void {
    this.wordCount++;
    this.words.varint(fields);
    this.words.varint(word.length);
    this.words.raw(word);
  }

  variants(count: number): void {
    this.words.varint(count);
  }

  variant(form: Uint8Array): void {
    this.words.varint(form.length);
    this.words.raw(form);
  }

  pageList(count: number): void {
    this.counts.varint(count);
    this.previousDelta = 0;
  }

  page(delta: number, _page: number, weight: number, _location: number, meta: readonly number[], metaCount: number): void {
    const shape = this.shapeOf(meta, metaCount);
    this.coder.number(delta, this.models.deltas.get(bitLength(this.previousDelta)));
    this.coder.number(shape, this.models.shapes.get(this.previousShape));
    this.coder.symbol(weight + 1, this.models.weights.get(shape));
    if (weight >= 0) this.coder.number(this.places[this.next++]!, this.models.places.get(0));
    this.previousDelta = delta;
    this.previousShape = shape;
  }

  /** The number of a page's meta locations as codes: a field's marker (negative) as zigzag(m), a position as 0 (see above). */
  private shapeOf(meta: readonly number[], metaCount: number): number {
    if (metaCount === 0) return 0;
    let key = '';
    for (let k = 0; k < metaCount; k++) key += meta[k]! < 0 ? `${zigzag(meta[k]!)},` : '0,';
    let id = this.shapeIds.get(key);
    if (id === undefined) {
      id = this.shapeIds.size + 1;
      this.shapeIds.set(key, id);
      this.shapes.varint(metaCount);
      for (let k = 0; k < metaCount; k++) this.shapes.varint(meta[k]! < 0 ? zigzag(meta[k]!) : 0);
    }
    return id;
  }

  bytes(): Uint8Array {
    const coded = this.coder.finish();
    const columns = [this.words.bytes(), this.counts.bytes(), this.shapes.bytes()];
    const out = new ByteWriter(columns.reduce((sum, column) => sum + column.length, coded.length + 24));
    out.byte(FORMAT);
    for (const column of columns) out.varint(column.length);
    out.varint(this.wordCount);
    out.varint(this.shapeIds.size);
    for (const column of columns) out.raw(column);
    out.raw(coded);
    return out.bytes();
  }
}

/**
 * The compact forms of the chunks of one index, given their CBOR (after the signature), in order;
 * null if an entry of any chunk has a shape they do not keep. Not gzipped.
 */
export function compactChunks(chunks: readonly Uint8Array[]): Uint8Array[] | null {
  const located = new LocatedEntries();
  for (const cbor of chunks) if (!walkChunk(cbor, located)) return null;
  const places = placeNumbers(located, sharedPlaces(located));
  if (!places) return null;
  const compact: Uint8Array[] = [];
  let next = 0;
  for (const cbor of chunks) {
    const writer = new CompactWriter(places, next);
    if (!walkChunk(cbor, writer)) return null;
    next = writer.next;
    compact.push(writer.bytes());
  }
  return compact;
}

/**
 * A compact form as its file holds it: gzipped only when that is smaller. A chunk of one common
 * word is nearly all coded numbers, which gzip makes 20–30 bytes larger; at 60,000 articles 968 of
 * the 3,039 chunks (5.6 MB, the chunks of the words in most articles) are like that. Unzipped, the
 * search page reads them without a round through the browser's `DecompressionStream`: 5–10 ms
 * less before Pagefind searches, for the searches with thousands of results (docs/performance.md).
 * The format byte is never gzip's first (0x1f), so a reader tells the two apart (`isGzipped`).
 */
export function compactChunkFile(compact: Uint8Array, gzipped: Uint8Array): Uint8Array {
  return gzipped.length < compact.length ? gzipped : compact;
}

/**
 * Pagefind's chunk file content (signature + CBOR, not gzipped) from its compact form, each page
 * list that the compact form keeps no location of at a place of its own: `firstPlace`,
 * `firstPlace + 1` …; `places` says how many it took. Throws on anything malformed.
 */
export function expandCompactChunk(compact: Uint8Array, firstPlace: number): { chunk: Uint8Array<ArrayBuffer>; places: number } {
  const header = new ByteReader(compact, 'compact chunk');
  const format = header.varint();
  if (format !== FORMAT) throw new Error(`compact chunk: unknown format ${format}`);
  const lengths = [header.varint(), header.varint(), header.varint()];
  const wordCount = header.varint();
  const shapeCount = header.varint();
  const [words, counts, shapeColumn] = lengths.map((length) => new ByteReader(header.take(length), 'compact chunk')) as [ByteReader, ByteReader, ByteReader];
  const shapes: number[][] = [[]];
  for (let i = 0; i < shapeCount; i++) shapes.push(Array.from({ length: shapeColumn.varint() }, () => shapeColumn.varint()));
  const coder = new AdaptiveDecoder(header.rest());
  const models = new ChunkModels();
  let previousShape = 0;
  const out = new CborWriter(compact.length * 12);
  let place = firstPlace;
  const pageList = (): void => {
    const count = counts.varint();
    out.head(4, count);
    let previousDelta = 0;
    for (let i = 0; i < count; i++) {
      out.head(4, 3);
      const delta = coder.number(models.deltas.get(bitLength(previousDelta)));
      const shape = coder.number(models.shapes.get(previousShape));
      const codes = shapes[shape];
      if (!codes) throw new Error(`compact chunk: meta shape ${shape} of ${shapes.length}`);
      const weight = coder.symbol(models.weights.get(shape));
      out.head(0, delta);
      if (weight === 0) out.head(4, 0);
      else {
        out.head(4, 2);
        out.head(1, weight - 1);
        // A kept place as an even number (twice its rank in the page), a place of its own as an odd one: never the same.
        const kept = coder.number(models.places.get(0));
        out.head(0, kept ? 2 * (kept - 1) : 2 * place + 1);
      }
      out.head(4, codes.length);
      // Positions within a field count up from 0 after its marker.
      let position = 0;
      for (const code of codes) {
        if (code === 0) out.head(0, position++);
        else {
          out.negative(unzigzag(code));
          position = 0;
        }
      }
      previousDelta = delta;
      previousShape = shape;
    }
    place++;
  };
  out.raw(new TextEncoder().encode(SIGNATURE));
  out.head(4, 1);
  out.head(4, wordCount);
  for (let i = 0; i < wordCount; i++) {
    const fields = words.varint();
    if (fields !== 2 && fields !== 3) throw new Error(`compact chunk: a word of ${fields} fields`);
    out.head(4, fields);
    out.text(words.take(words.varint()));
    pageList();
    if (fields === 2) continue;
    const variants = words.varint();
    out.head(4, variants);
    for (let v = 0; v < variants; v++) {
      out.head(4, 2);
      out.text(words.take(words.varint()));
      pageList();
    }
  }
  if (!words.done || !counts.done || !shapeColumn.done || !coder.done) throw new Error('compact chunk: columns longer than the words');
  return { chunk: out.bytes(), places: place - firstPlace };
}
