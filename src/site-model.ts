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

/** Why a declared alias cannot be a redirect, or null when it can. `ids` are the site's KB numbers. */
export function aliasPathProblem(alias: string, ids: ReadonlySet<number>): string | null {
  const from = aliasPath(alias);
  if (!ALIAS_PATH.test(from) || from.split('/').some((part) => part === '.' || part === '..')) {
    return `alias ${JSON.stringify(alias.trim())} is not a usable path; write a site path like /old/path/ using letters, digits and . _ ~ % + - (no spaces, ?, # or .. segments)`;
  }
  const key = outputKey(from);
  if (RESERVED_PATHS.includes(key)) return `alias ${from} would replace the site's own ${from}; choose another path`;
  const folder = key.split('/')[1]!;
  if (RESERVED_FOLDERS.includes(folder)) {
    return `alias ${from} is inside the site's own /${folder}/ pages; choose a path outside ${RESERVED_FOLDERS.map((f) => `/${f}/`).join(', ')}`;
  }
  const download = /^\/kb\/(\d+)(?:\.json|\/files\.(?:json|csv))$/.exec(key);
  if (download && ids.has(Number(download[1]))) return `alias ${from} is already a download of KB ${Number(download[1])}; choose another path`;
  return null;
}

/** Redirects for every article (Q/KB forms plus declared aliases); conflicts are problems naming both files. */
export function collectRedirects(articles: Article[]): { redirects: Redirect[]; problems: Problem[] } {
  // Canonical pages first, then every article's automatic Q/KB links, then declared aliases: so
  // an alias can never take a page or a short link, whatever the order of the articles.
  const claimed = new Map<string, { article: Article; kind: 'page' | 'short link' | 'alias' }>();
  const problems: Problem[] = [];
  const redirects: Redirect[] = [];
  const ids = new Set(articles.map((a) => a.id));
  for (const a of articles) if (!claimed.has(outputKey(canonicalPath(a.id)))) claimed.set(outputKey(canonicalPath(a.id)), { article: a, kind: 'page' });
  for (const a of articles) {
    for (const from of [`/kb/Q${a.id}/`, `/kb/KB${a.id}/`]) {
      if (claimed.has(outputKey(from))) continue; // a duplicate KB number, reported by the loader
      claimed.set(outputKey(from), { article: a, kind: 'short link' });
      redirects.push({ from, to: canonicalPath(a.id) });
    }
  }
  for (const a of articles) {
    const problem = (message: string): Problem => ({ file: a.sourcePath, ...(a.fieldLines?.aliases ? { line: a.fieldLines.aliases } : {}), field: 'aliases', message });
    for (const alias of a.aliases) {
      const from = aliasPath(alias);
      const unusable = aliasPathProblem(alias, ids);
      if (unusable) {
        problems.push(problem(unusable));
        continue;
      }
      const owner = claimed.get(outputKey(from));
      if (owner?.article === a) continue;
      if (owner) {
        const what = owner.kind === 'page' ? `the page of KB ${owner.article.id}` : owner.kind === 'short link' ? `the short link of KB ${owner.article.id}` : `an alias of KB ${owner.article.id}`;
        problems.push(problem(`alias ${from} is already ${what} (${owner.article.sourcePath}); remove it from one of them`));
        continue;
      }
      claimed.set(outputKey(from), { article: a, kind: 'alias' });
      redirects.push({ from, to: canonicalPath(a.id) });
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

/** Newest first by updated (else published) date, then by KB number. */
export function byRecency(a: Article, b: Article): number {
  return (b.updated ?? b.published ?? '').localeCompare(a.updated ?? a.published ?? '') || b.id - a.id;
}

/** Length of the home page's lists and of the Atom feed. */
export const HOME_LIST_SIZE = 20;

export function buildSiteModel(articles: Article[], config: SiteConfig): { site: SiteModel; problems: Problem[] } {
  const { redirects, problems } = collectRedirects(articles);
  for (const a of articles) if (a.fileData) assignRowAnchors(a.fileData.tables);
  const byProduct = groupArticles(articles, (a) => new Set(a.products));
  const products = [...byProduct].map(([name, list]) => ({ name, slug: '', count: list.length })).sort((a, b) => b.count - a.count || a.name.localeCompare(b.name));
  // Two names can share a slug ("Windows 10", "windows-10") or have none ("???"): each product
  // still gets its own page, numbered in name order so the slugs do not move when counts change.
  const usedSlugs = new Set<string>();
  for (const p of [...products].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) p.slug = uniqueId(slugify(p.name) || 'product', usedSlugs);
  const site: SiteModel = {
    config,
    articles,
    byId: new Map(articles.map((a) => [a.id, a])),
    redirects,
    products,
    recent: [...articles].sort(byRecency).slice(0, HOME_LIST_SIZE),
    newest: articles.filter((a) => a.published).sort((a, b) => b.published!.localeCompare(a.published!) || b.id - a.id).slice(0, HOME_LIST_SIZE),
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
    .sort((a, b) => b.articles.length - a.articles.length || a.code.localeCompare(b.code));
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

export function productPath(slug: string, page = 1): string {
  return page === 1 ? `/products/${slug}/` : `/products/${slug}/page/${page}/`;
}

/** Product listings, newest first, cut into pages so a product with 20,000 articles stays browsable. */
export function paginateProducts(products: ProductEntry[], byProduct: Map<string, Article[]>): ProductPage[] {
  const pages: ProductPage[] = [];
  for (const product of products) {
    const list = (byProduct.get(product.name) ?? []).sort(byRecency);
    const pageCount = Math.max(1, Math.ceil(list.length / PRODUCT_PAGE_SIZE));
    for (let page = 1; page <= pageCount; page++) {
      pages.push({ product, page, pageCount, articles: list.slice((page - 1) * PRODUCT_PAGE_SIZE, page * PRODUCT_PAGE_SIZE), path: productPath(product.slug, page) });
    }
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

export function collectFiles(articles: Article[]): FileEntry[] {
  const bySlug = new Map<string, FileEntry>();
  for (const article of articles) {
    for (const table of article.fileData?.tables ?? []) {
      for (const row of table.rows) {
        const slug = fileSlug(row.name);
        let entry = bySlug.get(slug);
        if (!entry) bySlug.set(slug, (entry = { name: row.name, slug, versions: [] }));
        entry.versions.push({ version: row.version, platform: row.platform ?? table.platform, size: row.size, date: row.date, article, tableId: table.id, anchor: row.anchor ?? table.id, caption: table.caption });
      }
    }
  }
  const files = [...bySlug.values()].sort((a, b) => a.slug.localeCompare(b.slug));
  for (const f of files) {
    f.versions.sort((a, b) => (b.version && a.version ? compareVersions(b.version, a.version) : a.version ? -1 : b.version ? 1 : 0) || (a.platform ?? '').localeCompare(b.platform ?? '') || a.article.id - b.article.id);
  }
  return files;
}
