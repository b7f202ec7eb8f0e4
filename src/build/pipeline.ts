/**
 * `kb build`: content → validated model → pages, data files and search index → the output folder.
 *
 * Speed comes from three things:
 * - the search index is fed from the model (not from HTML) while Eleventy renders pages, so the two
 *   run side by side (Pagefind works in its own process);
 * - data outputs (redirect stubs, JSON, CSV) are written straight from the model, not as pages;
 * - a rebuild renders only what changed: every output has a fingerprint of its inputs
 *   (`fingerprints.ts`), kept in `<output>.cache/state.v8`, and the search index gets a small
 *   delta index of the articles changed since the full index, which the search page merges.
 *
 * Safety: everything is written to a staging folder first. A full build swaps the staging folder in
 * with two renames; a rebuild moves the few changed files into place only after rendering and
 * indexing succeeded. Either way a failed build leaves the previous site as it was.
 */
import { mkdir, readFile, readdir, rename, rm, rmdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { deserialize, serialize } from 'node:v8';
import Eleventy from '@11ty/eleventy';
import { PACKAGE_ROOT, eleventyDirectories, setPluginDefaults } from '../eleventy/plugin.ts';
import { everything, type RenderSelection } from '../eleventy/site-data.ts';
import { writeSearchIndex } from '../search/index.ts';
import { canonicalPath, filePath, stopCodePath, type SiteModel } from '../site-model.ts';
import type { SiteConfig } from '../site-config.ts';
import { outputFileOf, plannedDirectOutputs, type PlannedOutput } from './direct-outputs.ts';
import { writeFiles } from '../write-files.ts';
import { articlePageFingerprint, filePageFingerprint, hash, productPageFingerprint, siteVersion, stopPageFingerprint } from './fingerprints.ts';
import type { Progress } from './progress.ts';
import { KbError } from '../errors.ts';
import { unitSizeFromEnv } from '../concurrency.ts';

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
  format: 1;
  siteVersion: string;
  buildId: string;
  /** Output file (relative to the output folder) → fingerprint of its inputs. Maps, not objects:
   *  at 60,000 articles there are 320,000 outputs, and a watched rebuild goes through all of them. */
  outputs: Map<string, string>;
  /** Articles whose search records live in the delta index (changed since the full index). */
  deltaIds: number[];
  /** Canonical paths of articles removed since the full index (hidden from its results). */
  removedPaths: string[];
  /** Source file → size and modification time of it and its files.yaml, to see which articles changed. */
  sources: Map<string, string>;
}

/**
 * Where the state of the last build is kept: `<output>.cache/state.v8`, in V8's serialization format,
 * which keeps the Maps as they are. At 60,000 articles (320,000 outputs) reading it takes 0.4 s and
 * writing it 0.1 s; as JSON it took 1.7 s (parse, then objects to Maps) and 0.8 s. A file that another
 * Node version cannot read is only a full build.
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

export function cacheDirOf(outputDir: string): string {
  return `${outputDir}.cache`;
}

/** The state of the build that made the output folder, or null when the folder is not (or no longer) one
 *  kbsite built. A watching process passes the state it remembers, which saves reading ~16 MB at 60,000
 *  articles; the marker is read either way, so a folder another build replaced meanwhile is not trusted. */
async function readState(outputDir: string, remembered?: BuildState | null): Promise<BuildState | null> {
  try {
    const marker = (await readFile(path.join(outputDir, BUILD_MARKER), 'utf8')).trim();
    if (remembered) return marker === remembered.buildId ? remembered : null;
    const saved = deserialize(await readFile(stateFileOf(outputDir))) as BuildState;
    if (saved.format !== 1 || !(saved.sources instanceof Map) || !(saved.outputs instanceof Map) || marker !== saved.buildId) return null;
    return saved;
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
function pagesIn(render: RenderSelection): number {
  return render.articles.length + render.productPages.length + render.stopCodes.length + render.files.length;
}

/** Every rendered page with its fingerprint, by output file. */
function pageFingerprints(site: SiteModel): Map<string, string> {
  const pages = new Map<string, string>();
  for (const a of site.articles) pages.set(outputFileOf(canonicalPath(a.id)), articlePageFingerprint(a, site));
  for (const p of site.productPages) pages.set(outputFileOf(p.path), productPageFingerprint(p));
  for (const s of site.stopCodes) pages.set(outputFileOf(stopCodePath(s.code)), stopPageFingerprint(s));
  for (const f of site.files) pages.set(outputFileOf(filePath(f.name)), filePageFingerprint(f));
  return pages;
}

/** Build the site into `outputDir`, rendering only what changed since the build there; the caller then
 *  saves `outcome.state` with `saveBuildState`. */
export async function runBuild(options: BuildOptions): Promise<BuildOutcome> {
  const { outputDir, config, site, progress } = options;
  const version = siteVersion(PACKAGE_ROOT, config);
  const previous = options.full ? null : await readState(outputDir, options.remembered);
  const incremental = previous !== null && previous.siteVersion === version;
  const { sources } = options;
  const changedSources = new Set<string>();
  if (incremental) for (const [file, signature] of sources) if (previous!.sources.get(file) !== signature) changedSources.add(file);

  const href = (p: string) => config.pathPrefix.replace(/\/$/, '') + p;
  const absolute = (p: string) => config.baseUrl + href(p);
  const direct = plannedDirectOutputs(site, href, absolute);
  const outputs = pageFingerprints(site);
  for (const d of direct) outputs.set(d.path, d.fingerprint);
  const before = incremental ? previous!.outputs : null;
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
  const byPath = new Map(site.articles.map((a) => [canonicalPath(a.id), a]));
  let deltaIds: number[] = [];
  let removedPaths: string[] = [];
  let indexKind: BuildOutcome['indexKind'] = 'full';
  if (incremental) {
    const changedArticles = site.articles.filter((a) => changedSources.has(a.sourcePath)).map((a) => a.id);
    const removedArticlePaths = removed.filter((f) => /^kb\/\d+\/index\.html$/.test(f)).map((f) => `/${f.replace(/index\.html$/, '')}`);
    deltaIds = [...new Set([...previous!.deltaIds, ...changedArticles])].filter((id) => site.byId.has(id)).sort((a, b) => a - b);
    removedPaths = [...new Set([...previous!.removedPaths, ...removedArticlePaths])].filter((p) => !byPath.has(p)).sort();
    const deltaChanged = changedArticles.length > 0 || removedArticlePaths.length > 0;
    if (deltaIds.length + removedPaths.length > deltaLimit(site.articles.length)) {
      deltaIds = [];
      removedPaths = [];
    } else {
      indexKind = deltaChanged ? 'delta' : 'none';
    }
  }

  const staging = `${outputDir}.building-${process.pid}`;
  await rm(staging, { recursive: true, force: true });
  await mkdir(staging, { recursive: true });
  try {
    // 1. The search index, in the background: Pagefind runs in its own process.
    let indexed = 0;
    const indexArticles = indexKind === 'full' ? site.articles : indexKind === 'delta' ? deltaIds.map((id) => site.byId.get(id)!) : [];
    const indexPhase = indexArticles.length || indexKind === 'delta' ? progress.start(indexKind === 'full' ? 'search index' : 'search delta index', indexArticles.length) : null;
    const indexing = (async () => {
      if (!indexPhase) return;
      indexed = await writeSearchIndex(indexArticles, staging, {
        bundle: indexKind === 'full' ? 'pagefind' : DELTA_BUNDLE,
        delta: indexKind === 'delta',
        onProgress: (n) => indexPhase.update(n),
      });
      if (indexKind === 'delta') await writeFile(path.join(staging, DELTA_MANIFEST), deltaManifest(deltaIds, removedPaths));
      indexPhase.end();
    })();
    // Avoid an unhandled rejection while Eleventy runs; the error is rethrown by the await below.
    indexing.catch(() => {});

    // 2. Data outputs straight from the model.
    const directPhase = progress.start('data files', directToWrite.length);
    await writeFiles(staging, directToWrite, (n) => directPhase.update(n));
    directPhase.end();

    // 3. Pages through Eleventy, a batch of articles per run (see renderBatches).
    const pageCount = pagesIn(render);
    const renderPhase = progress.start('pages', pageCount);
    let pagesBefore = 0;
    process.env.KB_OUTPUT_DIR = staging; // .eleventy.js's directory settings win over constructor arguments
    const dirs = eleventyDirectories(staging);
    for (const batch of renderBatches(render)) {
      const before = pagesBefore;
      setPluginDefaults({ contentDir: options.contentDir, config, preloaded: site, render: batch, managedBuild: true, hasSearchDelta: deltaIds.length + removedPaths.length > 0, log: options.log, onPageWritten: (n) => renderPhase.update(before + n) });
      const elev = new Eleventy(dirs.input, staging, { quietMode: true, configPath: path.join(PACKAGE_ROOT, '.eleventy.js') });
      // kb prints its own summary and progress; Eleventy's forced "Wrote N files" and benchmark notes would only interleave with it.
      ((elev as unknown as { logger: unknown }).logger as { overrideLogger(l: Pick<Console, 'log' | 'warn' | 'error' | 'info'>): void }).overrideLogger({ log() {}, info() {}, warn() {}, error: (...a: unknown[]) => console.error(...a) });
      await elev.write();
      pagesBefore += pagesIn(batch);
    }
    renderPhase.end();

    await indexing;
    // A full build is named by everything in it; a rebuild by what it changed in the build before
    // (hashing every output's fingerprint again costs a watched rebuild at 60,000 articles ~0.3 s).
    const changedOutputs: string[] = [];
    for (const [file, fingerprint] of outputs) if (changed(file)) changedOutputs.push(file, fingerprint);
    const buildId = incremental ? hash([version, previous!.buildId, changedOutputs, removed, deltaIds, removedPaths]) : hash([version, changedOutputs, deltaIds, removedPaths]);
    await writeFile(path.join(staging, BUILD_MARKER), `${buildId}\n`);

    // 4. Into place.
    if (incremental) await applyIncremental(staging, outputDir, removed, indexKind, deltaIds.length + removedPaths.length > 0);
    else await swapIn(staging, outputDir);
    const state: BuildState = { format: 1, siteVersion: version, buildId, outputs, deltaIds, removedPaths, sources };
    return { mode: incremental ? 'incremental' : 'full', pagesRendered: pageCount, filesWritten: directToWrite.length, indexed, indexKind: indexPhase ? indexKind : 'none', state };
  } finally {
    await rm(staging, { recursive: true, force: true });
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
  const stateFile = stateFileOf(outputDir);
  await writeFile(`${stateFile}.tmp`, serialize(state));
  await rename(`${stateFile}.tmp`, stateFile);
}

/** What the search page needs to merge the delta index: which full-index results it replaces. */
export function deltaManifest(deltaIds: number[], removedPaths: string[]): string {
  return `${JSON.stringify({ replaced: [...deltaIds.map((id) => canonicalPath(id)), ...removedPaths] })}\n`;
}

async function swapIn(staging: string, outputDir: string): Promise<void> {
  const old = `${outputDir}.previous-${process.pid}`;
  const hadOld = await stat(outputDir).then(() => true, () => false);
  await mkdir(path.dirname(outputDir), { recursive: true });
  if (hadOld) await rename(outputDir, old);
  await rename(staging, outputDir);
  if (hadOld) await rm(old, { recursive: true, force: true });
}

/** File-system steps of applyIncremental; a test replaces `rename` to make one step fail. */
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
