/**
 * What each output depends on, as a short hash, so that a rebuild renders only the pages whose
 * inputs changed. A page's fingerprint covers exactly the data its layout shows (keep these in step
 * with layouts/), and every fingerprint covers the site version (code, layouts, config), so a change
 * to any of those renders everything again.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Article } from '../article/model.ts';
import { articleReferencedIds } from '../article/references.ts';
import { byRecency, filePath, stopCodePath, type FileEntry, type ProductPage, type SiteModel, type StopCodeEntry } from '../site-model.ts';
import { InputsMemo } from '../memo.ts';
import type { RelatedArticle } from '../related.ts';

/** A short hash of a value's JSON; of a string or bytes, of its UTF-8 bytes (so a file's text and
 *  the file read back hash the same). */
export function hash(value: unknown): string {
  return createHash('sha1').update(typeof value === 'string' || value instanceof Uint8Array ? value : JSON.stringify(value)).digest('base64url').slice(0, 16);
}

/**
 * The version of everything that shapes every page: kbsite's own source, layouts and static files,
 * and the site config. Reading ~100 small files takes a few milliseconds.
 */
export function siteVersion(packageRoot: string, config: unknown): string {
  const h = createHash('sha1');
  for (const dir of ['src', 'layouts', 'public']) {
    const root = path.join(packageRoot, dir);
    const files = readdirSync(root, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => path.join(e.parentPath, e.name))
      .sort();
    for (const file of files) h.update(path.relative(packageRoot, file)).update('\0').update(readFileSync(file)).update('\0');
  }
  h.update(JSON.stringify(config));
  return h.digest('base64url').slice(0, 16);
}

/** What an article looks like in a listing (title, dates, type, products). */
function listed(a: Article): unknown[] {
  return [a.id, a.title, a.updated, a.published, a.type, a.products];
}

const digests = new WeakMap<Article, string>();

/** A digest computed earlier for an equal article (the parse cache keeps them with its entries). */
export function rememberArticleDigest(a: Article, digest: string): void {
  digests.set(a, digest);
}

/** Everything an article's own outputs show (all but its build-report warnings), hashed once per
 *  article: its page and its data files both need it, and hashing 60,000 bodies twice shows. */
export function articleDigest(a: Article): string {
  let digest = digests.get(a);
  if (digest === undefined) {
    const { warnings: _notShown, ...shown } = a;
    digest = hash(shown);
    digests.set(a, digest);
  }
  return digest;
}

/** Article page contexts, kept with what they were computed from. Related and backlink lists keep
 *  their arrays while unchanged (src/related.ts), so in a watching process most are not built again. */
const articleContexts = new InputsMemo<Article, string>(new WeakMap());

/**
 * What an article page shows of the rest of the site, as JSON: its related articles (number, title,
 * reasons), its backlinks (number, title) and which of its references resolve. Kept beside the build
 * state (page-contexts.ts), so that a rebuild after an edit only the page shows can render it without
 * modelling the whole site again (src/build/quick-rebuild.ts reads it back with `parsePageContext`).
 */
export function articlePageContext(a: Article, site: SiteModel): string {
  const related = site.links.related.get(a.id);
  const backlinks = site.links.backlinks.get(a.id);
  const resolved = articleReferencedIds(a).filter((id) => site.byId.has(id));
  return articleContexts.get(a, [related, backlinks, ...resolved], () => JSON.stringify([relatedEntries(related), (backlinks ?? []).map((b) => [b.id, b.title]), resolved] satisfies PageContext));
}

/** What an article page shows of its related articles. */
function relatedEntries(related: RelatedArticle[] | undefined): PageContext[0] {
  return (related ?? []).map((r) => [r.article.id, r.article.title, r.reasons]);
}

/** An article page's context with another related list (src/related.ts `changedRelated`). */
export function contextWithRelated(context: string, related: RelatedArticle[] | undefined): string {
  const [, backlinks, resolved] = parsePageContext(context);
  return JSON.stringify([relatedEntries(related), backlinks, resolved] satisfies PageContext);
}

/** The parts of an article page's context (see articlePageContext). */
export type PageContext = [related: Array<[id: number, title: string, reasons: string[]]>, backlinks: Array<[id: number, title: string]>, resolved: number[]];

export function parsePageContext(context: string): PageContext {
  return JSON.parse(context) as PageContext;
}

/**
 * An article page's context after other articles changed in what lists show of them (`changed`:
 * KB number → the article now): what articlePageContext gives once they have. A context shows
 * their titles, and orders backlinks by date (src/related.ts): `dates` gives every article's dates
 * after the edit when some dates changed, and is null when none did. The same string when the page
 * shows none of them; null when a backlink's dates are not known.
 */
export function relistedPageContext(context: string, changed: ReadonlyMap<number, Article>, dates: ReadonlyMap<number, Article> | null): string | null {
  // Related articles and backlinks are `[id,"title"…`; most contexts name none of the articles.
  if (![...changed.keys()].some((id) => context.includes(`[${id},"`))) return context;
  const [related, backlinks, resolved] = parsePageContext(context);
  const title = (id: number, old: string) => changed.get(id)?.title ?? old;
  const listedBacklinks = backlinks.map(([id, old]): [number, string] => [id, title(id, old)]);
  if (dates && backlinks.some(([id]) => changed.has(id))) {
    if (backlinks.some(([id]) => !dates.has(id))) return null;
    listedBacklinks.sort(([a], [b]) => byRecency(dates.get(a)!, dates.get(b)!));
  }
  return JSON.stringify([related.map(([id, old, reasons]) => [id, title(id, old), reasons]), listedBacklinks, resolved] satisfies PageContext);
}

const articlePages = new InputsMemo<Article, string>(new WeakMap());

/** An article page: the article itself and its context (articlePageContext). */
export function articlePageFingerprint(a: Article, context: string): string {
  return articlePages.get(a, [context], () => hash(`${articleDigest(a)}\0${context}`));
}

/** Listing and file pages by path, with the values and objects their fingerprints were computed from:
 *  a page whose entries are the same objects as last time keeps its fingerprint (watch mode). */
const listingPages = new InputsMemo<string, string>(new Map());

function listingFingerprint(page: string, head: unknown[], articles: Article[]): string {
  return listingPages.get(page, [...head, ...articles], () => hash([...head, articles.map(listed)]));
}

export function productPageFingerprint(p: ProductPage): string {
  return listingFingerprint(p.path, [p.product.name, p.product.count, p.page, p.pageCount], p.articles);
}

export function stopPageFingerprint(s: StopCodeEntry): string {
  return listingFingerprint(stopCodePath(s.code), [s.code, s.name], s.articles);
}

export function filePageFingerprint(f: FileEntry): string {
  return listingPages.get(filePath(f.name), [f.name, ...f.versions], () =>
    hash([f.name, f.versions.map((v) => [v.version, v.platform, v.size, v.date, v.anchor, v.article.id, v.article.title])]),
  );
}

/** The article's data in its machine-readable outputs (`/kb/<n>.json`, `files.json`, `files.csv`).
 *  The digest covers the body too, which those files leave out: an edit of the body alone rewrites
 *  them needlessly, three small files, and saves hashing every article a second time. */
export function articleDataFingerprint(a: Article): string {
  return articleDigest(a);
}
