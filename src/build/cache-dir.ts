/**
 * Where a build keeps what the next one needs, beside its output: `<output>.cache/` holds the parse
 * cache (`parsed/`), the build state (`state.v8`), the page contexts (`pages/`), the listing
 * contexts (`listing-pages.v8`, listing-contexts.ts) and the content folder's listing
 * (`listing.v8`). A module of its own, so `kb build` can name it before the build's modules have
 * loaded.
 */
import path from 'node:path';

export function cacheDirOf(outputDir: string): string {
  return `${outputDir}.cache`;
}

/** The parse cache's shards (src/article/parse-cache.ts). */
export function parseCacheDirOf(outputDir: string): string {
  return path.join(cacheDirOf(outputDir), 'parsed');
}

/** The content folder's listing for the survey (src/article/survey.ts). */
export function listingFileOf(outputDir: string): string {
  return path.join(cacheDirOf(outputDir), 'listing.v8');
}
