/**
 * Machine-readable outputs of the site: per-article JSON, the article and stop-code lists, the
 * sitemap and a `_redirects` file for hosts that read one. Pure: site model in, text out.
 */
import type { Article } from './article/model.ts';
import { canonicalPath, stopCodePath, type SiteModel } from './site-model.ts';

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
      fileData: article.fileData,
    },
    null,
    2,
  );
}

export function articlesIndexJson(site: SiteModel, absolute: Href): string {
  return JSON.stringify(
    site.articles.map((a) => ({ id: a.id, url: absolute(canonicalPath(a.id)), title: a.title, type: a.type, products: a.products, updated: a.updated ?? a.published, stopCodes: a.stopCodes })),
  );
}

export function stopCodesJson(site: SiteModel, absolute: Href): string {
  return JSON.stringify(
    site.stopCodes.map((s) => ({ code: s.code, name: s.name, url: absolute(stopCodePath(s.code)), articles: s.articles.map((a) => a.id) })),
  );
}

function xmlEscape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export function sitemapXml(site: SiteModel, absolute: Href): string {
  const urls = [
    { loc: absolute('/'), lastmod: null as string | null },
    ...site.articles.map((a) => ({ loc: absolute(canonicalPath(a.id)), lastmod: a.updated ?? a.published })),
    ...site.stopCodes.map((s) => ({ loc: absolute(stopCodePath(s.code)), lastmod: null })),
  ];
  const body = urls.map((u) => `  <url><loc>${xmlEscape(u.loc)}</loc>${u.lastmod ? `<lastmod>${u.lastmod}</lastmod>` : ''}</url>`).join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${body}\n</urlset>\n`;
}

/** Netlify/Cloudflare-style `_redirects`: permanent redirects, path prefix included. */
export function redirectsFile(site: SiteModel, href: Href): string {
  return site.redirects.map((r) => `${href(r.from)} ${href(r.to)} 301`).join('\n') + '\n';
}
