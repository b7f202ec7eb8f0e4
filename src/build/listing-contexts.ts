/**
 * Where articles are listed, kept between builds beside the page contexts (page-contexts.ts): which
 * articles each product, stop-code and file page lists, and each listed article's line (number,
 * title, dates, type, products); the home page's lists; every article's dates; and which article
 * pages name an article in their related or backlink lists. After an edit of what lists show of
 * articles (title, summary, dates, type), a quick rebuild (quick-rebuild.ts) orders those lists again and renders the pages that show the
 * articles from them, without reading and modelling the whole site. The listing pages are the
 * objects a full build would render, with article stand-ins that carry exactly what those layouts
 * and fingerprints read (fingerprints.ts `listed`, layouts/product.njk, stop-code.njk, file.njk,
 * listing.njk, machine-readable.ts `atomFeed`).
 *
 * It lives in `<output>.cache/listing-pages.v8` and names the set of page contexts it belongs to: one
 * written by another build is not used. At 60,000 articles it is 14 MB.
 */
import { readFile, rename, writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { deserialize, serialize } from 'node:v8';
import type { Article, ArticleType } from '../article/model.ts';
import { byPublished, byRecency, firstInOrder, HOME_LIST_SIZE, PRODUCT_PAGE_SIZE, type FileEntry, type FileVersionEntry, type ProductEntry, type ProductPage, type SiteModel, type StopCodeEntry } from '../site-model.ts';

/** An article as listing pages show it: the fields of `listed` in fingerprints.ts. */
type ListedLine = [id: number, title: string, updated: string | null, published: string | null, type: ArticleType, products: string[]];
/** A line of the home page's recent articles, which the feed shows too. */
type RecentLine = [...ListedLine, summary: string];
/** A file page's row: what file.njk and filePageFingerprint read of a version and its article. */
type FileRow = [version: string | null, platform: string | null, size: number | null, date: string | null, anchor: string, id: number, title: string];

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
}

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
      json: JSON.stringify(versions.map((v): FileRow => [v.version, v.platform, v.size, v.date, v.anchor, v.article.id, v.article.title])),
    })),
    home: { recent: listedOf(site.recent, recentLineOf), newest: listedOf(site.newest, lineOf), products: site.products },
    shownOn: titlesShownOn(site),
    dates: listedOf(site.articles, (a) => [a.updated, a.published]),
  };
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
 * The lists that show the articles an edit changed in what lists show of them (their title and
 * dates), as the site model has them after the edit; the home page's lists when it shows one of
 * them before or after (null when not). Product and stop-code lists are all the pages of a list
 * that shows one: a new date can move an article to another page.
 */
export interface RelistedListings {
  productPages: ProductPage[];
  stopCodes: StopCodeEntry[];
  files: FileEntry[];
  home: HomeLists | null;
  /** Why the kept lists cannot tell what the home page lists now (null when they can). */
  unknown: string | null;
  /** Every article's dates after the edit (stand-ins with `updated` and `published`), when some
   *  changed: the order of backlink lists (relistedPageContext); null when none did. */
  dates: Map<number, Article> | null;
}

/** What the home page and the feed show, as in the site model (layouts/listing.njk, atomFeed). */
export type HomeLists = Pick<SiteModel, 'recent' | 'newest' | 'products' | 'stopCodes'>;

/** The home page's lists as kept (listing.njk shows the first 10 stop codes and how many articles each has). */
export function homeListsOf(listings: ListingContexts): HomeLists {
  const { recent, newest, products } = listings.home;
  return {
    recent: (JSON.parse(recent.json) as RecentLine[]).map(standIn),
    newest: (JSON.parse(newest.json) as ListedLine[]).map(standIn),
    products,
    stopCodes: listings.stopCodes.slice(0, 10).map(({ code, name, ids }) => ({ code, name, articles: Array.from(ids, (id) => ({ id }) as Article) })),
  };
}

/**
 * Give the `changed` articles (KB number → the article as it is now) their new titles and dates in
 * `listings`, in place, and return the lists that show them as the site model would have them;
 * `redated` are those whose dates changed. The lists' other articles are stand-ins made from their
 * lines, and are ordered as src/site-model.ts orders them (`byRecency`, `byPublished`).
 */
export function relistListings(listings: ListingContexts, changed: ReadonlyMap<number, Article>, redated: ReadonlySet<number>): RelistedListings {
  const shows = (list: Listed) => list.ids.some((id) => changed.has(id));
  /** A list's articles as stand-ins, the changed ones as they are now. */
  const articlesOf = (list: Listed): Article[] => (JSON.parse(list.json) as ListedLine[]).map((line) => standIn(changed.has(line[0]) ? lineOf(changed.get(line[0])!) : line));
  const keep = (list: Listed, articles: Article[], line: (a: Article) => unknown[] = lineOf) => Object.assign(list, listedOf(articles, line));
  // Only a new date can change a list's order; a new title changes only the pages that show it.
  const reorders = (list: Listed) => list.ids.some((id) => redated.has(id));

  // A product's pages together: a new date can move an article to another of its pages.
  const productPages: ProductPage[] = [];
  for (let first = 0; first < listings.productPages.length; ) {
    let end = first + 1;
    while (end < listings.productPages.length && listings.productPages[end]!.product === listings.productPages[first]!.product) end++;
    const pages = listings.productPages.slice(first, end);
    first = end;
    if (!pages.some(shows)) continue;
    const sorted = pages.some(reorders) ? pages.flatMap(articlesOf).sort(byRecency) : null;
    for (const [i, page] of pages.entries()) {
      if (!sorted && !shows(page)) continue;
      const articles = sorted ? sorted.slice(i * PRODUCT_PAGE_SIZE, (i + 1) * PRODUCT_PAGE_SIZE) : articlesOf(page);
      keep(page, articles);
      productPages.push({ product: page.product, page: page.page, pageCount: page.pageCount, path: page.path, articles });
    }
  }
  const stopCodes = listings.stopCodes.filter(shows).map((stop) => {
    const articles = reorders(stop) ? articlesOf(stop).sort(byRecency) : articlesOf(stop);
    keep(stop, articles);
    return { code: stop.code, name: stop.name, articles };
  });
  // File pages show the title only, and order versions by version, platform and KB number.
  const files = listings.files.filter(shows).map((file) => {
    const rows = (JSON.parse(file.json) as FileRow[]).map(([version, platform, size, date, anchor, id, title]): FileRow => [version, platform, size, date, anchor, id, changed.get(id)?.title ?? title]);
    file.json = JSON.stringify(rows);
    return { name: file.name, slug: file.slug, versions: rows.map(([version, platform, size, date, anchor, id, title]): FileVersionEntry => ({ version, platform, size, date, anchor, article: { id, title } as Article, tableId: '', caption: '' })) };
  });

  const { recent, newest } = listings.home;
  const recentNow = homeList(recent, changed, byRecency, () => true, recentLineOf);
  const newestNow = homeList(newest, changed, byPublished, (a) => a.published !== null, lineOf);
  const unknown = recentNow === null || newestNow === null ? "an article's new date moves it past the last article the home page lists, and the last build kept none after it" : null;
  let home: HomeLists | null = null;
  if (!unknown && (recentNow!.changed || newestNow!.changed)) {
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
  return { productPages, stopCodes, files, home, unknown, dates };
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
const FORMAT = 4;

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
  await writeFile(`${file}.${process.pid}.tmp`, serialize({ format: FORMAT, setId, listings } satisfies ListingFile));
  await rename(`${file}.${process.pid}.tmp`, file);
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
