/**
 * `kb build`: content → validated model → pages, data files and search index → the output folder.
 *
 * Speed comes from three things:
 * - the search index is fed from the model (not from HTML) while Eleventy renders pages, so the two
 *   run side by side (Pagefind works in its own process);
 * - data outputs (redirect stubs, JSON, CSV) are written straight from the model, not as pages, on a
 *   thread of their own; a large build's Eleventy runs are shared with a render thread (render-pages.ts);
 * - a rebuild renders only what changed: every output has a fingerprint of its inputs
 *   (`fingerprints.ts`), kept in `<output>.cache/state.v8`, and the search index gets a small
 *   delta index of the articles changed since the full index, which the search page merges.
 *
 * Safety: everything is written to a staging folder first. A full build swaps the staging folder in
 * with two renames (and leaves deleting the old site to a process of its own: discard.ts); a rebuild
 * moves the few changed files into place only after rendering and indexing succeeded. Either way a
 * failed build leaves the previous site as it was.
 */
import { mkdir, readFile, readdir, rename, rm, rmdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { deserialize, serialize } from 'node:v8';
import { PACKAGE_ROOT } from '../package-root.ts';
import { replaceFile } from '../replace-file.ts';
import { everything, type RenderSelection } from '../eleventy/site-data.ts';
import { writeSearchIndex } from '../search/index.ts';
import { canonicalPath, filePath, stopCodePath, type SiteModel } from '../site-model.ts';
import { siteUrls, type SiteConfig } from '../site-config.ts';
import { outputFileOf, plannedDirectOutputs, type PlannedOutput } from './direct-outputs.ts';
import { OutputFingerprints, type SavedFingerprints } from './output-fingerprints.ts';
import { writeFiles, writeFilesOnThread, type BackgroundWrite } from '../write-files.ts';
import { articlePageContext, articlePageFingerprint, filePageFingerprint, hash, productPageFingerprint, siteVersion, stopPageFingerprint } from './fingerprints.ts';
import type { Progress } from './progress.ts';
import type { Article } from '../article/model.ts';
import { summarise, type BuildSummary } from '../build-report.ts';
import { writePageContexts, type PageContexts } from './page-contexts.ts';
import { listingContextsOf, writeListingContexts, type ListingContexts } from './listing-contexts.ts';
import { cacheDirOf } from './cache-dir.ts';
import { discardInBackground, discardedSiteOf, leftoverDiscards, leftoverStagingDirs, stagingDirOf } from './discard.ts';
import { KbError } from '../errors.ts';
import { unitSizeFromEnv } from '../concurrency.ts';
import { renderPages } from './render-pages.ts';

/** Bundle folder of the delta index, and the list of articles it supersedes in the full index. */
export const DELTA_BUNDLE = 'pagefind-delta';
export const DELTA_MANIFEST = `${DELTA_BUNDLE}/delta.json`;
/** Identifies the build in the output folder, so a rebuild knows the folder is the one it made. */
const BUILD_MARKER = '.kbsite-build';

/** Rebuild the whole search index once this many articles changed since it was built. */
export function deltaLimit(articleCount: number): number {
  return Math.max(500, Math.ceil(articleCount * 0.02));
}

export interface BuildState {
  format: 3;
  siteVersion: string;
  /** The folder the build ran in: `sources` and the parse cache name files as shown from it
   *  (src/display-path.ts, parseCacheVersion). Absent from the states of builds before it was kept. */
  workingDir?: string;
  buildId: string;
  /** Output file (relative to the output folder) → fingerprint of its inputs: 308,000 at 60,000
   *  articles, saved packed (output-fingerprints.ts), a Map once a build that models the site reads them. */
  outputs: OutputFingerprints;
  /** Articles whose search records live in the delta index (changed since the full index). */
  deltaIds: number[];
  /** Canonical paths of articles removed since the full index (hidden from its results). */
  removedPaths: string[];
  /** Source file → size and modification time of it and its files.yaml, to see which articles changed. */
  sources: Map<string, string>;
  /** Article → its source file and its page's context (articlePageContext in fingerprints.ts): what a
   *  rebuild after an edit only the page shows needs to render it without the rest of the site (quick-rebuild.ts).
   *  Saved in files of their own (page-contexts.ts); null when read back, and after a one-shot quick
   *  rebuild that changes none of them (one after a title edit has those it read, see `pagesChanged`). */
  pages: PageContexts | null;
  /** Whether `pages` has every article's context: after a build that modelled the site, and in a
   *  watching process, whose quick rebuilds keep them up to date (and render saves from them). */
  pagesComplete: boolean;
  /** Which of `pages` go to disk. Null: all of them, as a set of their own (`pagesId` becomes the
   *  build's id). Else only the shards of these articles, into the set `pagesId`, which is on disk but
   *  for them: after a one-shot quick rebuild that changed some contexts, and in a watching process,
   *  the contexts its quick rebuilds changed since the state was last saved (saveBuildState sets it
   *  to none), so that saving rewrites a few shards, not all 37 MB at 60,000 articles. */
  pagesChanged: number[] | null;
  /** What the listing pages show of articles (listing-contexts.ts), saved and read back like `pages`:
   *  a rebuild after a title edit renders the pages that show it from them. Worked out when saved
   *  (0.24 s at 60,000 articles, which a watching process spends once saves stop coming, not per save). */
  listings: (() => ListingContexts) | null;
  /** The set of page context (and listing context) files that belongs to this state: those of the
   *  last build that modelled the site, or of a quick rebuild after a title edit, which changes some. */
  pagesId: string;
  /** The summary of the build report, which such a rebuild repeats. */
  summary: BuildSummary;
}

/** The state as its file holds it: the outputs packed. */
type SavedBuildState = Omit<BuildState, 'outputs'> & { outputs: SavedFingerprints };

/**
 * Where the state of the last build is kept: `<output>.cache/state.v8`, in V8's serialization format,
 * which keeps the Maps as they are. At 60,000 articles (308,000 outputs) reading it took 0.45–0.6 s
 * with the outputs as a Map, and 0.14–0.19 s packed (output-fingerprints.ts); as JSON it took 1.7 s
 * (parse, then objects to Maps). A file that another Node version cannot read is only a full build.
 */
export function stateFileOf(outputDir: string): string {
  return path.join(cacheDirOf(outputDir), 'state.v8');
}

export interface BuildOptions {
  contentDir: string;
  outputDir: string;
  config: SiteConfig;
  site: SiteModel;
  /** Article file → signature from the loader (src/article/load.ts), to see which articles changed. */
  sources: Map<string, string>;
  full: boolean;
  progress: Progress;
  log: (line: string) => void;
  /** The state the previous build in this process left (watch mode): saves reading it back from disk. */
  remembered?: BuildState | null;
}

export interface BuildOutcome {
  mode: 'full' | 'incremental';
  pagesRendered: number;
  filesWritten: number;
  indexed: number;
  indexKind: 'full' | 'delta' | 'none';
  /** What the next build needs to know of this one (also saved in `<output>.cache/state.v8`). */
  state: BuildState;
}


/** The state of the build that made the output folder, or null when the folder is not (or no longer) one
 *  kbsite built. A watching process passes the state it remembers, which saves reading ~16 MB at 60,000
 *  articles; the marker is read either way, so a folder another build replaced meanwhile is not trusted. */
export async function readState(outputDir: string, remembered?: BuildState | null): Promise<BuildState | null> {
  try {
    const marker = (await readFile(path.join(outputDir, BUILD_MARKER), 'utf8')).trim();
    if (remembered) return marker === remembered.buildId ? remembered : null;
    const saved = deserialize(await readFile(stateFileOf(outputDir))) as SavedBuildState;
    const outputs = OutputFingerprints.fromSaved(saved.outputs);
    if (saved.format !== 3 || !(saved.sources instanceof Map) || !outputs || marker !== saved.buildId) return null;
    return { ...saved, outputs };
  } catch {
    return null;
  }
}

/**
 * Articles Eleventy renders in one run. Eleventy keeps every page of a run, its data and its
 * output, until the run ends: 60,000 articles in one run took the build from 1.8 to 3.6 GB.
 * `KB_ARTICLES_PER_RUN` sets another number (tests build small sites in several runs).
 */
export const ARTICLES_PER_ELEVENTY_RUN = 10_000;

/** The pages to render, in runs: the first run has the listing pages and the first articles, each other run only articles. */
export function renderBatches(render: RenderSelection, size = unitSizeFromEnv('KB_ARTICLES_PER_RUN', ARTICLES_PER_ELEVENTY_RUN)): RenderSelection[] {
  const batches: RenderSelection[] = [];
  for (let start = 0; start === 0 || start < render.articles.length; start += size) {
    const articles = render.articles.slice(start, start + size);
    batches.push(start === 0 ? { ...render, articles } : { articles, productPages: [], stopCodes: [], files: [], sitePages: false });
  }
  return batches;
}

/** The paginated pages a selection renders (the site pages aside). */
export function pagesIn(render: RenderSelection): number {
  return render.articles.length + render.productPages.length + render.stopCodes.length + render.files.length;
}

/** Every rendered page with its fingerprint, by output file; and every article page's context. */
function pageFingerprints(site: SiteModel): { pages: Map<string, string>; contexts: PageContexts } {
  const pages = new Map<string, string>();
  const contexts: PageContexts = new Map();
  for (const a of site.articles) {
    const context = articlePageContext(a, site);
    contexts.set(a.id, [a.sourcePath, context]);
    pages.set(outputFileOf(canonicalPath(a.id)), articlePageFingerprint(a, context));
  }
  for (const p of site.productPages) pages.set(outputFileOf(p.path), productPageFingerprint(p));
  for (const s of site.stopCodes) pages.set(outputFileOf(stopCodePath(s.code)), stopPageFingerprint(s));
  for (const f of site.files) pages.set(outputFileOf(filePath(f.name)), filePageFingerprint(f));
  return { pages, contexts };
}

/** Build the site into `outputDir`, rendering only what changed since the build there; the caller then
 *  saves `outcome.state` with `saveBuildState`. */
export async function runBuild(options: BuildOptions): Promise<BuildOutcome> {
  const { outputDir, config, site } = options;
  const version = siteVersion(PACKAGE_ROOT, config);
  const previous = options.full ? null : await readState(outputDir, options.remembered);
  const incremental = previous !== null && previous.siteVersion === version;
  const { sources } = options;
  const changedSources = new Set<string>();
  if (incremental) for (const [file, signature] of sources) if (previous!.sources.get(file) !== signature) changedSources.add(file);

  const { href, absolute } = siteUrls(config);
  const direct = plannedDirectOutputs(site, href, absolute);
  const { pages: outputs, contexts } = pageFingerprints(site);
  for (const d of direct) outputs.set(d.path, d.fingerprint);
  const before = incremental ? previous!.outputs.asMap() : null;
  const changed = (file: string) => before === null || before.get(file) !== outputs.get(file);

  const render: RenderSelection = incremental
    ? {
        articles: site.articles.filter((a) => changed(outputFileOf(canonicalPath(a.id)))),
        productPages: site.productPages.filter((p) => changed(outputFileOf(p.path))),
        stopCodes: site.stopCodes.filter((s) => changed(outputFileOf(stopCodePath(s.code)))),
        files: site.files.filter((f) => changed(outputFileOf(filePath(f.name)))),
      }
    : everything(site);
  const directToWrite: PlannedOutput[] = direct.filter((d) => changed(d.path));
  const removed: string[] = [];
  if (before) for (const file of before.keys()) if (!outputs.has(file)) removed.push(file);

  // Search: the full index, or a delta index of every article changed since the full index.
  let search: SearchPlan = { kind: 'full', articles: site.articles, deltaIds: [], removedPaths: [] };
  if (incremental) {
    const byPath = new Map(site.articles.map((a) => [canonicalPath(a.id), a]));
    const changedArticles = site.articles.filter((a) => changedSources.has(a.sourcePath)).map((a) => a.id);
    const removedArticlePaths = removed.filter((f) => /^kb\/\d+\/index\.html$/.test(f)).map((f) => `/${f.replace(/index\.html$/, '')}`);
    search = planDelta(previous!, changedArticles, removedArticlePaths, { articleCount: site.articles.length, hasArticle: (id) => site.byId.has(id), articleOf: (id) => site.byId.get(id)!, pathExists: (p) => byPath.has(p) }) ?? search;
  }
  // A full build is named by everything in it; a rebuild by what it changed in the build before
  // (hashing every output's fingerprint again costs a watched rebuild at 60,000 articles ~0.3 s).
  const changedOutputs: string[] = [];
  for (const [file, fingerprint] of outputs) if (changed(file)) changedOutputs.push(file, fingerprint);
  return executeBuild(options, {
    incremental,
    version,
    previous,
    site,
    render,
    directToWrite,
    removed,
    search,
    changedOutputs,
    state: { outputs: OutputFingerprints.of(outputs), sources, pages: contexts, pagesComplete: true, pagesChanged: null, listings: once(() => listingContextsOf(site)), summary: summarise(site.articles) },
  });
}

/** `make`'s result, made the first time it is asked for: a watching process saves the listing
 *  contexts each time saves stop, and a quick rebuild of a title copies them (0.24 s to work out at 60,000 articles). */
function once<T>(make: () => T): () => T {
  let made: { value: T } | null = null;
  return () => (made ??= { value: make() }).value;
}

/** What goes into the search index of a build. */
export interface SearchPlan {
  /** The full index, a delta index of `deltaIds`, or no new index. */
  kind: 'full' | 'delta' | 'none';
  articles: Article[];
  deltaIds: number[];
  removedPaths: string[];
}

/** What planDelta asks of the site being built. */
export interface DeltaSite {
  articleCount: number;
  hasArticle(id: number): boolean;
  /** The article with that number, asked only for the articles of a delta index to write. */
  articleOf(id: number): Article;
  /** Whether an article path (`/kb/<n>/`) is in the site. */
  pathExists(articlePath: string): boolean;
}

/**
 * The delta index after a rebuild: every article changed since the full index (those of earlier
 * rebuilds and `changedIds`), and the paths removed since. Null when it has grown past deltaLimit:
 * then the full index is built again.
 */
export function planDelta(previous: BuildState, changedIds: number[], removedArticlePaths: string[], site: DeltaSite): SearchPlan | null {
  const { articleCount, hasArticle, articleOf, pathExists: exists } = site;
  const deltaIds = [...new Set([...previous.deltaIds, ...changedIds])].filter(hasArticle).sort((a, b) => a - b);
  const removedPaths = [...new Set([...previous.removedPaths, ...removedArticlePaths])].filter((p) => !exists(p)).sort();
  if (deltaIds.length + removedPaths.length > deltaLimit(articleCount)) return null;
  const kind = changedIds.length > 0 || removedArticlePaths.length > 0 ? 'delta' : 'none';
  return { kind, articles: kind === 'delta' ? deltaIds.map(articleOf) : [], deltaIds, removedPaths };
}

/** Everything a build writes, worked out before anything is written (runBuild, or quick-rebuild.ts). */
export interface BuildPlan {
  incremental: boolean;
  version: string;
  previous: BuildState | null;
  /** The site the pages are rendered from (for a quick rebuild, only what the changed pages show). */
  site: SiteModel;
  render: RenderSelection;
  directToWrite: PlannedOutput[];
  /** Output files of the previous build that this one no longer has. */
  removed: string[];
  search: SearchPlan;
  /** Each output file whose fingerprint changed, followed by its fingerprint. */
  changedOutputs: string[];
  state: Pick<BuildState, 'outputs' | 'sources' | 'pages' | 'pagesComplete' | 'pagesChanged' | 'listings' | 'summary'>;
}

/** From this many data files on, a build writes them on a thread of its own (starting it takes a few
 *  milliseconds). A full build of the demo site's five articles writes 33, so every full build of the
 *  tests' sites takes that way too; a rebuild after an edit writes a handful. */
const WRITE_ON_THREAD_FROM = 32;

/** Carry out a plan: write into a staging folder, then move it into place (see the header). */
export async function executeBuild(options: Pick<BuildOptions, 'contentDir' | 'outputDir' | 'config' | 'progress' | 'log'>, plan: BuildPlan): Promise<BuildOutcome> {
  const { outputDir, config, progress } = options;
  const { incremental, version, previous, site, render, directToWrite, removed, search, changedOutputs } = plan;
  const { deltaIds, removedPaths } = search;
  const staging = stagingDirOf(outputDir);
  await rm(staging, { recursive: true, force: true });
  await mkdir(staging, { recursive: true });
  discardInBackground(await leftoverStagingDirs(outputDir));
  let direct: BackgroundWrite | null = null;
  let indexing: Promise<void> = Promise.resolve();
  const stopIndexing = new AbortController();
  let failed = true;
  try {
    // 1. The search index, in the background: Pagefind runs in its own process.
    let indexed = 0;
    const indexPhase = search.articles.length || search.kind === 'delta' ? progress.start(search.kind === 'full' ? 'search index' : 'search delta index', search.articles.length) : null;
    indexing = (async () => {
      if (!indexPhase) return;
      indexed = await writeSearchIndex(search.articles, staging, {
        bundle: search.kind === 'full' ? 'pagefind' : DELTA_BUNDLE,
        delta: search.kind === 'delta',
        onProgress: (n) => indexPhase.update(n),
        signal: stopIndexing.signal,
      });
      if (search.kind === 'delta') await writeFile(path.join(staging, DELTA_MANIFEST), deltaManifest(deltaIds, removedPaths));
      indexPhase.end();
    })();
    // Avoid an unhandled rejection while Eleventy runs; the error is rethrown by the await below.
    indexing.catch(() => {});

    // 2. Data outputs straight from the model: many are written on a thread of their own while the
    // pages render (see writeFilesOnThread), a few (a rebuild's) here at once.
    const directPhase = progress.start('data files', directToWrite.length);
    if (directToWrite.length < WRITE_ON_THREAD_FROM) {
      await writeFiles(staging, directToWrite, (n) => directPhase.update(n));
      directPhase.end();
    } else {
      direct = writeFilesOnThread(staging, directToWrite, (n) => directPhase.update(n));
      // Avoid an unhandled rejection while Eleventy runs; the error is rethrown by the await below.
      direct.done.then(() => directPhase.end(), () => {});
    }

    // 3. Pages through Eleventy, a batch of articles per run (see renderBatches), shared with a thread of its own (render-pages.ts).
    const pageCount = pagesIn(render);
    const renderPhase = progress.start('pages', pageCount);
    const pagesJob = { contentDir: options.contentDir, outputDir: staging, config, hasSearchDelta: deltaIds.length + removedPaths.length > 0, log: options.log };
    await renderPages(pagesJob, site, renderBatches(render), (n) => renderPhase.update(n));
    renderPhase.end();

    await direct?.done;
    await indexing;
    const buildId = incremental ? hash([version, previous!.buildId, changedOutputs, removed, deltaIds, removedPaths]) : hash([version, changedOutputs, deltaIds, removedPaths]);
    await writeFile(path.join(staging, BUILD_MARKER), `${buildId}\n`);

    // 4. Into place.
    if (incremental) await applyIncremental(staging, outputDir, removed, search.kind, deltaIds.length + removedPaths.length > 0);
    else await swapIn(staging, outputDir);
    const pagesId = plan.state.pages && !plan.state.pagesChanged ? buildId : previous!.pagesId;
    const state: BuildState = { format: 3, siteVersion: version, workingDir: process.cwd(), buildId, deltaIds, removedPaths, pagesId, ...plan.state };
    failed = false;
    return { mode: incremental ? 'incremental' : 'full', pagesRendered: pageCount, filesWritten: directToWrite.length, indexed, indexKind: indexPhase ? search.kind : 'none', state };
  } finally {
    // Nothing writes into the staging folder while it is removed: after a failure the search index
    // would otherwise go on writing shards into it for a minute at 60,000 articles.
    stopIndexing.abort(new KbError('the build failed'));
    await Promise.all([direct?.stop(), indexing.catch(() => {})]);
    // Eleventy's passthrough copy, which is not ours to stop, may still be putting files in after a
    // failure (rm then meets a folder that is not empty): tried again, and never in place of the
    // failure itself; a folder left goes with the next build (leftoverStagingDirs).
    const removing = rm(staging, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
    await (failed ? removing.catch(() => {}) : removing);
  }
}

/**
 * Keep the state of a build for the next one, in `<output>.cache/state.v8`. Called by whoever ran
 * `runBuild` once it has said the site is up to date: at 60,000 articles the file is ~16 MB, and a
 * watched rebuild need not wait for it (the watching process remembers the state). Until it is
 * written, the folder's build marker names a build the file does not describe, so a build in between
 * would ignore the file and build everything: slower, never wrong.
 */
export async function saveBuildState(outputDir: string, state: BuildState): Promise<void> {
  await mkdir(cacheDirOf(outputDir), { recursive: true });
  // The page and listing contexts first: the state names them, and is written last.
  const cacheDir = cacheDirOf(outputDir);
  await Promise.all([
    state.pages ? writePageContexts(cacheDir, state.pagesId, state.pages, state.pagesChanged ?? undefined) : null,
    state.listings ? writeListingContexts(cacheDir, state.pagesId, state.listings()) : null,
  ]);
  const stateFile = stateFileOf(outputDir);
  await replaceFile(stateFile, serialize({ ...state, outputs: state.outputs.saved(), pages: null, pagesComplete: false, pagesChanged: null, listings: null } satisfies SavedBuildState));
  // The set is on disk as `pages` has it: a watching process's next quick rebuild, which goes on from
  // this state, adds only the contexts it changes (quickRebuildWhileWatching).
  if (state.pages) state.pagesChanged = [];
}

/** What the search page needs to merge the delta index: which full-index results it replaces. */
export function deltaManifest(deltaIds: number[], removedPaths: string[]): string {
  return `${JSON.stringify({ replaced: [...deltaIds.map((id) => canonicalPath(id)), ...removedPaths] })}\n`;
}

/**
 * Put a full build's staging folder in the output's place: two renames. Should the second fail, the
 * previous site is renamed back, so the output never stands empty. Once the new site is in place,
 * the previous one is deleted by a process of its own (discard.ts).
 */
export async function swapIn(staging: string, outputDir: string, fs: ApplyFs = { rename }): Promise<void> {
  const old = discardedSiteOf(outputDir);
  const hadOld = await stat(outputDir).then(() => true, () => false);
  await mkdir(path.dirname(outputDir), { recursive: true });
  if (hadOld) await fs.rename(outputDir, old);
  try {
    await fs.rename(staging, outputDir);
  } catch (error) {
    if (hadOld) await rename(old, outputDir);
    throw error;
  }
  discardInBackground(await leftoverDiscards(outputDir));
}

/** File-system steps of swapIn and applyIncremental; a test replaces `rename` to make one step fail. */
export interface ApplyFs {
  rename(from: string, to: string): Promise<void>;
}

/**
 * Move the files of a rebuild into the existing site; search bundles are swapped as whole folders.
 * A transaction: every file it replaces or removes is first moved aside into `<output>.undo-<pid>`,
 * so if any step fails (a full disk, a file held open on Windows) every step is undone in reverse
 * and the site is as it was, before the error is passed on.
 */
export async function applyIncremental(staging: string, outputDir: string, removed: string[], indexKind: BuildOutcome['indexKind'], hasDelta: boolean, fs: ApplyFs = { rename }): Promise<void> {
  const undo = `${outputDir}.undo-${process.pid}`;
  await rm(undo, { recursive: true, force: true });
  const done: Array<{ target: string; backup: string | null }> = [];
  /** Puts `from` (or nothing) at `target`, keeping what was there. */
  const replace = async (target: string, from: string | null): Promise<void> => {
    const existed = await stat(target).then(() => true, () => false);
    if (!existed && !from) return;
    const backup = existed ? path.join(undo, path.relative(outputDir, target)) : null;
    if (backup) {
      await mkdir(path.dirname(backup), { recursive: true });
      await fs.rename(target, backup);
    }
    done.push({ target, backup });
    if (from) {
      // A folder made for a new page is undone too (mkdir returns the first folder it made).
      const made = await mkdir(path.dirname(target), { recursive: true });
      if (made) done.push({ target: made, backup: null });
      await fs.rename(from, target);
    }
  };
  try {
    const bundles = new Set(['pagefind', DELTA_BUNDLE]);
    const entries = await readdir(staging, { recursive: true, withFileTypes: true });
    for (const entry of entries) {
      if (!entry.isFile()) continue;
      const rel = path.relative(staging, path.join(entry.parentPath, entry.name));
      if (bundles.has(rel.split(path.sep)[0]!)) continue;
      await replace(path.join(outputDir, rel), path.join(staging, rel));
    }
    for (const bundle of bundles) {
      const fresh = path.join(staging, bundle);
      const live = path.join(outputDir, bundle);
      const swap = (bundle === 'pagefind' && indexKind === 'full') || (bundle === DELTA_BUNDLE && indexKind !== 'none');
      if (swap && (await stat(fresh).catch(() => null))) await replace(live, fresh);
      else if (bundle === DELTA_BUNDLE && !hasDelta) await replace(live, null);
    }
    for (const file of removed) await replace(path.join(outputDir, file), null);
  } catch (error) {
    try {
      for (const step of done.reverse()) {
        await rm(step.target, { recursive: true, force: true });
        if (step.backup) await rename(step.backup, step.target);
      }
    } catch (undoError) {
      // Keep the moved-aside files: they are the only copy of the previous site's versions.
      throw new KbError(`the rebuild failed (${(error as Error).message}) and could not be undone (${(undoError as Error).message}); the previous versions of the files are in ${undo}. Run kb build --full.`);
    }
    await rm(undo, { recursive: true, force: true });
    throw error;
  }
  await rm(undo, { recursive: true, force: true });
  // The folders of removed pages (`kb/<n>/`, its redirect folders) would stay behind empty. Not part
  // of the transaction: it is done, and an empty folder left by a failure here harms nothing.
  for (const file of removed) await removeEmptyFolders(path.dirname(path.join(outputDir, file)), outputDir);
}

/** Remove `dir` and its parents up to (not including) `root` while they are empty. */
async function removeEmptyFolders(dir: string, root: string): Promise<void> {
  for (let current = dir; current.startsWith(root + path.sep); current = path.dirname(current)) {
    if ((await readdir(current).catch(() => null))?.length !== 0) return;
    await rmdir(current).catch(() => {});
  }
}
