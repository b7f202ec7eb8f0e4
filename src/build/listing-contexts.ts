/**
 * What the listing pages show of articles, kept between builds beside the page contexts
 * (page-contexts.ts): which articles each product, stop-code and file page lists, and each listed
 * article's line (number, title, dates, type, products); and which article pages show an article's
 * title. After a title edit, a quick rebuild (quick-rebuild.ts) renders the pages that show the
 * title from them, without reading and modelling the whole site again. The listing pages are the
 * objects a full build would render, with article stand-ins that carry exactly what those layouts
 * and fingerprints read (fingerprints.ts `listed`, layouts/product.njk, stop-code.njk, file.njk).
 *
 * It lives in `<output>.cache/listing-pages.v8` and names the set of page contexts it belongs to: one
 * written by another build is not used.
 */
import { readFile, rename, writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { deserialize, serialize } from 'node:v8';
import type { Article, ArticleType } from '../article/model.ts';
import type { FileEntry, FileVersionEntry, ProductEntry, ProductPage, SiteModel, StopCodeEntry } from '../site-model.ts';

/** An article as listing pages show it: the fields of `listed` in fingerprints.ts. */
type ListedLine = [id: number, title: string, updated: string | null, published: string | null, type: ArticleType, products: string[]];
/** A file page's row: what file.njk and filePageFingerprint read of a version and its article. */
type FileRow = [version: string | null, platform: string | null, size: number | null, date: string | null, anchor: string, id: number, title: string];

/**
 * A listing page: the KB numbers it lists, and what it shows of them as JSON. One string per page,
 * not objects per article: reading 60,000 articles' lines back as objects took 0.25 s, and a title
 * edit needs the lines of a few pages.
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
   *  page contexts (page-contexts.ts) a title edit changes, without reading all 38 MB of them. */
  shownOn: Int32Array;
}

/** A line of the home page's recent articles, which the feed shows too. */
type RecentLine = [...ListedLine, summary: string];

const lineOf = (a: Article): ListedLine => [a.id, a.title, a.updated, a.published, a.type, a.products];
const listedOf = (articles: Article[], line: (a: Article) => unknown[] = lineOf): Listed => ({ ids: Int32Array.from(articles, (a) => a.id), json: JSON.stringify(articles.map(line)) });
const standIn = ([id, title, updated, published, type, products, summary]: ListedLine | RecentLine) => ({ id, title, updated, published, type, products, ...(summary === undefined ? {} : { summary }) }) as Article;

/** The listing contexts of a modelled site. */
export function listingContextsOf(site: SiteModel): ListingContexts {
  return {
    productPages: site.productPages.map(({ product, page, pageCount, path, articles }) => ({ product, page, pageCount, path, ...listedOf(articles) })),
    stopCodes: site.stopCodes.map(({ code, name, articles }) => ({ code, name, ...listedOf(articles) })),
    files: site.files.map(({ name, slug, versions }) => ({
      name,
      slug,
      ids: Int32Array.from(versions, (v) => v.article.id),
      json: JSON.stringify(versions.map((v): FileRow => [v.version, v.platform, v.size, v.date, v.anchor, v.article.id, v.article.title])),
    })),
    home: { recent: listedOf(site.recent, (a): RecentLine => [...lineOf(a), a.summary]), newest: listedOf(site.newest), products: site.products },
    shownOn: titlesShownOn(site),
  };
}

function titlesShownOn(site: SiteModel): Int32Array {
  const pairs: number[] = [];
  for (const [page, related] of site.links.related) for (const r of related) pairs.push(r.article.id, page);
  for (const [page, backlinks] of site.links.backlinks) for (const b of backlinks) pairs.push(b.id, page);
  return Int32Array.from(pairs);
}

/** The article pages that show any of these articles' titles (in related or backlink lists). */
export function pagesShowingTitles(listings: ListingContexts, ids: ReadonlySet<number>): number[] {
  const pages = new Set<number>();
  const pairs = listings.shownOn;
  for (let i = 0; i < pairs.length; i += 2) if (ids.has(pairs[i]!)) pages.add(pairs[i + 1]!);
  return [...pages];
}

/** The listing pages that show any of `retitled`'s articles, with their new titles; the home page's
 *  lists when it shows one (null when not). */
export interface RetitledListings {
  productPages: ProductPage[];
  stopCodes: StopCodeEntry[];
  files: FileEntry[];
  home: HomeLists | null;
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
 * Give articles new titles (KB number → title) in `listings`, in place, and return the listing pages
 * that show them as a modelled site has them. Their articles are stand-ins made from their lines.
 */
export function retitleListings(listings: ListingContexts, retitled: ReadonlyMap<number, string>): RetitledListings {
  const shows = (page: Listed) => page.ids.some((id) => retitled.has(id));
  const title = (id: number, old: string) => retitled.get(id) ?? old;
  /** The page's lines with the new titles, kept for the next title edit. */
  const lines = <T extends unknown[]>(page: Listed, retitle: (line: T) => T): T[] => {
    const next = (JSON.parse(page.json) as T[]).map(retitle);
    page.json = JSON.stringify(next);
    return next;
  };
  const retitleLine = <T extends ListedLine | RecentLine>(line: T): T => line.map((value, i) => (i === 1 ? title(line[0], line[1]) : value)) as T;
  const retitleRow = ([version, platform, size, date, anchor, id, old]: FileRow): FileRow => [version, platform, size, date, anchor, id, title(id, old)];
  const { recent, newest } = listings.home;
  const home = shows(recent) || shows(newest);
  if (home) {
    lines<RecentLine>(recent, retitleLine);
    lines<ListedLine>(newest, retitleLine);
  }
  return {
    home: home ? homeListsOf(listings) : null,
    productPages: listings.productPages.filter(shows).map((p) => ({ product: p.product, page: p.page, pageCount: p.pageCount, path: p.path, articles: lines<ListedLine>(p, retitleLine).map(standIn) })),
    stopCodes: listings.stopCodes.filter(shows).map((s) => ({ code: s.code, name: s.name, articles: lines<ListedLine>(s, retitleLine).map(standIn) })),
    files: listings.files.filter(shows).map((f) => ({
      name: f.name,
      slug: f.slug,
      // A row's table and caption are its article page's; file pages do not show them.
      versions: lines(f, retitleRow).map(([version, platform, size, date, anchor, id, title]): FileVersionEntry => ({ version, platform, size, date, anchor, article: { id, title } as Article, tableId: '', caption: '' })),
    })),
  };
}

/** Raised when the file's shape changes (kbsite's own version covers that too, this makes it plain). */
const FORMAT = 3;

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
