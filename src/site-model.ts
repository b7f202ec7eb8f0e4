/**
 * Everything the templates need, derived once per build from the loaded articles: lookups,
 * listings, redirects. Pure: articles in, plain data out.
 */
import type { Article } from './article/model.ts';
import type { Problem } from './errors.ts';
import { slugify } from './article/anchors.ts';
import type { SiteConfig } from './site-config.ts';
import { stopCodeName, stopCodeShortSpellings } from './stop-codes.ts';
import { assignRowAnchors, compareVersions, uniqueId } from './file-versions.ts';
import { linkArticles, type ArticleLinks } from './related.ts';
import { InputsMemo, ObjectMemo } from './memo.ts';

export interface Redirect {
  /** Site-relative path without prefix, e.g. `/kb/243/Q243852/`. */
  from: string;
  /** Site-relative path of the target page, e.g. `/kb/243852/`. */
  to: string;
}

/** A stop code with every article about it, newest first. */
export interface StopCodeEntry {
  code: string;
  name: string | null;
  articles: Article[];
}

export interface ProductEntry {
  name: string;
  slug: string;
  count: number;
}

export interface SiteModel {
  config: SiteConfig;
  articles: Article[];
  byId: Map<number, Article>;
  redirects: Redirect[];
  products: ProductEntry[];
  /** Newest first by updated date, then by KB number. */
  recent: Article[];
  /** Newest first by first-published date: what is new rather than what was revised. */
  newest: Article[];
  /** Backlinks and related articles of every article. */
  links: ArticleLinks;
  withFileData: Article[];
  /** Most-referenced first. */
  stopCodes: StopCodeEntry[];
  /** One entry per page of a product's article list. */
  productPages: ProductPage[];
  /** Every file name in any file table, with all its versions; sorted by name. */
  files: FileEntry[];
}

export interface ProductPage {
  product: ProductEntry;
  page: number;
  pageCount: number;
  articles: Article[];
  path: string;
}

export interface FileVersionEntry {
  version: string | null;
  platform: string | null;
  size: number | null;
  date: string | null;
  article: Article;
  tableId: string;
  /** In-page anchor of the row on the article page, e.g. `file-ntfs.sys-x64`. */
  anchor: string;
  caption: string;
  /** The file's name as this row spells it (the file's page shows the first article's spelling). */
  name: string;
}

export interface FileEntry {
  /** Display name as first seen, e.g. `Ntfs.sys`. */
  name: string;
  slug: string;
  /** Highest version first (numeric per part). */
  versions: FileVersionEntry[];
}

export function canonicalPath(id: number): string {
  return `/kb/${id}/`;
}

/** An alias as written in front matter (`Q243852`, `KB243852`, `/old/path/`) → a site path. */
export function aliasPath(alias: string): string {
  const trimmed = alias.trim();
  if (/^(?:Q|KB)\d+$/i.test(trimmed)) return `/kb/${trimmed.toUpperCase()}/`;
  const withSlash = trimmed.startsWith('/') ? trimmed : `/${trimmed}`;
  return withSlash.endsWith('/') || /\.[a-z0-9]+$/i.test(withSlash) ? withSlash : `${withSlash}/`;
}

/** Top-level folders and files kbsite writes itself (src/eleventy/plugin.ts, public/): an alias
 *  there would replace a page of the site, or stop the build with an output conflict. */
const RESERVED_FOLDERS = ['search', 'stop', 'products', 'files', 'api', 'assets', 'pagefind', 'css'];
const RESERVED_PATHS = ['/', '/kb/', '/404.html', '/sitemap.xml', '/_redirects', '/feed.xml', '/opensearch.xml', '/robots.txt', '/favicon.ico'];
/** Letters, digits and `. _ ~ % + -` per segment: what every static host serves as written. */
const ALIAS_PATH = /^\/(?:[A-Za-z0-9._~%+-]+\/)*(?:[A-Za-z0-9._~%+-]+)?$/;

/** Same output file on a case-insensitive host: `/kb/q1/` and `/kb/Q1/`, `/x/index.html` and `/x/`. */
function outputKey(sitePath: string): string {
  return sitePath.toLowerCase().replace(/\/index\.html$/, '/');
}

/**
 * Why a declared alias cannot be a redirect, or null when it can, apart from clashes with other
 * articles' pages and links; `downloadOf` is the KB number whose download the path is, if any.
 */
function aliasShapeProblem(from: string, alias: string): string | null {
  if (!ALIAS_PATH.test(from) || from.split('/').some((part) => part === '.' || part === '..')) {
    return `alias ${JSON.stringify(alias.trim())} is not a usable path; write a site path like /old/path/ using letters, digits and . _ ~ % + - (no spaces, ?, # or .. segments)`;
  }
  const key = outputKey(from);
  if (RESERVED_PATHS.includes(key)) return `alias ${from} would replace the site's own ${from}; choose another path`;
  const folder = key.split('/')[1]!;
  if (RESERVED_FOLDERS.includes(folder)) {
    return `alias ${from} is inside the site's own /${folder}/ pages; choose a path outside ${RESERVED_FOLDERS.map((f) => `/${f}/`).join(', ')}`;
  }
  return null;
}

/** The KB number whose download (`/kb/<n>.json`, `/kb/<n>/files.json|csv`) an output key is, if it is one. */
function downloadOf(key: string): number | null {
  const download = /^\/kb\/(\d+)(?:\.json|\/files\.(?:json|csv))$/.exec(key);
  return download ? Number(download[1]) : null;
}

/** The page or short link (`/kb/<n>/`, `/kb/q<n>/`, `/kb/kb<n>/`) an output key is, if it is one. */
function fixedClaimOf(key: string): { id: number; kind: 'page' | 'short link' } | null {
  const m = /^\/kb\/(q|kb)?(\d+)\/$/.exec(key);
  if (!m || String(Number(m[2])) !== m[2]) return null;
  return { id: Number(m[2]), kind: m[1] ? 'short link' : 'page' };
}

/** An article's redirects and what its aliases would take, worked out once per Article object: a
 *  watching process models the site again after every save, and these are the same for every
 *  unchanged article. */
interface Claims {
  shortLinks: Redirect[];
  aliases: Array<{ redirect: Redirect; key: string; problem: string | null; downloadOf: number | null; fixed: ReturnType<typeof fixedClaimOf> }>;
}
const claimsMemo = new ObjectMemo<Article, Claims>();

function claimsOf(a: Article): Claims {
  return claimsMemo.get(a, '', () => claimsOfArticle(a));
}

function claimsOfArticle(a: Article): Claims {
  const to = canonicalPath(a.id);
  return {
    shortLinks: [`/kb/Q${a.id}/`, `/kb/KB${a.id}/`].map((from) => ({ from, to })),
    aliases: a.aliases.map((alias) => {
      const from = aliasPath(alias);
      const key = outputKey(from);
      return { redirect: { from, to }, key, problem: aliasShapeProblem(from, alias), downloadOf: downloadOf(key), fixed: fixedClaimOf(key) };
    }),
  };
}

/** Redirects for every article (Q/KB forms plus declared aliases); conflicts are problems naming both files. */
export function collectRedirects(articles: Article[]): { redirects: Redirect[]; problems: Problem[] } {
  // Canonical pages and every article's automatic Q/KB links come first, then declared aliases: so
  // an alias can never take a page or a short link, whatever the order of the articles. Pages and
  // short links have fixed forms, so only aliases need a map of paths (at 60,000 articles a map of
  // every claimed path costs a noticeable part of a watched rebuild).
  const owners = new Map<number, Article>();
  const problems: Problem[] = [];
  const redirects: Redirect[] = [];
  const claims = articles.map(claimsOf);
  articles.forEach((a, i) => {
    if (owners.has(a.id)) return; // a duplicate KB number, reported by the loader
    owners.set(a.id, a);
    redirects.push(...claims[i]!.shortLinks);
  });
  const aliasOwners = new Map<string, Article>();
  for (const [i, a] of articles.entries()) {
    const problem = (message: string): Problem => ({ file: a.sourcePath, ...(a.fieldLines?.aliases ? { line: a.fieldLines.aliases } : {}), field: 'aliases', message });
    for (const { redirect, key, problem: unusable, downloadOf, fixed } of claims[i]!.aliases) {
      const { from } = redirect;
      if (unusable) {
        problems.push(problem(unusable));
        continue;
      }
      if (downloadOf !== null && owners.has(downloadOf)) {
        problems.push(problem(`alias ${from} is already a download of KB ${downloadOf}; choose another path`));
        continue;
      }
      const fixedOwner = fixed && owners.get(fixed.id);
      const owner = fixedOwner ? { article: fixedOwner, kind: fixed.kind } : aliasOwners.has(key) ? { article: aliasOwners.get(key)!, kind: 'alias' as const } : undefined;
      if (owner?.article === a) continue;
      if (owner) {
        const what = owner.kind === 'page' ? `the page of KB ${owner.article.id}` : owner.kind === 'short link' ? `the short link of KB ${owner.article.id}` : `an alias of KB ${owner.article.id}`;
        problems.push(problem(`alias ${from} is already ${what} (${owner.article.sourcePath}); remove it from one of them`));
        continue;
      }
      aliasOwners.set(key, a);
      redirects.push(redirect);
    }
  }
  return { redirects, problems };
}

/** Articles grouped under each key they list, in input order (lists grow in place: linear at 60,000 articles). */
function groupArticles(articles: Article[], keysOf: (a: Article) => Iterable<string>): Map<string, Article[]> {
  const groups = new Map<string, Article[]>();
  for (const a of articles) {
    for (const key of keysOf(a)) {
      const list = groups.get(key);
      if (list) list.push(a);
      else groups.set(key, [a]);
    }
  }
  return groups;
}

/** ISO dates (YYYY-MM-DD) in order; a plain comparison, many times faster than localeCompare on 60,000 articles. */
function compareDates(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Newest first by updated (else published) date, then by KB number. */
export function byRecency(a: Article, b: Article): number {
  return compareDates(b.updated ?? b.published ?? '', a.updated ?? a.published ?? '') || b.id - a.id;
}

/** Newest first by first-published date, then by KB number (the home page's "New articles"). */
export function byPublished(a: Article, b: Article): number {
  return compareDates(b.published ?? '', a.published ?? '') || b.id - a.id;
}

/** The first `n` items in `order`, without sorting them all (the home page's 20 of 60,000 articles). */
export function firstInOrder<T>(items: readonly T[], n: number, order: (a: T, b: T) => number): T[] {
  const first: T[] = [];
  for (const item of items) {
    if (first.length === n && order(item, first[n - 1]!) >= 0) continue;
    let at = first.length;
    while (at > 0 && order(item, first[at - 1]!) < 0) at--;
    first.splice(at, 0, item);
    if (first.length > n) first.pop();
  }
  return first;
}

/** Length of the home page's lists and of the Atom feed. */
export const HOME_LIST_SIZE = 20;

export function buildSiteModel(articles: Article[], config: SiteConfig): { site: SiteModel; problems: Problem[] } {
  const { redirects, problems } = collectRedirects(articles);
  for (const a of articles) if (a.fileData) assignRowAnchors(a.fileData.tables);
  const byProduct = groupArticles(articles, (a) => new Set(a.products));
  const products = productEntries([...byProduct].map(([name, list]) => [name, list.length]));
  const site: SiteModel = {
    config,
    articles,
    byId: new Map(articles.map((a) => [a.id, a])),
    redirects,
    products,
    recent: firstInOrder(articles, HOME_LIST_SIZE, byRecency),
    newest: firstInOrder(articles.filter((a) => a.published), HOME_LIST_SIZE, byPublished),
    links: linkArticles(articles),
    withFileData: articles.filter((a) => a.fileData && a.fileData.tables.length > 0),
    stopCodes: collectStopCodes(articles),
    productPages: [],
    files: collectFiles(articles),
  };
  site.productPages = paginateProducts(products, byProduct);
  redirects.push(...stopCodeRedirects(site.stopCodes));
  return { site, problems };
}

export function stopCodePath(code: string): string {
  return `/stop/${code}/`;
}

export function collectStopCodes(articles: Article[]): StopCodeEntry[] {
  return [...groupArticles(articles, (a) => a.stopCodes)]
    .map(([code, list]) => ({ code, name: stopCodeName(code), articles: list.sort(byRecency) }))
    .sort((a, b) => byMostReferenced(a.code, a.articles.length, b.code, b.articles.length));
}

/** The order of stop codes (most articles first, then by code), given each code and its count of articles. */
export function byMostReferenced(codeA: string, countA: number, codeB: string, countB: number): number {
  return countB - countA || codeA.localeCompare(codeB);
}

/**
 * `/stop/0x24/`, `/stop/24/`, `/stop/0x0000007b/` … → the canonical landing page. Spellings that
 * differ only in letter case are emitted once: on a case-insensitive host they are one file.
 */
export function stopCodeRedirects(entries: StopCodeEntry[]): Redirect[] {
  const redirects: Redirect[] = [];
  for (const { code } of entries) {
    const seen = new Set([code.toLowerCase()]);
    for (const spelling of stopCodeShortSpellings(code)) {
      if (seen.has(spelling.toLowerCase())) continue;
      seen.add(spelling.toLowerCase());
      redirects.push({ from: stopCodePath(spelling), to: stopCodePath(code) });
    }
  }
  return redirects;
}

export const PRODUCT_PAGE_SIZE = 100;

/** Each product's articles as last sorted: a product whose articles are the same objects as in the
 *  previous model (watch mode: most products, after most edits) keeps its sorted list. */
const lastSorted = new InputsMemo<string, Article[]>(new Map());

function sortedOnce(product: string, members: Article[]): Article[] {
  return lastSorted.get(product, members, () => [...members].sort(byRecency));
}

export function productPath(slug: string, page = 1): string {
  return page === 1 ? `/products/${slug}/` : `/products/${slug}/page/${page}/`;
}

/**
 * Every product with its article count, most articles first. Two names can share a slug ("Windows
 * 10", "windows-10") or have none ("???"): each product still gets its own page, numbered in name
 * order so the slugs do not move when counts change.
 */
export function productEntries(counts: Iterable<[name: string, count: number]>): ProductEntry[] {
  const products = [...counts].map(([name, count]) => ({ name, slug: '', count })).sort((a, b) => b.count - a.count || a.name.localeCompare(b.name));
  const usedSlugs = new Set<string>();
  for (const p of [...products].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) p.slug = uniqueId(slugify(p.name) || 'product', usedSlugs);
  return products;
}

/** Product listings, newest first, cut into pages so a product with 20,000 articles stays browsable. */
export function paginateProducts(products: ProductEntry[], byProduct: Map<string, Article[]>): ProductPage[] {
  return products.flatMap((product) => productPagesOf(product, sortedOnce(product.name, byProduct.get(product.name) ?? [])));
}

/** The pages of one product's list, its articles sorted `byRecency`. */
export function productPagesOf(product: ProductEntry, sorted: Article[]): ProductPage[] {
  const pages: ProductPage[] = [];
  const pageCount = Math.max(1, Math.ceil(sorted.length / PRODUCT_PAGE_SIZE));
  for (let page = 1; page <= pageCount; page++) {
    pages.push({ product, page, pageCount, articles: sorted.slice((page - 1) * PRODUCT_PAGE_SIZE, page * PRODUCT_PAGE_SIZE), path: productPath(product.slug, page) });
  }
  return pages;
}

/** File names as URL segments: `Ntfs.sys` → `ntfs.sys`. */
export function fileSlug(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^[-.]+|-+$/g, '') || 'file';
}

export function filePath(name: string): string {
  return `/files/${fileSlug(name)}/`;
}

/** Each article's file versions, kept per Article object (src/memo.ts), so that in watch mode the
 *  entries of unchanged articles are the same objects and their file pages keep their fingerprints. */
const fileVersions = new ObjectMemo<Article, Array<{ name: string; slug: string; entry: FileVersionEntry }>>();

export function collectFiles(articles: Article[]): FileEntry[] {
  const bySlug = new Map<string, FileEntry>();
  for (const article of articles) {
    for (const { name, slug, entry: version } of articleFileVersions(article)) {
      let entry = bySlug.get(slug);
      if (!entry) bySlug.set(slug, (entry = { name, slug, versions: [] }));
      entry.versions.push(version);
    }
  }
  const files = [...bySlug.values()].sort((a, b) => a.slug.localeCompare(b.slug));
  for (const f of files) f.versions.sort(byFileVersion);
  return files;
}

/** A file page's order: highest version first (rows without one last), then by platform and KB number. */
export function byFileVersion(a: Pick<FileVersionEntry, 'version' | 'platform' | 'article'>, b: Pick<FileVersionEntry, 'version' | 'platform' | 'article'>): number {
  return (b.version && a.version ? compareVersions(b.version, a.version) : a.version ? -1 : b.version ? 1 : 0) || (a.platform ?? '').localeCompare(b.platform ?? '') || a.article.id - b.article.id;
}

/** An article's file versions, by file: what collectFiles lists of it (every table's rows, manifests included). */
export function articleFileVersions(article: Article): Array<{ name: string; slug: string; entry: FileVersionEntry }> {
  if (!article.fileData) return [];
  return fileVersions.get(article, '', () =>
    article.fileData!.tables.flatMap((table) =>
      table.rows.map((row) => ({
        name: row.name,
        slug: fileSlug(row.name),
        entry: { version: row.version, platform: row.platform ?? table.platform, size: row.size, date: row.date, article, tableId: table.id, anchor: row.anchor ?? table.id, caption: table.caption, name: row.name },
      })),
    ),
  );
}
