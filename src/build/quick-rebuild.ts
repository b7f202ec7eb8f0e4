/**
 * The quick rebuild: `kb build` after edits that change only what a few articles' own pages show
 * (their text, keywords, "applies to" …), the most common edits, without reading and modelling the
 * whole site again.
 *
 * Why it is right. What other pages show of an article (its title, dates, products, stop codes,
 * file tables, aliases, the articles its body links to, …) is everything but its body and a few
 * fields of its own page: its "outline" (`outlineOf`). When every changed file's outline equals the
 * one the last build was made from, every fingerprint but those of the article's own outputs is unchanged (src/build/fingerprints.ts):
 * its page, its data files and its search record. The page also shows the rest of the site (related
 * articles, backlinks, which references resolve): the last build that modelled the site kept that
 * as the page's context beside its state (`articlePageContext`, page-contexts.ts), and nothing it
 * depends on changed.
 *
 * Anything else (a new or removed file, a changed outline, a problem in a file, other code or
 * config, a search delta index grown past its limit) declines, and `kb build` does the usual
 * rebuild. So the quick rebuild is never needed for a right site, only for a fast one: at 60,000
 * articles the usual rebuild reads 180 MB of parse cache and models the whole site (10–14 s).
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Article } from '../article/model.ts';
import { articleFilesOf, MAX_ARTICLE_BYTES, parseArticleFile, sourceSignature } from '../article/load.ts';
import type { ParsedFile } from '../article/parse-workers.ts';
import { articleReferencedIds } from '../article/references.ts';
import { ParseCache } from '../article/parse-cache.ts';
import type { ContentSurvey } from '../article/survey.ts';
import { displayPath } from '../display-path.ts';
import { PACKAGE_ROOT } from '../eleventy/plugin.ts';
import { parseCacheVersion } from '../eleventy/site-data.ts';
import { assignRowAnchors } from '../file-versions.ts';
import { canonicalPath, type SiteModel } from '../site-model.ts';
import { siteUrls, type SiteConfig } from '../site-config.ts';
import { articleDataOutputs, outputFileOf, type PlannedOutput } from './direct-outputs.ts';
import { articlePageFingerprint, parsePageContext, siteVersion, type PageContext } from './fingerprints.ts';
import { readPageContexts } from './page-contexts.ts';
import { cacheDirOf, parseCacheDirOf } from './cache-dir.ts';
import { summarise, type BuildSummary } from '../build-report.ts';
import { executeBuild, planDelta, readState, type BuildOptions, type BuildOutcome, type BuildState } from './pipeline.ts';

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
  /** Every article file (absolute paths, sorted), as loadSite reports them. */
  files: string[];
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

/** The build summary after `before` became `after` (summarise is a sum over articles). */
export function summaryAfter(summary: BuildSummary, before: Article[], after: Article[]): BuildSummary {
  const [removed, added] = [summarise(before), summarise(after)];
  const next = { ...summary };
  for (const key of Object.keys(next) as Array<keyof BuildSummary>) next[key] += added[key] - removed[key];
  return next;
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
  const survey = await surveying;
  if (!survey) return decline('the content folder could not be surveyed');

  // Which files changed: the same files as last time, a few with other signatures.
  const files = articleFilesOf(contentDir, survey);
  if (files.length !== previous.sources.size) return decline('articles were added or removed');
  const changed: Array<{ file: string; shown: string; signature: string }> = [];
  for (const file of files) {
    const shown = displayPath(file);
    const before = previous.sources.get(shown);
    if (before === undefined) return decline('articles were added or removed');
    const { size, mtimeMs } = survey.get(file)!;
    if (size > MAX_ARTICLE_BYTES) return decline('an article is too large');
    const signature = sourceSignature(file, size, mtimeMs, (f) => survey.get(f));
    if (signature === before) continue;
    changed.push({ file, shown, signature });
    if (changed.length > QUICK_REBUILD_LIMIT) return decline(`more than ${QUICK_REBUILD_LIMIT} articles changed`);
  }

  // The articles as the last build had them (the parse cache), and their pages' contexts.
  const cacheDir = cacheDirOf(outputDir);
  const cache = await ParseCache.readShardsOf(parseCacheDirOf(outputDir), parseCacheVersion(), changed.map((c) => c.file));
  const cachedArticle = (shown: string) => cache.get(path.resolve(shown), previous.sources.get(shown)!)?.result.article ?? undefined;
  const lastBuilt = new Map<string, Article>();
  for (const { shown } of changed) {
    const before = cachedArticle(shown);
    if (!before) return decline('the parse cache does not have the last build of a changed article');
    lastBuilt.set(shown, before);
  }
  // With nothing changed, the delta index stays as it is: its articles are not needed.
  const deltaIds = changed.length ? previous.deltaIds : [];
  const pages = await readPageContexts(cacheDir, previous.pagesId, [...[...lastBuilt.values()].map((a) => a.id), ...deltaIds]);
  if (!pages) return decline('the page contexts of the last build are missing');
  const isArticle = (id: number) => previous.outputs.has(`kb/${id}.json`); // every article has its JSON

  const edited = new Map<number, Article>();
  const parses = new Map<string, ParsedFile>();
  const contexts = new Map<number, PageContext>();
  for (const { file, shown } of changed) {
    const parsed = await parseArticleFile(file, await readFile(file), true);
    const article = parsed.result.article;
    if (!article || parsed.result.problems.length) return decline('a changed article has problems');
    // The loader's check across articles: a link to an article that is not there is a problem.
    if (parsed.result.references?.some((ref) => !isArticle(ref.id))) return decline('a changed article links to an unknown article');
    if (outlineOf(article) !== outlineOf(lastBuilt.get(shown)!)) return decline('an article changed in what other pages show of it');
    const page = pages.get(article.id);
    if (!page || page[0] !== shown) return decline('the build state is incomplete');
    contexts.set(article.id, parsePageContext(page[1]));
    edited.set(article.id, article);
    parses.set(file, parsed);
  }
  // The articles already in the search delta index go into it again.
  const deltaSources = deltaIds.map((id) => pages.get(id)?.[0]);
  if (deltaSources.some((source) => source === undefined)) return decline('the build state is incomplete');
  await cache.include(deltaSources.map((source) => path.resolve(source!)));
  const deltaArticles = new Map<number, Article>();
  for (const [i, id] of deltaIds.entries()) {
    const article = edited.get(id) ?? cachedArticle(deltaSources[i]!);
    if (!article) return decline('the parse cache does not have an article of the search delta index');
    deltaArticles.set(id, article);
  }
  for (const [id, article] of edited) deltaArticles.set(id, article);

  // Search: the delta index grows by the edited articles.
  const changedIds = [...edited.keys()].sort((a, b) => a - b);
  const search = planDelta(previous, changedIds, [], {
    articleCount: previous.sources.size,
    hasArticle: isArticle,
    articleOf: (id) => deltaArticles.get(id)!,
    pathExists: () => false, // the paths removed before are still gone: no article was added
  });
  if (!search) return decline('the search delta index is full; the search index is built again');

  // Nothing declines from here on: the state read is updated in place.
  const sources = previous.sources;
  for (const { file, shown, signature } of changed) {
    const { result, digest } = parses.get(file)!;
    cache.set(file, { signature, result, digest });
    sources.set(shown, signature);
  }

  // Outputs: the edited articles' pages and data files, where their fingerprints changed.
  const { absolute } = siteUrls(config);
  const outputs = previous.outputs;
  const changedOutputs: string[] = [];
  const renderArticles: Article[] = [];
  const directToWrite: PlannedOutput[] = [];
  for (const id of changedIds) {
    const article = edited.get(id)!;
    const pageFile = outputFileOf(canonicalPath(id));
    const fingerprint = articlePageFingerprint(article, pages.get(id)![1]);
    if (outputs.get(pageFile) === fingerprint) continue;
    outputs.set(pageFile, fingerprint);
    changedOutputs.push(pageFile, fingerprint);
    renderArticles.push(article);
  }
  // After the pages, as in runBuild's list of outputs, so the build is named the same either way.
  for (const id of changedIds) {
    for (const output of articleDataOutputs(edited.get(id)!, absolute)) {
      if (outputs.get(output.path) === output.fingerprint) continue;
      outputs.set(output.path, output.fingerprint);
      changedOutputs.push(output.path, output.fingerprint);
      directToWrite.push(output);
    }
  }

  const hadDelta = previous.deltaIds.length + previous.removedPaths.length > 0;
  const hasDelta = search.deltaIds.length + search.removedPaths.length > 0;
  const outcome = await executeBuild(options, {
    incremental: true,
    version: previous.siteVersion,
    previous,
    site: pageSite(config, renderArticles, contexts),
    // The search page says whether there is a delta index: rendered again when that changes.
    render: { articles: renderArticles, productPages: [], stopCodes: [], files: [], sitePages: false, searchPage: hadDelta !== hasDelta },
    directToWrite,
    removed: [],
    search,
    changedOutputs,
    state: { outputs, sources, pages: null, summary: summaryAfter(previous.summary, [...lastBuilt.values()], [...edited.values()]) },
  });
  await cache.write();
  return { outcome, articleCount: previous.sources.size, parsed: changed.length, files };
}

/**
 * The site as the edited articles' pages see it: the articles themselves, and what their contexts
 * say of the rest (related articles and backlinks by number and title, the references that resolve).
 * The layouts read nothing else of other articles (layouts/article.njk); the tests compare such
 * pages with those of a full build, byte for byte.
 */
function pageSite(config: SiteConfig, articles: Article[], contexts: Map<number, PageContext>): SiteModel {
  const shown = (id: number, title: string) => ({ id, title }) as Article;
  const byId = new Map<number, Article>(articles.map((a) => [a.id, a]));
  const related: SiteModel['links']['related'] = new Map();
  const backlinks: SiteModel['links']['backlinks'] = new Map();
  for (const a of articles) {
    const [relatedTo, linkedFrom, resolved] = contexts.get(a.id)!;
    for (const id of resolved) if (!byId.has(id)) byId.set(id, shown(id, ''));
    if (relatedTo.length) related.set(a.id, relatedTo.map(([id, title, reasons]) => ({ article: shown(id, title), reasons })));
    if (linkedFrom.length) backlinks.set(a.id, linkedFrom.map(([id, title]) => shown(id, title)));
  }
  return { config, articles, byId, redirects: [], products: [], recent: [], newest: [], links: { related, backlinks }, withFileData: [], stopCodes: [], productPages: [], files: [] };
}
