/**
 * Hostile content never hurts the site: test/fixtures/hostile puts markup, event handlers,
 * javascript: URLs and quote-breaking text into every field an article can carry (front matter,
 * files.yaml, docfx metadata lines, Markdown bodies, a legacy article). The site is built with the
 * real CLI and every page built from it is opened in Chromium. Every payload calls
 * `__pwn('<where>')` (or alert, `window.__pwned = 1`, `document.title = 'PWNED'`), so a payload that
 * runs is named in the failure. The pages run with the Content-Security-Policy bypassed: what is
 * tested here is the escaping and the sanitiser, not the CSP behind them. And the hostile text
 * must be on the page as text where it belongs, so the test proves escaping, not deletion.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { buildAndServe, type ServedSite } from '../support/site.ts';
import { runKb, tempDir } from '../support/build.ts';

const FIXTURE = 'test/fixtures/hostile';

// The values as the author wrote them (YAML '' is one quote), i.e. what each page must show as text.
const TITLE = `"><script>__pwn('title')</script><img src=x onerror="__pwn('title-img')"> </script><!--<script>alert('title-json')</script> '{{ 7*7 }}`;
const SUMMARY = `</title></script>"><svg onload=__pwn('summary')> " onmouseover="__pwn('summary-attr')" x='y' <!-- -->`;
const PRODUCTS = [`<script>__pwn('product')</script> Server 2008`, `"><img src=x onerror=__pwn('product-2')> Client`];
const KEYWORDS = [`<svg onload=__pwn('keyword')>`, `javascript:__pwn('keyword-2')`, `"' onfocus="__pwn('keyword-3')" autofocus x="`];
const LEGACY_TITLE = `<script>__pwn('legacy-title')</script> "><img src=x onerror=__pwn('legacy-title-2')> Tags`;
const DOCFX_TITLE = `Docfx-style article with <b onmouseover="__pwn('docfx-title')">hostile</b> metadata lines`;
const FILE_NAMES = [
  `"><img src=x onerror=__pwn('file-name')>.sys`,
  `<script>__pwn('file-name-2')</script>.dll`,
  `javascript:__pwn('file-name-3').sys`,
  `<img src=x onerror=__pwn('docfx-file')>.sys`,
  `<img/src=x/onerror=__pwn('lf')>.sys`,
];
const QUERY = `"><script>__pwn('search')</script><img src=x onerror=__pwn('search-img')>`;

let site: ServedSite;
let context: BrowserContext;
/** Every payload that ran, as "<page>: <what>". */
const fired: string[] = [];

before(async () => {
  site = await buildAndServe(FIXTURE);
  context = await site.browser.newContext({ bypassCSP: true });
  await context.exposeBinding('__pwn', ({ page }, where: unknown) => void fired.push(`${page?.url()}: __pwn(${String(where)})`));
  context.on('page', (page) => page.on('dialog', (dialog) => {
    fired.push(`${page.url()}: ${dialog.type()}(${dialog.message()})`);
    void dialog.dismiss();
  }));
});

after(async () => {
  await context?.close();
  await site?.close();
});

/** What must never be on a page built from hostile content (string script: tsx-compiled functions
 *  do not survive page.evaluate). Our own scripts are /assets/*.js modules and the JSON-LD block. */
const INSPECT = `(() => {
  const found = [];
  const origin = location.origin;
  for (const el of document.querySelectorAll('*')) {
    const tag = el.tagName.toLowerCase();
    for (const a of el.attributes) {
      if (/^on/i.test(a.name)) found.push(tag + '[' + a.name + ']');
      const value = a.value.replace(/[\\u0000-\\u0020]/g, '');
      if (/^(href|src|action|formaction|data|srcdoc|xlink:href|background|poster)$/i.test(a.name) && /^(javascript|vbscript|data):/i.test(value)) found.push(tag + '[' + a.name + '=' + a.value + ']');
    }
  }
  for (const s of document.querySelectorAll('script')) {
    const ours = (s.type === 'module' && s.src.startsWith(origin + '/assets/')) || s.type === 'application/ld+json';
    if (!ours) found.push('script ' + (s.src || s.textContent.slice(0, 60)));
  }
  for (const el of document.querySelectorAll('iframe, frame, object, embed, svg, math, style, base, textarea, noscript:not(#kb-search > noscript), meta[http-equiv=refresh], link[rel=stylesheet]:not([href$=".css"])')) found.push(el.outerHTML.slice(0, 80));
  for (const f of document.querySelectorAll('form:not(.search-box):not(.search-page-form)')) found.push(f.outerHTML.slice(0, 80));
  return { found, pwned: String(window.__pwned), title: document.title, bodyShown: getComputedStyle(document.body).display !== 'none' };
})()`;

interface Inspection {
  found: string[];
  pwned: string;
  title: string;
  bodyShown: boolean;
}

/** Go to a site path; for a redirect page, wait until it has landed on `expectPath`. */
async function visit(page: Page, urlPath: string, expectPath?: string): Promise<void> {
  const url = site.server.url + urlPath;
  if (expectPath) {
    await page.goto(url, { waitUntil: 'commit' });
    await page.waitForURL((u) => u.pathname === expectPath);
  } else await page.goto(url);
  await page.waitForLoadState('load');
}

async function open(urlPath: string, expectPath?: string): Promise<Page> {
  const page = await context.newPage();
  await visit(page, urlPath, expectPath);
  return page;
}

async function assertHarmless(page: Page, label: string): Promise<void> {
  await page.waitForTimeout(50); // let late error events of broken images fire
  const seen = (await page.evaluate(INSPECT)) as Inspection;
  assert.deepEqual(seen.found, [], `${label}: hostile markup on the page`);
  assert.equal(seen.pwned, 'undefined', `${label}: window.__pwned was set`);
  assert.notEqual(seen.title, 'PWNED', `${label}: document.title was changed`);
  assert.ok(seen.bodyShown, `${label}: an injected style hid the page`);
  assert.deepEqual(fired, [], `${label}: payloads ran`);
}

/** Every HTML page of the built site, as URL paths (pagefind's own files are not pages). */
async function builtPages(): Promise<Array<{ urlPath: string; redirectTo: string | null }>> {
  const pages: Array<{ urlPath: string; redirectTo: string | null }> = [];
  for (const entry of await readdir(site.outputDir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || entry.name !== 'index.html') continue;
    const rel = path.relative(site.outputDir, path.join(entry.parentPath, entry.name));
    if (rel.startsWith('pagefind')) continue;
    const html = await readFile(path.join(site.outputDir, rel), 'utf8');
    const refresh = /<meta http-equiv="refresh" content="0; url=([^"]+)">/.exec(html);
    const dir = path.dirname(rel);
    const urlPath = dir === '.' ? '/' : `/${dir.split(path.sep).map(encodeURIComponent).join('/')}/`;
    pages.push({ urlPath, redirectTo: refresh ? refresh[1]! : null });
  }
  return pages.sort((a, b) => a.urlPath.localeCompare(b.urlPath));
}

/** The distinct payloads planted in the fixtures, each named by where it sits (`__pwn('<where>')`). */
async function plantedPayloads(): Promise<Set<string>> {
  const names = new Set<string>();
  for (const entry of await readdir(FIXTURE, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    for (const m of (await readFile(path.join(entry.parentPath, entry.name), 'utf8')).matchAll(/__pwn\((?:'|&#39;|\\')([\w-]+)/g)) names.add(m[1]!);
  }
  return names;
}

test('no payload runs on any page built from hostile content (articles, redirects, listings, stop codes, products, files)', async (t) => {
  const pages = await builtPages();
  const payloads = await plantedPayloads();
  assert.ok(payloads.size >= 30, `the fixtures plant payloads in every field (${payloads.size} found)`);
  const kinds = ['/', '/kb/7000001/', '/kb/7000002/', '/kb/7000003/', '/search/', '/stop/', '/stop/0x00000024/', '/products/', '/files/'];
  for (const kind of kinds) assert.ok(pages.some((p) => p.urlPath === kind), `${kind} was not built`);
  assert.ok(pages.filter((p) => p.urlPath.startsWith('/products/')).length >= 5, 'product pages were not built');
  assert.ok(pages.filter((p) => p.urlPath.startsWith('/files/')).length >= 6, 'file pages were not built');
  assert.ok(pages.filter((p) => p.redirectTo).length >= 10, 'redirect pages were not built');
  const page = await context.newPage();
  try {
    for (const { urlPath, redirectTo } of pages) {
      await visit(page, urlPath, redirectTo ?? undefined);
      await assertHarmless(page, urlPath);
    }
  } finally {
    await page.close();
  }
  t.diagnostic(`${payloads.size} payloads planted; ${pages.length} pages opened in Chromium (${pages.filter((p) => p.redirectTo).length} of them redirects); none ran`);
});

test('a modern article shows its hostile title, summary, products and keywords as text, in the page and in its metadata', async () => {
  const page = await open('/kb/7000001/');
  try {
    assert.equal(await page.locator('h1').textContent(), TITLE);
    assert.equal(await page.locator('.article-header .summary').textContent(), SUMMARY);
    assert.equal(await page.title(), `KB7000001: ${TITLE} | kbsite Knowledge Base`);
    assert.equal(await page.locator('meta[name=description]').getAttribute('content'), SUMMARY);
    assert.equal(await page.locator('meta[property="og:title"]').getAttribute('content'), `KB7000001: ${TITLE}`);
    const meta = page.locator('.meta-panel');
    assert.deepEqual(await meta.locator('dt:text-is("Products") + dd li').allTextContents(), PRODUCTS);
    assert.equal(await meta.locator('dt:text-is("Keywords") + dd').textContent(), KEYWORDS.join(', '));
    assert.equal(await meta.getAttribute('data-cite-label'), `KB7000001: ${TITLE}`);
    // `</script>` and `<!--` in the title cannot break out of the JSON-LD block: it still parses, whole.
    const jsonLd = JSON.parse((await page.locator('script[type="application/ld+json"]').textContent()) ?? '') as Record<string, unknown>;
    assert.equal(jsonLd.headline, `KB7000001: ${TITLE}`);
    assert.equal(jsonLd.description, SUMMARY);
    assert.equal(jsonLd.keywords, KEYWORDS.join(', '));
  } finally {
    await page.close();
  }
});

test('raw HTML in a Markdown body: allowed elements render, everything else shows as text and never runs', async () => {
  const page = await open('/kb/7000001/');
  try {
    const body = page.locator('.article-body');
    const text = (await body.textContent()) ?? '';
    for (const shown of [
      `<script>__pwn('raw-script')</script>`,
      `"><script>__pwn('quote-break')</script>`,
      `<style>body { display: none !important; }</style>`,
      `[markdown javascript link](javascript:__pwn('md-link'))`,
      `<script>__pwn('code-block')</script>`,
      `{{ 7*7 }}`,
    ]) {
      assert.ok(text.includes(shown), `the body does not show ${shown} as text`);
    }
    assert.equal(await body.locator('kbd').count(), 3, '<kbd> is allowed');
    assert.equal(await body.locator('kbd[onclick]').count(), 0);
    assert.equal(await body.locator('sub').count() + (await body.locator('sup').count()), 2);
    assert.equal(await body.locator('details > summary').textContent(), 'More details');
    assert.equal(await body.locator('div.alert').first().textContent(), 'A div with a class.');
    assert.equal(await body.locator('div.alert').first().getAttribute('style'), null);
    // Markdown still works around the raw HTML: anchors, cross-references, tables, callouts.
    assert.equal(await body.locator('h2#hostile-cause').count(), 1);
    assert.equal(await body.locator('h2#resolution').count(), 1);
    assert.equal(await body.locator('a.kb-xref[href="/kb/7000002/"]').textContent(), 'Q7000002');
    assert.equal(await body.locator('table#files-x86 caption').count(), 1);
    assert.equal(await body.locator('.alert.alert-warning .alert-title').textContent(), 'Warning');
    const hrefs = await body.locator('a[href]').evaluateAll((links) => links.map((a) => a.getAttribute('href')));
    assert.deepEqual(hrefs.filter((h) => !/^(\/|#|https:)/.test(h ?? '')), [], 'only site links, anchors and https links');
  } finally {
    await page.close();
  }
});

test('file names, versions, captions and branch rows from files.yaml and docfx tables show as text', async () => {
  const page = await open('/kb/7000001/');
  try {
    const names = await page.locator('table.file-table th.file-name').allTextContents();
    assert.deepEqual(names, FILE_NAMES.slice(0, 3));
    assert.match((await page.locator('table#files-x86 caption').textContent()) ?? '', /^<script>__pwn\('caption'\)<\/script> For all supported/);
    assert.equal(await page.locator('table#files-x64 td').first().textContent(), `1.0"><script>__pwn('legacy-version')</script>`);
    assert.equal(await page.locator('table.branch-table td').last().textContent(), `</td></tr></table><script>__pwn('branch')</script>`);
  } finally {
    await page.close();
  }
  const files = await open('/files/');
  try {
    assert.deepEqual((await files.locator('.file-list code').allTextContents()).sort(), [...FILE_NAMES].sort());
    for (const href of await files.locator('.file-list a').evaluateAll((links) => links.map((a) => a.getAttribute('href') ?? ''))) {
      const page = await open(href);
      try {
        assert.ok(FILE_NAMES.includes((await page.locator('h1 code').textContent()) ?? ''), `${href} does not show its file name`);
        await assertHarmless(page, href);
      } finally {
        await page.close();
      }
    }
  } finally {
    await files.close();
  }
  const docfx = await open('/kb/7000003/');
  try {
    assert.equal(await docfx.locator('h1').textContent(), DOCFX_TITLE);
    assert.match((await docfx.locator('table#files-x64 caption').textContent()) ?? '', /<script>__pwn\('docfx-caption'\)<\/script> Windows 10/);
    assert.match((await docfx.locator('.meta-panel').textContent()) ?? '', /<script>pwn\('docfx-applies'\)<\/script> Windows 10/);
  } finally {
    await docfx.close();
  }
});

test('a legacy article is plain text: its markup-like title, header fields and body are shown, never interpreted', async () => {
  const page = await open('/kb/7000002/');
  try {
    assert.equal(await page.locator('h1').textContent(), LEGACY_TITLE);
    const panel = (await page.locator('.meta-panel').textContent()) ?? '';
    assert.ok(panel.includes(`<script>__pwn('legacy-product')</script> NT`), panel);
    assert.ok(panel.includes(`<iframe src="javascript:__pwn('legacy-applies')"></iframe>`), panel);
    const body = page.locator('.article-body');
    const text = (await body.textContent()) ?? '';
    for (const shown of [`<script>__pwn('legacy-body')</script>`, `<b>bold</b>`, `<a href="javascript:__pwn('legacy-link')">links</a>`, `</script><!-- "quoted" 'single' {{ 7*7 }}`]) {
      assert.ok(text.includes(shown), `the legacy body does not show ${shown} as text`);
    }
    assert.equal(await body.locator('b, kbd, details, img').count(), 0, 'legacy text is never read as HTML');
    const hrefs = await body.locator('a[href]:not(.row-anchor)').evaluateAll((links) => links.map((a) => a.getAttribute('href')));
    assert.deepEqual(hrefs, ['http://example.invalid/'], 'the only link is the plain http URL of the text');
  } finally {
    await page.close();
  }
});

test('listings show hostile titles and product names as text: home, product, stop-code pages and redirects', async () => {
  for (const urlPath of ['/', '/stop/0x00000024/']) {
    const page = await open(urlPath);
    try {
      const links = await page.locator('main a').allTextContents();
      assert.ok(links.some((t) => t.includes(TITLE)), `${urlPath} does not list the title as text`);
      assert.ok(links.some((t) => t.includes(LEGACY_TITLE)), `${urlPath} does not list the legacy title as text`);
    } finally {
      await page.close();
    }
  }
  const products = await open('/products/');
  try {
    const names = await products.locator('main .product-list a').allTextContents();
    for (const p of PRODUCTS) assert.ok(names.includes(p), `/products/ does not list ${p}`);
    for (const href of await products.locator('main .product-list a').evaluateAll((links) => links.map((a) => a.getAttribute('href') ?? ''))) {
      const page = await open(href);
      try {
        assert.ok(names.includes((await page.locator('h1').textContent()) ?? ''), `${href} does not show its product name`);
      } finally {
        await page.close();
      }
    }
  } finally {
    await products.close();
  }
  // A hostile #fragment on a redirect is carried to the article as text.
  const hashed = await open(`/kb/Q7000001/#"><img src=x onerror=__pwn('hash')>`, '/kb/7000001/');
  try {
    await assertHarmless(hashed, 'redirect with a hostile fragment');
  } finally {
    await hashed.close();
  }
});

test('a hostile query typed into the search page or pasted in ?q= is shown as text and never runs', async () => {
  const typed = await open('/search/');
  try {
    await typed.locator('#q').fill(QUERY);
    await typed.locator('#kb-status', { hasText: 'for “' }).waitFor();
    assert.match((await typed.locator('#kb-status').textContent()) ?? '', /^\d+ results? for “/);
    assert.ok((await typed.locator('#kb-status').textContent())?.endsWith(`for “${QUERY}”`), 'the status does not repeat the query as text');
    await assertHarmless(typed, 'typed search');
  } finally {
    await typed.close();
  }
  const linked = await open(`/search/?q=${encodeURIComponent(QUERY)}&product=${encodeURIComponent(`"><img src=x onerror=__pwn('filter')>`)}`);
  try {
    await linked.locator('#kb-status', { hasText: 'for “' }).waitFor();
    assert.equal(await linked.locator('#q').inputValue(), QUERY);
    assert.match((await linked.locator('#kb-status').textContent()) ?? '', /“"><script>__pwn\('search'\)<\/script>/);
    await assertHarmless(linked, 'search from ?q=');
  } finally {
    await linked.close();
  }
  // Results carry hostile titles and excerpts: they are text too.
  const results = await open(`/search/?q=${encodeURIComponent('hostile metadata')}`);
  try {
    await results.locator('#kb-results li').first().waitFor();
    const titles = await results.locator('#kb-results li > a').allTextContents();
    assert.ok(titles.some((t) => t.includes(DOCFX_TITLE)), JSON.stringify(titles));
    await assertHarmless(results, 'search results');
  } finally {
    await results.close();
  }
});

test('the per-article JSON keeps hostile values verbatim (data, not markup)', async () => {
  const json = JSON.parse(await readFile(path.join(site.outputDir, 'kb/7000001.json'), 'utf8')) as { title: string; summary: string; keywords: string[] };
  assert.equal(json.title, TITLE);
  assert.equal(json.summary, SUMMARY);
  assert.deepEqual(json.keywords, KEYWORDS);
});

test('product names without ASCII letters or digits do not break the build (their slug would be empty)', async () => {
  const dir = await tempDir('hostile-product');
  await mkdir(path.join(dir, 'kb', '7100001'), { recursive: true });
  await writeFile(
    path.join(dir, 'kb', '7100001', 'index.md'),
    `---\nid: 7100001\ntitle: Product without a slug\nsummary: A product name of symbols only.\ntype: problem\nproducts: ['"><', 'Продукт']\npublished: 2020-01-01\n---\nBody.\n`,
  );
  const run = await runKb(['build', '--content', dir, '--output', path.join(dir, '_site'), '--quiet']);
  assert.equal(run.exitCode, 0, run.stderr);
});

test('no Content-Security-Policy violation on the demo site, and search still works under the policy', async () => {
  const demo = await buildAndServe('content');
  const violations: string[] = [];
  try {
    const ctx = await demo.browser.newContext();
    await ctx.addInitScript(`document.addEventListener('securitypolicyviolation', (e) => console.error('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI));`);
    ctx.on('console', (m) => {
      if (/Content.Security.Policy|CSP violation/i.test(m.text())) violations.push(m.text());
    });
    ctx.on('weberror', (e) => violations.push(`page error: ${e.error().message}`));
    for (const urlPath of ['/', '/kb/2792165/', '/kb/243852/', '/stop/', '/stop/0x00000024/', '/products/', '/files/', '/files/ntfs.sys/']) {
      const page = await ctx.newPage();
      await page.goto(demo.server.url + urlPath);
      assert.equal(await page.locator('meta[http-equiv="Content-Security-Policy"]').count(), 1, `${urlPath} has no CSP`);
      await page.close();
    }
    const search = await ctx.newPage();
    await search.goto(`${demo.server.url}/search/?q=${encodeURIComponent('0x24')}`);
    // Locators, not waitForFunction: this page's CSP forbids the eval a string predicate needs.
    await search.locator('#kb-results li').first().waitFor();
    await search.locator('#q').fill('Ntfs.sys');
    await search.locator('#kb-status', { hasText: 'Ntfs.sys' }).waitFor();
    assert.ok((await search.locator('#kb-results li').count()) > 0, 'search found nothing under the CSP');
    await ctx.close();
    assert.deepEqual(violations, []);
  } finally {
    await demo.close();
  }
});
