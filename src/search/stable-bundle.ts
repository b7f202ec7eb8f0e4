/**
 * Finishes a Pagefind bundle in memory, between `getFiles` and the disk: the same articles give the
 * same bytes, and the meta file that every first search loads is as small as it can be.
 *
 * - Pagefind 1.5.2 writes the values of each search filter, and the list of filters in its meta
 *   file, in Rust hash-map order, which changes from run to run
 *   (https://github.com/Pagefind/pagefind/issues/638); the files are named by a hash of their bytes,
 *   so the names change too, and with them the meta file and `pagefind-entry.json` that name them.
 *   Those lists are put in a fixed order and the rewritten files named by a hash of their new content.
 * - Pages are renamed to names that carry their date (src/search/page-names.ts): at 60,000 articles
 *   the meta file shrinks from 554 KB to about 280 KB, the `updated` sort included, which the index
 *   no longer needs.
 *
 * Everything else Pagefind writes (index chunks, fragments, WebAssembly, scripts) is kept as it is.
 * The search reads the rewritten files exactly as before: the filter files are
 * `[filter, [[value, [page, …]], …]]`, the meta file `[version, pages: [[name, word count], …],
 * index chunks, filters: [[name, file hash], …], sorts]`, each in CBOR behind a `pagefind_dcd`
 * signature and gzipped; a fragment is that signature and JSON.
 */
import { createHash } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import { decode, encode } from 'cborg';
import { KbError } from '../errors.ts';
import { TAG_LENGTH, pageNames } from './page-names.ts';

const SIGNATURE = 'pagefind_dcd';

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

interface Entry {
  version: string;
  languages: Record<string, { hash: string; wasm: string | null; page_count: number }>;
  [other: string]: unknown;
}

function unknownFormat(file: string): KbError {
  return new KbError(`search index: ${file} is not in the Pagefind format kbsite knows (Pagefind was upgraded?)`);
}

/** A Pagefind file's bytes after its signature. */
function unpack(gzipped: Uint8Array, file: string): Buffer {
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
function contentName(language: string, bytes: Uint8Array, length: number): string {
  return `${language}_${createHash('sha256').update(bytes).digest('hex').slice(0, length)}`;
}

const byName = (a: unknown, b: unknown) => {
  const [x, y] = [(a as [string])[0], (b as [string])[0]];
  return x < y ? -1 : x > y ? 1 : 0;
};

/** A short tag for the whole index, from Pagefind's own content hashes of its pages. */
function indexTag(pageHashes: readonly string[]): string {
  const hex = createHash('sha256').update(pageHashes.join('\n')).digest('hex');
  return (parseInt(hex.slice(0, 8), 16) % 36 ** TAG_LENGTH).toString(36).padStart(TAG_LENGTH, '0');
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

/** The bundle with filter lists in a fixed order, pages renamed by date, and the files naming them updated. */
export function finishBundle(files: readonly BundleFile[], pages: readonly IndexedPage[]): BundleFile[] {
  const byPath = new Map(files.map((file) => [file.path, file]));
  const entryFile = byPath.get('pagefind-entry.json');
  if (!entryFile) throw new KbError('search index: Pagefind wrote no pagefind-entry.json');
  const entry = JSON.parse(Buffer.from(entryFile.content).toString('utf8')) as Entry;
  const languages = Object.entries(entry.languages ?? {});
  // An index of no pages (the delta index of a rebuild that only removed articles) has no language.
  if (languages.length !== (pages.length ? 1 : 0)) throw new KbError(`search index: expected ${pages.length ? 'one language' : 'no language'} in an index of ${pages.length} pages, found ${languages.length}`);

  const renamedFilters = new Map<string, string>();
  for (const file of files) {
    const match = /^filter\/(.+)\.pf_filter$/.exec(file.path);
    if (!match) continue;
    const [filter, values] = decodePagefindFile(file.content, file.path) as [string, Array<[string, number[]]>];
    const content = encodePagefindFile([filter, [...values].sort(byName)]);
    const oldHash = match[1]!;
    const newHash = contentName(oldHash.split('_')[0]!, content, 7);
    renamedFilters.set(oldHash, newHash);
    byPath.delete(file.path);
    byPath.set(`filter/${newHash}.pf_filter`, { path: `filter/${newHash}.pf_filter`, content });
  }

  if (!languages.length) return [...byPath.values()];
  const [language, info] = languages[0]!;
  const metaPath = `pagefind.${info.hash}.pf_meta`;
  const metaFile = byPath.get(metaPath);
  if (!metaFile) throw new KbError(`search index: Pagefind wrote no ${metaPath}`);
  const meta = decodePagefindFile(metaFile.content, metaPath) as unknown[];
  const [, pageList, , filters] = meta as [unknown, Array<[string, number]>, unknown, Array<[string, string]>];
  if (!Array.isArray(pageList) || !Array.isArray(filters)) throw unknownFormat(metaPath);
  const pageHashes = pageList.map(([hash]) => hash);
  checkPageOrder(pageHashes, pages, byPath);
  const names = pageNames(language, indexTag(pageHashes), pages.map((page) => page.date));
  pageHashes.forEach((hash, i) => {
    const from = `fragment/${hash}.pf_fragment`;
    const to = `fragment/${names[i]}.pf_fragment`;
    const fragment = byPath.get(from);
    if (!fragment) throw new KbError(`search index: Pagefind wrote no ${from} for page ${i}`);
    byPath.delete(from);
    byPath.set(to, { path: to, content: fragment.content });
  });
  meta[1] = pageList.map(([, wordCount], i) => [names[i], wordCount]);
  meta[3] = filters.map(([name, hash]) => [name, renamedFilters.get(hash) ?? hash]).sort(byName);
  const content = encodePagefindFile(meta);
  info.hash = contentName(language, content, 10);
  byPath.delete(metaPath);
  byPath.set(`pagefind.${info.hash}.pf_meta`, { path: `pagefind.${info.hash}.pf_meta`, content });
  byPath.set(entryFile.path, { path: entryFile.path, content: Buffer.from(JSON.stringify(entry)) });
  return [...byPath.values()];
}
