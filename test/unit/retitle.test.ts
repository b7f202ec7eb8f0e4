/**
 * A title edit without modelling the site again: what the pages and files that show an article's
 * title become, worked out from what the last build kept (src/build/listing-contexts.ts,
 * retitledPageContext in fingerprints.ts, replaceArticleIndexEntry in machine-readable.ts), is what
 * the site model gives once the article has its new title.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Article } from '../../src/article/model.ts';
import type { FileTable } from '../../src/file-versions.ts';
import { buildSiteModel, type SiteModel } from '../../src/site-model.ts';
import { DEFAULT_CONFIG } from '../../src/site-config.ts';
import { articlePageContext, filePageFingerprint, productPageFingerprint, retitledPageContext, stopPageFingerprint } from '../../src/build/fingerprints.ts';
import { homeListsOf, listingContextsOf, pagesShowingTitles, retitleListings, type HomeLists } from '../../src/build/listing-contexts.ts';
import { articleIndexEntry, articlesIndexJson, atomFeed, replaceArticleIndexEntry } from '../../src/machine-readable.ts';
import { article } from '../support/articles.ts';

const table = (name: string, version: string): FileTable => ({ id: 'files-x64', caption: 'x64', platform: 'x64', kind: 'files', rows: [{ name, version, size: 1024, date: '2013-01-03', time: '10:00', platform: 'x64' }] });
const files = (...tables: FileTable[]) => ({ branches: [], tables }) as Article['fileData'];

/** 131 articles: a product with two pages, a stop code, a file, related articles and backlinks, and
 *  20 newer ones for the home page. Article 1000 shows up in all of those but the home page. */
function articles(titleOf1000: string): Article[] {
  const list: Article[] = [];
  list.push(article(1000, { title: titleOf1000, products: ['Windows Server'], stopCodes: ['0x00000024'], fileData: files(table('Ntfs.sys', '6.0.6002.1')), updated: '2015-01-01', body: 'See [the other article](/kb/1003/).' }));
  list.push(article(1001, { products: ['Windows Server'], stopCodes: ['0x00000024'], updated: '2016-01-01' }));
  list.push(article(1002, { fileData: files(table('ntfs.sys', '6.0.6002.2')), related: [1000] }));
  list.push(article(1003));
  for (let i = 0; i < 107; i++) list.push(article(2000 + i, { products: ['Windows Server'], updated: `2014-01-${String((i % 28) + 1).padStart(2, '0')}` }));
  for (let i = 0; i < 20; i++) list.push(article(3000 + i, { products: ['Office'], published: '2030-01-01', updated: '2030-02-01' }));
  return list;
}

const NEW_TITLE = 'Stop 0x24 <b>"quoted"</b> & more';
const model = (title: string): SiteModel => buildSiteModel(articles(title), DEFAULT_CONFIG).site;

test('the listing pages that show a retitled article are those of the site model with its new title', () => {
  const before = model('Old title');
  const after = model(NEW_TITLE);
  const pages = retitleListings(listingContextsOf(before), new Map([[1000, NEW_TITLE]]));
  // Article 1000 is on page 1 of its product (ordered by date, 1001 first), on its stop code's page and on its file's page.
  assert.deepEqual(pages.productPages.map((p) => p.path), ['/products/windows-server/']);
  assert.deepEqual(pages.stopCodes.map((s) => s.code), ['0x00000024']);
  assert.deepEqual(pages.files.map((f) => f.name), ['Ntfs.sys']);
  const fingerprints = (site: Pick<SiteModel, 'productPages' | 'stopCodes' | 'files'>) => [...site.productPages.map(productPageFingerprint), ...site.stopCodes.map(stopPageFingerprint), ...site.files.map(filePageFingerprint)];
  const shown = (site: SiteModel) => ({ productPages: site.productPages.filter((p) => p.path === '/products/windows-server/'), stopCodes: site.stopCodes, files: site.files });
  assert.deepEqual(fingerprints(pages), fingerprints(shown(after)));
  assert.notDeepEqual(fingerprints(pages), fingerprints(shown(before)), 'the pages show the new title');
  assert.equal(pages.productPages[0]!.articles.find((a) => a.id === 1000)!.title, NEW_TITLE);
});

test('listing contexts keep the new title for the next edit', () => {
  const listings = listingContextsOf(model('Old title'));
  assert.equal(retitleListings(listings, new Map([[1000, NEW_TITLE]])).home, null, 'the home page does not show article 1000');
  assert.deepEqual(listings, listingContextsOf(model(NEW_TITLE)));
});

test('the home page and the feed of a retitled recent article are those of the site model with its new title', () => {
  const absolute = (p: string) => `https://kb.example${p}`;
  const retitledRecent = (title: string) => buildSiteModel(articles('Old title').map((a) => (a.id === 3005 ? { ...a, title } : a)), DEFAULT_CONFIG).site;
  const [before, after] = [retitledRecent('Old title'), retitledRecent(NEW_TITLE)];
  const listings = listingContextsOf(before);
  assert.equal(atomFeed({ config: DEFAULT_CONFIG, recent: homeListsOf(listings).recent }, absolute), atomFeed(before, absolute), 'the feed from the kept lines is the one written');
  const home = retitleListings(listings, new Map([[3005, NEW_TITLE]])).home!;
  assert.equal(atomFeed({ config: DEFAULT_CONFIG, recent: home.recent }, absolute), atomFeed(after, absolute));
  assert.notEqual(atomFeed(after, absolute), atomFeed(before, absolute));
  // What listing.njk reads of each list.
  const shown = (lists: HomeLists) => ({
    recent: lists.recent.map((a) => [a.id, a.title, a.updated, a.published, a.products]),
    newest: lists.newest.map((a) => [a.id, a.title, a.published, a.products]),
    products: lists.products.map((p) => [p.slug, p.name, p.count]),
    stopCodes: lists.stopCodes.slice(0, 10).map((s) => [s.code, s.name, s.articles.length]),
  });
  assert.deepEqual(shown(home), shown(after));
  assert.ok(home.recent.some((a) => a.title === NEW_TITLE) && home.newest.some((a) => a.title === NEW_TITLE));
});

test('the article pages that show a title are found, and their contexts become those of the site with the new title', () => {
  const before = model('Old title');
  const after = model(NEW_TITLE);
  const retitled = new Map([[1000, NEW_TITLE]]);
  const showing = pagesShowingTitles(listingContextsOf(before), new Set([1000]));
  const changed = before.articles.filter((a) => articlePageContext(a, before) !== articlePageContext(after.byId.get(a.id)!, after)).map((a) => a.id);
  assert.deepEqual(changed.sort(), [1001, 1002, 1003], 'related lists (a shared product and stop code; chosen by the author) and a backlink show it');
  assert.deepEqual(showing.sort(), changed.sort());
  for (const a of before.articles) assert.equal(retitledPageContext(articlePageContext(a, before), retitled), articlePageContext(after.byId.get(a.id)!, after), `the context of ${a.id}`);
});

test("an article's entry in the article list is replaced where it stands, or not at all", () => {
  const absolute = (p: string) => `https://kb.example${p}`;
  const [before, after] = [model('Old title'), model(NEW_TITLE)];
  const file = Buffer.from(articlesIndexJson(before, absolute));
  const entry = (site: SiteModel) => articleIndexEntry(site.byId.get(1000)!, absolute);
  assert.equal(replaceArticleIndexEntry(file, entry(before), entry(after))?.toString(), articlesIndexJson(after, absolute));
  assert.equal(replaceArticleIndexEntry(file, entry(after), entry(before)), null, 'an entry the file does not hold');
  assert.equal(replaceArticleIndexEntry(Buffer.concat([file, Buffer.from(entry(before))]), entry(before), entry(after)), null, 'an entry the file holds twice');
  assert.equal(replaceArticleIndexEntry(Buffer.from(`[${entry(before)}x]`), entry(before), entry(after)), null, 'not a whole entry');
});
