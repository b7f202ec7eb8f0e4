/**
 * `kb links`: every internal link, asset and `#anchor` of a built site must resolve. The crawling is
 * linkinator's (a well-kept link checker); this module serves the site as a host would (below its
 * path prefix), restricts the crawl to the site itself and turns the result into plain lines.
 */
import { LinkChecker, LinkState } from 'linkinator';
import { serveDirectory } from './static-server.ts';

export interface BrokenLink {
  url: string;
  /** The page that links to it. */
  parent: string;
  status: number | undefined;
}

export interface LinkCheckResult {
  pagesScanned: number;
  linksChecked: number;
  broken: BrokenLink[];
}

export interface LinkCheckOptions {
  pathPrefix?: string;
  /** Parallel requests; linkinator's default of 100 is more than a laptop's disk likes. */
  concurrency?: number;
  onPage?: (count: number) => void;
  /**
   * Check the links on exactly these pages (site paths) instead of crawling from the home page:
   * lets a large site be checked in shards, in parallel processes (`kb links --shard 1/2`).
   */
  pages?: string[];
}

/** Every HTML page of a built site as a site path (`kb/243852/index.html` → `/kb/243852/`), sorted. */
export async function listPages(siteDir: string): Promise<string[]> {
  const { readdirSync } = await import('node:fs');
  const path = await import('node:path');
  const pages: string[] = [];
  // Synchronous: the recursive promise readdir of Node 20 takes one thread-pool round trip per
  // folder, several times slower on a site with a folder per page and per redirect.
  for (const e of readdirSync(siteDir, { recursive: true, withFileTypes: true })) {
    if (!e.isFile() || !e.name.endsWith('.html')) continue;
    const rel = path.relative(siteDir, path.join(e.parentPath, e.name)).split(path.sep).join('/');
    pages.push(`/${rel.replace(/(^|\/)index\.html$/, '$1')}`);
  }
  return pages.sort();
}

export async function checkSiteLinks(siteDir: string, options: LinkCheckOptions = {}): Promise<LinkCheckResult> {
  const server = await serveDirectory(siteDir, options.pathPrefix ?? '/');
  const origin = server.origin;
  const checker = new LinkChecker();
  let pagesScanned = 0;
  checker.on('pagestart', () => {
    pagesScanned++;
    options.onPage?.(pagesScanned);
  });
  try {
    const result = await checker.check({
      path: options.pages ? options.pages.map((p) => `${server.url}${p}`) : `${server.url}/`,
      recurse: !options.pages,
      checkFragments: true,
      concurrency: options.concurrency ?? 8,
      // The server shares this process with the crawler; on a busy machine a request can fail to
      // connect. Retried, such a failure is not reported as a broken link; a 404 is never retried.
      retryErrors: true,
      retryErrorsCount: 3,
      retryErrorsJitter: 500,
      timeout: 60_000,
      // Only this site: article bodies link to the outside world (support.microsoft.com, …),
      // which is not ours to check and not reachable from a build machine.
      linksToSkip: async (link: string) => !link.startsWith(origin),
    });
    const broken = result.links
      .filter((l) => l.state === LinkState.BROKEN)
      .map((l) => ({ url: l.url.slice(origin.length) || '/', parent: (l.parent ?? '').slice(origin.length) || '/', status: l.status }));
    return { pagesScanned, linksChecked: result.links.filter((l) => l.state !== LinkState.SKIPPED).length, broken };
  } finally {
    await server.close();
  }
}
