/**
 * Reads one Pagefind bundle (a shard of the search index, src/search/merge-shards.ts) as it comes
 * from `getFiles`, before anything reaches the disk, so that the same articles give the same bytes
 * and the meta file that every first search loads is as small as it can be:
 *
 * - Pages are renamed to names that carry their date (src/search/page-names.ts): at 60,000 articles
 *   the meta file shrinks from 554 KB to about 280 KB, the `updated` sort included, which the index
 *   no longer needs. The fragments are renamed here; the meta file that lists the names is written
 *   by the merge.
 * - Pagefind 1.5 wrote the values of each search filter, and the list of filters in its meta
 *   file, in Rust hash-map order, which changed from run to run
 *   (https://github.com/Pagefind/pagefind/issues/638); the merge writes them in a fixed order of
 *   its own and names the files by a hash of their content, whatever order Pagefind uses.
 *
 * The search reads the files as Pagefind writes them: the filter files are
 * `[filter, [[value, [page, …]], …]]`, the meta file `[version, pages: [[name, word count, group], …],
 * index chunks: [[from, to, file], …], filters: [[name, file], …], sorts, meta fields]`, each in
 * CBOR behind a `pagefind_dcd` signature and gzipped; a fragment is that signature and JSON.
 */
import { createHash } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import { decode, encode } from 'cborg';
import { KbError } from '../errors.ts';
import { SHARD_TAG_LENGTH, TAG_LENGTH, pageNames } from './page-names.ts';
import type { ShardIndex } from './merge-shards.ts';
import { SIGNATURE } from './pagefind-bytes.ts';

export interface BundleFile {
  /** Relative to the bundle folder, with forward slashes. */
  path: string;
  content: Uint8Array;
}

/** A page of the index, in the order it was added to Pagefind. */
export interface IndexedPage {
  url: string;
  /** YYYY-MM-DD, or empty. */
  date: string;
}

export interface Entry {
  version: string;
  languages: Record<string, { hash: string; wasm: string | null; page_count: number }>;
  [other: string]: unknown;
}

function unknownFormat(file: string): KbError {
  return new KbError(`search index: ${file} is not in the Pagefind format kbsite knows (Pagefind was upgraded?)`);
}

/** A Pagefind file's bytes after its signature. */
export function unpack(gzipped: Uint8Array, file: string): Buffer {
  const raw = gunzipSync(gzipped);
  if (raw.subarray(0, SIGNATURE.length).toString() !== SIGNATURE) throw unknownFormat(file);
  return raw.subarray(SIGNATURE.length);
}

export function decodePagefindFile(gzipped: Uint8Array, file: string): unknown {
  return decode(unpack(gzipped, file));
}

export function encodePagefindFile(value: unknown): Buffer {
  // Node's gzip writes no time stamp or file name, so equal input gives equal bytes.
  return gzipSync(Buffer.concat([Buffer.from(SIGNATURE), encode(value)]), { level: 9 });
}

function fragmentUrl(gzipped: Uint8Array, file: string): unknown {
  return (JSON.parse(unpack(gzipped, file).toString()) as { url?: unknown }).url;
}

/** A name like Pagefind's own (`en_` + hex), from the content instead of the run. */
export function contentName(language: string, bytes: Uint8Array, length: number): string {
  return `${language}_${createHash('sha256').update(bytes).digest('hex').slice(0, length)}`;
}

export const byName = (a: unknown, b: unknown) => {
  const [x, y] = [(a as [string])[0], (b as [string])[0]];
  return x < y ? -1 : x > y ? 1 : 0;
};

/**
 * The tag of a shard's page names: the shard's number, then a hash of Pagefind's own content hashes
 * of its pages. A shard whose pages did not change keeps its names (and browsers their cached
 * fragments); any change renames all of its pages, so a name never opens another article.
 */
export function shardTag(shard: number, pageHashes: readonly string[]): string {
  const hex = createHash('sha256').update(pageHashes.join('\n')).digest('hex');
  const hash = (parseInt(hex.slice(0, 8), 16) % 36 ** (TAG_LENGTH - SHARD_TAG_LENGTH)).toString(36).padStart(TAG_LENGTH - SHARD_TAG_LENGTH, '0');
  return shard.toString(36).padStart(SHARD_TAG_LENGTH, '0') + hash;
}

/**
 * Pagefind numbers pages in the order they were added, which is what lets a page's name be given
 * from `pages`. Checked on a sample (every page of a small index) so that a Pagefind that numbers
 * them otherwise fails the build instead of dating pages wrongly.
 */
function checkPageOrder(pageHashes: readonly string[], pages: readonly IndexedPage[], fragments: Map<string, BundleFile>): void {
  if (pageHashes.length !== pages.length) throw new KbError(`search index: Pagefind indexed ${pageHashes.length} pages of the ${pages.length} added`);
  const step = Math.max(1, Math.floor(pageHashes.length / 500));
  const sample = new Set<number>();
  for (let i = 0; i < pageHashes.length; i += step) sample.add(i);
  if (pageHashes.length) sample.add(pageHashes.length - 1);
  for (const i of sample) {
    const file = `fragment/${pageHashes[i]}.pf_fragment`;
    const fragment = fragments.get(file);
    if (!fragment) throw new KbError(`search index: Pagefind wrote no ${file} for page ${i}`);
    const url = fragmentUrl(fragment.content, file);
    if (url !== pages[i]!.url) throw new KbError(`search index: Pagefind's page ${i} is ${String(url)}, but ${pages[i]!.url} was added there (Pagefind was upgraded and numbers pages another way?)`);
  }
}

/** One shard as it comes from Pagefind: fragments renamed, the rest of its index for the merge. */
export interface ReadShard {
  /** `pagefind-entry.json`, parsed. */
  entry: Entry;
  /** Fragments under their new names, to be written as they are. */
  fragments: BundleFile[];
  /** Pagefind's scripts, WebAssembly and styles: the same in every shard. */
  assets: BundleFile[];
  /** Null for an index of no pages (the delta index of a rebuild that only removed articles). */
  index: ShardIndex | null;
  /** The new names of the shard's pages, in page order. */
  pageNames: string[];
}

/** A shard's bundle from `getFiles`, given the pages in the order they were added and the shard's number. */
export function readShard(files: readonly BundleFile[], pages: readonly IndexedPage[], shard: number): ReadShard {
  const byPath = new Map(files.map((file) => [file.path, file]));
  const entryFile = byPath.get('pagefind-entry.json');
  if (!entryFile) throw new KbError('search index: Pagefind wrote no pagefind-entry.json');
  const entry = JSON.parse(Buffer.from(entryFile.content).toString('utf8')) as Entry;
  const languages = Object.entries(entry.languages ?? {});
  if (languages.length !== (pages.length ? 1 : 0)) throw new KbError(`search index: expected ${pages.length ? 'one language' : 'no language'} in an index of ${pages.length} pages, found ${languages.length}`);
  const isIndexFile = (p: string) => p === entryFile.path || p.endsWith('.pf_meta') || /^(fragment|index|filter)\//.test(p);
  const assets = files.filter((file) => !isIndexFile(file.path));
  if (!languages.length) return { entry, fragments: [], assets, index: null, pageNames: [] };

  const [language, info] = languages[0]!;
  const metaPath = `pagefind.${info.hash}.pf_meta`;
  const metaFile = byPath.get(metaPath);
  if (!metaFile) throw new KbError(`search index: Pagefind wrote no ${metaPath}`);
  const meta = decodePagefindFile(metaFile.content, metaPath) as unknown[];
  const [version, pageList, chunkList, filterList, sorts, metaFields] = meta as [unknown, Array<[string, number, string?]>, Array<[string, string, string]>, Array<[string, string]>, unknown[], unknown];
  if (meta.length !== 6 || ![pageList, chunkList, filterList, sorts].every(Array.isArray)) throw unknownFormat(metaPath);
  if (sorts.length) throw new KbError('search index: the index has a sort, which kbsite does not merge (page names carry the date instead)');
  // Pagefind 1.6 lists each page as [name, word count, fragment group]; the group is empty unless
  // fragments are bundled into groups (`max_fragments`), which kbsite does not ask for.
  const pageFields = pageList[0]?.length ?? 3;
  if (pageList.some((page) => page.length !== pageFields || (pageFields === 3 && page[2] !== '')) || pageFields < 2 || pageFields > 3) throw unknownFormat(metaPath);
  const pageHashes = pageList.map(([hash]) => hash);
  checkPageOrder(pageHashes, pages, byPath);
  const names = pageNames(language, shardTag(shard, pageHashes), pages.map((page) => page.date));
  const fragments = pageHashes.map((hash, i) => {
    const from = `fragment/${hash}.pf_fragment`;
    const fragment = byPath.get(from);
    if (!fragment) throw new KbError(`search index: Pagefind wrote no ${from} for page ${i}`);
    return { path: `fragment/${names[i]}.pf_fragment`, content: fragment.content };
  });
  const fileOf = (path: string) => {
    const file = byPath.get(path);
    if (!file) throw new KbError(`search index: Pagefind's meta file names ${path}, which it did not write`);
    return file.content;
  };
  const chunks = chunkList.map(([, , hash]) => fileOf(`index/${hash}.pf_index`));
  const filters = filterList.map(([, hash]) => decodePagefindFile(fileOf(`filter/${hash}.pf_filter`), hash) as [string, Array<[string, number[]]>]);
  return { entry, fragments, assets, pageNames: names, index: { language, version, metaFields, pageFields, wordCounts: pageList.map(([, count]) => count), chunks, filters } };
}
