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
      path: `${server.url}/`,
      recurse: true,
      checkFragments: true,
      concurrency: options.concurrency ?? 16,
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
