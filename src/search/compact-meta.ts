/**
 * The search index's meta file in a smaller form, which the search page loads instead and turns
 * back into Pagefind's meta file, byte for byte, before Pagefind reads it
 * (src/client/compact-meta-fetch.ts).
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
import { SIGNATURE, cborHeadBytes } from './pagefind-bytes.ts';

/** `pagefind.<hash>.pf_meta` → `pagefind.<hash>.kb_meta`. */
export const COMPACT_META_EXTENSION = 'kb_meta';

type CborValue = string | number | CborValue[];

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
}

/**
 * The compact form of a meta file, given its value and its bytes once gunzipped (signature + CBOR);
 * null if it would not expand to exactly those bytes. Not gzipped: the caller does that.
 */
export function compactMeta(meta: unknown, file: Uint8Array): Uint8Array | null {
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
  const header: Header = { format: 1, version: meta[0] as CborValue, shards, counts: table, dateBytes: dateColumn.length, ...(pageFields === 3 ? { pageFields } : {}), rest: meta.slice(2) as CborValue[] };
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

/** Pagefind's meta file content (signature + CBOR, not gzipped) from its compact form. Throws on anything malformed. */
export function expandCompactMeta(compact: Uint8Array): Uint8Array<ArrayBuffer> {
  const newline = compact.indexOf(0x0a);
  if (newline < 0) throw new Error('compact meta: no header');
  const header = JSON.parse(new TextDecoder().decode(compact.subarray(0, newline))) as Header;
  if (header.format !== 1) throw new Error(`compact meta: unknown format ${String(header.format)}`);
  const dates = new ByteReader(compact.subarray(newline + 1, newline + 1 + header.dateBytes));
  const counts = new ByteReader(compact.subarray(newline + 1 + header.dateBytes));
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

const zigzag = (n: number): number => (n >= 0 ? n * 2 : -n * 2 - 1);
const unzigzag = (n: number): number => (n % 2 === 0 ? n / 2 : -(n + 1) / 2);

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

class ByteWriter {
  private buffer = new Uint8Array(1024);
  length = 0;

  protected reserve(extra: number): void {
    if (this.length + extra <= this.buffer.length) return;
    const bigger = new Uint8Array(Math.max(this.buffer.length * 2, this.length + extra));
    bigger.set(this.buffer.subarray(0, this.length));
    this.buffer = bigger;
  }

  byte(value: number): void {
    this.reserve(1);
    this.buffer[this.length++] = value;
  }

  raw(bytes: Uint8Array): void {
    this.reserve(bytes.length);
    this.buffer.set(bytes, this.length);
    this.length += bytes.length;
  }

  /** Unsigned LEB128. */
  varint(value: number): void {
    let rest = value;
    while (rest >= 0x80) {
      this.byte((rest % 0x80) | 0x80);
      rest = Math.floor(rest / 0x80);
    }
    this.byte(rest);
  }

  bytes(): Uint8Array<ArrayBuffer> {
    return this.buffer.slice(0, this.length);
  }
}

class ByteReader {
  private at = 0;
  constructor(private readonly bytes: Uint8Array) {}

  get done(): boolean {
    return this.at === this.bytes.length;
  }

  varint(): number {
    let value = 0;
    let scale = 1;
    for (;;) {
      if (this.at >= this.bytes.length) throw new Error('compact meta: a column ends early');
      const byte = this.bytes[this.at++]!;
      value += (byte & 0x7f) * scale;
      if (byte < 0x80) return value;
      scale *= 0x80;
    }
  }
}

/** The CBOR of Pagefind's meta file: arrays, text and unsigned integers, definite lengths, shortest heads. */
class CborWriter extends ByteWriter {
  private readonly encoder = new TextEncoder();

  head(major: number, value: number): void {
    for (const byte of cborHeadBytes(major, value)) this.byte(byte);
  }

  value(value: CborValue): void {
    if (typeof value === 'string') {
      const bytes = this.encoder.encode(value);
      this.head(3, bytes.length);
      this.raw(bytes);
    } else if (typeof value === 'number') {
      if (!Number.isSafeInteger(value) || value < 0) throw new Error(`compact meta: ${value} is not an unsigned integer`);
      this.head(0, value);
    } else if (Array.isArray(value)) {
      this.head(4, value.length);
      for (const item of value) this.value(item);
    } else {
      throw new Error(`compact meta: a ${typeof value} in the meta file`);
    }
  }
}
