/**
 * Where articles are listed, kept between builds beside the page contexts (page-contexts.ts): which
 * articles each product, stop-code and file page lists, and each listed article's line (number,
 * title, dates, type, products); the home page's lists; every article's dates; which article
 * pages name an article in their related or backlink lists; and what every article's related list
 * is worked out from (src/related.ts `RelatedLine`). After an edit of what lists show of articles
 * (title, summary, dates, type, products, stop codes, files), a quick rebuild (quick-rebuild.ts) orders
 * those lists again, moves an article between products and stop codes, and renders the pages that
 * show the articles from them, without reading and modelling the whole site. The listing pages are the
 * objects a full build would render, with article stand-ins that carry exactly what those layouts
 * and fingerprints read (fingerprints.ts `listed`, layouts/product.njk, stop-code.njk, file.njk,
 * listing.njk, machine-readable.ts `atomFeed`).
 *
 * It lives in `<output>.cache/listing-pages.v8` and names the set of page contexts it belongs to: one
 * written by another build is not used. At 60,000 articles it is 20 MB, 6 MB of which are the related lines.
 */
import { readFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { deserialize, serialize } from 'node:v8';
import type { Article, ArticleType } from '../article/model.ts';
import { replaceFile } from '../replace-file.ts';
import { articleFileVersions, byFileVersion, byMostReferenced, byPublished, byRecency, filePath, firstInOrder, HOME_LIST_SIZE, PRODUCT_PAGE_SIZE, productEntries, productPagesOf, type FileEntry, type FileVersionEntry, type ProductEntry, type ProductPage, type SiteModel, type StopCodeEntry } from '../site-model.ts';
import { relatedLineOf, relatedStandIn, type RelatedLine } from '../related.ts';
import { parsePageContext } from './fingerprints.ts';
import { stopCodeName } from '../stop-codes.ts';

/** An article as listing pages show it: the fields of `listed` in fingerprints.ts. */
type ListedLine = [id: number, title: string, updated: string | null, published: string | null, type: ArticleType, products: string[]];
/** A line of the home page's recent articles, which the feed shows too. */
type RecentLine = [...ListedLine, summary: string];
/** A file page's row: what file.njk and filePageFingerprint read of a version and its article. */
type FileRow = [version: string | null, platform: string | null, size: number | null, date: string | null, anchor: string, id: number, title: string, name: string];

/**
 * A list: the KB numbers it lists, and what it shows of them as JSON. One string per list, not
 * objects per article: reading 60,000 articles' lines back as objects took 0.25 s, and an edit
 * needs the lines of a few lists.
 */
interface Listed {
  ids: Int32Array;
  json: string;
}

export interface ListingContexts {
  productPages: Array<{ product: ProductEntry; page: number; pageCount: number; path: string } & Listed>;
  stopCodes: Array<{ code: string; name: string | null } & Listed>;
  files: Array<{ name: string; slug: string } & Listed>;
  /** What the home page and the feed show: the most recently updated articles (with their summaries,
   *  for the feed), the newest ones, every product; and the stop codes, from `stopCodes`. */
  home: { recent: Listed; newest: Listed; products: ProductEntry[] };
  /** Pairs (article, article page showing its title in its related or backlink list), flat: which
   *  page contexts (page-contexts.ts) an edit of a title or a date changes, without reading all 38 MB. */
  shownOn: Int32Array;
  /** Every article's `[updated, published]`: backlink lists are ordered by them (src/related.ts). */
  dates: Listed;
  /** Every article's related line (src/related.ts), as JSON, in the site's order: one string each,
   *  so that an edit replaces a few and reading them back parses none until products, stop codes
   *  or chosen articles change. */
  related: string[];
}

const fileRowOf = (v: FileVersionEntry): FileRow => [v.version, v.platform, v.size, v.date, v.anchor, v.article.id, v.article.title, v.name];
const fileVersionOf = ([version, platform, size, date, anchor, id, title, name]: FileRow): FileVersionEntry => ({ version, platform, size, date, anchor, article: { id, title } as Article, tableId: '', caption: '', name });
const lineOf = (a: Article): ListedLine => [a.id, a.title, a.updated, a.published, a.type, a.products];
const recentLineOf = (a: Article): RecentLine => [...lineOf(a), a.summary];
const listedOf = <T extends unknown[]>(articles: Article[], line: (a: Article) => T): Listed => ({ ids: Int32Array.from(articles, (a) => a.id), json: JSON.stringify(articles.map(line)) });
const standIn = ([id, title, updated, published, type, products, summary]: ListedLine | RecentLine) => ({ id, title, updated, published, type, products, ...(summary === undefined ? {} : { summary }) }) as Article;

/** The listing contexts of a modelled site. */
export function listingContextsOf(site: SiteModel): ListingContexts {
  return {
    productPages: site.productPages.map(({ product, page, pageCount, path, articles }) => ({ product, page, pageCount, path, ...listedOf(articles, lineOf) })),
    stopCodes: site.stopCodes.map(({ code, name, articles }) => ({ code, name, ...listedOf(articles, lineOf) })),
    files: site.files.map(({ name, slug, versions }) => ({
      name,
      slug,
      ids: Int32Array.from(versions, (v) => v.article.id),
      json: JSON.stringify(versions.map(fileRowOf)),
    })),
    home: { recent: listedOf(site.recent, recentLineOf), newest: listedOf(site.newest, lineOf), products: site.products },
    shownOn: titlesShownOn(site),
    dates: listedOf(site.articles, (a) => [a.updated, a.published]),
    related: site.articles.map((a) => JSON.stringify(relatedLineOf(a))),
  };
}

/**
 * A copy of `listings` that relistListings and reshow may change in place while `listings` stays as
 * it is (a watching process holds it, and a quick rebuild may still decline or fail after relisting).
 * They change only fields of `listings`, of `listings.home`, of the objects in its lists and the
 * elements of `related`, and replace the strings, typed arrays and product entries they hold rather
 * than changing them: those are shared. At 60,000 articles a structuredClone took 0.1–0.2 s and made
 * 18 MB of garbage per title save, which V8 then had to mark during a later save.
 */
export function copyListingContexts(listings: ListingContexts): ListingContexts {
  const { productPages, stopCodes, files, home, shownOn, dates, related } = listings;
  return {
    productPages: productPages.map((page) => ({ ...page })),
    stopCodes: stopCodes.map((stop) => ({ ...stop })),
    files: files.map((file) => ({ ...file })),
    home: { recent: { ...home.recent }, newest: { ...home.newest }, products: [...home.products] },
    shownOn,
    dates: { ...dates },
    related: [...related],
  };
}

/** The KB number of a kept related line (`[1000,"title",…`), without parsing the rest. */
function relatedLineId(line: string): number {
  return Number(line.slice(1, line.indexOf(',')));
}

/** Every article as its kept related line describes it (src/related.ts `relatedStandIn`), in the site's order. */
export function relatedStandIns(listings: ListingContexts): Article[] {
  // One parse of them all: 78 ms at 60,000 articles, where a parse per line took 114 ms (profiles of two runs).
  return (JSON.parse(`[${listings.related.join(',')}]`) as RelatedLine[]).map(relatedStandIn);
}

/**
 * Record in `listings` that these article pages now have these contexts: which articles their
 * related and backlink lists show (`shownOn`), as `listingContextsOf` would have it.
 */
export function reshow(listings: ListingContexts, contexts: ReadonlyMap<number, string>): void {
  const added: number[] = [];
  for (const [page, context] of contexts) {
    const [related, backlinks] = parsePageContext(context);
    for (const [id] of related) added.push(id, page);
    for (const [id] of backlinks) added.push(id, page);
  }
  // Copied pair by pair into a typed array: 400,000 pairs at 60,000 articles.
  const old = listings.shownOn;
  const pairs = new Int32Array(old.length + added.length);
  let at = 0;
  for (let i = 0; i < old.length; i += 2) {
    if (contexts.has(old[i + 1]!)) continue;
    pairs[at++] = old[i]!;
    pairs[at++] = old[i + 1]!;
  }
  pairs.set(added, at);
  listings.shownOn = pairs.slice(0, at + added.length);
}

function titlesShownOn(site: SiteModel): Int32Array {
  const pairs: number[] = [];
  for (const [page, related] of site.links.related) for (const r of related) pairs.push(r.article.id, page);
  for (const [page, backlinks] of site.links.backlinks) for (const b of backlinks) pairs.push(b.id, page);
  return Int32Array.from(pairs);
}

/** The article pages that show any of these articles (in related or backlink lists). */
export function pagesShowing(listings: ListingContexts, ids: ReadonlySet<number>): number[] {
  const pages = new Set<number>();
  const pairs = listings.shownOn;
  for (let i = 0; i < pairs.length; i += 2) if (ids.has(pairs[i]!)) pages.add(pairs[i + 1]!);
  return [...pages];
}

/** Every article's dates as the last build had them (KB number → stand-in with `updated` and `published`). */
export function datesOf(listings: ListingContexts): Map<number, Article> {
  const dates = JSON.parse(listings.dates.json) as Array<[updated: string | null, published: string | null]>;
  return new Map(Array.from(listings.dates.ids, (id, i) => [id, { id, updated: dates[i]![0], published: dates[i]![1] } as Article]));
}

/**
 * The lists that show the articles an edit changed in what lists show of them (their title, dates
 * and products), as the site model has them after the edit; the home page's lists when it shows
 * one of them before or after, or the products changed (null when not). Product and stop-code lists are all the pages of a list
 * that shows one: a new date can move an article to another page; every page of a product that
 * gained or lost an article, since they show its count.
 */
export interface RelistedListings {
  productPages: ProductPage[];
  /** The paths of product pages there are no more (a product lost its last article, or a page). */
  removedProductPages: string[];
  /** Whether the list of products changed (counts, order, new or gone): the home and products pages show it. */
  productsChanged: boolean;
  stopCodes: StopCodeEntry[];
  /** The stop codes before and after, most-referenced first, when an article gained or lost one
   *  (a code's count, a new code, a code gone): the home page, the stop-code index, the sitemap,
   *  `_redirects`, `api/stop-codes.json` and the codes' redirect stubs show them; null when not. */
  stopCodesMoved: { before: StopCodeEntry[]; after: StopCodeEntry[] } | null;
  files: FileEntry[];
  /** The paths of file pages there are no more (no article lists the file). */
  removedFilePages: string[];
  /** Every file with its count of versions (the file index shows them), when an article's file versions changed; null when not. */
  allFiles: FileEntry[] | null;
  home: HomeLists | null;
  /** Why the kept lists cannot tell what the home page lists now (null when they can). */
  unknown: string | null;
  /** Every article's dates after the edit (stand-ins with `updated` and `published`), when some
   *  changed: the order of backlink lists (relistedPageContext); null when none did. */
  dates: Map<number, Article> | null;
}

/** What the home page and the feed show, as in the site model (layouts/listing.njk, atomFeed). */
export type HomeLists = Pick<SiteModel, 'recent' | 'newest' | 'products' | 'stopCodes'>;

/** The home page's lists as kept (listing.njk shows the first 10 stop codes and how many articles
 *  each has; the stop-code index, every one), the stop codes' articles as numbers only. */
export function homeListsOf(listings: ListingContexts): HomeLists {
  const { recent, newest, products } = listings.home;
  return {
    recent: (JSON.parse(recent.json) as RecentLine[]).map(standIn),
    newest: (JSON.parse(newest.json) as ListedLine[]).map(standIn),
    products,
    stopCodes: stopCodeEntriesOf(listings),
  };
}

function stopCodeEntriesOf(listings: ListingContexts): StopCodeEntry[] {
  return listings.stopCodes.map(({ code, name, ids }) => ({ code, name, articles: Array.from(ids, (id) => ({ id }) as Article) }));
}

/** No listing page to render again: nothing was relisted, or (`unknown`) the kept lists cannot tell what one shows now. */
export function nothingRelisted(unknown: string | null = null): RelistedListings {
  return { productPages: [], removedProductPages: [], productsChanged: false, stopCodes: [], stopCodesMoved: null, files: [], removedFilePages: [], allFiles: null, home: null, unknown, dates: null };
}

/** What relistListings says when the kept lists cannot tell what a listing page shows now. */
const UNKNOWN_DATE = "an article's new date moves it past the last article the home page lists, and the last build kept none after it";
const UNKNOWN_SLUG = "a product's address would change (another product's name has the same slug)";
const UNKNOWN_FILE_NAME = "a file whose versions changed is spelled in more than one way by the article that comes first, and its page shows that article's first spelling";

/**
 * Give the `changed` articles (KB number → the article as it is now) their new titles, dates and
 * products in `listings`, in place, and return the lists that show them as the site model would
 * have them; `redated` are those whose dates changed. The lists' other articles are stand-ins made
 * from their lines, and are ordered as src/site-model.ts orders them (`byRecency`, `byPublished`).
 */
export function relistListings(listings: ListingContexts, changed: ReadonlyMap<number, Article>, redated: ReadonlySet<number>): RelistedListings {
  const shows = (list: Listed) => list.ids.some((id) => changed.has(id));
  /** A list's articles as stand-ins, the changed ones as they are now. */
  const articlesOf = (list: Listed): Article[] => (JSON.parse(list.json) as ListedLine[]).map((line) => standIn(changed.has(line[0]) ? lineOf(changed.get(line[0])!) : line));
  const keep = (list: Listed, articles: Article[], line: (a: Article) => unknown[] = lineOf) => Object.assign(list, listedOf(articles, line));
  // Only a new date can change a list's order; a new title changes only the pages that show it.
  const reorders = (list: Listed) => list.ids.some((id) => redated.has(id));

  // The products and stop codes the changed articles had, from their related lines, which take what they have now.
  const productsBefore = new Map<number, string[]>();
  const stopCodesBefore = new Map<number, string[]>();
  for (let i = 0; i < listings.related.length; i++) {
    const id = relatedLineId(listings.related[i]!);
    const a = changed.get(id);
    if (!a) continue;
    const [, , , stopCodes, , products] = JSON.parse(listings.related[i]!) as RelatedLine;
    if (JSON.stringify(products) !== JSON.stringify(a.products)) productsBefore.set(id, products);
    if (JSON.stringify(stopCodes) !== JSON.stringify(a.stopCodes)) stopCodesBefore.set(id, stopCodes);
    listings.related[i] = JSON.stringify(relatedLineOf(a));
  }
  const regrouped = regroupProducts(listings, changed, productsBefore, articlesOf);
  if (regrouped === null) return nothingRelisted(UNKNOWN_SLUG);
  const restopped = regroupStopCodes(listings, changed, stopCodesBefore, articlesOf);

  // A product's pages together: a new date can move an article to another of its pages.
  const productPages: ProductPage[] = [...regrouped.pages];
  for (let first = 0; first < listings.productPages.length; ) {
    let end = first + 1;
    while (end < listings.productPages.length && listings.productPages[end]!.product.name === listings.productPages[first]!.product.name) end++;
    const pages = listings.productPages.slice(first, end);
    first = end;
    if (regrouped.products.has(pages[0]!.product.name) || !pages.some(shows)) continue;
    const sorted = pages.some(reorders) ? pages.flatMap(articlesOf).sort(byRecency) : null;
    for (const [i, page] of pages.entries()) {
      if (!sorted && !shows(page)) continue;
      const articles = sorted ? sorted.slice(i * PRODUCT_PAGE_SIZE, (i + 1) * PRODUCT_PAGE_SIZE) : articlesOf(page);
      keep(page, articles);
      productPages.push({ product: page.product, page: page.page, pageCount: page.pageCount, path: page.path, articles });
    }
  }
  const stopCodes = [...restopped.pages];
  for (const stop of listings.stopCodes) {
    if (restopped.codes.has(stop.code) || !shows(stop)) continue;
    const articles = reorders(stop) ? articlesOf(stop).sort(byRecency) : articlesOf(stop);
    keep(stop, articles);
    stopCodes.push({ code: stop.code, name: stop.name, articles });
  }
  // File pages show the title only, and order versions by version, platform and KB number.
  const refiled = refileFiles(listings, changed);
  if (refiled === null) return nothingRelisted(UNKNOWN_FILE_NAME);
  const files = [...refiled.pages];
  for (const file of listings.files) {
    if (refiled.slugs.has(file.slug) || !shows(file)) continue;
    const rows = (JSON.parse(file.json) as FileRow[]).map(([version, platform, size, date, anchor, id, title, name]): FileRow => [version, platform, size, date, anchor, id, changed.get(id)?.title ?? title, name]);
    file.json = JSON.stringify(rows);
    files.push({ name: file.name, slug: file.slug, versions: rows.map(fileVersionOf) });
  }

  const { recent, newest } = listings.home;
  const recentNow = homeList(recent, changed, byRecency, () => true, recentLineOf);
  const newestNow = homeList(newest, changed, byPublished, (a) => a.published !== null, lineOf);
  const unknown = recentNow === null || newestNow === null ? UNKNOWN_DATE : null;
  const productsChanged = regrouped.products.size > 0;
  const stopCodesMoved = restopped.codes.size ? { before: restopped.before, after: stopCodeEntriesOf(listings) } : null;
  let home: HomeLists | null = null;
  if (!unknown && (recentNow!.changed || newestNow!.changed || productsChanged || stopCodesMoved)) {
    keep(recent, recentNow!.articles, recentLineOf);
    keep(newest, newestNow!.articles);
    home = homeListsOf(listings);
  }

  let dates: Map<number, Article> | null = null;
  if (redated.size) {
    dates = datesOf(listings);
    for (const id of redated) dates.set(id, changed.get(id)!);
    keep(listings.dates, [...dates.values()], (a) => [a.updated, a.published]);
  }
  const allFiles = refiled.slugs.size ? listings.files.map(({ name, slug, ids }) => ({ name, slug, versions: Array.from(ids, (id) => ({ article: { id } }) as FileVersionEntry) })) : null;
  return { productPages, removedProductPages: regrouped.removed, productsChanged, stopCodes, stopCodesMoved, files, removedFilePages: refiled.removed, allFiles, home, unknown, dates };
}

/**
 * Give the file pages of `listings` the changed articles' file versions as they are now, in place:
 * the files whose versions of a changed article differ are listed again, ordered as the site model
 * orders them (`byFileVersion`), a file no article lists any more is gone, and a new one joins the
 * list in slug order. Returns those files' pages, their slugs and the paths of pages there are no
 * more; null when a file's name cannot be told (see `spellingOf`).
 */
function refileFiles(listings: ListingContexts, changed: ReadonlyMap<number, Article>): { pages: FileEntry[]; slugs: Set<string>; removed: string[] } | null {
  const comparable = (rows: FileRow[]) => JSON.stringify(rows.map(([version, platform, size, date, anchor, , , name]) => [version, platform, size, date, anchor, name]));
  // Each changed article's rows by file, as kept and as now.
  const keptRows = new Map<number, Map<string, FileRow[]>>();
  for (const file of listings.files) {
    if (!file.ids.some((id) => changed.has(id))) continue;
    for (const row of JSON.parse(file.json) as FileRow[]) {
      if (!changed.has(row[5])) continue;
      const bySlug = keptRows.get(row[5]) ?? keptRows.set(row[5], new Map()).get(row[5])!;
      bySlug.set(file.slug, [...(bySlug.get(file.slug) ?? []), row]);
    }
  }
  const rowsNow = new Map<number, Map<string, FileRow[]>>();
  for (const [id, a] of changed) {
    const bySlug = new Map<string, FileRow[]>();
    for (const { slug, entry } of articleFileVersions(a)) bySlug.set(slug, [...(bySlug.get(slug) ?? []), fileRowOf(entry)]);
    for (const rows of bySlug.values()) rows.sort((x, y) => byFileVersion(fileVersionOf(x), fileVersionOf(y)));
    rowsNow.set(id, bySlug);
  }
  const slugs = new Set<string>();
  for (const id of changed.keys()) {
    const [before, now] = [keptRows.get(id) ?? new Map<string, FileRow[]>(), rowsNow.get(id)!];
    for (const slug of new Set([...before.keys(), ...now.keys()])) if (comparable(before.get(slug) ?? []) !== comparable(now.get(slug) ?? [])) slugs.add(slug);
  }
  if (!slugs.size) return { pages: [], slugs, removed: [] };

  const kept = new Map(listings.files.map((file) => [file.slug, file]));
  /** KB number → place in the site's order, worked out when first needed. */
  let order: Map<number, number> | undefined;
  const pages: FileEntry[] = [];
  const removed: string[] = [];
  for (const slug of slugs) {
    const file = kept.get(slug);
    const others = file ? (JSON.parse(file.json) as FileRow[]).filter((row) => !changed.has(row[5])) : [];
    const rows = [...others, ...[...changed.keys()].flatMap((id) => rowsNow.get(id)!.get(slug) ?? [])].map(fileVersionOf).sort(byFileVersion);
    if (!rows.length) {
      removed.push(filePath(file!.name));
      kept.delete(slug);
      continue;
    }
    const name = spellingOf(slug, rows);
    if (name === null) return null;
    kept.set(slug, { name, slug, ids: Int32Array.from(rows, (v) => v.article.id), json: JSON.stringify(rows.map(fileRowOf)) });
    pages.push({ name, slug, versions: rows });
  }
  listings.files = [...kept.values()].sort((a, b) => a.slug.localeCompare(b.slug));
  return { pages, slugs, removed };

  /**
   * The name a file's page shows: as the first article in the site's order spells it in its first
   * row of the file (src/site-model.ts `collectFiles`). Articles spell names differently
   * (`MSGSRV32.EXE`, `Msgsrv32.exe`); the site's order is that of the related lines. Null when
   * that article is not a changed one and spells the file in more than one way: the kept rows are
   * in version order, not in the order of its tables.
   */
  function spellingOf(slug: string, rows: FileVersionEntry[]): string | null {
    const names = new Set(rows.map((v) => v.name));
    if (names.size === 1) return rows[0]!.name;
    order ??= new Map(listings.related.map((line, i) => [relatedLineId(line), i]));
    const first = rows.reduce((a, b) => (order!.get(b.article.id)! < order!.get(a.article.id)! ? b : a)).article.id;
    const edited = changed.get(first);
    if (edited) return articleFileVersions(edited).find((r) => r.slug === slug)!.name;
    const spellings = new Set(rows.filter((v) => v.article.id === first).map((v) => v.name));
    return spellings.size === 1 ? [...spellings][0]! : null;
  }
}

/**
 * The articles of the group `key` (a product, a stop code) after the changed articles whose keys
 * changed (`keysBefore`: KB number → its keys as the last build had them) left or joined it, newest
 * first: the group's kept articles (`kept`, the changed ones as they are now) but those that left,
 * and those that joined.
 */
function membersNow(key: string, kept: Article[], changed: ReadonlyMap<number, Article>, keysBefore: ReadonlyMap<number, string[]>, keysOf: (a: Article) => readonly string[]): Article[] {
  const stays = (a: Article) => !keysBefore.has(a.id) || keysOf(changed.get(a.id)!).includes(key);
  const joined = [...keysBefore].filter(([id, before]) => !before.includes(key) && keysOf(changed.get(id)!).includes(key)).map(([id]) => standIn(lineOf(changed.get(id)!)));
  return [...kept.filter(stays), ...joined].sort(byRecency);
}

/**
 * Move the articles whose stop codes changed (`stopCodesBefore`: KB number → its codes as the last
 * build had them) between the stop-code lists of `listings`, in place, as regroupProducts does for
 * products: the codes they left or joined are listed again, newest first, the codes are ordered as
 * the site model orders them (most articles first, then by code), and a code without articles is
 * gone. Returns the pages of those codes, the codes, and every code before (numbers only).
 */
function regroupStopCodes(
  listings: ListingContexts,
  changed: ReadonlyMap<number, Article>,
  stopCodesBefore: ReadonlyMap<number, string[]>,
  articlesOf: (list: Listed) => Article[],
): { pages: StopCodeEntry[]; codes: Set<string>; before: StopCodeEntry[] } {
  const codes = new Set<string>();
  for (const [id, before] of stopCodesBefore) for (const code of [...before, ...changed.get(id)!.stopCodes]) codes.add(code);
  const before = codes.size ? stopCodeEntriesOf(listings) : [];
  const pages: StopCodeEntry[] = [];
  if (!codes.size) return { pages, codes, before };

  const kept = new Map(listings.stopCodes.map((stop) => [stop.code, stop]));
  for (const code of codes) {
    const list = kept.get(code);
    const articles = membersNow(code, list ? articlesOf(list) : [], changed, stopCodesBefore, (a) => a.stopCodes);
    if (!articles.length) {
      kept.delete(code);
      continue;
    }
    const name = stopCodeName(code);
    kept.set(code, { code, name, ...listedOf(articles, lineOf) });
    pages.push({ code, name, articles });
  }
  listings.stopCodes = [...kept.values()].sort((a, b) => byMostReferenced(a.code, a.ids.length, b.code, b.ids.length));
  return { pages, codes, before };
}

/**
 * Move the articles whose products changed (`productsBefore`: KB number → its products as the last
 * build had them) between the product lists of `listings`, in place: the products they left or
 * joined are listed again whole, the products' counts, order and slugs are those of the site
 * model, and a product without articles is gone. Returns the pages of those products, the paths
 * of pages there are no more, and the products' names; null when a product's slug would change
 * (slugs are numbered in name order among names that share one: the usual rebuild renders every
 * page that links to it).
 */
function regroupProducts(
  listings: ListingContexts,
  changed: ReadonlyMap<number, Article>,
  productsBefore: ReadonlyMap<number, string[]>,
  articlesOf: (list: Listed) => Article[],
): { pages: ProductPage[]; removed: string[]; products: Set<string> } | null {
  const products = new Set<string>();
  for (const [id, before] of productsBefore) for (const name of [...before, ...changed.get(id)!.products]) products.add(name);
  if (!products.size) return { pages: [], removed: [], products };

  const pagesOf = new Map<string, ListingContexts['productPages']>();
  for (const page of listings.productPages) {
    const pages = pagesOf.get(page.product.name);
    if (pages) pages.push(page);
    else pagesOf.set(page.product.name, [page]);
  }
  const members = new Map<string, Article[]>();
  for (const name of products) {
    members.set(name, membersNow(name, (pagesOf.get(name) ?? []).flatMap(articlesOf), changed, productsBefore, (a) => a.products));
  }

  const counts = new Map(listings.home.products.map((p) => [p.name, p.count]));
  for (const [name, list] of members) {
    if (list.length) counts.set(name, list.length);
    else counts.delete(name);
  }
  const entries = productEntries(counts);
  const slugBefore = new Map(listings.home.products.map((p) => [p.name, p.slug]));
  if (entries.some((p) => slugBefore.has(p.name) && slugBefore.get(p.name) !== p.slug)) return null;

  const pages: ProductPage[] = [];
  const kept: ListingContexts['productPages'] = [];
  for (const product of entries) {
    const list = members.get(product.name);
    if (list) {
      const listed = productPagesOf(product, list);
      pages.push(...listed);
      kept.push(...listed.map(({ articles, ...page }) => ({ ...page, ...listedOf(articles, lineOf) })));
    } else for (const page of pagesOf.get(product.name)!) kept.push(Object.assign(page, { product }));
  }
  const paths = new Set(kept.map((p) => p.path));
  const removed = listings.productPages.map((p) => p.path).filter((p) => !paths.has(p));
  listings.productPages = kept;
  listings.home.products = entries;
  return { pages, removed, products };
}

/**
 * A home page list after the edit: the first HOME_LIST_SIZE of its kept articles and the changed
 * ones, in `order`; null when an article the list did not keep could be among them (a changed
 * article left the full list). `changed` says whether the list shows anything other than it did.
 */
function homeList(list: Listed, changed: ReadonlyMap<number, Article>, order: (a: Article, b: Article) => number, listed: (a: Article) => boolean, line: (a: Article) => unknown[]): { articles: Article[]; changed: boolean } | null {
  const before = (JSON.parse(list.json) as RecentLine[]).map(standIn);
  const kept = before.filter((a) => !changed.has(a.id));
  const after = firstInOrder([...kept, ...[...changed.values()].filter(listed)], HOME_LIST_SIZE, order);
  // Every article the list did not keep comes after its last one (as that one was then).
  const last = before.at(-1);
  if (last && before.length === HOME_LIST_SIZE && (after.length < HOME_LIST_SIZE || after.some((a) => order(a, last) > 0))) return null;
  return { articles: after, changed: JSON.stringify(after.map(line)) !== list.json };
}

/** Raised when the file's shape changes (kbsite's own version covers that too, this makes it plain). */
const FORMAT = 6;

interface ListingFile {
  format: number;
  setId: string;
  listings: ListingContexts;
}

function listingsFile(cacheDir: string): string {
  return path.join(cacheDir, 'listing-pages.v8');
}

/** Write the listing contexts of the page context set `setId` (to a temporary file, then renamed). */
export async function writeListingContexts(cacheDir: string, setId: string, listings: ListingContexts): Promise<void> {
  const file = listingsFile(cacheDir);
  await mkdir(cacheDir, { recursive: true });
  await replaceFile(file, serialize({ format: FORMAT, setId, listings } satisfies ListingFile));
}

/** The listing contexts of the set `setId`, or null if the file is missing, unreadable or of another set. */
export async function readListingContexts(cacheDir: string, setId: string): Promise<ListingContexts | null> {
  try {
    const saved = deserialize(await readFile(listingsFile(cacheDir))) as ListingFile;
    return saved.format === FORMAT && saved.setId === setId ? saved.listings : null;
  } catch {
    return null;
  }
}
