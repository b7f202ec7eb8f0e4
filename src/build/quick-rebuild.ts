/**
 * The quick rebuild: `kb build` after edits that change only what a few articles' own pages show
 * (their text, keywords, "applies to" …) and what lists show of them (title, summary, dates, type,
 * products, stop codes, file versions), the most common edits, without reading and modelling the whole site again.
 *
 * Why it is right. What other pages show of an article (its title, dates, products, stop codes,
 * file tables, aliases, the articles its body links to, …) is everything but its body and a few
 * fields of its own page: its "outline" (`outlineOf`). When every changed file's outline equals the
 * one the last build was made from, every fingerprint but those of the article's own outputs is
 * unchanged (src/build/fingerprints.ts): its page, its data files and its search record. The page
 * also shows the rest of the site (related articles, backlinks, which references resolve): the last
 * build that modelled the site kept that as the page's context beside its state
 * (`articlePageContext`, page-contexts.ts), and nothing it depends on changed.
 *
 * A new title, summary, date or type changes no list's members, only what lists show and, for a
 * date, their order (lists go by date, number, count or name). The last build kept where an article is listed
 * (listing-contexts.ts): the listing pages with what they show of each article, the home page's
 * lists, every article's dates, and the article pages whose related or backlink lists name it.
 * Those lists are ordered again as the site model orders them, the pages that show a changed
 * article are rendered again and their kept contexts updated, the article's entries in
 * `api/articles.json` and `sitemap.xml` are replaced where they stand, and the feed is written
 * again when it shows the article. An article dated past the last one a full home list shows
 * declines: the article after it was not kept.
 *
 * New products also change which product lists an article is in, and related lists, which are
 * scored on shared products (src/related.ts). The last build kept what every article's related list
 * is worked out from (its related line); the lists that read the products an article left or
 * joined are scored again from those lines (`changedRelated`), and the pages whose lists changed
 * are rendered again. The products it left and joined are listed again whole, with their new
 * counts, and a product with no article left loses its pages. A new product name whose address
 * another product has declines (addresses are numbered in name order among names that share one).
 * An author's list of related articles is scored again likewise (only the article's own list reads
 * it), and so are new file versions: the files whose rows from the article changed are listed
 * again (listing-contexts.ts `refileFiles`), with the file index. New stop codes are followed the same way (related lists are scored on shared codes too); what
 * lists every code (the stop-code index, the home page's most-referenced codes, `sitemap.xml`,
 * `_redirects`, `api/stop-codes.json`) is written again, and a code gained or gone gains or loses
 * its page and the redirect stubs of its short spellings.
 *
 * An article's warnings show only in the build report beside the site: when they change (a legacy
 * header line fixed, often with its product), the report is the last build's with that article's
 * entry replaced (build-report.ts `reportAfter`), which needs the last build's report whole. Until
 * 2026-12-08 such an edit declined: moving a legacy article of no product to one, which also clears
 * a warning, took 5.2–5.6 s at 10,000 articles and 18.3–22.8 s at 60,000, and now 2.8–3.6 s and
 * 4.6–5.3 s.
 *
 * Anything else (a new or removed file, another change to an outline such as an alias or a branch
 * table, a problem in a file, other code or config, a search delta
 * index grown past its limit) declines, and `kb build` does the usual rebuild. So the quick rebuild is never needed for
 * a right site, only for a fast one: at 60,000 articles the usual rebuild reads 180 MB of parse
 * cache and models the whole site (10–14 s).
 *
 * Watch mode rebuilds a save the same way from what it holds in memory (`quickRebuildWhileWatching`),
 * and declines the same edits; it models the site for those, which a watching process does in about
 * 3 s at 60,000 articles since it keeps what it derived from every unchanged article.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Article } from '../article/model.ts';
import { articleFilesOf, MAX_ARTICLE_BYTES, parseArticleFile, sourceSignature, statHere, type KnownFiles } from '../article/load.ts';
import type { ParsedFile } from '../article/parse-workers.ts';
import { articleReferencedIds } from '../article/references.ts';
import { ParseCache } from '../article/parse-cache.ts';
import type { ContentSurvey, FileStat } from '../article/survey.ts';
import { displayPath } from '../display-path.ts';
import { PACKAGE_ROOT } from '../package-root.ts';
import { parseCacheVersion } from '../eleventy/site-data.ts';
import { assignRowAnchors } from '../file-versions.ts';
import { canonicalPath, filePath, stopCodePath, stopCodeRedirects, type StopCodeEntry } from '../site-model.ts';
import { siteUrls, type SiteConfig } from '../site-config.ts';
import { articleDataOutputs, outputFileOf, redirectOutput, type PlannedOutput } from './direct-outputs.ts';
import { articlePageFingerprint, contextWithRelated, filePageFingerprint, hash, parsePageContext, productPageFingerprint, relistedPageContext, siteVersion, stopPageFingerprint } from './fingerprints.ts';
import { pageSite, readPageContexts, type PageContexts } from './page-contexts.ts';
import { copyListingContexts, homeListsOf, nothingRelisted, pagesShowing, readListingContexts, relatedStandIns, relistListings, reshow, type ListingContexts, type RelistedListings } from './listing-contexts.ts';
import { changedRelated, relatedLineOf, relatedStandIn, type RelatedArticle } from '../related.ts';
import { ARTICLE_INDEX_ENTRY, articleIndexEntry, articleSitemapEntry, atomFeed, redirectsWithStopCodes, replaceEntry, sitemapWithStopCodes, SITEMAP_ENTRY, stopCodesJson } from '../machine-readable.ts';
import type { RenderSelection } from '../eleventy/site-data.ts';
import { cacheDirOf, parseCacheDirOf } from './cache-dir.ts';
import { reportAfter, reportFileOf, summarise, type BuildReport, type BuildSummary } from '../build-report.ts';
import { executeBuild, planDelta, readState, type BuildOptions, type BuildOutcome, type BuildPlan, type BuildState } from './pipeline.ts';

/** More changed files than this are left to the usual rebuild, which parses them on all cores. */
export const QUICK_REBUILD_LIMIT = 50;

/** Why the quick rebuild was not done, and the build state it read (the usual rebuild need not read it again). */
export interface Declined {
  declined: string;
  state: BuildState | null;
}

export interface QuickRebuild {
  outcome: BuildOutcome;
  articleCount: number;
  /** Files parsed (the changed ones). */
  parsed: number;
  /** Of those, the articles that changed in what lists show of them (title, dates). */
  relisted: number;
  /** The build report to write when warnings changed (build-report.ts, reportAfter); else null: the last build's stands. */
  report: BuildReport | null;
  /** Every article file (absolute paths, sorted), as loadSite reports them. */
  files: string[];
  /** A one-shot quick rebuild's parse cache, with the changed files' parses in it, to be saved with the state. */
  parseCache?: ParseCache;
}

/**
 * Fields that only the article's own outputs show: its page (meta panel, JSON-LD), `/kb/<n>.json`
 * and its search record; the build summary counts articles with keywords (see summaryAfter).
 * `fieldLines` only place problems, and a site that built has none. Keep in step with layouts/ and
 * src/machine-readable.ts: a field another page shows must not be here.
 */
const OWN_PAGE_FIELDS = ['body', 'appliesTo', 'versions', 'operatingSystems', 'keywords', 'queryWords', 'fieldLines'] as const satisfies ReadonlyArray<keyof Article>;

/**
 * Everything an article shows on other pages, in the site-wide files and in the build report: the
 * article without the fields of its own page, and the articles its body refers to. Row anchors are
 * assigned first, as the site model does.
 */
export function outlineOf(a: Article): string {
  if (a.fileData) assignRowAnchors(a.fileData.tables);
  const outline: Partial<Article> = { ...a };
  for (const field of OWN_PAGE_FIELDS) delete outline[field];
  return JSON.stringify([outline, articleReferencedIds(a)]);
}

/** What lists show of an article besides its number that a quick rebuild follows: its title, summary
 *  (the feed's), dates, type, products, stop codes and file versions (which also say which product,
 *  stop-code and file lists it is in, and which articles it is related to); and the articles its
 *  author relates it to, which its own related list shows first. */
export function listedFieldsOf(a: Article): Pick<Article, 'title' | 'summary' | 'updated' | 'published' | 'type' | 'products' | 'stopCodes' | 'related' | 'fileData'> {
  return { title: a.title, summary: a.summary, updated: a.updated, published: a.published, type: a.type, products: a.products, stopCodes: a.stopCodes, related: a.related, fileData: a.fileData };
}

/** Article pages whose related lists an edit of products or stop codes may change before the usual
 *  rebuild, which renders pages on all cores, is the quicker: each is parsed again (~2 ms) and rendered. */
export const RESCORED_PAGE_LIMIT = 2_000;

/** The entries of the last build's report, if it is there and has every warning its summary counts; null if not. */
async function readLastReport(file: string, summary: BuildSummary): Promise<BuildReport['warnings'] | null> {
  if (summary.warnings === 0) return []; // a build without warnings writes no report
  try {
    const { warnings } = JSON.parse(await readFile(file, 'utf8')) as Partial<BuildReport>;
    if (!Array.isArray(warnings)) return null;
    const counted = warnings.reduce((sum, entry) => sum + (Array.isArray(entry?.warnings) ? entry.warnings.length : NaN), 0);
    return counted === summary.warnings && warnings.length === summary.articlesWithWarnings ? warnings : null;
  } catch {
    return null;
  }
}

/** The build summary after `before` became `after` (summarise is a sum over articles). */
export function summaryAfter(summary: BuildSummary, before: Article[], after: Article[]): BuildSummary {
  const [removed, added] = [summarise(before), summarise(after)];
  const next = { ...summary };
  for (const key of Object.keys(next) as Array<keyof BuildSummary>) next[key] += added[key] - removed[key];
  return next;
}

/** A changed article file: its path, as the build state names it, and its signature now. */
interface ChangedFile {
  file: string;
  shown: string;
  signature: string;
}

/**
 * What a quick rebuild starts from: the last build's state, the article files now and which of them
 * changed, a parse cache holding the changed articles as the last build parsed them, and where the
 * last modelled site's page and listing contexts are. A one-shot `kb build` reads all of it from
 * disk (`quickRebuild`); a watching process holds it in memory (`quickRebuildWhileWatching`).
 */
interface QuickStart {
  previous: BuildState;
  files: string[];
  changed: ChangedFile[];
  cache: ParseCache;
  /** The page contexts of these articles, as entries the rebuild may change (copies of any it keeps); null when missing. */
  pageContexts(ids: number[]): Promise<PageContexts | null>;
  /** The listing contexts, which the rebuild may change in place (a copy of held ones); null when missing. */
  listingContexts(): Promise<ListingContexts | null>;
  /** Whether the state is held in memory by a watching process: the state after the rebuild then keeps every page context and the listing contexts. */
  held: boolean;
}

/**
 * Rebuild the site in `outputDir` quickly if the articles changed since its build kept their outlines,
 * or say why not (the caller then builds as usual). `surveying` is surveyContent's survey of the content folder.
 */
export async function quickRebuild(
  options: Pick<BuildOptions, 'contentDir' | 'outputDir' | 'config' | 'progress' | 'log'>,
  surveying: Promise<ContentSurvey | null>,
): Promise<QuickRebuild | Declined> {
  const { contentDir, outputDir, config } = options;
  // The state is read while the survey runs on its thread.
  const previous = await readState(outputDir);
  if (!previous) return { declined: 'no build state', state: null };
  const decline = (declined: string): Declined => ({ declined, state: previous });
  if (previous.siteVersion !== siteVersion(PACKAGE_ROOT, config)) return decline('kbsite, its layouts or the config changed');
  if (previous.workingDir !== undefined && previous.workingDir !== process.cwd()) return decline(`the last build ran in another folder (${previous.workingDir}), and what it keeps names files as seen from there`);
  const survey = await surveying;
  if (!survey) return decline('the content folder could not be surveyed');

  // Which files changed: the same files as last time, a few with other signatures.
  const files = articleFilesOf(contentDir, survey);
  if (files.length !== previous.sources.size) return decline('articles were added or removed');
  const changed = changedFiles(previous, files, (file) => survey.get(file));
  if (typeof changed === 'string') return decline(changed);
  const cacheDir = cacheDirOf(outputDir);
  const cache = await ParseCache.readShardsOf(parseCacheDirOf(outputDir), parseCacheVersion(), changed.map((c) => c.file));
  const rebuilt = await rebuildQuickly(options, {
    previous,
    files,
    changed,
    cache,
    pageContexts: (ids) => readPageContexts(cacheDir, previous.pagesId, ids),
    listingContexts: () => readListingContexts(cacheDir, previous.pagesId),
    held: false,
  });
  // The caller saves the cache with the build state, once the site is in place (kb build's keepForNextBuild).
  return 'outcome' in rebuilt ? { ...rebuilt, parseCache: cache } : rebuilt;
}

/** What a watching process holds between saves (src/build/watch.ts): the last good build's state, the
 *  watcher's file list and the whole parse cache. */
export interface HeldBuild {
  state: BuildState;
  known: KnownFiles;
  cache: ParseCache;
}

/**
 * The quick rebuild of a save in watch mode: the same rebuild from what the process holds, so that
 * no state or cache is read back from disk (only the site-wide lists a new title patches) and only
 * the files the watcher reported are looked at. At 60,000 articles modelling the site again costs a
 * save about 3 s; a body edit rebuilt this way took 0.36–0.45 s.
 *
 * It needs the page and listing contexts of a build that modelled the site (every watched build that
 * did so has them in memory; a quick one keeps them up to date). It works on copies of those it may
 * change, so that the state it is given is left as it was when it declines or fails, and the usual
 * rebuild can start from it.
 */
export async function quickRebuildWhileWatching(options: Pick<BuildOptions, 'contentDir' | 'outputDir' | 'config' | 'progress' | 'log'>, held: HeldBuild): Promise<QuickRebuild | Declined> {
  const { state: previous, known, cache } = held;
  const decline = (declined: string): Declined => ({ declined, state: previous });
  const allPages = previous.pages;
  if (!allPages || !previous.pagesComplete || !previous.listings) return decline('the last build did not model the site');
  if (known.files.length !== previous.sources.size) return decline('articles were added or removed');
  // Only files the watcher reported have no known signature; every other file was in the last build.
  const changed = changedFiles(previous, known.files.filter((file) => known.unchangedSignature(file) === undefined), statHere);
  if (typeof changed === 'string') return decline(changed);
  return rebuildQuickly(options, {
    previous,
    files: known.files,
    changed,
    cache,
    // Copies: the rebuild changes the contexts it renders from, and must leave the held ones as they are until it is done.
    pageContexts: async (ids) => {
      const pages: PageContexts = new Map();
      for (const id of ids) {
        const page = allPages.get(id);
        if (page) pages.set(id, [page[0], page[1]]);
      }
      return pages;
    },
    // A copy: relisting changes them in place, and may still decline after.
    listingContexts: async () => copyListingContexts(previous.listings!()),
    held: true,
  });
}

/**
 * The files among `candidates` whose signatures differ from the last build's, or why a quick rebuild
 * cannot follow them. `statOf` gives a file's size and modification time: the survey's or the disk's.
 */
function changedFiles(previous: BuildState, candidates: readonly string[], statOf: (file: string) => FileStat | undefined): ChangedFile[] | string {
  const changed: ChangedFile[] = [];
  for (const file of candidates) {
    const shown = displayPath(file);
    const before = previous.sources.get(shown);
    if (before === undefined) return 'articles were added or removed';
    const st = statOf(file);
    if (!st) return 'an article went away';
    if (st.size > MAX_ARTICLE_BYTES) return 'an article is too large';
    const signature = sourceSignature(file, st.size, st.mtimeMs, statOf);
    if (signature === before) continue;
    changed.push({ file, shown, signature });
    if (changed.length > QUICK_REBUILD_LIMIT) return `more than ${QUICK_REBUILD_LIMIT} articles changed`;
  }
  return changed;
}

/** The quick rebuild proper, from wherever its start was read; see the header. */
async function rebuildQuickly(options: Pick<BuildOptions, 'contentDir' | 'outputDir' | 'config' | 'progress' | 'log'>, start: QuickStart): Promise<QuickRebuild | Declined> {
  const { outputDir, config } = options;
  const { previous, files, changed, cache } = start;
  const decline = (declined: string): Declined => ({ declined, state: previous });

  // The articles as the last build had them (the parse cache), and as they are now.
  const cachedArticle = (shown: string) => cache.get(path.resolve(shown), previous.sources.get(shown)!)?.result.article ?? undefined;
  const lastBuilt = new Map<number, Article>();
  const isArticle = (id: number) => previous.outputs.has(`kb/${id}.json`); // every article has its JSON
  const edited = new Map<number, Article>();
  const parses = new Map<string, ParsedFile>();
  /** The articles that changed in what lists show of them (title, summary, dates, type, products, stop codes, file versions): the pages that show them are rendered again. */
  const relisted = new Map<number, Article>();
  const shownOf = new Map<number, string>();
  /** The articles whose warnings changed: their entries of the build report are written again. */
  const reported: Article[] = [];
  for (const { file, shown } of changed) {
    const before = cachedArticle(shown);
    if (!before) return decline('the parse cache does not have the last build of a changed article');
    const parsed = await parseArticleFile(file, await readFile(file), true);
    const article = parsed.result.article;
    if (!article || parsed.result.problems.length) return decline('a changed article has problems');
    // The loader's check across articles: a link to an article that is not there is a problem.
    if (parsed.result.references?.some((ref) => !isArticle(ref.id))) return decline('a changed article links to an unknown article');
    const outline = outlineOf(before);
    if (outlineOf(article) !== outline) {
      // What lists show of it, and its warnings (the build report's, rewritten by kb build), are followed; anything else is not.
      if (outlineOf({ ...article, ...listedFieldsOf(before), warnings: before.warnings }) !== outline) return decline('an article changed in what other pages show of it');
      if (outlineOf({ ...article, warnings: before.warnings }) !== outline) relisted.set(article.id, article);
      if (JSON.stringify(article.warnings) !== JSON.stringify(before.warnings)) reported.push(article);
    }
    lastBuilt.set(article.id, before);
    shownOf.set(article.id, shown);
    edited.set(article.id, article);
    parses.set(file, parsed);
  }

  // New warnings show only in the build report, whose other entries are the last build's: that report must be there, whole.
  const lastReport = reported.length ? await readLastReport(reportFileOf(outputDir), previous.summary) : null;
  if (reported.length && !lastReport) return decline("warnings changed, and the last build's report is not there to update");

  // Their pages' contexts, and for a new title, summary, date or type the pages that show it: the contexts of
  // related and linking articles' pages, the listing pages and the site-wide lists. With nothing
  // changed, the delta index stays as it is: its articles are not needed.
  const deltaIds = changed.length ? previous.deltaIds : [];
  const { absolute, href } = siteUrls(config);
  const relisting = relisted.size > 0;
  const listChanges = [...relisted.values()].map((a): [Article, Article] => [lastBuilt.get(a.id)!, a]);
  // Those whose related lines changed (all but the title): other articles' related lists may change.
  const regrouped = new Set(listChanges.filter(([before, after]) => JSON.stringify(relatedLineOf(before).slice(2)) !== JSON.stringify(relatedLineOf(after).slice(2))).map(([, after]) => after.id));
  const redated = new Set(listChanges.filter(([before, after]) => before.updated !== after.updated || before.published !== after.published).map(([, after]) => after.id));
  const [listings, articleList, sitemap] = await Promise.all([
    relisting ? start.listingContexts() : null,
    relistedFile(outputDir, previous, 'api/articles.json', listChanges, (a) => articleIndexEntry(a, absolute), ARTICLE_INDEX_ENTRY),
    relistedFile(outputDir, previous, 'sitemap.xml', listChanges, (a) => articleSitemapEntry(a, absolute), SITEMAP_ENTRY),
  ]);
  if (relisting && !listings) return decline('the listing contexts of the last build are missing');
  // New products, stop codes or chosen articles change related lists: those of the articles in the
  // groups left or joined that now read other articles (src/related.ts), from every article's
  // related line as the last build kept it, and as it is now.
  let rescored = new Map<number, RelatedArticle[] | undefined>();
  if (regrouped.size) {
    const before = relatedStandIns(listings!);
    const after = before.map((a) => (relisted.has(a.id) ? relatedStandIn(relatedLineOf(relisted.get(a.id)!)) : a));
    rescored = changedRelated(before, after, regrouped);
    if (rescored.size > RESCORED_PAGE_LIMIT) return decline(`new products or stop codes change the related articles of more than ${RESCORED_PAGE_LIMIT} articles`);
  }
  if (articleList === undefined) return decline('the article list (api/articles.json) is not the one the last build wrote');
  if (sitemap === undefined) return decline('the sitemap (sitemap.xml) is not the one the last build wrote');
  // The feed shows the most recently updated articles: the one the last build wrote, for comparison.
  const recentBefore = listings ? homeListsOf(listings).recent : [];
  const showing = listings ? pagesShowing(listings, new Set(relisted.keys())) : [];
  const pages = await start.pageContexts([...edited.keys(), ...deltaIds, ...showing, ...rescored.keys()]);
  if (!pages) return decline('the page contexts of the last build are missing');
  for (const [id, shown] of shownOf) if (pages.get(id)?.[0] !== shown) return decline('the build state is incomplete');
  if (showing.some((id) => !pages.has(id)) || [...rescored.keys()].some((id) => !pages.has(id))) return decline('the build state is incomplete');
  const listingPages: RelistedListings = listings
    ? relistListings(listings, relisted, redated)
    : nothingRelisted();
  if (listingPages.unknown) return decline(listingPages.unknown);
  // Stop codes gained or lost: the site-wide files that list every code, and the codes' redirect stubs.
  const stopCodeFiles = listingPages.stopCodesMoved ? await stopCodeOutputs(outputDir, previous, listingPages.stopCodesMoved, sitemap, absolute, href) : null;
  if (stopCodeFiles === undefined) return decline('the sitemap or _redirects is not the one the last build wrote');
  const feed = listingPages.home ? relistedFeed(config, previous, recentBefore, listingPages.home.recent, absolute) : null;
  if (feed === undefined) return decline('the feed (feed.xml) is not the one the last build wrote');
  /** The article pages whose contexts the edit changed (a type or summary changes none). */
  const contextsChanged = new Set<number>();
  for (const id of showing) {
    const page = pages.get(id)!;
    const context = relistedPageContext(page[1], relisted, listingPages.dates);
    if (context === null) return decline('the build state is incomplete');
    if (context === page[1]) continue;
    page[1] = context;
    contextsChanged.add(id);
  }
  // Related lists after new products, stop codes or chosen articles (their titles are those of now: relisted above or not).
  const rescoredContexts: Map<number, string> = new Map();
  for (const [id, related] of rescored) {
    const page = pages.get(id)!;
    const context = contextWithRelated(page[1], related);
    if (context === page[1]) continue;
    page[1] = context;
    contextsChanged.add(id);
    rescoredContexts.set(id, context);
  }
  if (rescoredContexts.size) reshow(listings!, rescoredContexts);

  // The articles rendered but not edited. Those whose pages show a changed article are parsed again
  // (their files did not change since the last build parsed them; a parse costs ~2 ms, reading the
  // parse cache's shard of one ~60 ms). Those already in the search delta index go into it again,
  // from the parse cache: there can be hundreds.
  const unchangedFile = (id: number) => path.resolve(pages.get(id)![0]);
  const fromSource = new Map<number, Article>();
  for (const id of contextsChanged) {
    if (edited.has(id)) continue;
    const { result } = await parseArticleFile(unchangedFile(id), await readFile(unchangedFile(id)), false);
    if (!result.article || result.article.id !== id) return decline('an article whose page shows a changed one is not as the last build read it');
    // The site model numbers file-table rows; the parse cache keeps them numbered.
    if (result.article.fileData) assignRowAnchors(result.article.fileData.tables);
    fromSource.set(id, result.article);
  }
  const fromCache = new Map<number, Article>();
  const cachedDelta = deltaIds.filter((id) => !edited.has(id) && !fromSource.has(id));
  if (cachedDelta.some((id) => pages.get(id) === undefined)) return decline('the build state is incomplete');
  await cache.include(cachedDelta.map(unchangedFile));
  for (const id of cachedDelta) {
    const article = cachedArticle(pages.get(id)![0]);
    if (!article) return decline('the parse cache does not have an article of the search delta index');
    fromCache.set(id, article);
  }
  const articleOf = (id: number) => edited.get(id) ?? fromSource.get(id) ?? fromCache.get(id)!;

  // Search: the delta index grows by the edited articles.
  const changedIds = [...edited.keys()].sort((a, b) => a - b);
  const search = planDelta(previous, changedIds, [], {
    articleCount: previous.sources.size,
    hasArticle: isArticle,
    articleOf,
    pathExists: () => false, // the paths removed before are still gone: no article was added
  });
  if (!search) return decline('the search delta index is full; the search index is built again');

  // Nothing declines from here on: the state read is updated in place, and put back as it was
  // should the build fail (a watching process goes on from it).
  const undo: Array<() => void> = [];
  const sources = previous.sources;
  for (const { file, shown, signature } of changed) {
    const { result, digest } = parses.get(file)!;
    const [signatureBefore, entryBefore] = [sources.get(shown)!, cache.get(file, sources.get(shown)!)!];
    undo.push(() => {
      cache.set(file, entryBefore);
      sources.set(shown, signatureBefore);
    });
    cache.set(file, { signature, result, digest });
    sources.set(shown, signature);
  }

  // Outputs, where their fingerprints changed: the pages of the edited articles and of those that show
  // a changed one, the lists that show one, the site-wide lists and the edited articles' data files
  // (after the pages, as in runBuild's list of outputs, so the build is named the same either way).
  const outputs = previous.outputs;
  const changedOutputs: string[] = [];
  const putBack = (file: string): void => {
    const before = outputs.get(file);
    undo.push(() => (before === undefined ? outputs.delete(file) : outputs.set(file, before)));
  };
  const changes = (file: string, fingerprint: string): boolean => {
    if (outputs.get(file) === fingerprint) return false;
    putBack(file);
    outputs.set(file, fingerprint);
    changedOutputs.push(file, fingerprint);
    return true;
  };
  const renderArticles = [...new Set([...changedIds, ...contextsChanged])]
    .sort((a, b) => a - b)
    .map(articleOf)
    .filter((a) => changes(outputFileOf(canonicalPath(a.id)), articlePageFingerprint(a, pages.get(a.id)![1])));
  const render: RenderSelection = {
    articles: renderArticles,
    productPages: listingPages.productPages.filter((p) => changes(outputFileOf(p.path), productPageFingerprint(p))),
    stopCodes: listingPages.stopCodes.filter((s) => changes(outputFileOf(stopCodePath(s.code)), stopPageFingerprint(s))),
    files: listingPages.files.filter((f) => changes(outputFileOf(filePath(f.name)), filePageFingerprint(f))),
    sitePages: false,
  };
  // Product, stop-code and file pages there are no more (a product, code or file lost its last article, a product a page's worth), and the codes' redirect stubs.
  const removed = [...listingPages.removedProductPages, ...(stopCodeFiles?.removedPages ?? []), ...listingPages.removedFilePages].map(outputFileOf);
  for (const file of removed) {
    putBack(file);
    outputs.delete(file);
  }
  const directToWrite: PlannedOutput[] = [];
  // In runBuild's order: the site-wide files, the redirect stubs, the articles' data files.
  const siteWide = stopCodeFiles ? [stopCodeFiles.sitemap, stopCodeFiles.redirects, articleList, stopCodeFiles.list, feed] : [sitemap, articleList, feed];
  for (const output of [...siteWide, ...(stopCodeFiles?.stubs ?? [])]) if (output && changes(output.path, output.fingerprint)) directToWrite.push(output);
  for (const id of changedIds) {
    for (const output of articleDataOutputs(edited.get(id)!, absolute)) if (changes(output.path, output.fingerprint)) directToWrite.push(output);
  }

  const hadDelta = previous.deltaIds.length + previous.removedPaths.length > 0;
  const hasDelta = search.deltaIds.length + search.removedPaths.length > 0;
  const summary = summaryAfter(previous.summary, [...lastBuilt.values()], [...edited.values()]);
  const state: BuildPlan['state'] = start.held
    ? // A watching process keeps every page context (those changed here go in once the build is done) and the listing contexts.
      // The contexts changed since its state was last saved are those saved next, unless the whole set is still to be saved.
      {
        outputs,
        sources,
        pages: previous.pages,
        pagesComplete: true,
        pagesChanged: previous.pagesChanged && [...previous.pagesChanged, ...contextsChanged],
        listings: listings ? () => listings : previous.listings,
        summary,
      }
    : // A new title changed some page contexts and listing contexts: they are saved again.
      { outputs, sources, pages: relisting ? pages : null, pagesComplete: false, pagesChanged: relisting ? [...contextsChanged] : null, listings: listings && (() => listings), summary };
  const outcome = await executeBuild(options, {
    incremental: true,
    version: previous.siteVersion,
    previous,
    site: pageSite(config, renderArticles, new Map(renderArticles.map((a) => [a.id, parsePageContext(pages.get(a.id)![1])])), listingPages.home, listingPages.allFiles ?? []),
    // The search page says whether there is a delta index: rendered again when that changes.
    render: { ...render, searchPage: hadDelta !== hasDelta, homePage: listingPages.home !== null, productsPage: listingPages.productsChanged, stopIndexPage: listingPages.stopCodesMoved !== null, filesIndexPage: listingPages.allFiles !== null },
    directToWrite,
    removed,
    search,
    changedOutputs,
    state,
  }).catch((error: unknown) => {
    for (const step of undo.reverse()) step();
    throw error;
  });
  if (start.held) for (const id of contextsChanged) previous.pages!.set(id, pages.get(id)!);
  const report = lastReport && reportAfter(lastReport, reported, summary);
  return { outcome, articleCount: previous.sources.size, parsed: changed.length, relisted: relisted.size, report, files };
}

/**
 * A site-wide list file (`api/articles.json`, `sitemap.xml`) with the entries of changed articles
 * (as last built → as now) replaced where they stand; null when no entry changed (the file is not
 * read), undefined when the file in the output is not the one the last build wrote (it is then
 * built from the whole site). At 60,000 articles the article list is 13 MB: patched in a few tens
 * of milliseconds, where listing every article anew would mean modelling the site.
 */
async function relistedFile(outputDir: string, previous: BuildState, file: string, changes: Array<[before: Article, after: Article]>, entry: (a: Article) => string, between: { opens: string; closes: string }): Promise<PlannedOutput | null | undefined> {
  const entries = changes.map(([before, after]) => [entry(before), entry(after)] as const).filter(([before, after]) => before !== after);
  if (!entries.length) return null;
  let bytes = await builtFile(outputDir, previous, file);
  if (bytes === null) return undefined;
  for (const [before, after] of entries) {
    bytes = replaceEntry(bytes, before, after, between.opens, between.closes);
    if (bytes === null) return undefined;
  }
  const content = bytes;
  return { path: file, fingerprint: hash(content), render: () => content };
}

/**
 * What lists every stop code, after an article gained or lost one (`moved`, from relistListings):
 * `sitemap.xml` (`sitemap`: with the changed articles' entries replaced, or null to read it) and
 * `_redirects` with their stop-code parts written again, `api/stop-codes.json`, the redirect stubs of
 * new codes and the pages and stubs of codes gone (as site paths). Undefined when the sitemap or
 * `_redirects` in the output is not the one the last build wrote.
 */
async function stopCodeOutputs(
  outputDir: string,
  previous: BuildState,
  { before, after }: NonNullable<RelistedListings['stopCodesMoved']>,
  sitemap: PlannedOutput | null,
  absolute: (sitePath: string) => string,
  href: (sitePath: string) => string,
): Promise<{ sitemap: PlannedOutput; redirects: PlannedOutput; list: PlannedOutput; stubs: PlannedOutput[]; removedPages: string[] } | undefined> {
  const [sitemapNow, redirectsNow] = await Promise.all([
    patchedFile(outputDir, previous, 'sitemap.xml', sitemap, (text) => sitemapWithStopCodes(text, before, after, absolute)),
    patchedFile(outputDir, previous, '_redirects', null, (text) => redirectsWithStopCodes(text, before, after, href)),
  ]);
  if (!sitemapNow || !redirectsNow) return undefined;
  const list = stopCodesJson({ stopCodes: after }, absolute);
  const stubsOf = (stopCodes: StopCodeEntry[]) => new Map(stopCodeRedirects(stopCodes).map((r) => [r.from, r]));
  const [stubsBefore, stubsAfter] = [stubsOf(before), stubsOf(after)];
  const codesAfter = new Set(after.map((s) => s.code));
  return {
    sitemap: sitemapNow,
    redirects: redirectsNow,
    list: { path: 'api/stop-codes.json', fingerprint: hash(list), render: () => list },
    stubs: [...stubsAfter.values()].filter((r) => !stubsBefore.has(r.from)).map((r) => redirectOutput(r, href, absolute)),
    removedPages: [...before.filter((s) => !codesAfter.has(s.code)).map((s) => stopCodePath(s.code)), ...[...stubsBefore.keys()].filter((from) => !stubsAfter.has(from))],
  };
}

/**
 * A site-wide file with `patch` applied: to `current` (what this rebuild made of it so far), or to
 * the file in the output when null. Undefined when the file in the output is not the one the last
 * build wrote, or `patch` cannot be applied to it.
 */
async function patchedFile(outputDir: string, previous: BuildState, file: string, current: PlannedOutput | null, patch: (text: string) => string | null): Promise<PlannedOutput | undefined> {
  let text: string | null;
  if (current) {
    const rendered = current.render();
    text = typeof rendered === 'string' ? rendered : Buffer.from(rendered).toString('utf8');
  } else text = (await builtFile(outputDir, previous, file))?.toString('utf8') ?? null;
  const patched = text === null ? null : patch(text);
  if (patched === null) return undefined;
  return { path: file, fingerprint: hash(patched), render: () => patched };
}

/** A site-wide file in the output, or null when it is missing or not the one the last build wrote. */
async function builtFile(outputDir: string, previous: BuildState, file: string): Promise<Buffer | null> {
  const bytes = await readFile(path.join(outputDir, file)).catch(() => null);
  return bytes !== null && hash(bytes) === previous.outputs.get(file) ? bytes : null;
}

/**
 * `feed.xml` from the recent articles as the last build listed them (`before`) and as they are
 * now; undefined when the feed in the build state is not the one `before` gives (it is then built
 * from the whole site).
 */
function relistedFeed(config: SiteConfig, previous: BuildState, before: Article[], after: Article[], absolute: (sitePath: string) => string): PlannedOutput | undefined {
  const file = 'feed.xml';
  if (hash(atomFeed({ config, recent: before }, absolute)) !== previous.outputs.get(file)) return undefined;
  const text = atomFeed({ config, recent: after }, absolute);
  return { path: file, fingerprint: hash(text), render: () => text };
}
