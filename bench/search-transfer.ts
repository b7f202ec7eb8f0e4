/**
 * What the search page costs a reader: bytes over the wire for the first search (cold cache:
 * page, CSS, scripts, Pagefind's WebAssembly, index chunks, filters and result fragments) and for
 * each later search typed into the same page, and the latency of those later searches. The built
 * site is served over real HTTP (test/support/static-server.ts, no compression) to Debian's
 * Chromium; bytes are what the browser received (Playwright's request sizes: headers + encoded
 * body, from Chromium's network events), including those of a web worker (Pagefind's, when it runs in one).
 * Usage:
 *   node --import tsx bench/search-transfer.ts <built-site-dir> [--later 20] [--json]
 */
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page, Request } from 'playwright-core';
import { serveDirectory } from '../test/support/static-server.ts';
import { launchChromium } from '../test/support/browser.ts';

/** The search page as the bench drives it (layouts/search.njk, src/client/search.ts): one place to change. */
export const SEARCH_PAGE = {
  path: '/search/',
  /** The page's own search box (the site header has another one, which only navigates here). */
  input: '#kb-search input[type=search]',
  form: '#kb-search form',
  /** Set (with the result count) in the same task as the results list is replaced. */
  status: '#kb-status',
  results: '#kb-results',
};

/** Terms a support engineer types: stop codes, file names, products, words, a phrase. */
export const COLD_TERMS = ['0x0000007B', 'printer', 'Windows 2000 setup'];
export const LATER_TERMS = [
  'ntfs.sys', 'outlook', 'Windows 2000 setup', 'printer', '0x0000007B', 'dhcp', 'excel macro', 'access denied', 'IRQL_NOT_LESS_OR_EQUAL',
  'terminal server', 'internet explorer', 'sql server', 'network adapter', 'registry', 'exchange', 'word document', 'modem',
  'service pack', 'cluster', 'kerberos', 'stop 0x50', 'spoolsv.exe', 'visual basic', 'dns',
];

export interface TransferSample {
  term: string;
  bytes: number;
  /** The same as a host that gzips text files would send (see measureRequest). */
  gzipBytes: number;
  requests: number;
  /** Bytes by kind of file: html, css, js, wasm, pagefind-meta, pagefind-filter, pagefind-index, pagefind-fragment, other. */
  byKind: Record<string, number>;
  /** Cold: navigation start → results shown. Later: Enter pressed → results shown. */
  ms: number;
  /** The status line the page showed, e.g. `12 results for “printer”`. */
  status: string;
}

export interface SearchTransferResult {
  site: string;
  cold: TransferSample[];
  later: TransferSample[];
  firstSearchMaxBytes: number;
  firstSearchMaxGzipBytes: number;
  laterMedianBytes: number;
  laterMaxBytes: number;
  laterP95Bytes: number;
  laterMedianMs: number;
  laterP95Ms: number;
}

export interface SearchTransferOptions {
  coldTerms?: string[];
  laterTerms?: string[];
  /** How many later searches (terms are taken in order, repeating only if there are fewer). */
  later?: number;
  log?: (line: string) => void;
}

export async function measureSearchTransfer(site: string, options: SearchTransferOptions = {}): Promise<SearchTransferResult> {
  const log = options.log ?? (() => {});
  const coldTerms = options.coldTerms ?? COLD_TERMS;
  const laterCount = options.later ?? 20;
  // The page is opened with the first cold term; searching it again would cost nothing.
  const pool = (options.laterTerms ?? LATER_TERMS).filter((t) => t !== coldTerms[0]);
  const laterTerms = Array.from({ length: laterCount }, (_, i) => pool[i % pool.length]!);
  const server = await serveDirectory(site);
  const browser = await launchChromium();
  try {
    const cold: TransferSample[] = [];
    for (const term of coldTerms) {
      // A new context is a new, empty HTTP cache: everything the first search needs is fetched.
      const session = await openSession(browser);
      try {
        const started = Date.now();
        await session.page.goto(`${server.url}${SEARCH_PAGE.path}?q=${encodeURIComponent(term)}`);
        await session.page.waitForFunction(`(document.querySelector(${JSON.stringify(SEARCH_PAGE.status)})?.textContent ?? '').trim() !== ''`, undefined, { timeout: 120_000 });
        const ms = Date.now() - started;
        await session.network.idle();
        cold.push({ term, ...(await session.network.take()), ms, status: await statusText(session.page) });
        log(`  cold search "${term}": ${kib(cold.at(-1)!.bytes)} (${kib(cold.at(-1)!.gzipBytes)} with text gzipped), ${ms} ms, ${cold.at(-1)!.status}`);
      } finally {
        await session.context.close();
      }
    }

    const later: TransferSample[] = [];
    const session = await openSession(browser);
    try {
      const { page, network } = session;
      await page.goto(`${server.url}${SEARCH_PAGE.path}?q=${encodeURIComponent(coldTerms[0] ?? 'printer')}`);
      await page.waitForFunction(`(document.querySelector(${JSON.stringify(SEARCH_PAGE.status)})?.textContent ?? '').trim() !== ''`, undefined, { timeout: 120_000 });
      await network.idle();
      await network.take();
      // Scripts go in as strings: functions compiled by tsx reference a `__name` helper the page lacks.
      await page.evaluate(INSTRUMENT);
      for (const term of laterTerms) {
        await page.fill(SEARCH_PAGE.input, term);
        await page.press(SEARCH_PAGE.input, 'Enter');
        await page.waitForFunction('window.__kbBench.t1 > 0', undefined, { timeout: 60_000 });
        const ms = Number(await page.evaluate('window.__kbBench.t1 - window.__kbBench.t0'));
        // The page also searches 120 ms after the last input event (its debounce); that run must end
        // before the next term, and its requests (if any) belong to this search.
        await page.waitForTimeout(200);
        await network.idle();
        later.push({ term, ...(await network.take()), ms: Math.round(ms * 10) / 10, status: await statusText(page) });
        log(`  later search "${term}": ${kib(later.at(-1)!.bytes)}, ${later.at(-1)!.ms} ms, ${later.at(-1)!.status}`);
      }
    } finally {
      await session.context.close();
    }
    const laterBytes = later.map((s) => s.bytes);
    const laterMs = later.map((s) => s.ms);
    return {
      site,
      cold,
      later,
      firstSearchMaxBytes: Math.max(...cold.map((s) => s.bytes)),
      firstSearchMaxGzipBytes: Math.max(...cold.map((s) => s.gzipBytes)),
      laterMedianBytes: percentile(laterBytes, 50),
      laterP95Bytes: percentile(laterBytes, 95),
      laterMaxBytes: Math.max(...laterBytes),
      laterMedianMs: percentile(laterMs, 50),
      laterP95Ms: percentile(laterMs, 95),
    };
  } finally {
    await browser.close();
    await server.close();
  }
}

/** Marks when Enter submits the search (t0) and when the status line is next written (t1). */
const INSTRUMENT = `(() => {
  const bench = (window.__kbBench = { t0: 0, t1: 0 });
  const form = document.querySelector(${JSON.stringify(SEARCH_PAGE.form)});
  document.addEventListener('submit', (event) => { if (event.target === form) { bench.t0 = performance.now(); bench.t1 = 0; } }, true);
  const status = document.querySelector(${JSON.stringify(SEARCH_PAGE.status)});
  new MutationObserver(() => {
    if (bench.t0 && !bench.t1 && status.textContent.trim()) bench.t1 = performance.now();
  }).observe(status, { childList: true, characterData: true, subtree: true });
})()`;

interface Session {
  context: BrowserContext;
  page: Page;
  network: NetworkMeter;
}

async function openSession(browser: Browser): Promise<Session> {
  // The site's Content-Security-Policy forbids eval, which Playwright's string predicates use; not
  // enforcing it changes nothing that is measured (the same requests, the same scripts).
  const context = await browser.newContext({ bypassCSP: true });
  const network = new NetworkMeter(context);
  const page = await context.newPage();
  return { context, page, network };
}

/** Counts bytes of every finished request of a browser context (pages and their workers). */
class NetworkMeter {
  private inflight = 0;
  private lastActivity = Date.now();
  private pending: Array<Promise<{ kind: string; bytes: number; gzipBytes: number }>> = [];

  constructor(context: BrowserContext) {
    context.on('request', () => {
      this.inflight++;
      this.lastActivity = Date.now();
    });
    const done = (request: Request): void => {
      this.inflight--;
      this.lastActivity = Date.now();
      this.pending.push(measureRequest(request));
    };
    context.on('requestfinished', done);
    context.on('requestfailed', done);
  }

  /** Resolves once no request has been in flight for quietMs. */
  async idle(quietMs = 300, timeoutMs = 120_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.inflight > 0 || Date.now() - this.lastActivity < quietMs) {
      if (Date.now() > deadline) throw new Error(`the search page still had ${this.inflight} requests in flight after ${timeoutMs / 1000} s`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** Bytes since the last take(). */
  async take(): Promise<{ bytes: number; gzipBytes: number; requests: number; byKind: Record<string, number> }> {
    const entries = await Promise.all(this.pending.splice(0));
    const byKind: Record<string, number> = {};
    for (const { kind, bytes } of entries) byKind[kind] = (byKind[kind] ?? 0) + bytes;
    const sum = (key: 'bytes' | 'gzipBytes'): number => entries.reduce((total, e) => total + e[key], 0);
    return { bytes: sum('bytes'), gzipBytes: sum('gzipBytes'), requests: entries.length, byKind };
  }
}

/**
 * Bytes received for one request, and what they would be from a host that gzips text (HTML, CSS,
 * JavaScript, JSON): the test server sends those uncompressed. Pagefind's own files (index,
 * fragments, filters, WebAssembly) are gzipped by Pagefind already and count as they are.
 */
async function measureRequest(request: Request): Promise<{ kind: string; bytes: number; gzipBytes: number }> {
  const kind = kindOf(request.url());
  try {
    const sizes = await request.sizes();
    const bytes = sizes.responseHeadersSize + sizes.responseBodySize;
    const type = (await request.response())?.headers()['content-type'] ?? '';
    if (!/^(text\/|application\/(json|javascript))/.test(type)) return { kind, bytes, gzipBytes: bytes };
    const body = await (await request.response())!.body();
    return { kind, bytes, gzipBytes: sizes.responseHeadersSize + gzipSync(body, { level: 6 }).length };
  } catch {
    return { kind, bytes: 0, gzipBytes: 0 }; // failed requests (e.g. an aborted fetch) received nothing
  }
}

function kindOf(url: string): string {
  const p = new URL(url).pathname;
  if (p.endsWith('.pf_fragment')) return 'pagefind-fragment';
  if (p.endsWith('.pf_index') || p.endsWith('.kb_index')) return 'pagefind-index';
  if (p.endsWith('.pf_filter')) return 'pagefind-filter';
  if (p.endsWith('.pf_meta') || p.endsWith('.kb_meta') || p.endsWith('pagefind-entry.json')) return 'pagefind-meta';
  if (/\/wasm\.[^/]*\.pagefind$/.test(p) || p.endsWith('.wasm')) return 'wasm';
  if (p.endsWith('.js')) return 'js';
  if (p.endsWith('.css')) return 'css';
  if (p.endsWith('/') || p.endsWith('.html')) return 'html';
  return 'other';
}

async function statusText(page: Page): Promise<string> {
  return ((await page.locator(SEARCH_PAGE.status).textContent()) ?? '').trim();
}

/** Nearest-rank percentile. */
export function percentile(values: number[], p: number): number {
  if (!values.length) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

const kib = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KB`;

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { later: { type: 'string', default: '20' }, json: { type: 'boolean', default: false } } });
  const site = positionals[0];
  if (!site) {
    console.error('usage: node --import tsx bench/search-transfer.ts <built-site-dir> [--later 20] [--json]');
    process.exit(64);
  }
  const result = await measureSearchTransfer(path.resolve(site), { later: Number(values.later), log: (line) => console.log(line) });
  if (values.json) console.log(JSON.stringify(result, null, 2));
  console.log(`first search (cold cache): up to ${kib(result.firstSearchMaxBytes)} (${kib(result.firstSearchMaxGzipBytes)} with text gzipped); later searches: median ${kib(result.laterMedianBytes)}, max ${kib(result.laterMaxBytes)}; latency median ${result.laterMedianMs} ms, p95 ${result.laterP95Ms} ms`);
}
