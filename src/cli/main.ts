/**
 * `kb build | serve | check`: the command line. Content problems become one line each
 * (`file:line: message`) and a non-zero exit; stack traces only with --debug.
 */
import { parseArgs } from 'node:util';
import { rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import Eleventy from '@11ty/eleventy';
import { ContentError, KbError, UsageError } from '../errors.ts';
import { loadSiteConfig } from '../site-config.ts';
import { buildReport, formatSummary } from '../build-report.ts';
import { displayPath } from '../display-path.ts';
import { loadSite } from '../eleventy/site-data.ts';
import { cacheDirOf, runBuild } from '../build/pipeline.ts';
import { Progress } from '../build/progress.ts';
import { PACKAGE_ROOT, eleventyDirectories, setPluginDefaults } from '../eleventy/plugin.ts';

const USAGE = `Usage:
  kb build [--content DIR] [--output DIR] [--config FILE] [--path-prefix /prefix/] [--full]
                                     a rebuild renders only what changed; --full rebuilds everything
  kb serve [--content DIR] [--port 8080]
  kb links [--output DIR] [--path-prefix /prefix/] [--shards 24 [--jobs 2] | --shard 1/24] [--skip-redirects]
                                     check every internal link and #anchor of a built site; --shards checks
                                     every page's links in that many child processes (large sites)
  kb check [--content DIR] [--format text|json]   validate everything, write nothing (exit 0 ok, 2 problems)
  kb import <legacy-dir> --out DIR   convert legacy articles into modern ones (front matter + files.yaml)
Options: --debug shows stack traces; --quiet prints only errors.`;

export async function main(argv: string[]): Promise<number> {
  const debug = argv.includes('--debug');
  try {
    return await run(argv);
  } catch (error) {
    if (error instanceof KbError) {
      console.error(error instanceof ContentError ? `kb: the build stopped; fix these and run it again:\n${error.message}` : `kb: ${error.message}`);
      if (debug) console.error(error.stack);
      return error.exitCode;
    }
    const kbCause = findKbCause(error);
    if (kbCause) {
      console.error(`kb: ${kbCause.message}`);
      if (debug) console.error((error as Error).stack);
      return kbCause.exitCode;
    }
    console.error(`kb: internal error (a bug in kbsite, please report it): ${(error as Error)?.message ?? error}`);
    if (debug) console.error((error as Error)?.stack);
    else console.error('kb: run again with --debug for the stack trace');
    return 70;
  }
}

/** Eleventy wraps errors thrown in our hooks; find ours inside. */
function findKbCause(error: unknown): KbError | null {
  for (let e = error as { cause?: unknown; originalError?: unknown } | undefined, depth = 0; e && depth < 10; depth++) {
    if (e instanceof KbError) return e;
    e = (e.originalError ?? e.cause) as typeof e;
  }
  return null;
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

  switch (command) {
    case 'build':
      return build(contentDir, path.resolve(opts.output!), config, log, { full: opts.full ?? false, quiet: opts.quiet ?? false });
    case 'check': {
      const { parseCheckFormat, runCheck } = await import('./check.ts');
      return runCheck(contentDir, config, { format: parseCheckFormat(opts.format), quiet: opts.quiet ?? false });
    }
    case 'serve':
      return serve(contentDir, config, Number(opts.port));
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

/**
 * `kb build`: validate everything first (clean messages; only the parse cache in `<output>.cache/` is
 * written, never the site), then build (src/build/pipeline.ts).
 */
async function build(contentDir: string, outputDir: string, config: ReturnType<typeof loadSiteConfig>, log: Log, flags: { full: boolean; quiet: boolean }): Promise<number> {
  const reportFile = `${outputDir}-report.json`;
  const started = performance.now();
  const progress = Progress.forStream(process.stderr, flags.quiet);
  const { site, sources, parsed, fromCache } = await loadSite(contentDir, config, { parseCacheDir: path.join(cacheDirOf(outputDir), 'parsed'), ignoreCache: flags.full });
  log(`[kb] ${site.articles.length} articles read from ${displayPath(contentDir)}${fromCache ? ` (${parsed} parsed, ${fromCache} unchanged since the last build)` : ''}`);
  const outcome = await runBuild({ contentDir, outputDir, config, site, sources, full: flags.full, progress, log }).catch((error: unknown) => {
    // runBuild writes into a staging folder and moves it into place only at the end (pipeline.ts).
    console.error(`kb: the build failed; ${displayPath(outputDir)} was left as it was.`);
    throw error;
  });
  const report = buildReport(site.articles);
  for (const line of formatSummary(report.summary)) log(line);
  if (report.warnings.length) {
    await writeFile(reportFile, JSON.stringify(report, null, 2) + '\n');
    log(`[kb] every warning, with its file: ${displayPath(reportFile)}`);
  }
  const what = outcome.mode === 'full' ? `built ${site.articles.length} articles` : `updated ${outcome.pagesRendered} pages and ${outcome.filesWritten} data files${outcome.indexKind === 'delta' ? `, ${outcome.indexed} articles in the search delta index` : ''}`;
  log(`[kb] ${what} into ${displayPath(outputDir)} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return 0;
}

async function serve(contentDir: string, config: ReturnType<typeof loadSiteConfig>, port: number): Promise<number> {
  setPluginDefaults({ contentDir, config });
  // kb serve rewrites _site/ on its own terms (full search index, no delta): the next kb build must
  // not take it for the site it left, so it builds in full.
  await rm(path.join('_site', '.kbsite-build'), { force: true });
  await rm(path.join('_site', 'pagefind-delta'), { recursive: true, force: true });
  const dirs = eleventyDirectories('_site');
  const elev = new Eleventy(dirs.input, '_site', { runMode: 'serve', quietMode: true, configPath: path.join(PACKAGE_ROOT, '.eleventy.js') });
  await elev.init();
  await elev.watch();
  elev.serve(port);
  return new Promise(() => {});
}
