/**
 * The search index's meta file in a smaller form, which the search page loads instead and turns
 * back into Pagefind's meta file, byte for byte, before Pagefind reads it
 * (src/client/compact-index-fetch.ts).
 *
 * Why: every first search loads the meta file. It lists the name and word count of every page,
 * then the index chunks and the filters, in CBOR, gzipped: 211 KB at 60,000 articles, more than
 * half of what a first search transferred. gzip sees each page as a 20-byte record whose few
 * changing bytes cost 3–4 bytes. But kbsite names pages itself (src/search/page-names.ts): a name
 * is its shard's prefix, the page's date and a number counting the pages of that date, so a page
 * needs only its date and its word count, and most pages have the date of the page before. Written
 * column by column, the dates as differences (mostly 0) and the word counts as places in a table of
 * the values (rounded, so there are about 70: `roundWordCount` in merge-shards.ts), gzip makes 60,000
 * pages about 40 KB.
 *
 * The build writes the compact file only when it expands to exactly the meta file's bytes (checked
 * on the spot), so a name that is not kbsite's, or a field this code does not know, costs only the
 * saving: the search page then loads the meta file as Pagefind would.
 *
 * Layout, before gzip: a JSON header, a newline, the date column, the count column. The columns are
 * varints; a date is `YYYYMMDD` as a number, stored as zigzag(previous date − date).
 */
import { TAG_LENGTH } from './page-names.ts';
import { SIGNATURE } from './pagefind-bytes.ts';
import { ByteReader, ByteWriter, CborWriter, equalBytes, unzigzag, zigzag, type CborValue } from './compact-bytes.ts';

/** `pagefind.<hash>.pf_meta` → `pagefind.<hash>.kb_meta`. */
export const COMPACT_META_EXTENSION = 'kb_meta';

interface Header {
  format: 1;
  version: CborValue;
  /** Each shard's name prefix (`en_01k3x`) and number of pages, in page order. */
  shards: Array<[string, number]>;
  /** The word counts the count column points into. */
  counts: number[];
  /** Bytes of the date column. */
  dateBytes: number;
  /** 3 when each page also has an (empty) fragment group, as Pagefind 1.6 writes it; absent for 2. */
  pageFields?: 3;
  /** The meta file's other fields (index chunks, filters, sorts, meta fields), as they are. */
  rest: CborValue[];
  /** Set when every index chunk has a compact form beside it: its extension (src/search/compact-chunks.ts). */
  chunks?: string;
}

/**
 * The compact form of a meta file, given its value and its bytes once gunzipped (signature + CBOR);
 * null if it would not expand to exactly those bytes. Not gzipped: the caller does that.
 * `compactChunks`: the extension of the chunks' compact forms, when the build wrote one for every chunk.
 */
export function compactMeta(meta: unknown, file: Uint8Array, compactChunks?: string): Uint8Array | null {
  if (!Array.isArray(meta) || meta.length < 2 || !Array.isArray(meta[1])) return null;
  const pages = meta[1] as unknown[];
  const shards: Array<[string, number]> = [];
  const dates: number[] = [];
  const counts: number[] = [];
  const pageFields = Array.isArray(pages[0]) ? pages[0].length : 2;
  if (pageFields !== 2 && pageFields !== 3) return null;
  for (const page of pages) {
    if (!Array.isArray(page) || page.length !== pageFields || typeof page[0] !== 'string' || !Number.isSafeInteger(page[1]) || (page[1] as number) < 0) return null;
    if (pageFields === 3 && page[2] !== '') return null;
    const parts = nameParts(page[0]);
    if (!parts) return null;
    if (shards.at(-1)?.[0] !== parts.prefix) shards.push([parts.prefix, 0]);
    shards.at(-1)![1]++;
    dates.push(parts.date);
    counts.push(page[1] as number);
  }
  const frequency = new Map<number, number>();
  for (const count of counts) frequency.set(count, (frequency.get(count) ?? 0) + 1);
  const table = [...frequency.keys()].sort((a, b) => frequency.get(b)! - frequency.get(a)! || a - b);
  const place = new Map(table.map((count, i) => [count, i]));
  const dateColumn = new ByteWriter();
  let previous = 0;
  for (const date of dates) {
    dateColumn.varint(zigzag(previous - date));
    previous = date;
  }
  const countColumn = new ByteWriter();
  for (const count of counts) countColumn.varint(place.get(count)!);
  const header: Header = { format: 1, version: meta[0] as CborValue, shards, counts: table, dateBytes: dateColumn.length, ...(pageFields === 3 ? { pageFields } : {}), rest: meta.slice(2) as CborValue[], ...(compactChunks ? { chunks: compactChunks } : {}) };
  const out = new ByteWriter();
  out.raw(new TextEncoder().encode(`${JSON.stringify(header)}\n`));
  out.raw(dateColumn.bytes());
  out.raw(countColumn.bytes());
  const compact = out.bytes();
  try {
    return equalBytes(expandCompactMeta(compact), file) ? compact : null;
  } catch {
    return null;
  }
}

function readHeader(compact: Uint8Array): { header: Header; newline: number } {
  const newline = compact.indexOf(0x0a);
  if (newline < 0) throw new Error('compact meta: no header');
  const header = JSON.parse(new TextDecoder().decode(compact.subarray(0, newline))) as Header;
  if (header.format !== 1) throw new Error(`compact meta: unknown format ${String(header.format)}`);
  return { header, newline };
}

/** The extension of the index chunks' compact forms, if the build wrote them (`kb_index`), or null. */
export function compactChunksExtension(compact: Uint8Array): string | null {
  return readHeader(compact).header.chunks ?? null;
}

/** Pagefind's meta file content (signature + CBOR, not gzipped) from its compact form. Throws on anything malformed. */
export function expandCompactMeta(compact: Uint8Array): Uint8Array<ArrayBuffer> {
  const { header, newline } = readHeader(compact);
  const dates = new ByteReader(compact.subarray(newline + 1, newline + 1 + header.dateBytes), 'compact meta');
  const counts = new ByteReader(compact.subarray(newline + 1 + header.dateBytes), 'compact meta');
  const pageCount = header.shards.reduce((sum, [, n]) => sum + n, 0);
  const out = new CborWriter();
  out.raw(new TextEncoder().encode(SIGNATURE));
  out.head(4, 2 + header.rest.length);
  out.value(header.version);
  out.head(4, pageCount);
  let date = 0;
  let lastKey = '';
  let number = 0;
  for (const [prefix, n] of header.shards) {
    for (let i = 0; i < n; i++) {
      date -= unzigzag(dates.varint());
      const key = String(date).padStart(8, '0');
      // The number counts the pages of one date within a shard (page-names.ts `pageNames`).
      number = i > 0 && key === lastKey ? number + 1 : 0;
      lastKey = key;
      const count = header.counts[counts.varint()];
      if (count === undefined) throw new Error('compact meta: a word count is out of the table');
      out.head(4, header.pageFields ?? 2);
      out.value(`${prefix}${key}${number.toString(36)}`);
      out.value(count);
      if (header.pageFields === 3) out.value('');
    }
  }
  if (!dates.done || !counts.done) throw new Error('compact meta: columns longer than the pages');
  for (const field of header.rest) out.value(field);
  return out.bytes();
}

/** Prefix and date of a name `pageNames` gives (`en_01k3x200208181`: prefix `en_01k3x`, date 20020818), or null. */
function nameParts(name: string): { prefix: string; date: number } | null {
  const cut = name.indexOf('_') + 1 + TAG_LENGTH;
  if (cut <= TAG_LENGTH) return null;
  const match = /^(\d{8})[0-9a-z]+$/.exec(name.slice(cut));
  return match ? { prefix: name.slice(0, cut), date: Number(match[1]) } : null;
}
