/**
 * Machine-readable outputs of the site: per-article JSON, the article and stop-code lists, the
 * sitemap and a `_redirects` file for hosts that read one. Pure: site model in, text out.
 */
import type { Article } from './article/model.ts';
import { ObjectMemo } from './memo.ts';
import { canonicalPath, stopCodePath, stopCodeRedirects, type Redirect, type SiteModel, type StopCodeEntry } from './site-model.ts';

type Href = (sitePath: string) => string;

export function articleJson(article: Article, absolute: Href): string {
  return JSON.stringify(
    {
      id: article.id,
      url: absolute(canonicalPath(article.id)),
      title: article.title,
      summary: article.summary,
      type: article.type,
      products: article.products,
      appliesTo: article.appliesTo,
      keywords: article.keywords,
      published: article.published,
      updated: article.updated,
      stopCodes: article.stopCodes,
      aliases: article.aliases,
      related: article.related,
      fileData: article.fileData,
    },
    null,
    2,
  );
}

/**
 * A site-wide list as its parts, one per article, stop code or redirect. In watch mode each part is
 * kept with its object (src/memo.ts), so a caller can tell the list is unchanged by comparing parts
 * (the same string objects) instead of joining and hashing megabytes after every save.
 */
export interface PartedText {
  parts: readonly string[];
  text(): string;
}

const listed = new ObjectMemo<Article, string>();
const mapped = new ObjectMemo<Article, string>();
const redirectLines = new ObjectMemo<Redirect, string>();

/** An article's entry in `/api/articles.json`. */
export function articleIndexEntry(a: Article, absolute: Href): string {
  return JSON.stringify({ id: a.id, url: absolute(canonicalPath(a.id)), title: a.title, type: a.type, products: a.products, updated: a.updated ?? a.published, stopCodes: a.stopCodes });
}

export function articlesIndexParts(site: SiteModel, absolute: Href): PartedText {
  const urls = absolute('/');
  const parts = site.articles.map((a) => listed.get(a, urls, () => articleIndexEntry(a, absolute)));
  return { parts, text: () => `[${parts.join(',')}]` };
}

export function articlesIndexJson(site: SiteModel, absolute: Href): string {
  return articlesIndexParts(site, absolute).text();
}

/**
 * A list file (its UTF-8 bytes) with one entry replaced, `before` → `after`: what the site-wide
 * lists (articlesIndexParts, sitemapParts) write after an edit that changed only that entry. Null
 * unless the file holds `before` exactly once as a whole entry, between one of `opens` and one of
 * `closes`. Saves modelling 60,000 articles to list one anew.
 */
export function replaceEntry(file: Buffer, before: string, after: string, opens: string, closes: string): Buffer | null {
  const entry = Buffer.from(before);
  const at = file.indexOf(entry);
  if (at < 0 || file.indexOf(entry, at + 1) >= 0) return null;
  const end = at + entry.length;
  if (!Buffer.from(opens).includes(file[at - 1] ?? -1) || !Buffer.from(closes).includes(file[end] ?? -1)) return null;
  return Buffer.concat([file.subarray(0, at), Buffer.from(after), file.subarray(end)]);
}

/** The characters an entry of `/api/articles.json` stands between. */
export const ARTICLE_INDEX_ENTRY = { opens: '[,', closes: ',]' };
/** The characters an entry of `sitemap.xml` stands between (one per line). */
export const SITEMAP_ENTRY = { opens: '\n', closes: '\n' };

export function stopCodesJson(site: Pick<SiteModel, 'stopCodes'>, absolute: Href): string {
  return JSON.stringify(
    site.stopCodes.map((s) => ({ code: s.code, name: s.name, url: absolute(stopCodePath(s.code)), articles: s.articles.map((a) => a.id) })),
  );
}

/** Escapes text for XML/HTML element content and double-quoted attributes. */
export function xmlEscape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function sitemapEntry(loc: string, lastmod: string | null): string {
  return `  <url><loc>${xmlEscape(loc)}</loc>${lastmod ? `<lastmod>${lastmod}</lastmod>` : ''}</url>`;
}

/** An article's entry in `sitemap.xml`. */
export function articleSitemapEntry(a: Article, absolute: Href): string {
  return sitemapEntry(absolute(canonicalPath(a.id)), a.updated ?? a.published);
}

export function sitemapParts(site: SiteModel, absolute: Href): PartedText {
  const urls = absolute('/');
  const parts = [
    sitemapEntry(absolute('/'), null),
    ...site.articles.map((a) => mapped.get(a, urls, () => articleSitemapEntry(a, absolute))),
    ...stopCodeSitemapEntries(site.stopCodes, absolute),
  ];
  return { parts, text: () => `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${parts.join('\n')}${SITEMAP_END}` };
}

const SITEMAP_END = '\n</urlset>\n';

/** The sitemap's last entries: the stop-code pages, in the site model's order. */
function stopCodeSitemapEntries(stopCodes: readonly StopCodeEntry[], absolute: Href): string[] {
  return stopCodes.map((s) => sitemapEntry(absolute(stopCodePath(s.code)), null));
}

/**
 * `sitemap.xml` as written for the stop codes `before`, with the entries of the stop codes `after`
 * instead (they come last, after the home page and every article); null when its text does not end
 * with those of `before`.
 */
export function sitemapWithStopCodes(text: string, before: readonly StopCodeEntry[], after: readonly StopCodeEntry[], absolute: Href): string | null {
  // The home page's entry always comes before them.
  const tail = (stopCodes: readonly StopCodeEntry[]) => stopCodeSitemapEntries(stopCodes, absolute).map((entry) => `\n${entry}`).join('') + SITEMAP_END;
  const old = tail(before);
  return text.endsWith(old) ? text.slice(0, text.length - old.length) + tail(after) : null;
}

export function sitemapXml(site: SiteModel, absolute: Href): string {
  return sitemapParts(site, absolute).text();
}

/** Netlify/Cloudflare-style `_redirects`: permanent redirects, path prefix included. */
export function redirectsParts(site: SiteModel, href: Href): PartedText {
  const prefix = href('/');
  const parts = site.redirects.map((r) => redirectLines.get(r, prefix, () => redirectLine(r, href)));
  return { parts, text: () => parts.join('\n') + '\n' };
}

function redirectLine(r: Redirect, href: Href): string {
  return `${href(r.from)} ${href(r.to)} 301`;
}

/**
 * `_redirects` as written for the stop codes `before`, with the redirects of the stop codes
 * `after` instead (they come last, after the articles' aliases); null when its text does not end
 * with those of `before`.
 */
export function redirectsWithStopCodes(text: string, before: readonly StopCodeEntry[], after: readonly StopCodeEntry[], href: Href): string | null {
  const lines = (stopCodes: readonly StopCodeEntry[]) => stopCodeRedirects([...stopCodes]).map((r) => redirectLine(r, href));
  const [old, now] = [lines(before), lines(after)];
  if (!text.endsWith('\n')) return null;
  let aliases = text.slice(0, -1);
  if (old.length) {
    const block = old.join('\n');
    if (aliases === block) aliases = '';
    else if (aliases.endsWith(`\n${block}`)) aliases = aliases.slice(0, aliases.length - block.length - 1);
    else return null;
  }
  return [...(aliases ? [aliases] : []), ...now].join('\n') + '\n';
}

export function redirectsFile(site: SiteModel, href: Href): string {
  return redirectsParts(site, href).text();
}

/** Atom feed of the recently updated articles, newest first. */
export function atomFeed(site: Pick<SiteModel, 'config' | 'recent'>, absolute: Href): string {
  // Atom requires an `updated` stamp. It comes from the content, never the clock, so builds are
  // reproducible; where the content has no date: SOURCE_DATE_EPOCH (site-config.ts), else 1970.
  const atomDate = (isoDate: string | null) => `${isoDate ?? site.config.sourceDate ?? '1970-01-01'}T00:00:00Z`;
  const entries = site.recent;
  const newest = entries[0] ? entries[0].updated ?? entries[0].published : null;
  const entryXml = entries.map((a) => {
    const url = absolute(canonicalPath(a.id));
    return [
      '  <entry>',
      `    <id>${xmlEscape(url)}</id>`,
      `    <title>KB${a.id}: ${xmlEscape(a.title)}</title>`,
      `    <link rel="alternate" type="text/html" href="${xmlEscape(url)}"/>`,
      `    <updated>${atomDate(a.updated ?? a.published)}</updated>`,
      ...(a.published ? [`    <published>${atomDate(a.published)}</published>`] : []),
      `    <summary>${xmlEscape(a.summary)}</summary>`,
      ...a.products.map((p) => `    <category term="${xmlEscape(p)}"/>`),
      '  </entry>',
    ].join('\n');
  });
  return [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<feed xmlns="http://www.w3.org/2005/Atom">',
    `  <id>${xmlEscape(absolute('/'))}</id>`,
    `  <title>${xmlEscape(site.config.name)}: recently updated articles</title>`,
    `  <link rel="self" type="application/atom+xml" href="${xmlEscape(absolute('/feed.xml'))}"/>`,
    `  <link rel="alternate" type="text/html" href="${xmlEscape(absolute('/'))}"/>`,
    `  <updated>${atomDate(newest)}</updated>`,
    `  <author><name>${xmlEscape(site.config.name)}</name></author>`,
    ...entryXml,
    '</feed>',
    '',
  ].join('\n');
}

/** OpenSearch description: lets a browser search the KB from its address bar. */
export function openSearchXml(site: SiteModel, absolute: Href): string {
  // ShortName is limited to 16 characters by the OpenSearch 1.1 spec.
  const shortName = site.config.name.length <= 16 ? site.config.name : site.config.name.slice(0, 17).replace(/\s+\S*$/, '') || site.config.name.slice(0, 16);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<OpenSearchDescription xmlns="http://a9.com/-/spec/opensearch/1.1/">',
    `  <ShortName>${xmlEscape(shortName)}</ShortName>`,
    `  <Description>Search ${xmlEscape(site.config.name)} by KB number, stop code, file name or words</Description>`,
    '  <InputEncoding>UTF-8</InputEncoding>',
    `  <Url type="text/html" method="get" template="${xmlEscape(absolute('/search/'))}?q={searchTerms}"/>`,
    `  <Url type="application/opensearchdescription+xml" rel="self" template="${xmlEscape(absolute('/opensearch.xml'))}"/>`,
    '</OpenSearchDescription>',
    '',
  ].join('\n');
}
