/**
 * The names of the search index's pages, which carry each article's date.
 *
 * Pagefind names a page (its fragment file, `fragment/<name>.pf_fragment`) by a hash of its content,
 * and its meta file, which every first search loads, lists the name and word count of every page.
 * Random hex does not compress: at 60,000 articles the names were 280 KB of the 554 KB meta file, and
 * the `updated` sort, which kept a second list of every page in date order for the newest-first
 * views, another 140 KB. The build renames the pages instead (src/search/stable-bundle.ts):
 *
 *     en_ 01 k3x 20020818 1
 *        shard tag date  number among the shard's pages of that date, base 36
 *
 * - The pages are added to Pagefind newest first, so neighbouring names share their date and
 *   compress well; a name's date lets the search page order results newest first without a sort
 *   in the index and without loading a fragment.
 * - The index is built in shards of a few thousand pages (src/search/merge-shards.ts). The name
 *   starts with the shard's number, so names of different shards never meet, and a tag from the
 *   content of the shard, so a name never means another page in the next build: a browser that
 *   cached `fragment/en_01k3x200208181.pf_fragment` can never show it for another article, and
 *   keeps it while that shard does not change.
 *
 * The search page (src/client/search.ts) reads the date back with `dateOfPageName`.
 */

/** Shard number (2 base-36 digits: 1,296 shards) and a hash of the shard's content (3 base-36 digits). */
export const SHARD_TAG_LENGTH = 2;
export const TAG_LENGTH = SHARD_TAG_LENGTH + 3;
const DATE_LENGTH = 8;
const UNDATED = '00000000';

/** `2002-08-18` → `20020818`; pages without a date sort last. */
export function dateKey(isoDate: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(isoDate);
  return match ? `${match[1]}${match[2]}${match[3]}` : UNDATED;
}

/** Names for pages in the order they were added (which must be newest first), given their dates. */
export function pageNames(language: string, tag: string, dates: readonly string[]): string[] {
  let previous = '';
  let number = 0;
  return dates.map((date) => {
    const key = dateKey(date);
    number = key === previous ? number + 1 : 0;
    previous = key;
    return `${language}_${tag}${key}${number.toString(36)}`;
  });
}

/** The `YYYYMMDD` a page name carries, or `00000000` for a name that is not ours. */
export function dateOfPageName(name: string): string {
  const start = name.indexOf('_') + 1 + TAG_LENGTH;
  const key = name.slice(start, start + DATE_LENGTH);
  return /^\d{8}$/.test(key) ? key : UNDATED;
}

/** Search results (Pagefind's `id` is the page name), newest first; equal dates keep their order. */
export function newestFirst<T extends { id: string }>(results: readonly T[]): T[] {
  return byDateKeyDescending(results, (result) => dateOfPageName(result.id));
}

/** Pages in the order the index takes them: newest first, then in the order given. */
export function inIndexOrder<T>(items: readonly T[], isoDateOf: (item: T) => string): T[] {
  return byDateKeyDescending(items, (item) => dateKey(isoDateOf(item)));
}

function byDateKeyDescending<T>(items: readonly T[], keyOf: (item: T) => string): T[] {
  return items
    .map((item, position) => ({ item, position, key: keyOf(item) }))
    .sort((a, b) => (a.key < b.key ? 1 : a.key > b.key ? -1 : a.position - b.position))
    .map(({ item }) => item);
}
