/**
 * The search index, built with Pagefind's Node API straight from the Article model (no HTML
 * scraping): what is indexed is exactly the article (never navigation or footer), and stop codes
 * are indexed in every spelling (see stop-codes.ts).
 * Pagefind reports failures in `errors` instead of throwing, so every call is checked.
 */
import path from 'node:path';
import type { Article } from '../article/model.ts';
import { KbError } from '../errors.ts';
import { stopCodeSearchTerms } from '../stop-codes.ts';
import { canonicalPath } from '../site-model.ts';
import { SERVICES, withPagefindIndex } from './pagefind-service.ts';
import { forEachConcurrently, unitSizeFromEnv } from '../concurrency.ts';
import { writeFiles } from '../write-files.ts';
import { readShard, type BundleFile, type Entry, type IndexedPage } from './stable-bundle.ts';
import { mergeShards, type ShardIndex } from './merge-shards.ts';
import { COMMON_WORD_MIN_ARTICLES, commonWordsFile, commonWordsOf } from './common-words.ts';
import { inIndexOrder } from './page-names.ts';
import { PAGEFIND_WORKER, compactIndexLoader, withCompactIndexLoader } from './worker-script.ts';
import { splitExplicitAnchor } from '../article/anchors.ts';

export interface SearchRecord {
  url: string;
  content: string;
  language: string;
  meta: Record<string, string>;
  filters: Record<string, string[]>;
}

/** The date a result is ordered by in the newest-first views (stop codes, browsing). */
export function indexedDate(article: Article): string {
  return article.updated ?? article.published ?? '';
}

/**
 * Markdown → plain words for the index and for result excerpts: fences, escapes, list markers,
 * table rules, heading anchors and markup characters removed (an excerpt reads "Consider the following scenario:
 * You have…", not "…scenario: - You have").
 */
export function markdownToSearchText(markdown: string): string {
  return markdown
    .replace(/^\s*(```+|~~~+).*$/gm, ' ')
    .replace(/^ {0,3}#{1,6}\s.*$/gm, (heading) => splitExplicitAnchor(heading).text) // `## Title {#id}`
    .replace(/^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$/gm, ' ') // table rules |---|:--:|
    .replace(/^\s*([-*_])(\s*\1){2,}\s*$/gm, ' ') // thematic breaks --- *** ___
    .replace(/^(\s*>)*\s*(?:[-*+]|\d{1,9}[.)])\s+/gm, '$1 ') // list markers, also in quotes
    .replace(/\[\[file-table:[^\]]*\]\]/g, ' ')
    .replace(/\\([\\`*_{}\[\]()#+\-.!|<>~&])/g, '$1')
    .replace(/&amp;/g, '&')
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/[*`]+/g, '') // emphasis and code marks join the text they wrap
    .replace(/[#>|]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The record of one article. Its URL is site-relative; the search page adds the path prefix (Pagefind's baseUrl). */
export function articleSearchRecord(article: Article): SearchRecord {
  const files = article.fileData?.tables.flatMap((t) => t.rows.map((r) => `${r.name} ${r.version ?? ''}`)) ?? [];
  const stopTerms = article.stopCodes.flatMap((c) => stopCodeSearchTerms(c));
  // The KB-number spellings go last so that they never open a result's excerpt.
  const content = [
    article.summary,
    markdownToSearchText(article.body),
    files.join(' '),
    stopTerms.join(' '),
    article.keywords.join(' '),
    article.queryWords.join(' '),
    `KB${article.id} Q${article.id} ${article.id}`,
  ].join('\n');
  const date = indexedDate(article);
  return {
    url: canonicalPath(article.id),
    content,
    language: 'en',
    meta: {
      title: article.title,
      kb: String(article.id),
      summary: article.summary,
      updated: date,
      stopCodes: article.stopCodes.join(' '),
    },
    filters: {
      product: article.products,
      type: [article.type],
      stop: article.stopCodes,
      ...(date ? { year: [date.slice(0, 4)] } : {}),
    },
    // No sort: Pagefind's meta file, which every first search loads, would keep a list of every page in
    // date order (140 KB at 60,000 articles). The page names carry the date instead (page-names.ts).
  };
}

/** Write Pagefind's files below `dir`; its paths are relative and use forward slashes. */
async function writeBundle(dir: string, files: readonly BundleFile[]): Promise<void> {
  const root = path.resolve(dir);
  for (const file of files) {
    if (!path.resolve(root, file.path).startsWith(root + path.sep)) throw new KbError(`search index: Pagefind returned a file outside its folder: ${file.path}`);
  }
  await writeFiles(root, files.map((file) => ({ path: file.path, render: () => file.content })));
}

function check(step: string, errors: string[]): void {
  if (errors.length) throw new KbError(`search index: ${step} failed: ${errors.join('; ')}`);
}

export interface SearchIndexOptions {
  /** Folder below the output: `pagefind` for the whole site, `pagefind-delta` for articles changed since. */
  bundle?: string;
  /** Mark records as coming from the delta index, so the search page prefers them over the base index's copies. */
  delta?: boolean;
  onProgress?: (added: number) => void;
  /** A failed build stops the index here: no shard starts or writes its files after it, and Pagefind's process is ended. */
  signal?: AbortSignal;
}

/**
 * Articles Pagefind indexes in one process. Its cost per page is lowest from 2,500 to 10,000 pages
 * (2.1–2.3 ms) and doubles by 60,000 (4.2 ms); its memory grows with the shard (0.66 GB at 5,000).
 * `KB_SEARCH_SHARD_SIZE` sets another size (tests use tiny shards to search a merged index).
 */
export const SHARD_SIZE = 5_000;

/** Pagefind's files as they are, but its worker script, which gets the compact meta loader in front (worker-script.ts). */
function withKbsiteLoader(assets: readonly BundleFile[], loaderScript: string): BundleFile[] {
  return assets.map((file) => (file.path === PAGEFIND_WORKER ? { ...file, content: withCompactIndexLoader(file.content, loaderScript) } : file));
}

/**
 * Index the articles and write the Pagefind bundle to `<outputDir>/pagefind`, the same bytes for the
 * same articles. The articles are indexed in shards, two Pagefind processes at a time, and the shards
 * merged into one index (src/search/merge-shards.ts). Returns the page count.
 */
export async function writeSearchIndex(articles: Article[], outputDir: string, options: SearchIndexOptions = {}): Promise<number> {
  const bundleDir = path.join(outputDir, options.bundle ?? 'pagefind');
  // Newest first: the page names carry the date, and neighbours with the same date compress well.
  const ordered = inIndexOrder(articles, indexedDate);
  const size = unitSizeFromEnv('KB_SEARCH_SHARD_SIZE', SHARD_SIZE);
  const shards: Article[][] = [];
  for (let start = 0; start < ordered.length || !shards.length; start += size) shards.push(ordered.slice(start, start + size));
  const indexes: Array<ShardIndex | null> = [];
  const names: string[][] = [];
  let entry: Entry | null = null;
  let added = 0;
  const loading = compactIndexLoader();
  loading.catch(() => {}); // awaited with the first shard, which rethrows
  const { signal } = options;
  await forEachConcurrently(shards.map((articles, shard) => ({ articles, shard })), SERVICES, async ({ articles, shard }) => {
    signal?.throwIfAborted();
    const pages: IndexedPage[] = articles.map((article) => ({ url: canonicalPath(article.id), date: indexedDate(article) }));
    const files = await withPagefindIndex(async (index) => {
      // Records go to the Pagefind process over a pipe; keeping many requests in flight instead of
      // waiting for each answer hides the round trips (13 s → 9 s for 10,000 articles).
      await forEachConcurrently(articles, 64, async (article) => {
        signal?.throwIfAborted();
        const record = articleSearchRecord(article);
        if (options.delta) record.meta.delta = '1';
        const result = await index.addCustomRecord(record);
        check(`adding KB ${article.id} (${article.sourcePath})`, result.errors);
        if (++added % 500 === 0) options.onProgress?.(added);
      });
      // The bundle comes back over the pipe and is written here, not by Pagefind's writeFiles: that
      // answers once its writes are queued, and a service that exits soon after may not finish them.
      // Under CPU load a rebuild's delta bundle got an empty pagefind-entry.json that way.
      // Not once the build has failed: the service is being stopped, and Pagefind's library prints its own
      // "Service stopped" error for a request written after that.
      signal?.throwIfAborted();
      const bundle = await index.getFiles();
      check('getFiles', bundle.errors);
      return bundle.files;
    }, signal);
    signal?.throwIfAborted();
    const read = readShard(files, pages, shard);
    // Fragments go to the disk at once: at 60,000 articles they are 240 MB the build need not hold.
    await writeBundle(bundleDir, shard === 0 ? [...withKbsiteLoader(read.assets, await loading), ...read.fragments] : read.fragments);
    indexes[shard] = read.index;
    names[shard] = read.pageNames;
    if (shard === 0) entry = read.entry;
  });
  const withPages = indexes.filter((index): index is ShardIndex => index !== null);
  // The search page reads the full index's common words; a delta index has too few articles for any.
  const commonWords = options.delta ? undefined : { minArticles: unitSizeFromEnv('KB_COMMON_WORD_MIN_ARTICLES', COMMON_WORD_MIN_ARTICLES) };
  const merged = withPages.length
    ? await mergeShards(withPages, names.flat(), entry!, { commonWords })
    : [{ path: 'pagefind-entry.json', content: Buffer.from(JSON.stringify(entry)) }, ...(commonWords ? [commonWordsFile(commonWordsOf([], 0))] : [])];
  signal?.throwIfAborted();
  await writeBundle(bundleDir, merged);
  return articles.length;
}
