/**
 * The quick rebuild (src/build/quick-rebuild.ts): after edits to article bodies only, `kb build`
 * renders those pages from the build state without modelling the site, and what it leaves is what
 * a full build writes. Any other edit declines to the usual rebuild, which must then be just as right.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFile, cp, mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { assertSameSite, runKb, tempDir } from '../support/build.ts';
import { outlineOf } from '../../src/build/quick-rebuild.ts';
import { article } from '../support/articles.ts';

const QUICK = /(\d+) articles? changed only in what (?:its|their) own pages? shows?/;

/** Pages in the search delta index, as Pagefind counts them. */
async function deltaPages(site: string): Promise<number> {
  const entry = JSON.parse(await readFile(path.join(site, 'pagefind-delta/pagefind-entry.json'), 'utf8')) as { languages: Record<string, { page_count: number }> };
  return Object.values(entry.languages).reduce((n, l) => n + l.page_count, 0);
}

async function demoSite(prefix: string) {
  const dir = await tempDir(prefix);
  const content = path.join(dir, 'content');
  await cp(path.resolve('content'), content, { recursive: true });
  const site = path.join(dir, '_site');
  const build = async (...extra: string[]) => {
    const run = await runKb(['build', '--content', content, '--output', extra.includes('--full') ? path.join(dir, '_full') : site, ...extra]);
    assert.equal(run.exitCode, 0, run.stderr);
    return run.stdout;
  };
  const edit = async (file: string, change: (text: string) => string) => {
    const full = path.join(content, file);
    const text = await readFile(full, 'utf8');
    const changed = change(text);
    assert.notEqual(changed, text, `the edit changes ${file}`);
    await writeFile(full, changed);
  };
  /** The same site as a full build of the content as it is now. */
  const matchesFullBuild = async () => {
    await build('--full');
    await assertSameSite(site, path.join(dir, '_full'));
  };
  return { dir, content, site, build, edit, matchesFullBuild };
}

/** The legacy article's body ends before its keyword trailer (a tab-indented "Additional query words:"). */
const legacyBody = (sentence: string) => (text: string) => text.replace(/(\n\tAdditional query words:)/, `\n\t${sentence}\n\t$1`);

test('after body edits, a rebuild renders only those pages, from the build state, and matches a full build', async () => {
  const { site, build, edit, matchesFullBuild } = await demoSite('quick');
  await build();
  // A modern article, the hotfix with file tables (files.yaml) and related articles, and the legacy article.
  await edit('kb/5000101/index.md', (t) => t.replace('\n## Cause', '\nA sentence added by the quick rebuild test.\n\n## Cause'));
  await edit('kb/2792165/index.md', (t) => t.replace('\n## Status', '\nAnother added sentence.\n\n## Status'));
  const legacy = (await readdir(path.join(path.dirname(site), 'content/kb/243/Q243852')))[0]!;
  await edit(`kb/243/Q243852/${legacy}`, legacyBody('A legacy sentence added by the test.'));
  const summary = await build();
  assert.match(summary, QUICK);
  assert.equal(QUICK.exec(summary)![1], '3');
  // Three pages; their JSON, and the hotfix's files.json and files.csv (their fingerprint is the article's).
  assert.match(summary, /updated 3 pages and 5 data files, 3 articles in the search delta index/);
  assert.match(await readFile(path.join(site, 'kb/5000101/index.html'), 'utf8'), /A sentence added by the quick rebuild test\./);
  assert.match(await readFile(path.join(site, 'kb/243852/index.html'), 'utf8'), /A legacy sentence added by the test\./);
  assert.deepEqual(JSON.parse(await readFile(path.join(site, 'pagefind-delta/delta.json'), 'utf8')), { replaced: ['/kb/243852/', '/kb/2792165/', '/kb/5000101/'] });
  // The search page is rendered again: it now says there is a delta index to merge.
  assert.match(await readFile(path.join(site, 'search/index.html'), 'utf8'), /data-delta="yes"/);
  assert.equal(await deltaPages(site), 3);
  await matchesFullBuild();

  // Another body edit: the articles already in the delta index come from the parse cache into it again.
  await edit('kb/5000103/index.md', (t) => t.replace('\n## More Information', '\nA third added sentence.\n\n## More Information'));
  assert.match(await build(), /1 article changed only in what its own page shows[\s\S]*updated 1 page and 1 data file, 4 articles in the search delta index/);
  assert.deepEqual(JSON.parse(await readFile(path.join(site, 'pagefind-delta/delta.json'), 'utf8')), { replaced: ['/kb/243852/', '/kb/2792165/', '/kb/5000101/', '/kb/5000103/'] });
  assert.equal(await deltaPages(site), 4);
  await matchesFullBuild();

  // The state and the parse cache it left are those of the site: nothing changed is nothing to do…
  assert.match(await build(), /updated 0 pages and 0 data files into/);
  // …and the usual rebuild after it (an alias: a redirect, an outline change the quick rebuild leaves to it) is right too.
  await edit('kb/5000101/index.md', (t) => t.replace('products: [Windows Server 2012 R2, Windows 8.1]', 'products: [Windows Server 2012 R2, Windows 8.1]\naliases: [KB5000198]'));
  const usual = await build();
  assert.match(usual, /the whole site is modelled again: an article changed in what other pages show of it/);
  assert.deepEqual(JSON.parse(await readFile(path.join(site, 'pagefind-delta/delta.json'), 'utf8')), { replaced: ['/kb/243852/', '/kb/2792165/', '/kb/5000101/', '/kb/5000103/'] });
  await matchesFullBuild();
});

/** Articles newer than the demo's, so that the demo's are neither on the home page nor in the feed. */
async function addNewerArticles(content: string): Promise<void> {
  for (let i = 0; i < 21; i++) {
    const id = 5100000 + i;
    await mkdir(path.join(content, 'kb', String(id)), { recursive: true });
    await writeFile(
      path.join(content, 'kb', String(id), 'index.md'),
      `---\nid: ${id}\ntitle: 'Newer article ${i}'\nsummary: 'An article newer than the demo.'\ntype: information\nproducts: [Office]\npublished: 2030-01-01\nupdated: 2030-02-${String(i + 1).padStart(2, '0')}\n---\n\n## Summary\n\nText.\n`,
    );
  }
}

const retitle = (title: string) => (text: string) => text.replace(/^title: .*$/m, `title: '${title}'`);

test('after title edits, a rebuild renders the pages that show the titles, from the build state, and matches a full build', async () => {
  const { site, content, build, edit, matchesFullBuild } = await demoSite('quick-title');
  await addNewerArticles(content);
  await build();
  // The hotfix is listed by product, stop code and file, and other articles' pages show it (related).
  await edit('kb/2792165/index.md', retitle('Retitled <b>"hotfix"</b> & co'));
  const summary = await build();
  assert.match(summary, /1 article changed only in what its own page shows and in what lists show of it \(title, summary, dates, type, products, stop codes, files\): its page, data files and search record, and the pages that list it, are rebuilt/);
  const shown = 'Retitled &lt;b&gt;&quot;hotfix&quot;&lt;/b&gt; &amp; co';
  for (const page of ['kb/2792165/index.html', 'products/windows-server-2008/index.html', 'stop/0x00000024/index.html', 'files/ntfs.sys/index.html', 'kb/243852/index.html']) {
    assert.ok((await readFile(path.join(site, page), 'utf8')).includes(shown), `${page} shows the new title, escaped`);
  }
  assert.ok((await readFile(path.join(site, 'api/articles.json'), 'utf8')).includes('"title":"Retitled <b>\\"hotfix\\"</b> & co"'));
  assert.match(summary, /updated (\d+) pages/);
  assert.ok(Number(/updated (\d+) pages/.exec(summary)![1]) > 5, 'the article, listing and related pages');
  await matchesFullBuild();

  // Another title and a body: the contexts the first title edit changed are read back.
  await edit('kb/5000102/index.md', retitle('Second retitled article'));
  await edit('kb/5000101/index.md', (t) => t.replace('\n## Cause', '\nA sentence beside a title edit.\n\n## Cause'));
  assert.match(await build(), /2 articles changed only in what their own pages show and one in what lists show of it/);
  await matchesFullBuild();

  // Titles on the home page and in the feed (the newest article), and of an article the home page lists as new.
  await edit('kb/5100020/index.md', retitle('The newest article, retitled'));
  await edit('kb/5100003/index.md', retitle('A new article, retitled'));
  assert.match(await build(), /2 articles changed only in what their own pages show and 2 in what lists show of them/);
  const home = await readFile(path.join(site, 'index.html'), 'utf8');
  assert.ok(home.includes('The newest article, retitled') && home.includes('A new article, retitled'));
  assert.ok((await readFile(path.join(site, 'feed.xml'), 'utf8')).includes('<title>KB5100020: The newest article, retitled</title>'));
  await matchesFullBuild();

  // Dates: the hotfix updated onto the home page (first in its lists and the feed, a new sitemap
  // date) and an older article of the same product dated back (another place in its lists).
  await edit('kb/2792165/index.md', (t) => t.replace(/^updated: .*$/m, 'updated: 2031-05-01'));
  await edit('kb/5000102/index.md', (t) => t.replace(/^published: .*$/m, 'published: 2012-01-01'));
  assert.match(await build(), /2 articles changed only in what their own pages show and 2 in what lists show of them/);
  assert.ok((await readFile(path.join(site, 'sitemap.xml'), 'utf8')).includes('/kb/2792165/</loc><lastmod>2031-05-01</lastmod>'));
  assert.match(await readFile(path.join(site, 'index.html'), 'utf8'), /id="recent"[\s\S]*?<li><a href="\/kb\/2792165\/">/, 'first of the recently updated');
  await matchesFullBuild();

  // A type, which product pages and the article list show; a summary, which the feed shows.
  await edit('kb/5000103/index.md', (t) => t.replace(/^type: .*$/m, 'type: how-to'));
  await edit('kb/5100020/index.md', (t) => t.replace(/^summary: .*$/m, "summary: 'A summary the feed shows.'"));
  assert.match(await build(), /2 articles changed only in what their own pages show and 2 in what lists show of them/);
  assert.ok((await readFile(path.join(site, 'feed.xml'), 'utf8')).includes('<summary>A summary the feed shows.</summary>'));
  await matchesFullBuild();
  await edit('kb/5000103/index.md', (t) => t.replace(/^type: .*$/m, 'type: problem'));
  assert.match(await build(), /1 article changed only in what its own page shows and in what lists show of it/);
  await matchesFullBuild();
});

test('a title edit the kept state cannot follow declines to the usual rebuild; either way the site matches a full build', async () => {
  const { site, content, build, edit, matchesFullBuild } = await demoSite('quick-title-declines');
  await addNewerArticles(content);
  await build();
  // The article list was changed since the build: it is not patched, it is written again.
  await appendFile(path.join(site, 'api/articles.json'), ' ');
  await edit('kb/2792165/index.md', retitle('A title the article list must get'));
  assert.match(await build(), /the whole site is modelled again: the article list \(api\/articles\.json\) is not the one the last build wrote/);
  await matchesFullBuild();
  // The feed is written again whole from what the last build kept, even when it was changed since.
  await appendFile(path.join(site, 'feed.xml'), ' ');
  await edit('kb/5100020/index.md', retitle('A newer title on the home page'));
  assert.match(await build(), QUICK);
  await matchesFullBuild();
  // A date that moves an article past the last one the home page lists: the next one was not kept.
  await edit('kb/5100010/index.md', (t) => t.replace(/^updated: .*$/m, 'updated: 2001-01-01').replace(/^published: .*$/m, 'published: 2001-01-01'));
  assert.match(await build(), /the whole site is modelled again: an article's new date moves it past the last article the home page lists/);
  await matchesFullBuild();
  // A title with another change other pages show (an alias, which is a redirect).
  await edit('kb/5000103/index.md', (t) => retitle('A title and an alias')(t).replace('products: [Windows Server 2012 R2]', 'products: [Windows Server 2012 R2]\naliases: [KB5000199]'));
  assert.match(await build(), /the whole site is modelled again: an article changed in what other pages show of it/);
  await matchesFullBuild();
});

const setProducts = (from: string, to: string) => (text: string) => text.replace(`products: [${from}]`, `products: [${to}]`);
const PRODUCTS_QUICK = /1 article changed only in what its own page shows and in what lists show of it \(title, summary, dates, type, products, stop codes, files\)/;

test('after an edit of products, a rebuild moves the article between product lists, re-scores related articles, from the build state, and matches a full build', async () => {
  const { site, content, build, edit, matchesFullBuild } = await demoSite('quick-products');
  await addNewerArticles(content);
  await build();
  const read = (page: string) => readFile(path.join(site, page), 'utf8');
  const relatedOf = async (id: number) => /id="related-articles"[\s\S]*?<\/section>/.exec(await read(`kb/${id}/index.html`))?.[0] ?? '';
  // 5000103 shares Windows Server 2012 R2 with 5000101 and 5000102, which list it as related.
  assert.match(await relatedOf(5000101), /KB5000103/);

  // To a product it shares with no article: the product is new, 2012 R2 counts one fewer, and the related lists change.
  await edit('kb/5000103/index.md', setProducts('Windows Server 2012 R2', 'Contoso Storage <Array>'));
  let summary = await build();
  assert.match(summary, PRODUCTS_QUICK);
  assert.match(await read('products/contoso-storage-array/index.html'), /KB5000103/);
  assert.doesNotMatch(await read('products/windows-server-2012-r2/index.html'), /KB5000103/);
  assert.match(await read('products/index.html'), /Contoso Storage &lt;Array&gt;/, 'the list of products, escaped');
  assert.match(await read('index.html'), /Contoso Storage &lt;Array&gt;/, 'the home page lists products');
  assert.doesNotMatch(await relatedOf(5000101), /KB5000103/);
  await matchesFullBuild();

  // Back, and to a second product that one other article has.
  await edit('kb/5000103/index.md', setProducts('Contoso Storage <Array>', 'Windows Server 2012 R2, Windows 8.1'));
  summary = await build();
  assert.match(summary, PRODUCTS_QUICK);
  await assert.rejects(read('products/contoso-storage-array/index.html'), 'a product without articles has no page');
  assert.match(await relatedOf(5000101), /KB5000103/);
  await matchesFullBuild();

  // A product's only article leaves it, with a title edit and a body edit beside it.
  await edit('kb/5000101/index.md', setProducts('Windows Server 2012 R2, Windows 8.1', 'Windows Server 2012 R2'));
  await edit('kb/5000102/index.md', retitle('Retitled beside a product edit'));
  await edit('kb/2792165/index.md', (t) => t.replace('\n## Status', '\nA sentence beside a product edit.\n\n## Status'));
  assert.match(await build(), /3 articles changed only in what their own pages show and 2 in what lists show of them \(title, summary, dates, type, products, stop codes, files\)/);
  await matchesFullBuild();

  // To a product of others only; and an article the home page lists joins a product.
  await edit('kb/5000103/index.md', setProducts('Windows Server 2012 R2, Windows 8.1', 'Windows 10'));
  assert.match(await build(), PRODUCTS_QUICK);
  await matchesFullBuild();
  await edit('kb/5100004/index.md', setProducts('Office', 'Windows Server 2008, Office'));
  assert.match(await build(), PRODUCTS_QUICK);
  assert.match(await relatedOf(2792165), /KB5100004/, 'related by a product shared now');
  await matchesFullBuild();
});

test("a product whose name would take another product's address declines to the usual rebuild, which matches a full build", async () => {
  const { build, edit, matchesFullBuild } = await demoSite('quick-products-slug');
  await build();
  // "WINDOWS 10" comes before "Windows 10" in name order: it would get /products/windows-10/.
  await edit('kb/5000103/index.md', setProducts('Windows Server 2012 R2', 'WINDOWS 10'));
  assert.match(await build(), /the whole site is modelled again: a product's address would change/);
  await matchesFullBuild();
  // Gone again, it gives Windows 10 its address back: that declines too.
  await edit('kb/5000103/index.md', setProducts('WINDOWS 10', 'Windows Server 2012 R2'));
  assert.match(await build(), /the whole site is modelled again: a product's address would change/);
  await matchesFullBuild();
  // "Windows-10" comes after "Windows 10": it gets an address of its own, and the rebuild is quick.
  await edit('kb/5000103/index.md', setProducts('Windows Server 2012 R2', 'Windows-10'));
  assert.match(await build(), PRODUCTS_QUICK);
  await matchesFullBuild();
});

const STOP_QUICK = /1 article changed only in what its own page shows and in what lists show of it \(title, summary, dates, type, products, stop codes, files\)/;

test('after an edit of stop codes, a rebuild moves the article between stop-code lists, updates every list of codes, from the build state, and matches a full build', async () => {
  const { site, build, edit, matchesFullBuild } = await demoSite('quick-stop-codes');
  await build();
  const read = (page: string) => readFile(path.join(site, page), 'utf8');
  const relatedOf = async (id: number) => /id="related-articles"[\s\S]*?<\/section>/.exec(await read(`kb/${id}/index.html`))?.[0] ?? '';
  const setStopCodes = (codes: string) => (text: string) => text.replace(/^(products: .*)$/m, `$1\nstopCodes: [${codes}]`);
  const changeStopCodes = (from: string, to: string) => (text: string) => text.replace(`stopCodes: [${from}]`, `stopCodes: [${to}]`);

  // A code no article had: its page, redirect stubs, the stop-code index, sitemap, _redirects and api/stop-codes.json.
  await edit('kb/5000103/index.md', setStopCodes('0x0000007E'));
  assert.match(await build(), STOP_QUICK);
  assert.match(await read('stop/0x0000007E/index.html'), /KB5000103/);
  assert.match(await read('stop/0x7e/index.html'), /\/stop\/0x0000007E\//, 'a short spelling redirects');
  assert.match(await read('stop/index.html'), /0x0000007E/);
  assert.ok(JSON.parse(await read('api/stop-codes.json')).some((s: { code: string }) => s.code === '0x0000007E'));
  await matchesFullBuild();

  // For a code two articles have: the new code is gone, with its stubs; related lists by the shared code.
  await edit('kb/5000103/index.md', changeStopCodes('0x0000007E', '0x00000024'));
  assert.match(await build(), STOP_QUICK);
  await assert.rejects(read('stop/0x0000007E/index.html'), 'a code without articles has no page');
  await assert.rejects(read('stop/0x7e/index.html'), 'nor redirect stubs');
  assert.match(await relatedOf(2792165), /KB5000103/);
  await matchesFullBuild();

  // A detected code suppressed (the body names it): another article's only code.
  await edit('kb/5000101/index.md', setStopCodes('-0x000000D1'));
  assert.match(await build(), STOP_QUICK);
  await matchesFullBuild();
});

test('after an edit of file versions, a rebuild lists the files again, updates the file index and related lists, from the build state, and matches a full build', async () => {
  const { site, content, build, edit, matchesFullBuild } = await demoSite('quick-files');
  await build();
  const read = (page: string) => readFile(path.join(site, page), 'utf8');
  const editFiles = async (change: (text: string) => string) => {
    const file = path.join(content, 'kb/2792165/files.yaml');
    const text = await readFile(file, 'utf8');
    assert.notEqual(change(text), text);
    await writeFile(file, change(text));
  };
  const x86 = '      - { name: Ntfs.sys, version: 6.0.6002.23012, size: "1,082,728", date: 03-Jan-2013, time: "04:33" }';
  // A new version of a file.
  await editFiles((t) => t.replace(x86, x86.replace('6.0.6002.23012', '6.0.6002.23013')));
  assert.match(await build(), STOP_QUICK);
  assert.match(await read('files/ntfs.sys/index.html'), /6\.0\.6002\.23013/);
  await matchesFullBuild();
  // A new file: its page, and the file index lists it.
  const fltmgr = '      - { name: Fltmgr.sys, version: 6.0.6002.23013, size: "200,000", date: 03-Jan-2013, time: "04:33" }';
  await editFiles((t) => t.replace(x86.replace('6.0.6002.23012', '6.0.6002.23013'), `${x86.replace('6.0.6002.23012', '6.0.6002.23013')}\n${fltmgr}`));
  assert.match(await build(), STOP_QUICK);
  assert.match(await read('files/fltmgr.sys/index.html'), /KB2792165/);
  assert.match(await read('files/index.html'), /Fltmgr\.sys/);
  await matchesFullBuild();
  // Gone again, with its page.
  await editFiles((t) => t.replace(`\n${fltmgr}`, ''));
  assert.match(await build(), STOP_QUICK);
  await assert.rejects(read('files/fltmgr.sys/index.html'), 'a file no article lists has no page');
  await matchesFullBuild();
});

test("after an edit of an author's related articles, a rebuild scores the article's related list again, from the build state, and matches a full build", async () => {
  const { site, build, edit, matchesFullBuild } = await demoSite('quick-related');
  await build();
  const relatedOf = async (id: number) => /id="related-articles"[\s\S]*?<\/section>/.exec(await readFile(path.join(site, `kb/${id}/index.html`), 'utf8'))?.[0] ?? '';
  const relate = (ids: string) => (text: string) => text.replace(/^(products: .*)$/m, `$1\nrelated: [${ids}]`);
  await edit('kb/5000103/index.md', relate('2792165'));
  assert.match(await build(), STOP_QUICK);
  assert.match(await relatedOf(5000103), /See also/);
  await matchesFullBuild();
  await edit('kb/5000103/index.md', (t) => t.replace('related: [2792165]', 'related: [243852, 5000101]'));
  assert.match(await build(), STOP_QUICK);
  await matchesFullBuild();
  // One that is not an article of the site: the usual build reports it.
  await edit('kb/5000103/index.md', (t) => t.replace('related: [243852, 5000101]', 'related: [9999999]'));
  const run = await runKb(['build', '--content', path.join(path.dirname(site), 'content'), '--output', site]);
  assert.equal(run.exitCode, 2);
  assert.match(run.stderr, /"related" lists KB 9999999, which is not an article of this site/);
  assert.match(run.stdout, /the whole site is modelled again: a changed article links to an unknown article/, 'its references include the articles it relates');
});

test('keywords and "applies to" show only on the article\'s own page: edited, they are rebuilt quickly, and the summary counts them', async () => {
  const { build, edit, matchesFullBuild } = await demoSite('quick-fields');
  await build();
  // Four of the five demo articles have keywords; after this edit three.
  await edit('kb/5000102/index.md', (t) => t.replace('keywords: [memory dump, crash dump, pagefile, bugcheck]\n', '').replace('Windows 10 version 1607 and later]', 'Windows 10 version 1607 and later, Windows 11]'));
  const summary = await build();
  assert.match(summary, QUICK);
  const extracted = (out: string) => /\[kb\] extracted: .*/.exec(out)?.[0];
  const full = await build('--full');
  assert.equal(extracted(summary), extracted(full), 'the summary is that of a full build');
  assert.notEqual(extracted(summary), undefined);
  await matchesFullBuild();
});

test('an edit that other pages show declines to the usual rebuild, which matches a full build', async () => {
  const { site, build, edit, matchesFullBuild } = await demoSite('quick-declines');
  await build();
  // A body that now mentions another article gives that article a backlink: not only the body changed.
  const backlinks = async () => /id="backlinks"[\s\S]*?<\/section>/.exec(await readFile(path.join(site, 'kb/5000103/index.html'), 'utf8'))?.[0] ?? '';
  assert.doesNotMatch(await backlinks(), /KB5000102/, 'no backlink from 5000102 before the edit');
  await edit('kb/5000102/index.md', (t) => `${t.trimEnd()}\n\nSee also KB5000103.\n`);
  const summary = await build();
  assert.doesNotMatch(summary, QUICK);
  assert.match(summary, /the whole site is modelled again: an article changed in what other pages show of it/);
  assert.match(await backlinks(), /KB5000102/);
  await matchesFullBuild();
});

test("an edit that changes an article's warnings is rebuilt quickly, and the build report beside the site is a full build's", async () => {
  const { dir, site, build, edit, matchesFullBuild } = await demoSite('quick-warnings');
  const report = (output: string) => readFile(`${output}-report.json`, 'utf8').catch(() => null);
  const warningsLine = (out: string) => /\[kb\] warnings: .*/.exec(out)?.[0];
  await build();
  const before = await report(site);
  const legacy = 'kb/243/Q243852/README.md';
  // A header field the importer does not know is a warning; the product is what lists show (the bench's edit, src/build/quick-rebuild.ts).
  const reviewed = (t: string) => t.replace('\tProduct(s): Microsoft Windows NT\n', '\tProduct(s): Microsoft Windows 2000\n\tReviewed by: the quick rebuild test\n');
  await edit(legacy, reviewed);
  const summary = await build();
  assert.match(summary, QUICK);
  assert.match((await report(site)) ?? '', /unknown header field \\"Reviewed by\\"/);
  await matchesFullBuild();
  assert.equal(await report(site), await report(path.join(dir, '_full')), "the report is a full build's");
  assert.equal(warningsLine(summary), warningsLine(await build('--full')));

  const undo = (t: string) => t.replace('\tProduct(s): Microsoft Windows 2000\n\tReviewed by: the quick rebuild test\n', '\tProduct(s): Microsoft Windows NT\n');

  // Without the last build's report whole, the entries of the other articles are not known: the usual rebuild writes it.
  await writeFile(`${site}-report.json`, '{"summary":{},"warnings":[]}\n');
  await edit(legacy, undo);
  assert.match(await build(), /the whole site is modelled again: warnings changed, and the last build's report is not there to update/);
  assert.equal(await report(site), before);
  await matchesFullBuild();
  assert.equal(await report(path.join(dir, '_full')), before, 'a full build leaves no report of an earlier one');

  // Gained and gone again, quickly: the report as it was (none, when the site has no other warning).
  await edit(legacy, reviewed);
  assert.match(await build(), QUICK);
  await matchesFullBuild();
  assert.equal(await report(site), await report(path.join(dir, '_full')));
  await edit(legacy, undo);
  assert.match(await build(), QUICK);
  assert.equal(await report(site), before);
  await matchesFullBuild();
});

test('a body edit with a problem is reported by the usual build, and the site is left as it was', async () => {
  const { site, build, edit } = await demoSite('quick-problem');
  await build();
  const page = await readFile(path.join(site, 'kb/5000101/index.html'), 'utf8');
  await edit('kb/5000101/index.md', (t) => `${t.trimEnd()}\n\nSee [the other article](/kb/9999999/).\n`);
  const run = await runKb(['build', '--content', path.join(path.dirname(site), 'content'), '--output', site]);
  assert.equal(run.exitCode, 2, 'content problems exit with 2');
  assert.match(run.stderr, /kb\/5000101\/index\.md:\d+: links to \/kb\/9999999\/, which is not an article of this site/);
  assert.equal(await readFile(path.join(site, 'kb/5000101/index.html'), 'utf8'), page);
});

test("an article's outline is everything but what only its own page shows, and the articles its body refers to", () => {
  const a = article(100100, { body: 'Text. See Q100200.' });
  assert.equal(outlineOf(article(100100, { body: 'Other text. See Q100200.' })), outlineOf(a), 'another body, the same references');
  assert.notEqual(outlineOf(article(100100, { body: 'Text. See Q100300.' })), outlineOf(a), 'another reference');
  assert.notEqual(outlineOf(article(100100, { body: 'Text. See Q100200.', title: 'Another title' })), outlineOf(a), 'another title');
  assert.notEqual(outlineOf(article(100100, { body: 'Text. See Q100200.', warnings: ['a warning'] })), outlineOf(a), 'the report shows warnings');
  assert.equal(outlineOf(article(100100, { body: 'Text. See Q100200.', keywords: ['dump'], appliesTo: ['Windows 11'] })), outlineOf(a), 'keywords and "applies to" show on its own page only');
  assert.notEqual(outlineOf(article(100100, { body: 'Text. See Q100200.', products: ['Windows 11'] })), outlineOf(a), 'product pages list it');
  assert.notEqual(outlineOf(article(100100, { body: 'Text. See Q100200.', stopCodes: ['0x0000007E'] })), outlineOf(a), 'stop-code pages list it');
});

test('without the page contexts of the last build, a body edit is rebuilt the usual way, and right', async () => {
  const { site, build, edit, matchesFullBuild } = await demoSite('quick-no-contexts');
  await build();
  await rm(`${site}.cache/pages`, { recursive: true });
  await edit('kb/5000101/index.md', (t) => t.replace('\n## Cause', '\nA sentence added without page contexts.\n\n## Cause'));
  assert.match(await build(), /the whole site is modelled again: the page contexts of the last build are missing/);
  // That build wrote them again: the next body edit is quick.
  await edit('kb/5000101/index.md', (t) => t.replace('\n## Cause', '\nAnd one more.\n\n## Cause'));
  assert.match(await build(), QUICK);
  await matchesFullBuild();
});

test('a rebuild run in another folder than the last build says why it models the site, and the next one there is quick', async () => {
  const { build, edit, matchesFullBuild } = await demoSite('quick-other-folder');
  await build();
  const here = process.cwd();
  const body = (sentence: string) => (t: string) => t.replace('\n## Cause', `\n${sentence}\n\n## Cause`);
  await edit('kb/5000101/index.md', body('A sentence edited in another folder.'));
  // A folder below this one: the content survey's thread imports tsx (this process's --import) from the working folder.
  process.chdir(path.join(here, 'test'));
  try {
    assert.match(await build(), new RegExp(`the whole site is modelled again: the last build ran in another folder \\(${here.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\)`));
    await edit('kb/5000101/index.md', body('And one more there.'));
    assert.match(await build(), QUICK);
  } finally {
    process.chdir(here);
  }
  await edit('kb/5000101/index.md', body('And one back here.'));
  assert.match(await build(), /the whole site is modelled again: the last build ran in another folder/);
  await matchesFullBuild();
});

test('under a path prefix, the quick rebuild links and names pages as a full build does', async () => {
  const { build, edit, dir, site } = await demoSite('quick-prefix');
  await build('--path-prefix', '/kb-site/');
  await edit('kb/2792165/index.md', (t) => t.replace('\n## Status', '\nA sentence under a prefix.\n\n## Status'));
  assert.match(await build('--path-prefix', '/kb-site/'), QUICK);
  assert.match(await readFile(path.join(site, 'kb/2792165/index.html'), 'utf8'), /href="\/kb-site\/kb\/\d+\/"/, 'links carry the prefix');
  await build('--full', '--path-prefix', '/kb-site/');
  await assertSameSite(site, path.join(dir, '_full'));
});
