/**
 * `kb build | serve | check`: the command line. Content problems become one line each
 * (`file:line: message`) and a non-zero exit; stack traces only with --debug.
 */
import { parseArgs } from 'node:util';
import { rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ContentError, FILE_SYSTEM_EXIT_CODE, KbError, UsageError, errorChain, fileSystemFailure } from '../errors.ts';
import { loadSiteConfig } from '../site-config.ts';
import { INTERNAL_ERROR_EXIT_CODE, forgetAbandoned, takeUnhandled, trackRejections } from './rejections.ts';
import { buildReport, formatSummary, reportFileOf, type BuildReport, type BuildSummary } from '../build-report.ts';
import { displayPath } from '../display-path.ts';
import { counted } from '../counted.ts';
import { Progress } from '../build/progress.ts';
import { surveyContent, surveysFinished, type ContentSurvey } from '../article/survey.ts';
import { listingFileOf, parseCacheDirOf } from '../build/cache-dir.ts';
import type { BuildOutcome, BuildState } from '../build/pipeline.ts';
import type { WatchBuildResult } from '../build/watch.ts';
import type { ParseCache } from '../article/parse-cache.ts';
import type { KnownFiles } from '../article/load.ts';

const USAGE = `Usage:
  kb build [--content DIR] [--output DIR] [--config FILE] [--path-prefix /prefix/] [--full] [--watch]
                                     a rebuild renders only what changed; --full rebuilds everything;
                                     --watch rebuilds on every change to the content until Ctrl+C
  kb serve [--content DIR] [--output DIR] [--port 8080]
                                     kb build --watch, and serve the site; open pages reload after each rebuild
  kb links [--output DIR] [--path-prefix /prefix/] [--shards 24 [--jobs 2] | --shard 1/24] [--skip-redirects]
                                     check every internal link and #anchor of a built site; --shards checks
                                     every page's links in that many child processes (large sites)
  kb check [--content DIR] [--format text|json]   validate everything, write nothing (exit 0 ok, 2 problems)
  kb import <legacy-dir> --out DIR   convert legacy articles into modern ones (front matter + files.yaml)
Options: --debug shows stack traces; --quiet prints only errors.`;

export async function main(argv: string[]): Promise<number> {
  trackRejections();
  let exitCode: number;
  try {
    exitCode = await run(argv);
  } catch (error) {
    exitCode = reportError(error, argv.includes('--debug'));
  }
  // A library's promise that failed with nothing to handle it, even late (see rejections.ts).
  return (await takeUnhandled(exitCode === 0)) ? INTERNAL_ERROR_EXIT_CODE : exitCode;
}

/** Print an error the way kb does (one line per content problem; stack only with --debug); returns the exit code. */
function reportError(error: unknown, debug: boolean): number {
  if (error instanceof KbError) {
    console.error(error instanceof ContentError ? `kb: the build stopped; fix these and run it again:\n${error.message}` : `kb: ${error.message}`);
    // kb's own message on a file it could not write (the data files' thread says which), and what to do.
    const fileSystem = fileSystemFailure(error);
    if (fileSystem) console.error(`kb: ${fileSystem.what}: ${fileSystem.advice}`);
    if (debug) console.error(error.stack);
    return fileSystem ? FILE_SYSTEM_EXIT_CODE : error.exitCode;
  }
  const kbCause = findKbCause(error);
  if (kbCause) {
    console.error(`kb: ${kbCause.message}`);
    if (debug) console.error((error as Error).stack);
    return kbCause.exitCode;
  }
  // Not kbsite's bug but the machine's: a full disk, a folder it may not write (Eleventy's or Node's error).
  const fileSystem = fileSystemFailure(error);
  if (fileSystem) {
    console.error(`kb: ${fileSystem.path ?? 'the file system failed'}: ${fileSystem.what}; ${fileSystem.advice}`);
    if (debug) console.error((error as Error).stack);
    return FILE_SYSTEM_EXIT_CODE;
  }
  console.error(`kb: internal error (a bug in kbsite, please report it): ${causesOf(error).join(': ')}`);
  if (debug) console.error((error as Error)?.stack);
  else console.error('kb: run again with --debug for the stack trace');
  return INTERNAL_ERROR_EXIT_CODE;
}

/** An error's message and those of its causes, outermost first (Eleventy's say which template failed, their causes why). */
function causesOf(error: unknown): string[] {
  return errorChain(error).map((e) => (typeof e.message === 'string' ? e.message : String(e)));
}

/** Eleventy wraps errors thrown in our hooks; find ours inside. */
function findKbCause(error: unknown): KbError | null {
  return (errorChain(error).find((e) => e instanceof KbError) as KbError | undefined) ?? null;
}

async function run(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  let parsed;
  try {
    parsed = parseArgs({
      args: rest,
      options: {
        content: { type: 'string', default: 'content' },
        output: { type: 'string', default: '_site' },
        config: { type: 'string', default: 'kbsite.yaml' },
        'path-prefix': { type: 'string' },
        port: { type: 'string', default: '8080' },
        out: { type: 'string' },
        debug: { type: 'boolean', default: false },
        quiet: { type: 'boolean', default: false },
        full: { type: 'boolean', default: false },
        watch: { type: 'boolean', default: false },
        shard: { type: 'string' },
        shards: { type: 'string' },
        jobs: { type: 'string' },
        'skip-redirects': { type: 'boolean', default: false },
        format: { type: 'string' },
      },
      strict: true,
      allowPositionals: command === 'import',
    });
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\n${USAGE}`);
  }
  const opts = parsed.values;
  if (command === 'import') return importCommand(parsed.positionals, opts.out, opts.quiet ?? false);
  if (command === 'links') {
    const { linksCommand } = await import('./links.ts');
    return linksCommand({
      siteDir: path.resolve(opts.output!),
      pathPrefix: loadSiteConfig(opts.config!, { pathPrefix: opts['path-prefix'] }).pathPrefix,
      quiet: opts.quiet ?? false,
      shard: opts.shard,
      shards: opts.shards,
      jobs: opts.jobs,
      skipRedirects: opts['skip-redirects'] ?? false,
    });
  }
  const contentDir = path.resolve(opts.content!);
  if (!(await stat(contentDir).catch(() => null))?.isDirectory()) throw new UsageError(`content folder ${opts.content} does not exist; pass --content DIR`);
  const config = loadSiteConfig(opts.config!, { pathPrefix: opts['path-prefix'] });
  const log = opts.quiet ? () => {} : (line: string) => console.log(line);
  const flags: BuildFlags = { full: opts.full ?? false, quiet: opts.quiet ?? false, debug: opts.debug ?? false };

  switch (command) {
    case 'build': {
      if (opts.watch) return watchCommand(contentDir, path.resolve(opts.output!), config, log, flags, null);
      // The content folder is surveyed on its own thread while the modules of the build load (0.7 s).
      // At 60,000 articles the survey takes 1.3 s from the last survey's listing (2–3 s without), and
      // a quick rebuild 3.2–3.3 s from start to exit.
      const outputDir = path.resolve(opts.output!);
      const survey = flags.full ? undefined : surveyContent(contentDir, listingFileOf(outputDir));
      try {
        await buildOnce(contentDir, outputDir, config, log, flags, { survey });
      } finally {
        await surveysFinished();
      }
      return 0;
    }
    case 'check': {
      const { parseCheckFormat, runCheck } = await import('./check.ts');
      return runCheck(contentDir, config, { format: parseCheckFormat(opts.format), quiet: opts.quiet ?? false });
    }
    case 'serve': {
      const port = Number(opts.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be a port number (got ${opts.port})`);
      return watchCommand(contentDir, path.resolve(opts.output!), config, log, flags, port);
    }
    case undefined:
    case 'help':
    case '--help':
      console.log(USAGE);
      return command ? 0 : 64;
    default:
      throw new UsageError(`unknown command "${command}"\n${USAGE}`);
  }
}

type Log = (line: string) => void;

async function importCommand(positionals: string[], out: string | undefined, quiet: boolean): Promise<number> {
  const [source] = positionals;
  if (!source || !out || positionals.length > 1) throw new UsageError(`kb import needs one source folder and --out DIR\n${USAGE}`);
  const { runImport } = await import('./import.ts');
  const result = await runImport(path.resolve(source), path.resolve(out), quiet ? () => {} : (line) => console.log(line));
  for (const failure of result.failed) console.error(`${failure.file}: ${failure.reason}`);
  return result.failed.length ? 1 : 0;
}

interface BuildFlags {
  full: boolean;
  quiet: boolean;
  debug: boolean;
}

/** What a watching process keeps between builds (src/build/watch.ts). */
interface Remembered {
  cache?: ParseCache;
  known?: KnownFiles;
  remembered?: BuildState | null;
  /** Leave saving the parse cache and the build state to the caller (watch mode). */
  deferStateSave?: boolean;
  /** A one-shot rebuild: the content folder as surveyed (src/article/survey.ts); the quick rebuild is tried first. */
  survey?: Promise<ContentSurvey | null>;
  /** Watch mode's quiet rebuild at start-up, which runs the code of the usual rebuild once (watch.ts). */
  rehearsal?: boolean;
}

/** The modules of a build, loaded when one starts: `kb --help` or `kb check` need none of them, and
 *  `kb build` surveys the content folder while they load. */
async function buildModules() {
  const [siteData, pipeline, quick] = await Promise.all([import('../eleventy/site-data.ts'), import('../build/pipeline.ts'), import('../build/quick-rebuild.ts')]);
  return { ...siteData, ...pipeline, ...quick };
}

/**
 * One `kb build`: validate everything first (clean messages; only the parse cache in `<output>.cache/` is
 * written, never the site), then build (src/build/pipeline.ts). Throws on failure, with the site left as it was.
 */
async function buildOnce(contentDir: string, outputDir: string, config: ReturnType<typeof loadSiteConfig>, log: Log, flags: BuildFlags, keep: Remembered = {}): Promise<WatchBuildResult> {
  const reportFile = reportFileOf(outputDir);
  const started = performance.now();
  const progress = Progress.forStream(process.stderr, flags.quiet);
  const { loadSite, runBuild, saveBuildState, quickRebuild, quickRebuildWhileWatching } = await buildModules();
  // A rebuild first tries the quick way (only what articles' own pages show changed: src/build/quick-rebuild.ts):
  // one-shot from what it reads back, in watch mode from what the process holds.
  const { survey, known, cache } = keep;
  let remembered = keep.remembered;
  const quickOptions = { contentDir, outputDir, config, progress, log };
  const quick = survey
    ? await quickRebuild(quickOptions, survey).catch(leftAsItWas(outputDir))
    : known && cache && remembered && !flags.full && !keep.rehearsal
      ? await quickRebuildWhileWatching(quickOptions, { state: remembered, known, cache }).catch(leftAsItWas(outputDir))
      : null;
  if (quick && 'outcome' in quick) {
    const { outcome, articleCount, parsed, relisted, report, files } = quick;
    log(readLine(articleCount, contentDir, parsed, articleCount - parsed));
    if (parsed) log(quickLine(parsed, relisted));
    // The report file is the last build's, with the entries of articles whose warnings changed replaced.
    if (report) await writeReport(reportFile, report);
    for (const line of summaryLines(outcome.state.summary, reportFile)) log(line);
    log(doneLine(outcome, articleCount, outputDir, started));
    // A watching process saves the state later (src/build/watch.ts).
    if (!keep.deferStateSave) await keepForNextBuild(flags.debug, () => Promise.all([quick.parseCache?.write(), saveBuildState(outputDir, outcome.state)]));
    return { files, sources: outcome.state.sources, state: outcome.state, quick: true };
  }
  if (quick) {
    // Said when there was a build to rebuild quickly, so that a slower rebuild is explained.
    if (quick.state) log(`[kb] the whole site is modelled again: ${quick.declined}`);
    remembered = quick.state;
  }
  const { site, sources, files, parsed, fromCache } = await loadSite(contentDir, config, { parseCacheDir: parseCacheDirOf(outputDir), ignoreCache: flags.full, cache: keep.cache, known: keep.known, deferCacheWrite: keep.deferStateSave, survey });
  log(readLine(site.articles.length, contentDir, parsed, fromCache));
  const outcome = await runBuild({ contentDir, outputDir, config, site, sources, full: flags.full, progress, log, remembered }).catch(leftAsItWas(outputDir));
  const report = buildReport(site.articles, outcome.state.summary);
  await writeReport(reportFile, report);
  for (const line of summaryLines(report.summary, reportFile)) log(line);
  log(doneLine(outcome, site.articles.length, outputDir, started));
  // A watching process saves the state and the parse cache later (src/build/watch.ts).
  if (!keep.deferStateSave) await keepForNextBuild(flags.debug, () => saveBuildState(outputDir, outcome.state));
  return { files, sources, state: outcome.state };
}

/**
 * Save what the next build reads back (the build state, the parse cache), once the site is in
 * place. Should that fail (a disk that filled up with the site), the site is still good and the
 * next build does more work, never wrong work: each file is replaced whole, and the state, written
 * last, is what names the rest. So it is a warning, not a failed build.
 */
async function keepForNextBuild(debug: boolean, save: () => Promise<unknown>): Promise<void> {
  try {
    await save();
  } catch (error) {
    const fileSystem = fileSystemFailure(error);
    const why = fileSystem ? `${fileSystem.path ? `${fileSystem.path}: ` : ''}${fileSystem.what}; ${fileSystem.advice}` : (error as Error).message;
    console.error(`kb: warning: the site is up to date, but the build cache could not be saved (${why}). The next kb build will do more work, never wrong work.`);
    if (debug) console.error((error as Error).stack);
  }
}

/** A failed build's message: both rebuilds write into a staging folder and move it into place only at the end (pipeline.ts). */
function leftAsItWas(outputDir: string): (error: unknown) => never {
  return (error) => {
    forgetAbandoned();
    console.error(`kb: the build failed; ${displayPath(outputDir)} was left as it was.`);
    throw error;
  };
}

/** The build report beside the site; none when there are no warnings (not one of an earlier build either). */
async function writeReport(reportFile: string, report: BuildReport): Promise<void> {
  if (report.warnings.length) await writeFile(reportFile, JSON.stringify(report, null, 2) + '\n');
  else await rm(reportFile, { force: true });
}

/** The build summary, and where the report of every warning is when there are any. */
function summaryLines(summary: BuildSummary, reportFile: string): string[] {
  return [...formatSummary(summary), ...(summary.warnings ? [`[kb] every warning, with its file: ${displayPath(reportFile)}`] : [])];
}

/** What lists show of an article that a quick rebuild follows (quick-rebuild.ts `listedFieldsOf`). */
const LISTED_FIELDS = '(title, summary, dates, type, products, stop codes, files)';

/** What a quick rebuild rebuilt (src/build/quick-rebuild.ts). */
function quickLine(parsed: number, relisted: number): string {
  if (parsed === 1) {
    const listed = relisted ? ` and in what lists show of it ${LISTED_FIELDS}` : '';
    return `[kb] 1 article changed only in what its own page shows${listed}: its page, data files and search record${relisted ? ', and the pages that list it,' : ''} are rebuilt, nothing else`;
  }
  const listed = relisted ? ` and ${relisted === 1 ? 'one in what lists show of it' : `${relisted} in what lists show of them`} ${LISTED_FIELDS}` : '';
  return `[kb] ${parsed} articles changed only in what their own pages show${listed}: their pages, data files and search records${relisted ? `, and the pages that list ${relisted === 1 ? 'it' : 'them'},` : ''} are rebuilt, nothing else`;
}

/** The first line of a build: how many articles, and how many of them were parsed. */
function readLine(articleCount: number, contentDir: string, parsed: number, fromCache: number): string {
  return `[kb] ${articleCount} articles read from ${displayPath(contentDir)}${fromCache ? ` (${parsed} parsed, ${fromCache} unchanged since the last build)` : ''}`;
}

/** The last line of a build: what it wrote, where, in how long. */
function doneLine(outcome: BuildOutcome, articleCount: number, outputDir: string, started: number): string {
  const what =
    outcome.mode === 'full'
      ? `built ${counted(articleCount, 'article')}`
      : `updated ${counted(outcome.pagesRendered, 'page')} and ${counted(outcome.filesWritten, 'data file')}${outcome.indexKind === 'delta' ? `, ${counted(outcome.indexed, 'article')} in the search delta index` : ''}`;
  return `[kb] ${what} into ${displayPath(outputDir)} in ${((performance.now() - started) / 1000).toFixed(1)} s`;
}

/**
 * `kb build --watch` and `kb serve` (with a port): build, then rebuild on every change to the
 * content (src/build/watch.ts); `kb serve` also serves the output, reloading open pages after each
 * rebuild. Runs until interrupted.
 */
async function watchCommand(contentDir: string, outputDir: string, config: ReturnType<typeof loadSiteConfig>, log: Log, flags: BuildFlags, port: number | null): Promise<number> {
  const [{ openParseCache, saveBuildState }, { watchSite }, { LiveReload, serveDirectory }] = await Promise.all([buildModules(), import('../build/watch.ts'), import('../static-server.ts')]);
  const cache = await openParseCache(parseCacheDirOf(outputDir), flags.full);
  const reload = new LiveReload();
  // The port is taken before the first build, so a port in use is said at once, not minutes later.
  const server =
    port === null
      ? null
      : await serveDirectory(outputDir, config.pathPrefix, { port, host: 'localhost', liveReload: reload }).catch((error: NodeJS.ErrnoException) => {
          throw error.code === 'EADDRINUSE' ? new UsageError(`port ${port} is in use; pass another with --port`) : error;
        });
  let full = flags.full;
  const session = await watchSite({
    contentDir,
    build: async (known, remembered, quiet) => {
      const result = await buildOnce(contentDir, outputDir, config, quiet ? () => {} : log, { ...flags, full, quiet: flags.quiet || quiet }, { cache, known, remembered, deferStateSave: true, rehearsal: quiet });
      full = false;
      return result;
    },
    failed: (error) => {
      reportError(error, flags.debug);
      console.error('kb: still watching; save a fix and the site is rebuilt.');
    },
    settled: ({ ok }) => {
      if (ok) reload.notify();
    },
    persist: (state) => keepForNextBuild(flags.debug, () => Promise.all([cache.write(), saveBuildState(outputDir, state)])),
  });
  if (server) console.log(`[kb] serving ${server.url}/ (pages reload after each rebuild)`);
  console.log(`[kb] watching ${displayPath(contentDir)} for changes; Ctrl+C to stop`);
  const interrupted = new Promise<null>((resolve) => process.once('SIGINT', () => resolve(null)));
  const failure = await Promise.race([interrupted, session.watchingFailed]);
  await Promise.all([session.close(), server?.close()]);
  if (failure) throw failure;
  return 0;
}
