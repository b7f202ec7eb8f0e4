/**
 * How articles refer to each other: `Q152734` / `KB152734` mentions, support.microsoft.com/kb links
 * and site links like `/kb/152734/`. Shared by the renderer (which turns them into links) and the
 * site model (which needs every article's references before any page is rendered, for backlinks).
 */

/** A Q/KB number in running text, e.g. `Q243852`, `KB 2792165`. */
export const KB_MENTION = /\b(?:Q|KB\s?)(\d{5,8})\b/g;

/** A Microsoft support URL naming a KB article, in its historical spellings. */
export const MS_KB_URL = /^https?:\/\/support\.microsoft\.com\/(?:(?:[a-z]{2}-[a-z]{2})\/)?(?:default\.aspx\?scid=)?kb[/;](?:[a-z]{2}-[a-z]{2}[/;])?(\d{5,8})\b/i;

const MS_KB_URL_ANYWHERE = new RegExp(MS_KB_URL.source.slice(1).replace(/\\b$/, ''), 'gi');
const SITE_LINK = /\]\(\/kb\/(\d{1,8})\/?[)#]/g;

const scanned = new WeakMap<{ body: string }, number[]>();

/** `referencedIds` of an article's body, scanned once per article: backlinks and page fingerprints
 *  both need them, and a watching process (src/build/watch.ts) keeps unchanged articles between builds. */
export function articleReferencedIds(article: { body: string }): number[] {
  let ids = scanned.get(article);
  if (!ids) scanned.set(article, (ids = referencedIds(article.body)));
  return ids;
}

/**
 * KB numbers a Markdown body refers to, in first-mention order. A cheap scan of the source, so it
 * can run for 60,000 articles before rendering; the renderer links only those that exist.
 */
export function referencedIds(body: string): number[] {
  const ids = new Set<number>();
  for (const pattern of [KB_MENTION, MS_KB_URL_ANYWHERE, SITE_LINK]) {
    pattern.lastIndex = 0;
    for (const m of body.matchAll(pattern)) ids.add(Number(m[1]));
  }
  return [...ids];
}
