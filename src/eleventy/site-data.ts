/**
 * Loading the whole site (articles + config → SiteModel) with every problem collected, shared by
 * the CLI (which validates before Eleventy starts, for clean messages) and the Eleventy plugin.
 */
import { ContentError } from '../errors.ts';
import { loadArticles, type KnownFiles } from '../article/load.ts';
import { ParseCache } from '../article/parse-cache.ts';
import { surveyContent, type ContentSurvey } from '../article/survey.ts';
import { hash, siteVersion } from '../build/fingerprints.ts';
import { PACKAGE_ROOT } from '../package-root.ts';
import { buildSiteModel, type SiteModel } from '../site-model.ts';
import type { SiteConfig } from '../site-config.ts';

export interface LoadedSite {
  site: SiteModel;
  /** Article file → signature (src/article/load.ts), to see which articles changed since a build. */
  sources: Map<string, string>;
  /** Every article file read (absolute paths). */
  files: string[];
  parsed: number;
  fromCache: number;
}

/**
 * Read, validate and model the site. With `parseCacheDir`, files unchanged since the last run are
 * not parsed again (src/article/parse-cache.ts) and the cache is updated before the site is modelled;
 * `ignoreCache` (kb build --full) parses everything and rewrites the cache. A watching process
 * (src/build/watch.ts) passes the cache it keeps in memory and the files it knows are unchanged,
 * and writes the cache later (`deferCacheWrite`).
 */
export async function loadSite(
  contentDir: string,
  config: SiteConfig,
  options: { parseCacheDir?: string; ignoreCache?: boolean; cache?: ParseCache; known?: KnownFiles; deferCacheWrite?: boolean; survey?: Promise<ContentSurvey | null> } = {},
): Promise<LoadedSite> {
  const { parseCacheDir: dir, ignoreCache, known } = options;
  // The folder is surveyed on another thread while this one reads the parse cache (src/article/survey.ts).
  const survey = known ? undefined : (options.survey ?? surveyContent(contentDir));
  const cache = options.cache ?? (dir ? await openParseCache(dir, ignoreCache ?? false) : undefined);
  const { articles, problems, sources, files, parsed, fromCache } = await loadArticles(contentDir, { cache, known, survey });
  // A watching process writes its cache when saves stop coming (src/build/watch.ts); the objects
  // are written as the model leaves them, which only adds the file-table row anchors it derives.
  if (!options.deferCacheWrite) await cache?.write();
  const { site, problems: siteProblems } = buildSiteModel(articles, config);
  const all = [...problems, ...siteProblems];
  if (all.length) throw new ContentError(all);
  return { site, sources, files, parsed, fromCache };
}

/** The parse cache in `dir`; empty (to be rewritten) with `ignoreCache`. */
export async function openParseCache(dir: string, ignoreCache: boolean): Promise<ParseCache> {
  return ignoreCache ? new ParseCache(dir, parseCacheVersion()) : ParseCache.read(dir, parseCacheVersion());
}

/** Cached parses are valid for this kbsite code, run from this folder (messages name files relative to it). */
export function parseCacheVersion(): string {
  return hash([siteVersion(PACKAGE_ROOT, 'parse-cache'), process.cwd()]);
}

/**
 * The site handed to Eleventy as global data. A class instance, not a plain object, so Eleventy's
 * data cascade passes it by reference instead of deep-merging 60,000 articles into every template;
 * `replace` swaps in a rebuilt site in place (watch mode) so templates keep the same reference.
 */
// Declaration merging: a KbSiteData has every SiteModel field, copied in by `replace`.
export interface KbSiteData extends SiteModel {}
export class KbSiteData {
  /** The pages Eleventy renders in this build: all of them, or (kb build) only those whose inputs changed. */
  render!: RenderSelection;
  /** Whether the output has a search delta index (set by kb build; see src/build/pipeline.ts). */
  hasSearchDelta = false;
  constructor(site: SiteModel, render?: RenderSelection) {
    this.replace(site, render);
  }
  replace(site: SiteModel, render?: RenderSelection): void {
    Object.assign(this, site);
    this.render = render ?? everything(site);
  }
}

/** The paginated page kinds, each limited to the items to render. */
export interface RenderSelection {
  articles: SiteModel['articles'];
  stopCodes: SiteModel['stopCodes'];
  productPages: SiteModel['productPages'];
  files: SiteModel['files'];
  /** The home, search and index pages, styles and scripts; false in the article-only runs of a large build
   *  (src/build/pipeline.ts, renderBatches). Default true. */
  sitePages?: boolean;
  /** With sitePages false: the search page alone (a quick rebuild whose search delta index is its first, src/build/quick-rebuild.ts). */
  searchPage?: boolean;
  /** With sitePages false: the home page alone (a quick rebuild after a title edit of an article it lists). */
  homePage?: boolean;
  /** With sitePages false: the list of products alone (a quick rebuild after an edit of an article's products). */
  productsPage?: boolean;
  /** With sitePages false: the list of stop codes alone (a quick rebuild after an edit of an article's stop codes). */
  stopIndexPage?: boolean;
  /** With sitePages false: the list of files alone (a quick rebuild after an edit of an article's file versions). */
  filesIndexPage?: boolean;
}

export function everything(site: SiteModel): RenderSelection {
  return { articles: site.articles, stopCodes: site.stopCodes, productPages: site.productPages, files: site.files };
}
