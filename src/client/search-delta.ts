/**
 * The delta index of a rebuild (src/build/pipeline.ts): articles changed since the full search
 * index was built are indexed again in `pagefind-delta/`. The search page merges it and hides the
 * full index's stale copies, so a search right after a rebuild finds what the pages say.
 */

interface MergeablePagefind {
  mergeIndex(url: string, options?: Record<string, unknown>): Promise<void>;
}

export interface DeltaIndex {
  /** Site paths (`/kb/5000101/`) whose full-index results are stale: changed or removed articles. */
  replaced: Set<string>;
}

/** Merge the delta index when the build wrote one; null when there is none. */
export async function mergeDeltaIndex(pagefind: MergeablePagefind, siteBase: string): Promise<DeltaIndex | null> {
  const manifest = await fetch(`${siteBase}pagefind-delta/delta.json`).then((r) => (r.ok ? (r.json() as Promise<{ replaced: string[] }>) : null), () => null);
  if (!manifest) return null;
  await pagefind.mergeIndex(`${siteBase}pagefind-delta/`);
  return { replaced: new Set(manifest.replaced) };
}

/** A full-index result for an article the delta index replaces (its URL carries the site base). */
export function isSuperseded(result: { url: string; meta: Record<string, string | undefined> }, delta: DeltaIndex | null, siteBase: string): boolean {
  if (!delta || result.meta.delta) return false;
  const sitePath = result.url.startsWith(siteBase) ? `/${result.url.slice(siteBase.length)}` : result.url;
  return delta.replaced.has(sitePath.replace(/#.*$/, ''));
}
