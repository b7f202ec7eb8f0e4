/**
 * Pages through Eleventy, in runs (pipeline.ts renderBatches): Eleventy keeps every page of a run
 * until the run ends, so a large build renders its articles 10,000 at a time.
 *
 * A build of more than one run shares them between this thread and a thread of its own
 * (render-worker.mjs). The build's thread also feeds Pagefind and makes the data files, and once
 * Pagefind had finished, the last runs of a 60,000-article build rendered here alone for 85–95 s
 * with 35–45% of the machine idle. The thread is sent a run's articles and their page contexts
 * (articlePageContext in fingerprints.ts), which is all an article page shows of the rest of the site
 * (a quick rebuild renders pages from them too), and renders them exactly as this thread would.
 */
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import Eleventy from '@11ty/eleventy';
import type { Article } from '../article/model.ts';
import { eleventyDirectories, setPluginDefaults } from '../eleventy/plugin.ts';
import type { RenderSelection } from '../eleventy/site-data.ts';
import { PACKAGE_ROOT } from '../package-root.ts';
import type { SiteModel } from '../site-model.ts';
import type { SiteConfig } from '../site-config.ts';
import { articlePageContext, parsePageContext } from './fingerprints.ts';
import { pageSite } from './page-contexts.ts';
import { fileSystemCode } from '../errors.ts';

/** What every run of a build shares. */
export interface PagesJob {
  contentDir: string;
  outputDir: string;
  config: SiteConfig;
  /** The build writes (or keeps) a search delta index, which the search page must merge. */
  hasSearchDelta: boolean;
  log: (line: string) => void;
}

/** One Eleventy run: the pages `render` selects from `site`, written into the job's output folder. */
export async function runEleventy(job: PagesJob, site: SiteModel, render: RenderSelection, onPageWritten?: (count: number) => void, stop?: AbortSignal): Promise<void> {
  const { contentDir, outputDir, config, hasSearchDelta, log } = job;
  process.env.KB_OUTPUT_DIR = outputDir; // .eleventy.js's directory settings win over constructor arguments
  const dirs = eleventyDirectories(outputDir);
  // Once the run has failed (or `stop` says the build has), the next page of each template still
  // rendering fails before it is written: Eleventy goes on with a template's other pages after one
  // failed (Template.generateMapEntry), which at 10,000 pages a run would keep rendering, and making
  // folders in the staging folder the build removes, for a minute after the build said it failed.
  let failed = false;
  const pageWritten = (count: number) => {
    if (failed || stop?.aborted) throw new Error('this Eleventy run was stopped: the build failed');
    onPageWritten?.(count);
  };
  setPluginDefaults({ contentDir, config, preloaded: site, render, managedBuild: true, hasSearchDelta, log, onPageWritten: pageWritten });
  const elev = new Eleventy(dirs.input, outputDir, { quietMode: true, configPath: path.join(PACKAGE_ROOT, '.eleventy.js') });
  // kb prints its own summary and progress; Eleventy's forced "Wrote N files" and benchmark notes would only interleave with it.
  // Its report of a failure (a numbered chain of causes, then a stack) only with --debug: kb says what failed (src/cli/main.ts).
  const error = process.argv.includes('--debug') ? (...a: unknown[]) => console.error(...a) : () => {};
  ((elev as unknown as { logger: unknown }).logger as { overrideLogger(l: Pick<Console, 'log' | 'warn' | 'error' | 'info'>): void }).overrideLogger({ log() {}, info() {}, warn() {}, error });
  try {
    await elev.write();
  } catch (error) {
    failed = true;
    throw error;
  }
}

/** A run of articles as the thread gets it: the articles, and each one's page context (a JSON string). */
export interface ArticleRun {
  job: Omit<PagesJob, 'log'>;
  articles: Article[];
  contexts: string[];
}

/** Render a run of articles from their page contexts alone (on the thread, render-worker.mjs). */
export function renderArticleRun(run: ArticleRun, onPageWritten?: (count: number) => void): Promise<void> {
  const { job, articles, contexts } = run;
  const site = pageSite(job.config, articles, new Map(articles.map((a, i) => [a.id, parsePageContext(contexts[i]!)])), null, []);
  return runEleventy({ ...job, log: () => {} }, site, { articles, productPages: [], stopCodes: [], files: [], sitePages: false }, onPageWritten);
}

/** What the thread sends of a run's failure: its message, and a file system's code and path (so that a full disk is said as one, src/errors.ts). */
export function threadFailure(error: unknown): { message: string; code?: string; path?: string } {
  return { message: error instanceof Error ? error.message : String(error), ...fileSystemCode(error) };
}

/** A run that only renders articles, which the thread can take. */
function articlesOnly(render: RenderSelection): boolean {
  return render.sitePages === false && !render.productPages.length && !render.stopCodes.length && !render.files.length && !render.searchPage && !render.homePage && !render.productsPage && !render.stopIndexPage && !render.filesIndexPage;
}

/**
 * Render `runs` (the first is the one with the site's own pages): each run goes to whichever of this
 * thread and, with more than one run and `threads` 1, the render thread is free first. `onProgress`
 * gets the pages written so far by both. Resolves with the pages the thread rendered. Should either
 * fail, no further run starts, the thread is stopped, this thread's run stops at its next page, and
 * the first failure is thrown once that run has ended: nothing writes into the output folder after
 * it settles.
 */
export async function renderPages(job: PagesJob, site: SiteModel, runs: RenderSelection[], onProgress: (pages: number) => void, threads = runs.length > 1 ? 1 : 0): Promise<{ onThread: number }> {
  let next = 0;
  let failure: { error: unknown } | null = null;
  const stopHere = new AbortController();
  const written = { here: 0, thread: 0 };
  const report = () => onProgress(written.here + written.thread);

  const renderHere = async () => {
    while (!failure && next < runs.length) {
      const render = runs[next++]!;
      const before = written.here;
      await runEleventy(
        job,
        site,
        render,
        (n) => {
          written.here = before + n;
          report();
        },
        stopHere.signal,
      );
    }
  };
  const thread = threads > 0 ? new RenderThread() : null;
  const renderOnThread = async () => {
    while (!failure && next < runs.length && articlesOnly(runs[next]!)) {
      const { articles } = runs[next++]!;
      const before = written.thread;
      await thread!.render({ job: { contentDir: job.contentDir, outputDir: job.outputDir, config: job.config, hasSearchDelta: job.hasSearchDelta }, articles, contexts: articles.map((a) => articlePageContext(a, site)) }, (n) => {
        written.thread = before + n;
        report();
      });
    }
  };
  const failed = (error: unknown) => {
    failure ??= { error };
    stopHere.abort();
  };
  try {
    // This thread takes the first run (the site's pages) at once; the thread starts meanwhile.
    await Promise.all([
      renderHere().catch((error: unknown) => {
        failed(error);
        return thread?.stop();
      }),
      thread ? renderOnThread().catch(failed) : null,
    ]);
  } finally {
    await thread?.stop();
  }
  if (failure) throw (failure as { error: unknown }).error;
  return { onThread: written.thread };
}

/** The render thread (render-worker.mjs), one run at a time. */
class RenderThread {
  // The thread loads the copy of src/ this module is in: `kb`'s compiled one (bin/compiled.js), or the TypeScript through tsx.
  private readonly worker = new Worker(new URL('./render-worker.mjs', import.meta.url));
  private current: { resolve: () => void; reject: (error: Error) => void; onPageWritten?: (count: number) => void } | null = null;
  private stopped = false;

  constructor() {
    this.worker.on('message', (message: { written?: number; done?: true; failure?: { message: string; code?: string; path?: string } }) => {
      if (message.written !== undefined) this.current?.onPageWritten?.(message.written);
      else if (message.done) this.settle(null);
      else {
        const { message: text, code, path: file } = message.failure!; // threadFailure's
        this.settle(Object.assign(new Error(text), code ? { code, ...(file ? { path: file } : {}) } : {}));
      }
    });
    this.worker.on('error', (error) => this.settle(new Error(`rendering pages: the render thread failed: ${error.message}`)));
    this.worker.on('exit', (code) => {
      if (!this.stopped) this.settle(new Error(`rendering pages: the render thread stopped (exit code ${code}) before its pages were written`));
    });
  }

  render(run: ArticleRun, onPageWritten?: (count: number) => void): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.current = { resolve, reject, onPageWritten };
      this.worker.postMessage(run);
    });
  }

  /** End the thread now (terminating it stops its Eleventy run mid-way). */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    await this.worker.terminate();
    this.settle(new Error('rendering pages: the render thread was stopped before its pages were written'));
  }

  private settle(error: Error | null): void {
    const current = this.current;
    this.current = null;
    if (error) current?.reject(error);
    else current?.resolve();
  }
}
