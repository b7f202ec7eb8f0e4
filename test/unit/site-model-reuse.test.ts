/**
 * A watching process models the site again after every save with the same Article objects for the
 * files that did not change, and the model reuses what it derived from them (src/memo.ts,
 * src/related.ts). These tests edit one article at a time and check that the reused model is
 * exactly what a model of fresh copies of the same articles gives, made by fresh instances of the
 * modules (imported again under another URL), so that nothing remembered can hide a stale result.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Article } from '../../src/article/model.ts';
import { buildSiteModel, type SiteModel } from '../../src/site-model.ts';
import { DEFAULT_CONFIG } from '../../src/site-config.ts';
import { plannedDirectOutputs } from '../../src/build/direct-outputs.ts';
import { articlePageContext, articlePageFingerprint, filePageFingerprint, productPageFingerprint } from '../../src/build/fingerprints.ts';
import { keepForRebuilds } from '../../src/memo.ts';
import { article } from '../support/articles.ts';

// As a watching process does; one-shot builds keep nothing for later.
keepForRebuilds();

const files = (name: string, version: string) => ({ branches: [], tables: [{ id: 'files-x64', caption: '', platform: 'x64', kind: 'files', rows: [{ name, version, size: 1, date: null, time: null, platform: 'x64' }] }] }) as unknown as Article['fileData'];

/** 30 articles in overlapping groups: stop codes, files, products (one large), backlinks, aliases. */
function corpus(): Article[] {
  return Array.from({ length: 30 }, (_, i) =>
    article(1000 + i, {
      title: `Article ${i}`,
      products: i % 3 === 0 ? ['Windows', 'Office'] : ['Windows'],
      stopCodes: i % 4 === 0 ? ['0x00000024'] : i % 5 === 0 ? ['0x0000007B'] : [],
      fileData: i % 6 === 0 ? files('Ntfs.sys', `5.0.${i}.0`) : null,
      body: i % 7 === 0 ? `See Q${1000 + ((i + 1) % 30)}.` : '',
      aliases: [`/old/${i}/`],
      updated: `2021-01-${String((i % 28) + 1).padStart(2, '0')}`,
    }),
  );
}

type Fingerprints = typeof import('../../src/build/fingerprints.ts');
const current: Fingerprints = { articlePageContext, articlePageFingerprint, filePageFingerprint, productPageFingerprint } as Fingerprints;

/** Everything the pages and data files are made from, as plain values. */
function shape(site: SiteModel, { articlePageContext, articlePageFingerprint, filePageFingerprint, productPageFingerprint }: Fingerprints = current): unknown {
  const href = (p: string) => p;
  const absolute = (p: string) => `https://kb.example.com${p}`;
  return {
    redirects: site.redirects.map((r) => `${r.from}→${r.to}`),
    related: [...site.links.related].map(([id, list]) => [id, list.map((r) => [r.article.id, r.article.title, r.reasons])]),
    backlinks: [...site.links.backlinks].map(([id, list]) => [id, list.map((a) => [a.id, a.title])]),
    recent: site.recent.map((a) => a.id),
    products: site.productPages.map((p) => [p.path, p.articles.map((a) => a.id), productPageFingerprint(p)]),
    files: site.files.map((f) => [f.name, f.versions.map((v) => [v.version, v.article.id]), filePageFingerprint(f)]),
    pages: site.articles.map((a) => [articlePageContext(a, site), articlePageFingerprint(a, articlePageContext(a, site))]),
    outputs: plannedDirectOutputs(site, href, absolute).map((o) => [o.path, o.fingerprint, o.render()]),
  };
}

let instances = 0;
/** The shape of a model of fresh copies of `articles`, by modules with nothing remembered. */
async function freshShape(articles: Article[]): Promise<unknown> {
  const n = ++instances;
  const model = (await import(`../../src/site-model.ts?fresh=${n}`)) as typeof import('../../src/site-model.ts');
  const fingerprints = (await import(`../../src/build/fingerprints.ts?fresh=${n}`)) as Fingerprints;
  return shape(model.buildSiteModel(structuredClone(articles), DEFAULT_CONFIG).site, fingerprints);
}

const edits: Array<[string, (a: Article) => Partial<Article>]> = [
  ['its title', () => ({ title: 'A new title' })],
  ['its body only', (a) => ({ body: `${a.body} More text.` })],
  ['its stop codes', () => ({ stopCodes: ['0x0000007B'] })],
  ['its products', () => ({ products: ['Exchange'] })],
  ['its shipped file', () => ({ fileData: files('Tcpip.sys', '6.1.0.0') })],
  ['its date', () => ({ updated: '2030-01-01' })],
  ['its aliases', () => ({ aliases: ['/old/other/'] })],
  ['what it links to', () => ({ body: 'See Q1005 and Q1010.' })],
];

for (const [what, change] of edits) {
  test(`after an edit of ${what}, the model reused from the last one equals a fresh model`, async () => {
    const articles = corpus();
    buildSiteModel(articles, DEFAULT_CONFIG); // the model a watching process keeps
    for (const at of [0, 12, 29]) {
      const edited = articles.map((a, i) => (i === at ? { ...a, ...change(a) } : a));
      const reused = buildSiteModel(edited, DEFAULT_CONFIG).site;
      assert.deepEqual(shape(reused), await freshShape(edited), `edit of article ${at}`);
    }
  });
}

test('after an article is removed and another added, the reused model equals a fresh model', async () => {
  const articles = corpus();
  buildSiteModel(articles, DEFAULT_CONFIG);
  const edited = [...articles.slice(0, 10), ...articles.slice(11), article(2000, { products: ['Windows'], stopCodes: ['0x00000024'], body: 'See Q1003.' })];
  assert.deepEqual(shape(buildSiteModel(edited, DEFAULT_CONFIG).site), await freshShape(edited));
});
