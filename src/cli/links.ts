/**
 * `kb links`: check every internal link and `#anchor` of a built site (src/link-check.ts).
 *
 * Three ways to run it:
 * - plain: crawl from the home page (what a reader can reach);
 * - `--shard i/n`: check the links on every n-th page (all pages, not only the reachable ones), so
 *   that a large site can be split over processes;
 * - `--shards n [--jobs j]`: run all n shards as child processes, j at a time (default: one per
 *   CPU), and add up their results: one command for a whole archive. Linkinator's cost per page
 *   grows with the number of pages one process holds (55 ms per page in shards of 2,700 pages,
 *   hours for shards of 30,000), so many small shards beat a few large ones.
 */
import { spawn } from 'node:child_process';
import { readFile, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { UsageError } from '../errors.ts';
import { forEachConcurrently } from '../concurrency.ts';
import { displayPath } from '../display-path.ts';
import { PACKAGE_ROOT } from '../package-root.ts';

export interface LinksOptions {
  siteDir: string;
  pathPrefix: string;
  quiet: boolean;
  /** `i/n`: this process checks shard i of n. */
  shard?: string;
  /** Run all shards in child processes. */
  shards?: string;
  jobs?: string;
  /** Leave the redirect stubs out of a sharded run: each holds one link, to a page that is itself checked. */
  skipRedirects: boolean;
}

/** The summary line every run prints; `--shards` reads it back from its children with SUMMARY. */
function summaryLine(pages: number, links: number, broken: number): string {
  return `[kb] links: ${pages} pages scanned, ${links} links checked, ${broken} broken`;
}
const SUMMARY = /^\[kb\] links: (\d+) pages scanned, (\d+) links checked, (\d+) broken$/m;

export async function linksCommand(options: LinksOptions): Promise<number> {
  const { siteDir, pathPrefix, quiet } = options;
  if (!(await stat(path.join(siteDir, 'index.html')).catch(() => null))) throw new UsageError(`no built site in ${displayPath(siteDir)}; run kb build first or pass --output DIR`);
  if (options.shards !== undefined) return runAllShards(options);
  const { checkSiteLinks, listPages } = await import('../link-check.ts');
  const progress = !quiet && process.stderr.isTTY ? (n: number) => n % 500 === 0 && process.stderr.write(`\r[kb] links: ${n} pages scanned`) : undefined;
  let pages: string[] | undefined;
  if (options.shard) {
    const { index, count } = parseShard(options.shard);
    const stubs = options.skipRedirects ? new Set((await readFile(path.join(siteDir, '_redirects'), 'utf8')).split('\n').map((line) => line.split(' ')[0])) : new Set<string>();
    pages = (await listPages(siteDir)).filter((p) => !stubs.has(pathPrefix.replace(/\/$/, '') + p)).filter((_, i) => i % count === index - 1);
  }
  const result = await checkSiteLinks(siteDir, { pathPrefix, onPage: progress, pages });
  if (progress) process.stderr.write('\n');
  for (const b of result.broken) console.error(`broken link: ${b.url} (HTTP ${b.status ?? 'error'}) on ${b.parent}`);
  if (!quiet || result.broken.length) console.log(summaryLine(result.pagesScanned, result.linksChecked, result.broken.length));
  return result.broken.length ? 1 : 0;
}

export function parseShard(text: string): { index: number; count: number } {
  const m = /^(\d+)\/(\d+)$/.exec(text);
  if (!m || Number(m[1]) < 1 || Number(m[1]) > Number(m[2])) throw new UsageError(`--shard must look like 1/4 (got ${text})`);
  return { index: Number(m[1]), count: Number(m[2]) };
}

function positive(name: string, text: string): number {
  if (!/^\d+$/.test(text) || Number(text) < 1) throw new UsageError(`${name} must be a whole number of at least 1 (got ${text})`);
  return Number(text);
}

async function runAllShards(options: LinksOptions): Promise<number> {
  const count = positive('--shards', options.shards!);
  const jobs = Math.min(count, positive('--jobs', options.jobs ?? String(os.availableParallelism())));
  const totals = { pages: 0, links: 0, broken: 0 };
  const failures: string[] = [];
  let done = 0;
  const started = performance.now();
  const runOne = async (index: number) => {
    const args = [path.join(PACKAGE_ROOT, 'bin/kb.js'), 'links', '--output', options.siteDir, '--path-prefix', options.pathPrefix, '--shard', `${index}/${count}`];
    if (options.skipRedirects) args.push('--skip-redirects');
    const { code, stdout, stderr } = await runChild(process.execPath, args);
    const summary = SUMMARY.exec(stdout);
    // Broken links are reported by the child on stderr, one line each: pass them on as they are.
    if (stderr.trim()) process.stderr.write(stderr.endsWith('\n') ? stderr : `${stderr}\n`);
    if (!summary || (code !== 0 && code !== 1)) {
      failures.push(`shard ${index}/${count} failed (exit ${code})`);
      return;
    }
    totals.pages += Number(summary[1]);
    totals.links += Number(summary[2]);
    totals.broken += Number(summary[3]);
    done++;
    if (!options.quiet) console.log(`[kb] links: shard ${index}/${count} done (${done} of ${count}, ${((performance.now() - started) / 1000).toFixed(0)} s)`);
  };
  await forEachConcurrently(
    Array.from({ length: count }, (_, i) => i + 1),
    jobs,
    runOne,
  );
  for (const failure of failures) console.error(`kb: links: ${failure}`);
  if (!options.quiet || totals.broken || failures.length) {
    console.log(`${summaryLine(totals.pages, totals.links, totals.broken)} (${count} shards, ${jobs} at a time)`);
  }
  if (failures.length) return 70;
  return totals.broken ? 1 : 0;
}

function runChild(command: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 128 : 70), stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() }));
  });
}
