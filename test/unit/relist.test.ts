/**
 * An edit of what lists show of an article (its title, its dates) without modelling the site again:
 * what the pages and files that show it become, worked out from what the last build kept
 * (src/build/listing-contexts.ts, relistedPageContext in fingerprints.ts, replaceEntry in
 * machine-readable.ts), is what the site model gives once the article has changed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Article } from '../../src/article/model.ts';
import type { FileTable } from '../../src/file-versions.ts';
import { buildSiteModel, type SiteModel } from '../../src/site-model.ts';
import { DEFAULT_CONFIG } from '../../src/site-config.ts';
import { articlePageContext, filePageFingerprint, productPageFingerprint, relistedPageContext, stopPageFingerprint } from '../../src/build/fingerprints.ts';
import { copyListingContexts, datesOf, homeListsOf, listingContextsOf, pagesShowing, relatedStandIns, relistListings, reshow, type HomeLists, type ListingContexts } from '../../src/build/listing-contexts.ts';
import { changedRelated, relatedLineOf, relatedStandIn } from '../../src/related.ts';
import { ARTICLE_INDEX_ENTRY, articleIndexEntry, articleSitemapEntry, articlesIndexJson, atomFeed, redirectsFile, redirectsWithStopCodes, replaceEntry, sitemapWithStopCodes, sitemapXml, SITEMAP_ENTRY, stopCodesJson } from '../../src/machine-readable.ts';
import { article } from '../support/articles.ts';

const table = (name: string, version: string): FileTable => ({ id: 'files-x64', caption: 'x64', platform: 'x64', kind: 'files', rows: [{ name, version, size: 1024, date: '2013-01-03', time: '10:00', platform: 'x64' }] });
const files = (...tables: FileTable[]) => ({ branches: [], tables }) as Article['fileData'];

/** 133 articles: a product with two pages, a stop code, a file, related articles and backlinks,
 *  20 newer ones for the home page, and a product of one article. Article 1000 shows up in all of
 *  those but the home page. */
function articles(change: Partial<Article> = {}, id = 1000): Article[] {
  const list: Article[] = [];
  list.push(article(1000, { title: 'Old title', products: ['Windows Server'], stopCodes: ['0x00000024'], fileData: files(table('Ntfs.sys', '6.0.6002.1')), updated: '2015-01-01', body: 'See [the other article](/kb/1003/).' }));
  list.push(article(1001, { products: ['Windows Server'], stopCodes: ['0x00000024'], updated: '2016-01-01' }));
  list.push(article(1002, { fileData: files(table('ntfs.sys', '6.0.6002.2')), related: [1000] }));
  list.push(article(1003, { fileData: files(table('Mpio.sys', '6.3.9600.1')) }));
  list.push(article(1004, { body: 'See [the other article](/kb/1003/).', updated: '2014-06-01', stopCodes: ['0x000000D1'] }));
  for (let i = 0; i < 107; i++) list.push(article(2000 + i, { products: ['Windows Server'], updated: `2014-01-${String((i % 28) + 1).padStart(2, '0')}` }));
  for (let i = 0; i < 20; i++) list.push(article(3000 + i, { products: ['Office'], published: '2030-01-01', updated: `2030-02-${String(i + 1).padStart(2, '0')}` }));
  list.push(article(1005, { products: ['Windows Storage Server'], updated: '2012-01-01' }));
  return list.map((a) => (a.id === id ? { ...a, ...change } : a));
}

const NEW_TITLE = 'Stop 0x24 <b>"quoted"</b> & more';
const model = (change: Partial<Article> = {}, id = 1000): SiteModel => buildSiteModel(articles(change, id), DEFAULT_CONFIG).site;
const absolute = (p: string) => `https://kb.example${p}`;
/** What listing.njk shows of the home page's lists, and the feed. */
const home = (lists: HomeLists) => ({
  recent: lists.recent.map((a) => [a.id, a.title, a.updated, a.published, a.products]),
  newest: lists.newest.map((a) => [a.id, a.title, a.published, a.products]),
  products: lists.products.map((p) => [p.slug, p.name, p.count]),
  stopCodes: lists.stopCodes.slice(0, 10).map((s) => [s.code, s.name, s.articles.length]),
  feed: atomFeed({ config: DEFAULT_CONFIG, recent: lists.recent }, absolute),
});
const fingerprints = (site: Pick<SiteModel, 'productPages' | 'stopCodes' | 'files'>) => [...site.productPages.map(productPageFingerprint), ...site.stopCodes.map(stopPageFingerprint), ...site.files.map(filePageFingerprint)];

/** Listing contexts to compare: `shownOn` is a set of pairs, in the order of the lists they came from. */
const comparable = (listings: ListingContexts) => {
  const pairs: string[] = [];
  for (let i = 0; i < listings.shownOn.length; i += 2) pairs.push(`${listings.shownOn[i]}>${listings.shownOn[i + 1]}`);
  return { ...listings, shownOn: pairs.sort() };
};

/** The article as `redated` when its dates differ between the two models. */
const redated = (before: SiteModel, after: SiteModel, id: number) => {
  const [a, b] = [before.byId.get(id)!, after.byId.get(id)!];
  return new Set(a.updated !== b.updated || a.published !== b.published ? [id] : []);
};

/** Relist one article in the kept listings of `before` and check everything against the model `after`. */
function relist(change: Partial<Article>, id = 1000) {
  const [before, after] = [model(), model(change, id)];
  const listings = listingContextsOf(before);
  const lists = relistListings(listings, new Map([[id, after.byId.get(id)!]]), redated(before, after, id));
  return { before, after, listings, lists };
}

test('the lists that show a retitled article are those of the site model with its new title', () => {
  const { before, after, listings, lists } = relist({ title: NEW_TITLE });
  assert.equal(lists.unknown, null);
  // The page of its product that lists it (1001 first, by date), its stop code's page and its file's page.
  assert.deepEqual(lists.productPages.map((p) => p.path), ['/products/windows-server/']);
  assert.deepEqual(lists.stopCodes.map((s) => s.code), ['0x00000024']);
  assert.deepEqual(lists.files.map((f) => f.name), ['Ntfs.sys']);
  const shown = (site: SiteModel) => ({ productPages: site.productPages.filter((p) => p.path === '/products/windows-server/'), stopCodes: site.stopCodes.filter((s) => s.code === '0x00000024'), files: site.files.filter((f) => f.slug === 'ntfs.sys') });
  assert.deepEqual(fingerprints(lists), fingerprints(shown(after)));
  assert.notDeepEqual(fingerprints(lists), fingerprints(shown(before)), 'the pages show the new title');
  assert.equal(lists.home, null, 'the home page does not show article 1000');
  assert.deepEqual(comparable(listings), comparable(listingContextsOf(after)), 'what is kept for the next edit');
});

test('a new type shows on the product page that lists the article, as in the site model', () => {
  const { before, after, listings, lists } = relist({ type: 'how-to' });
  const page = (site: Pick<SiteModel, 'productPages'>) => site.productPages.filter((p) => p.path === '/products/windows-server/').map(productPageFingerprint);
  assert.deepEqual(lists.productPages.map(productPageFingerprint), page(after));
  assert.notDeepEqual(page(after), page(before));
  assert.deepEqual(comparable(listings), comparable(listingContextsOf(after)));
});

test('a new date moves an article to another page of its product and in its stop code list, as the site model does', () => {
  const pages = (site: SiteModel) => site.productPages.filter((p) => p.product.name === 'Windows Server').map((p) => p.articles.map((a) => a.id));
  for (const [updated, stop] of [['2013-06-01', [1001, 1000]], ['2017-01-01', [1000, 1001]]] as const) {
    const { before, after, listings, lists } = relist({ updated });
    assert.notDeepEqual(pages(after), pages(before));
    assert.deepEqual(lists.productPages.map((p) => p.articles.map((a) => a.id)), pages(after));
    assert.deepEqual(lists.stopCodes.map((s) => s.articles.map((a) => a.id)), [stop]);
    assert.deepEqual(fingerprints(lists), fingerprints({ productPages: after.productPages.filter((p) => p.product.name === 'Windows Server'), stopCodes: after.stopCodes.filter((s) => s.code === '0x00000024'), files: after.files.filter((f) => f.slug === 'ntfs.sys') }));
    assert.deepEqual(comparable(listings), comparable(listingContextsOf(after)));
    assert.equal(datesOf(listings).get(1000)!.updated, updated);
  }
  assert.ok(pages(model({ updated: '2013-06-01' }))[1]!.includes(1000), 'an older date moved it to the second page');
});

test('an article dated onto the home page, or moved on it, gives the home page and feed of the site model', () => {
  for (const [change, id] of [[{ updated: '2031-01-01', title: NEW_TITLE }, 1000], [{ updated: '2030-02-25' }, 3003], [{ published: '2030-06-01' }, 3005]] as const) {
    const { before, after, listings, lists } = relist(change, id);
    assert.equal(lists.unknown, null);
    assert.ok(lists.home, `the home page shows ${id}`);
    assert.deepEqual(home(lists.home), home(after));
    assert.notDeepEqual(home(after), home(before));
    assert.deepEqual(comparable(listings), comparable(listingContextsOf(after)));
  }
});

test("a recent article's new summary shows in the feed, as in the site model", () => {
  const { before, after, lists } = relist({ summary: 'A new summary <with> "quotes" & more.' }, 3007);
  assert.ok(lists.home);
  assert.equal(atomFeed({ config: DEFAULT_CONFIG, recent: lists.home.recent }, absolute), atomFeed(after, absolute));
  assert.notEqual(atomFeed(after, absolute), atomFeed(before, absolute));
});

test('an article dated past the last one a full home list shows cannot be followed: the next one was not kept', () => {
  // Off the list, or below its last article: an article the list did not keep may now come before it.
  for (const [change, id] of [[{ updated: '2001-01-01' }, 3005], [{ published: '2029-01-01' }, 3019]] as const) assert.match(relist(change, id).lists.unknown ?? '', /past the last article the home page lists/);
  // In a list that was not full (a site of 15 articles), it can.
  const few = (change: Partial<Article>) => buildSiteModel(articles().filter((a) => a.id >= 3005).map((a) => (a.id === 3015 ? { ...a, ...change } : a)), DEFAULT_CONFIG).site;
  const listings = listingContextsOf(few({}));
  const after = few({ published: '2001-01-01', updated: '2001-01-01' });
  const relisted = relistListings(listings, new Map([[3015, after.byId.get(3015)!]]), new Set([3015]));
  assert.equal(relisted.unknown, null);
  assert.deepEqual(home(relisted.home!), home(after));
});

test('the article pages that show a changed article are found, and their contexts become those of the site model', () => {
  for (const change of [{ title: NEW_TITLE }, { updated: '2014-01-01' }, { updated: '2014-12-31', title: NEW_TITLE }]) {
    const before = model();
    const after = model(change);
    const changed = new Map([[1000, after.byId.get(1000)!]]);
    const listings = listingContextsOf(before);
    const showing = pagesShowing(listings, new Set([1000]));
    const differ = before.articles.filter((a) => articlePageContext(a, before) !== articlePageContext(after.byId.get(a.id)!, after)).map((a) => a.id);
    // Related lists (a shared product and stop code; chosen by the author) show its title; 1003's backlinks its title and date.
    assert.deepEqual(showing.sort(), [1001, 1002, 1003]);
    assert.ok(differ.every((id) => showing.includes(id)), `${JSON.stringify(change)}: every page whose context changes is found`);
    // The dates after the edit, as relistListings gives them when some changed (null otherwise).
    const { dates } = relistListings(listings, changed, redated(before, after, 1000));
    assert.equal(dates === null, !('updated' in change));
    for (const a of before.articles) {
      assert.equal(relistedPageContext(articlePageContext(a, before), changed, dates), articlePageContext(after.byId.get(a.id)!, after), `the context of ${a.id} after ${JSON.stringify(change)}`);
    }
  }
  // Backlinks are ordered by date: 1000 moves below 1004 on 1003's page.
  const after = model({ updated: '2014-01-01' });
  assert.deepEqual(after.links.backlinks.get(1003)!.map((a) => a.id), [1004, 1000]);
  assert.deepEqual(model().links.backlinks.get(1003)!.map((a) => a.id), [1000, 1004]);
  // A backlink whose dates were not kept cannot be ordered.
  const context = articlePageContext(model().byId.get(1003)!, model());
  assert.equal(relistedPageContext(context, new Map([[1000, after.byId.get(1000)!]]), new Map()), null);
});

test("an article's entry in a site-wide list is replaced where it stands, or not at all", () => {
  const [before, after] = [model(), model({ title: NEW_TITLE, updated: '2015-06-01' })];
  const entries = [
    { file: (site: SiteModel) => articlesIndexJson(site, absolute), entry: (site: SiteModel) => articleIndexEntry(site.byId.get(1000)!, absolute), between: ARTICLE_INDEX_ENTRY },
    { file: (site: SiteModel) => sitemapXml(site, absolute), entry: (site: SiteModel) => articleSitemapEntry(site.byId.get(1000)!, absolute), between: SITEMAP_ENTRY },
  ];
  for (const { file, entry, between } of entries) {
    const bytes = Buffer.from(file(before));
    const replace = (text: Buffer, from: string, to: string) => replaceEntry(text, from, to, between.opens, between.closes);
    assert.equal(replace(bytes, entry(before), entry(after))?.toString(), file(after));
    assert.equal(replace(bytes, entry(after), entry(before)), null, 'an entry the file does not hold');
    assert.equal(replace(Buffer.concat([bytes, Buffer.from(entry(before))]), entry(before), entry(after)), null, 'an entry the file holds twice');
    assert.equal(replace(Buffer.from(`${between.opens[0]}${entry(before)}x`), entry(before), entry(after)), null, 'not a whole entry');
  }
});

test('the home lists as kept give the feed the last build wrote', () => {
  const before = model();
  assert.equal(atomFeed({ config: DEFAULT_CONFIG, recent: homeListsOf(listingContextsOf(before)).recent }, absolute), atomFeed(before, absolute));
});

/** Relist one article as the quick rebuild does: related lists first, from the related lines as the last build kept them, then the lists. */
function relistWithRelated(change: Partial<Article>, id: number) {
  const [before, after] = [model(), model(change, id)];
  const listings = listingContextsOf(before);
  const standIns = relatedStandIns(listings);
  const rescored = changedRelated(standIns, standIns.map((a) => (a.id === id ? relatedStandIn(relatedLineOf(after.byId.get(id)!)) : a)), new Set([id]));
  const lists = relistListings(listings, new Map([[id, after.byId.get(id)!]]), redated(before, after, id));
  return { before, after, listings, lists, rescored };
}

/** Every page whose context differs is re-scored (a new title aside: relistedPageContext follows it), and once
 *  their contexts are recorded the listings are what the site model keeps for the next edit. */
function assertRescoredAndKept(what: string, change: Partial<Article>, { before, after, listings, rescored }: Pick<ReturnType<typeof relistWithRelated>, 'before' | 'after' | 'listings' | 'rescored'>): void {
  for (const a of before.articles) {
    if (articlePageContext(a, before) !== articlePageContext(after.byId.get(a.id)!, after)) assert.ok(rescored.has(a.id) || 'title' in change, `${what}: ${a.id} is re-scored`);
  }
  reshow(listings, new Map([...rescored.keys()].map((page) => [page, articlePageContext(after.byId.get(page)!, after)])));
  if (!('title' in change)) assert.deepEqual(comparable(listings), comparable(listingContextsOf(after)), `${what}: what is kept for the next edit`);
}

test('an article moved between products gives the product pages, home lists and related lists of the site model', () => {
  const pagesOf = (site: Pick<SiteModel, 'productPages'>, names: string[]) => site.productPages.filter((p) => names.includes(p.product.name));
  const cases: Array<[change: Partial<Article>, id: number, products: string[], removed: string[]]> = [
    [{ products: ['Office'] }, 1000, ['Windows Server', 'Office'], []],
    [{ products: ['Windows Server', 'Contoso <Storage>'], title: NEW_TITLE }, 1001, ['Contoso <Storage>'], []],
    [{ products: ['Office'] }, 1005, ['Windows Storage Server', 'Office'], ['/products/windows-storage-server/']],
    [{ products: ['Windows Storage Server'], updated: '2030-03-01' }, 3004, ['Windows Storage Server', 'Office'], []],
  ];
  for (const [change, id, products, removed] of cases) {
    const what = JSON.stringify(change);
    const { before, after, listings, lists, rescored } = relistWithRelated(change, id);
    assert.equal(lists.unknown, null, what);
    assert.equal(lists.productsChanged, true, what);
    assert.deepEqual(lists.removedProductPages, removed, what);
    assert.deepEqual(lists.productPages.filter((p) => products.includes(p.product.name)).map(productPageFingerprint), pagesOf(after, products).map(productPageFingerprint), `${what}: every page of the products it left and joined`);
    const shownAfter = {
      productPages: lists.productPages.map((p) => after.productPages.find((q) => q.path === p.path)!),
      stopCodes: lists.stopCodes.map((s) => after.stopCodes.find((t) => t.code === s.code)!),
      files: lists.files.map((f) => after.files.find((g) => g.name === f.name)!),
    };
    assert.deepEqual(fingerprints(lists), fingerprints(shownAfter), `${what}: every list that shows it, as the site model has it`);
    assert.deepEqual(home(lists.home!), home(after), `${what}: the home page lists products`);
    assertRescoredAndKept(what, change, { before, after, listings, rescored });
  }
});

test("a product name that would take another product's address cannot be followed", () => {
  const before = model();
  const after = model({ products: ['WINDOWS SERVER'] }, 1002);
  assert.match(relistListings(listingContextsOf(before), new Map([[1002, after.byId.get(1002)!]]), new Set()).unknown ?? '', /a product's address would change/);
  assert.deepEqual(after.products.filter((p) => p.name.toLowerCase() === 'windows server').map((p) => [p.name, p.slug]), [['Windows Server', 'windows-server-2'], ['WINDOWS SERVER', 'windows-server']]);
});

test('an article that gains or loses a stop code gives the stop-code pages, site-wide lists and related lists of the site model', () => {
  const href = (p: string) => `/prefix${p}`;
  const cases: Array<[change: Partial<Article>, id: number, codes: string[]]> = [
    [{ stopCodes: ['0x00000024', '0x0000007E'] }, 1002, ['0x00000024', '0x0000007E']], // a new code, and an existing one
    [{ stopCodes: ['0x0000007E'], title: NEW_TITLE }, 1000, ['0x00000024', '0x0000007E']], // one code for another, with a title
    [{ stopCodes: [] }, 1004, ['0x000000D1']], // a code's only article: the code is gone
  ];
  for (const [change, id, codes] of cases) {
    const what = JSON.stringify(change);
    const { before, after, listings, lists, rescored } = relistWithRelated(change, id);
    assert.equal(lists.unknown, null, what);
    const moved = lists.stopCodesMoved!;
    const entries = (stops: SiteModel['stopCodes']) => stops.map((s) => [s.code, s.name, s.articles.map((a) => a.id)]);
    assert.deepEqual(entries(moved.before), entries(before.stopCodes), `${what}: the codes before`);
    assert.deepEqual(entries(moved.after), entries(after.stopCodes), `${what}: the codes after, most articles first`);
    const pages = lists.stopCodes.filter((s) => codes.includes(s.code));
    assert.deepEqual(pages.map(stopPageFingerprint), after.stopCodes.filter((s) => codes.includes(s.code)).map(stopPageFingerprint), `${what}: the pages of the codes it left and joined`);
    // The site-wide files, patched where they list stop codes, are those of the site model.
    assert.equal(sitemapWithStopCodes(sitemapXml(before, absolute), moved.before, moved.after, absolute), sitemapXml({ ...before, stopCodes: after.stopCodes }, absolute), `${what}: sitemap`);
    assert.equal(redirectsWithStopCodes(redirectsFile(before, href), moved.before, moved.after, href), redirectsFile(after, href), `${what}: _redirects`);
    assert.equal(stopCodesJson({ stopCodes: moved.after }, absolute), stopCodesJson(after, absolute), `${what}: api/stop-codes.json`);
    assert.equal(sitemapWithStopCodes(sitemapXml(after, absolute), moved.before, moved.after, absolute), null, 'a sitemap that does not list the codes before');
    assert.deepEqual(home(lists.home!), home(after), `${what}: the home page lists the most-referenced codes`);
    assertRescoredAndKept(what, change, { before, after, listings, rescored });
  }
});

test('_redirects without aliases, or without stop codes before or after, is patched as the site model writes it', () => {
  const href = (p: string) => p;
  const site = (stopCodes: string[], aliases: string[]) => buildSiteModel([article(1, { stopCodes, aliases })], DEFAULT_CONFIG).site;
  for (const aliases of [[], ['KB1']]) {
    for (const [from, to] of [[[], ['0x0000007E']], [['0x0000007E'], []], [['0x0000007E'], ['0x00000024']]] as const) {
      const [before, after] = [site([...from], aliases), site([...to], aliases)];
      assert.equal(redirectsWithStopCodes(redirectsFile(before, href), before.stopCodes, after.stopCodes, href), redirectsFile(after, href), `${JSON.stringify(aliases)}: ${JSON.stringify(from)} → ${JSON.stringify(to)}`);
    }
  }
});

test("an article's new file versions give the file pages, the file index and related lists of the site model", () => {
  const cases: Array<[change: Partial<Article>, id: number, slugs: string[], removed: string[]]> = [
    [{ fileData: files(table('Ntfs.sys', '6.0.6002.1'), { ...table('Storport.sys', '6.0.6002.9'), id: 'files-x86', platform: 'x86' }) }, 1000, ['storport.sys'], []], // a new file
    [{ fileData: null }, 1002, ['ntfs.sys'], []], // one spelling of a file left
    [{ fileData: files(table('Mpio.sys', '6.3.9600.2')), title: NEW_TITLE }, 1003, ['mpio.sys'], []], // a new version, with a title
    [{ fileData: null }, 1003, ['mpio.sys'], ['/files/mpio.sys/']], // a file's only article: the file is gone
  ];
  for (const [change, id, slugs, removed] of cases) {
    const what = JSON.stringify(change);
    const { before, after, listings, lists, rescored } = relistWithRelated(change, id);
    assert.equal(lists.unknown, null, what);
    assert.deepEqual(lists.removedFilePages, removed, what);
    const pages = lists.files.filter((f) => slugs.includes(f.slug));
    assert.deepEqual(pages.map(filePageFingerprint), after.files.filter((f) => slugs.includes(f.slug)).map(filePageFingerprint), `${what}: the pages of the files whose versions changed`);
    assert.deepEqual(lists.allFiles!.map((f) => [f.name, f.slug, f.versions.length]), after.files.map((f) => [f.name, f.slug, f.versions.length]), `${what}: the file index`);
    assertRescoredAndKept(what, change, { before, after, listings, rescored });
  }
  // Two articles spell a file differently: its page shows the spelling of the first in the site's order.
  for (const [change, id] of [[{ fileData: files(table('Ntfs.sys', '6.0.6002.7')) }, 1000], [{ fileData: files(table('NTFS.SYS', '6.0.6002.7')) }, 1002], [{ fileData: files(table('NTFS.SYS', '6.0.6002.7')) }, 1000]] as const) {
    const [before, after] = [model(), model(change, id)];
    const listings = listingContextsOf(before);
    const lists = relistListings(listings, new Map([[id, after.byId.get(id)!]]), new Set());
    assert.equal(lists.unknown, null);
    assert.deepEqual(lists.files.filter((f) => f.slug === 'ntfs.sys').map(filePageFingerprint), after.files.filter((f) => f.slug === 'ntfs.sys').map(filePageFingerprint), `${JSON.stringify(change)} for ${id}`);
    assert.deepEqual(comparable(listings), comparable(listingContextsOf(after)));
  }
  assert.deepEqual(model({ fileData: files(table('NTFS.SYS', '6.0.6002.7')) }).files.find((f) => f.slug === 'ntfs.sys')!.name, 'NTFS.SYS', 'the first article spells it so');
  // When the first article spells it in two ways and is not the one edited, which comes first in its tables is not kept.
  const twice = files(table('Ntfs.sys', '6.0.6002.1'), { ...table('ntfs.sys', '6.0.6002.5'), id: 'files-x86', platform: 'x86' });
  const before = model({ fileData: twice });
  const after = buildSiteModel(articles({ fileData: twice }).map((a) => (a.id === 1002 ? { ...a, fileData: files(table('ntfs.sys', '6.0.6002.3')) } : a)), DEFAULT_CONFIG).site;
  assert.match(relistListings(listingContextsOf(before), new Map([[1002, after.byId.get(1002)!]]), new Set()).unknown ?? '', /spelled in more than one way/);
});

test('relisting and reshowing a copy of the listing contexts (copyListingContexts, what a watching process does) leave the original as it was', () => {
  const cases: Array<[change: Partial<Article>, id: number]> = [
    [{ products: ['Office'], title: NEW_TITLE, updated: '2030-03-01' }, 1000], // moved between products, retitled, dated onto the home page
    [{ products: ['Office'] }, 1005], // its product's last article
    [{ stopCodes: ['0x000000D1'] }, 1001],
    [{ fileData: files(table('Ntfs.sys', '6.0.6002.9'), table('Tcpip.sys', '6.0.6002.1')) }, 1000],
    [{ updated: '2016-06-01' }, 2050],
  ];
  for (const [change, id] of cases) {
    const what = JSON.stringify(change);
    const [before, after] = [model(), model(change, id)];
    const original = listingContextsOf(before);
    const untouched = structuredClone(original);
    const copy = copyListingContexts(original);
    const standIns = relatedStandIns(copy);
    const rescored = changedRelated(standIns, standIns.map((a) => (a.id === id ? relatedStandIn(relatedLineOf(after.byId.get(id)!)) : a)), new Set([id]));
    relistListings(copy, new Map([[id, after.byId.get(id)!]]), redated(before, after, id));
    reshow(copy, new Map([...rescored.keys(), 1002].map((page) => [page, articlePageContext(after.byId.get(page)!, after)])));
    assert.notDeepEqual(comparable(copy), comparable(untouched), `${what}: the copy changed`);
    assert.deepEqual(original, untouched, `${what}: the original did not`);
  }
});
