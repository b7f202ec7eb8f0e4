/**
 * The search index's chunks in a smaller form, which the search page loads instead and expands to
 * the very bytes of the chunk before Pagefind reads it (src/client/compact-index-fetch.ts).
 *
 * Why: a search loads the chunk of each of its words, all of it. Pagefind writes a page's entry as
 * a CBOR array (page number, locations with their weight, meta locations), and gzip sees the
 * entries as records whose changing bytes it cannot line up. Written column by column instead
 * (page-number deltas, weights, locations, meta locations), each column compresses on its own: at
 * 60,000 articles the chunks are 28.8 MB instead of 35.3 MB gzipped (−18%), "document" 21.9 KB
 * instead of 25.5 KB. Nothing is left out, so Pagefind finds and ranks exactly as with the chunk.
 *
 * Leaving the locations out would halve the chunks (16.8 MB), and the search page needs none of
 * them (it cuts excerpts and checks phrases itself: src/client/result-text.ts), but Pagefind does:
 * it scores two matched words at the same place of a page once ("lowest weight wins"), which is
 * how a compound word (`mouse-based`: `mousebas`, `mouse`, `base`) is not counted twice. Places
 * made up per chunk changed the order of the results of 13 of 30 searches at 60,000 articles
 * (89% of their first 10 results the same); see docs/performance.md.
 *
 * The build writes the compact forms only when every chunk has one (the compact meta file says so:
 * compact-meta.ts), and a chunk whose entries are not in the shapes below has none.
 *
 * Layout, before gzip: a format byte (1); the byte lengths of the words, counts, deltas, weights
 * and locations columns as varints; then the columns, and the meta locations column to the end:
 * - words: per word its number of fields (2, or 3 with a variant list), its UTF-8 length and bytes,
 *   then with a variant list the number of variants and each variant's length and bytes;
 * - counts: the number of pages of each page list (a word's, then its variants', in order);
 * - deltas: each page's number, as the difference from the page before (Pagefind's own encoding);
 * - weights: 0 for a page with no location, w + 1 for a page with one location of weight w;
 * - locations: the location of each page that has one;
 * - meta: each page's number of meta locations, then each as a zigzag varint.
 */
import { CborReader } from './index-chunks.ts';
import { SIGNATURE } from './pagefind-bytes.ts';
import { ByteReader, ByteWriter, CborWriter, unzigzag, zigzag } from './compact-bytes.ts';

/** `index/<hash>.pf_index` → `index/<hash>.kb_index`. */
export const COMPACT_CHUNK_EXTENSION = 'kb_index';

const FORMAT = 1;

/** The compact form of one chunk, given its CBOR (after the signature); null if an entry has a shape it does not keep. Not gzipped. */
export function compactChunk(cbor: Uint8Array): Uint8Array | null {
  const reader = new CborReader(Buffer.from(cbor.buffer, cbor.byteOffset, cbor.length));
  const [words, counts, deltas, weights, places, meta] = [new ByteWriter(), new ByteWriter(), new ByteWriter(), new ByteWriter(), new ByteWriter(), new ByteWriter()];
  const pageList = (): boolean => {
    const count = reader.expect(4, 'page list');
    counts.varint(count);
    for (let i = 0; i < count; i++) {
      if (reader.expect(4, 'page entry') !== 3) return false;
      deltas.varint(reader.expect(0, 'page number'));
      const locations = reader.expect(4, 'location list');
      if (locations === 0) weights.varint(0);
      else if (locations === 2) {
        // [-(w + 1), location]: CBOR's negative integer with argument w, then the location.
        weights.varint(reader.expect(1, 'weight') + 1);
        places.varint(reader.expect(0, 'location'));
      } else return false;
      const metaLocations = reader.expect(4, 'meta location list');
      meta.varint(metaLocations);
      for (let k = 0; k < metaLocations; k++) {
        reader.head();
        if (reader.major === 0) meta.varint(zigzag(reader.value));
        else if (reader.major === 1) meta.varint(zigzag(-1 - reader.value));
        else return false;
      }
    }
    return true;
  };
  try {
    if (reader.expect(4, 'chunk') !== 1) return null;
    const wordCount = reader.expect(4, 'word list');
    words.varint(wordCount);
    for (let i = 0; i < wordCount; i++) {
      const fields = reader.expect(4, 'word');
      if (fields !== 2 && fields !== 3) return null;
      words.varint(fields);
      const word = reader.text('word');
      words.varint(word.length);
      words.raw(word);
      if (!pageList()) return null;
      if (fields === 2) continue;
      const variants = reader.expect(4, 'variant list');
      words.varint(variants);
      for (let v = 0; v < variants; v++) {
        if (reader.expect(4, 'variant') !== 2) return null;
        const form = reader.text('variant form');
        words.varint(form.length);
        words.raw(form);
        if (!pageList()) return null;
      }
    }
    if (reader.pos !== cbor.length) return null;
  } catch {
    return null;
  }
  const columns = [words, counts, deltas, weights, places, meta];
  const out = new ByteWriter(columns.reduce((sum, column) => sum + column.length, 16));
  out.byte(FORMAT);
  for (const column of columns.slice(0, -1)) out.varint(column.length);
  for (const column of columns) out.raw(column.bytes());
  return out.bytes();
}

/** Pagefind's chunk file content (signature + CBOR, not gzipped) from its compact form. Throws on anything malformed. */
export function expandCompactChunk(compact: Uint8Array): Uint8Array<ArrayBuffer> {
  const header = new ByteReader(compact, 'compact chunk');
  const format = header.varint();
  if (format !== FORMAT) throw new Error(`compact chunk: unknown format ${format}`);
  const lengths = [header.varint(), header.varint(), header.varint(), header.varint(), header.varint()];
  const [words, counts, deltas, weights, locations] = lengths.map((length) => new ByteReader(header.take(length), 'compact chunk')) as [ByteReader, ByteReader, ByteReader, ByteReader, ByteReader];
  const meta = header; // the rest
  const out = new CborWriter(compact.length * 8);
  const pageList = (): void => {
    const count = counts.varint();
    out.head(4, count);
    for (let i = 0; i < count; i++) {
      out.head(4, 3);
      out.head(0, deltas.varint());
      const weight = weights.varint();
      if (weight === 0) out.head(4, 0);
      else {
        out.head(4, 2);
        out.head(1, weight - 1);
        out.head(0, locations.varint());
      }
      const metaLocations = meta.varint();
      out.head(4, metaLocations);
      for (let k = 0; k < metaLocations; k++) {
        const value = unzigzag(meta.varint());
        if (value >= 0) out.head(0, value);
        else out.negative(value);
      }
    }
  };
  out.raw(new TextEncoder().encode(SIGNATURE));
  out.head(4, 1);
  const wordCount = words.varint();
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
  if (!words.done || !counts.done || !deltas.done || !weights.done || !locations.done || !meta.done) throw new Error('compact chunk: columns longer than the words');
  return out.bytes();
}
