import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cp, readFile, readdir, rm, writeFile, mkdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { runKb, tempDir } from '../support/build.ts';

const demoContent = path.resolve('content');

async function buildDemo(): Promise<{ out: string; run: Awaited<ReturnType<typeof runKb>> }> {
  const out = path.join(await tempDir('site'), '_site');
  const run = await runKb(['build', '--content', demoContent, '--output', out, '--quiet']);
  return { out, run };
}

const built = buildDemo();

test('the demo site builds with exit code 0', async () => {
  const { run } = await built;
  assert.equal(run.exitCode, 0, run.stderr);
});

test('KB 2792165 shows three platform tables whose Ntfs.sys rows carry 6.0.6002.23012 and the published sizes', async () => {
  const html = await readFile(path.join((await built).out, 'kb/2792165/index.html'), 'utf8');
  const expected = { 'files-x86': '1,082,728', 'files-x64': '1,501,048', 'files-ia-64': '3,285,352' };
  for (const [id, size] of Object.entries(expected)) {
    const table = html.slice(html.indexOf(`id="${id}"`), html.indexOf('</table>', html.indexOf(`id="${id}"`)));
    assert.match(table, /<caption>For all supported .*-based versions of Windows Server 2008/);
    assert.match(table, new RegExp(`<th scope="row" class="file-name"><a [^>]*>Ntfs.sys</a></th><td>6.0.6002.23012</td><td class="num">${size}</td>`));
  }
  assert.equal((html.match(/<table class="file-table"/g) ?? []).length, 6, 'three platform tables and three manifest tables');
  assert.match(html, /<td>6.0.6002.22xxx<\/td>|<th scope="row">6.0.6002.22xxx<\/th><td>Windows Server 2008<\/td><td>SP2<\/td><td>LDR<\/td>/);
});

test('the legacy article Q243852 is published at /kb/243852/ with its products and last-modified date', async () => {
  const html = await readFile(path.join((await built).out, 'kb/243852/index.html'), 'utf8');
  assert.match(html, /<dt>Products<\/dt><dd><ul class="plain"><li>Microsoft Windows NT<\/li><\/ul><\/dd>/);
  assert.match(html, /<dt>Last modified<\/dt><dd><time datetime="2001-08-08">2001-08-08<\/time>/);
  assert.match(html, /<h1>&quot;STOP 0x00000024&quot; Error Message with Double-Take Software<\/h1>/);
  assert.match(html, /<h2 id="symptoms">Symptoms<\/h2>/);
  assert.match(html, /<pre><code class="language-text">STOP 0x00000024 \(0x00190201/);
});

test('the legacy permalink /kb/243/Q243852/ redirects to the canonical page', async () => {
  const html = await readFile(path.join((await built).out, 'kb/243/Q243852/index.html'), 'utf8');
  assert.match(html, /<meta http-equiv="refresh" content="0; url=\/kb\/243852\/">/);
  assert.match(html, /<link rel="canonical" href="http:\/\/localhost:8080\/kb\/243852\/">/);
});

test('an article with file data gets files.json and files.csv beside its page', async () => {
  const { out } = await built;
  const json = JSON.parse(await readFile(path.join(out, 'kb/2792165/files.json'), 'utf8'));
  assert.equal(json.article, 2792165);
  assert.equal(json.tables.length, 6);
  const csv = await readFile(path.join(out, 'kb/2792165/files.csv'), 'utf8');
  assert.match(csv, /Ntfs\.sys,6\.0\.6002\.23012,1501048,2013-01-03,04:30/);
});

test('the search index is written to /pagefind/ with one record per article', async () => {
  const { out } = await built;
  const entry = JSON.parse(await readFile(path.join(out, 'pagefind/pagefind-entry.json'), 'utf8'));
  assert.equal(entry.languages.en.page_count, 5);
  assert.ok((await stat(path.join(out, 'assets/search.js'))).size > 1000);
});

test('a heading wording does not change its anchor: Symptoms, Resolution and More Information keep stable ids', async () => {
  const html = await readFile(path.join((await built).out, 'kb/2792165/index.html'), 'utf8');
  for (const id of ['symptoms', 'resolution', 'status', 'more-information']) assert.match(html, new RegExp(`<h2 id="${id}">`));
});

test('a mention of another local article becomes a link to it', async () => {
  const html = await readFile(path.join((await built).out, 'kb/5000101/index.html'), 'utf8');
  assert.match(html, /<a href="\/kb\/2792165\/" class="kb-xref">KB2792165<\/a>/);
});

async function contentWithBrokenArticle(change: (dir: string) => Promise<void>): Promise<string> {
  const dir = path.join(await tempDir('content'), 'content');
  await cp(demoContent, dir, { recursive: true });
  await change(dir);
  return dir;
}

test('a bad date makes the build exit non-zero naming the file, the line and the field', async () => {
  const dir = await contentWithBrokenArticle(async (d) => {
    const file = path.join(d, 'kb/5000101/index.md');
    await writeFile(file, (await readFile(file, 'utf8')).replace('published: 2015-06-02', 'published: 2015-13-02'));
  });
  const run = await runKb(['build', '--content', dir, '--output', path.join(dir, '..', 'out')]);
  assert.notEqual(run.exitCode, 0);
  assert.match(run.stderr, /kb\/5000101\/index\.md:7: "published" must be a date like 2013-01-03 \(got "2015-13-02"\)/);
});

test('a duplicate KB number makes the build exit non-zero naming both files', async () => {
  const dir = await contentWithBrokenArticle(async (d) => {
    await mkdir(path.join(d, 'kb/copy'));
    await writeFile(path.join(d, 'kb/copy/index.md'), await readFile(path.join(d, 'kb/5000103/index.md'), 'utf8'));
  });
  const run = await runKb(['build', '--content', dir, '--output', path.join(dir, '..', 'out')]);
  assert.notEqual(run.exitCode, 0);
  assert.match(run.stderr, /kb\/copy\/index\.md: KB number 5000103 is already used by .*kb\/5000103\/index\.md/);
});

test('a failed build leaves the previous site exactly as it was', async () => {
  const { out } = await built;
  const before = (await readdir(out, { recursive: true })).sort();
  const page = await readFile(path.join(out, 'kb/2792165/index.html'), 'utf8');
  const dir = await contentWithBrokenArticle(async (d) => {
    await writeFile(path.join(d, 'kb/5000102/index.md'), '---\nid: 5000102\ntitle: [broken\n---\n');
  });
  const run = await runKb(['build', '--content', dir, '--output', out]);
  assert.notEqual(run.exitCode, 0);
  assert.deepEqual((await readdir(out, { recursive: true })).sort(), before);
  assert.equal(await readFile(path.join(out, 'kb/2792165/index.html'), 'utf8'), page);
  assert.deepEqual((await readdir(path.dirname(out))).filter((n) => n.includes('.building-')), [], 'no staging folder left behind');
  await rm(path.dirname(dir), { recursive: true, force: true });
});

test('an article page carries what a pasted link needs to unfurl: canonical URL, description, Open Graph, Twitter card and TechArticle JSON-LD', async () => {
  const html = await readFile(path.join((await built).out, 'kb/2792165/index.html'), 'utf8');
  assert.match(html, /<link rel="canonical" href="http:\/\/localhost:8080\/kb\/2792165\/">/);
  assert.match(html, /<meta property="og:title" content="KB2792165: Stop error 0x00000024 when/);
  assert.match(html, /<meta name="twitter:card" content="summary">/);
  const jsonLd = JSON.parse(/<script type="application\/ld\+json">(.*?)<\/script>/.exec(html)![1]!);
  assert.equal(jsonLd['@type'], 'TechArticle');
  assert.equal(jsonLd.identifier, 'KB2792165');
  assert.equal(jsonLd.url, 'http://localhost:8080/kb/2792165/');
});

test('machine-readable outputs: /kb/<n>.json with stop codes and file tables, /api lists, sitemap and _redirects', async () => {
  const { out } = await built;
  const article = JSON.parse(await readFile(path.join(out, 'kb/2792165.json'), 'utf8'));
  assert.equal(article.url, 'http://localhost:8080/kb/2792165/');
  assert.deepEqual(article.stopCodes, ['0x00000024']);
  assert.equal(article.fileData.tables.find((t: { id: string }) => t.id === 'files-x64').rows[0].size, 1501048);
  const list = JSON.parse(await readFile(path.join(out, 'api/articles.json'), 'utf8'));
  assert.deepEqual(list.map((a: { id: number }) => a.id), [243852, 2792165, 5000101, 5000102, 5000103]);
  const stops = JSON.parse(await readFile(path.join(out, 'api/stop-codes.json'), 'utf8'));
  assert.deepEqual(stops.find((s: { code: string }) => s.code === '0x00000024').articles.sort(), [243852, 2792165]);
  const sitemap = await readFile(path.join(out, 'sitemap.xml'), 'utf8');
  assert.match(sitemap, /<url><loc>http:\/\/localhost:8080\/kb\/2792165\/<\/loc><lastmod>2013-02-12<\/lastmod><\/url>/);
  const redirects = await readFile(path.join(out, '_redirects'), 'utf8');
  assert.match(redirects, /^\/kb\/243\/Q243852\/ \/kb\/243852\/ 301$/m);
  assert.match(redirects, /^\/stop\/0x24\/ \/stop\/0x00000024\/ 301$/m);
});

test('/files/ntfs.sys/ lists 6.0.6002.23012 for x86, x64 and IA-64 from KB 2792165, each linking to its row', async () => {
  const html = await readFile(path.join((await built).out, 'files/ntfs.sys/index.html'), 'utf8');
  for (const [platform, anchor] of [['x86', 'file-ntfs.sys-x86'], ['x64', 'file-ntfs.sys-x64'], ['IA-64', 'file-ntfs.sys-ia-64']]) {
    assert.match(html, new RegExp(`<th scope="row">6\\.0\\.6002\\.23012</th><td>${platform}</td>.*<a href="/kb/2792165/#${anchor}">KB2792165</a>`));
  }
  assert.match(await readFile(path.join((await built).out, 'files/index.html'), 'utf8'), /<a href="\/files\/ntfs\.sys\/"><code>Ntfs\.sys<\/code><\/a> <span class="count">3<\/span>/);
});

test('each product has a page listing its articles, newest first', async () => {
  const html = await readFile(path.join((await built).out, 'products/windows-server-2008/index.html'), 'utf8');
  const ids = [...html.matchAll(/<span class="kb-number">KB(\d+)<\/span>/g)].map((m) => m[1]);
  assert.deepEqual(ids, ['5000102', '2792165']);
});

test('each file-table row has a stable anchor such as #file-ntfs.sys-x64', async () => {
  const html = await readFile(path.join((await built).out, 'kb/2792165/index.html'), 'utf8');
  assert.match(html, /<tr id="file-ntfs\.sys-x64"><th scope="row" class="file-name"><a class="row-anchor" href="#file-ntfs\.sys-x64"[^>]*>Ntfs\.sys<\/a><\/th><td>6\.0\.6002\.23012<\/td><td class="num">1,501,048<\/td>/);
  const ids = [...html.matchAll(/ id="([^"]+)"/g)].map((m) => m[1]);
  assert.deepEqual(ids.filter((id, i) => ids.indexOf(id) !== i), [], 'every id on the page is unique');
});

test('an Atom feed lists recently updated articles with dates from the content, linked from every page', async () => {
  const { out } = await built;
  const feed = await readFile(path.join(out, 'feed.xml'), 'utf8');
  assert.match(feed, /^<\?xml version="1.0" encoding="utf-8"\?>\n<feed xmlns="http:\/\/www.w3.org\/2005\/Atom">/);
  assert.match(feed, /<updated>2017-03-14T00:00:00Z<\/updated>/);
  const entries = [...feed.matchAll(/<entry>\s*<id>http:\/\/localhost:8080\/kb\/(\d+)\/<\/id>/g)].map((m) => m[1]);
  assert.equal(entries.length, 5);
  assert.equal(entries[0], '5000102');
  assert.match(await readFile(path.join(out, 'index.html'), 'utf8'), /<link rel="alternate" type="application\/atom\+xml" [^>]*href="\/feed\.xml">/);
});

test('an OpenSearch description lets a browser search the KB from its address bar', async () => {
  const { out } = await built;
  const xml = await readFile(path.join(out, 'opensearch.xml'), 'utf8');
  assert.match(xml, /<ShortName>kbsite Knowledge<\/ShortName>/);
  assert.match(xml, /<Url type="text\/html" method="get" template="http:\/\/localhost:8080\/search\/\?q=\{searchTerms\}"\/>/);
  assert.match(await readFile(path.join(out, 'kb/2792165/index.html'), 'utf8'), /<link rel="search" type="application\/opensearchdescription\+xml" [^>]*href="\/opensearch\.xml">/);
});

test('an article lists the articles that reference it and related articles with the reason', async () => {
  const { out } = await built;
  const html = await readFile(path.join(out, 'kb/2792165/index.html'), 'utf8');
  const section = (id: string) => /<section aria-labelledby="([^"]+)">([\s\S]*?)<\/section>/g;
  const sections = Object.fromEntries([...html.matchAll(section(''))].map((m) => [m[1], m[2]]));
  assert.match(sections['backlinks']!, /<a href="\/kb\/5000101\/"><span class="kb-number">KB5000101<\/span>/);
  assert.match(sections['related-articles']!, /<a href="\/kb\/243852\/">[\s\S]*?<span class="muted">Stop 0x00000024<\/span>/);
});

test('the home page lists recently updated and newly published articles, products and stop codes', async () => {
  const html = await readFile(path.join((await built).out, 'index.html'), 'utf8');
  for (const heading of ['Recently updated', 'New articles', 'Products', 'Most-referenced stop codes']) assert.match(html, new RegExp(`<h2 id="[^"]+">${heading}</h2>`));
});
