/**
 * Outputs that are data, not designed pages: redirect stubs (three per article: Q, KB and legacy
 * forms), `/kb/<n>.json`, each article's `files.json` / `files.csv`, and the site-wide sitemap,
 * `_redirects`, feed, OpenSearch description and `/api/` lists. At 60,000 articles they are
 * 250,000 files; written straight from the model they cost a fraction of what a template engine
 * spends per page, and each is fingerprinted so a rebuild rewrites only what changed.
 */
import path from 'node:path';
import type { Article } from '../article/model.ts';
import { fileDataToCsv, fileDataToJson } from '../file-versions.ts';
import { articleJson, articlesIndexParts, atomFeed, openSearchXml, redirectsParts, sitemapParts, stopCodesJson, xmlEscape, type PartedText } from '../machine-readable.ts';
import { canonicalPath, type Redirect, type SiteModel } from '../site-model.ts';
import { articleDataFingerprint, hash } from './fingerprints.ts';
import { InputsMemo, ObjectMemo } from '../memo.ts';

type Href = (sitePath: string) => string;

/** One file to write: its site path (no prefix) and a function that produces its text (or bytes:
 *  a file patched where it stood, quick-rebuild.ts). */
export interface PlannedOutput {
  path: string;
  fingerprint: string;
  render: () => string | Uint8Array;
}

/**
 * A redirect that works on any static host: meta refresh, canonical link and a plain link; the
 * script keeps a section anchor (#resolution) that a meta refresh would drop.
 */
export function redirectPage(to: string, href: Href, absolute: Href): string {
  const target = xmlEscape(href(to));
  const url = xmlEscape(absolute(to));
  const script = JSON.stringify(href(to)).replace(/</g, '\\u003c');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Moved to ${url}</title>
<script>location.replace(${script} + location.hash)</script>
<meta http-equiv="refresh" content="0; url=${target}">
<link rel="canonical" href="${url}">
<meta name="robots" content="noindex">
</head>
<body>
<p>This page lives at <a href="${target}">${url}</a>.</p>
</body>
</html>
`;
}

/** The file a site path is written to: `/kb/Q243852/` → `kb/Q243852/index.html`. */
export function outputFileOf(sitePath: string): string {
  return (sitePath.endsWith('/') ? `${sitePath}index.html` : sitePath).replace(/^\//, '');
}

const redirectFingerprints = new Map<string, string>();

/** A redirect stub shows only its target; at 60,000 articles there are 150,000 stubs to fingerprint per build. */
function redirectFingerprint(to: string): string {
  let fingerprint = redirectFingerprints.get(to);
  if (fingerprint === undefined) redirectFingerprints.set(to, (fingerprint = hash(['redirect', to])));
  return fingerprint;
}

/**
 * Outputs planned for a redirect or an article, kept per object with the URLs they were planned
 * for (src/memo.ts): the same for every unchanged article and its redirects.
 */
const planned = new ObjectMemo<Article | Redirect, PlannedOutput[]>();

export function plannedDirectOutputs(site: SiteModel, href: Href, absolute: Href): PlannedOutput[] {
  const urls = absolute('/');
  const outputs: PlannedOutput[] = siteWideOutputs(site, href, absolute);
  for (const r of site.redirects) outputs.push(...planned.get(r, urls, () => [redirectOutput(r, href, absolute)]));
  for (const a of site.articles) outputs.push(...planned.get(a, urls, () => articleDataOutputs(a, absolute)));
  return outputs;
}

/** A redirect's stub page. */
export function redirectOutput(r: Redirect, href: Href, absolute: Href): PlannedOutput {
  return { path: outputFileOf(r.from), fingerprint: redirectFingerprint(r.to), render: () => redirectPage(r.to, href, absolute) };
}

/** An article's own data files: `/kb/<n>.json`, and `files.json` / `files.csv` when it has file tables. */
export function articleDataOutputs(a: Article, absolute: Href): PlannedOutput[] {
  const data = articleDataFingerprint(a);
  const own: PlannedOutput[] = [{ path: `kb/${a.id}.json`, fingerprint: data, render: () => articleJson(a, absolute) }];
  if (a.fileData && a.fileData.tables.length) {
    const base = outputFileOf(canonicalPath(a.id)).replace(/index\.html$/, '');
    own.push({ path: `${base}files.json`, fingerprint: data, render: () => fileDataToJson(a.id, a.fileData!) });
    own.push({ path: `${base}files.csv`, fingerprint: data, render: () => fileDataToCsv(a.fileData!) });
  }
  return own;
}

/** Each site-wide file's fingerprint, kept while its site URL and parts are the same. */
const siteWideFingerprints = new InputsMemo<string, string>(new Map());

/**
 * The site-wide data files, each fingerprinted by its text: most edits change none of them, and
 * then none is written. At 60,000 articles they are ~25 MB, so a file whose parts are the very
 * strings it had last time (src/memo.ts keeps them per article) keeps its fingerprint unjoined.
 */
function siteWideOutputs(site: SiteModel, href: Href, absolute: Href): PlannedOutput[] {
  const whole = (text: () => string): (() => PartedText) => () => {
    const content = text();
    return { parts: [content], text: () => content };
  };
  const files: Array<[path: string, parted: () => PartedText]> = [
    ['sitemap.xml', () => sitemapParts(site, absolute)],
    ['_redirects', () => redirectsParts(site, href)],
    ['api/articles.json', () => articlesIndexParts(site, absolute)],
    ['api/stop-codes.json', whole(() => stopCodesJson(site, absolute))],
    ['feed.xml', whole(() => atomFeed(site, absolute))],
    ['opensearch.xml', whole(() => openSearchXml(site, absolute))],
  ];
  const urls = absolute('/');
  return files.map(([path, parted]) => {
    const { parts, text } = parted();
    let content: string | null = null;
    const fingerprint = siteWideFingerprints.get(path, [urls, ...parts], () => hash((content = text())));
    return { path, fingerprint, render: () => content ?? text() };
  });
}
