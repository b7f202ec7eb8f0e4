import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { buildAndServe, type ServedSite } from '../support/site.ts';
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import matter from 'gray-matter';
import { waitForResults } from '../support/search-page.ts';

// The fixture site (test/fixtures/stop-codes-site) has, per code, articles that use only one
// spelling each, a decoy with longer hex numbers sharing the prefixes (6000004), and a stop code
// whose parameters look like other codes (6000007).
const EXPECTED: Record<string, { articles: string[]; spellings: string[] }> = {
  '0x00000024': {
    articles: ['KB6000001', 'KB6000002', 'KB6000003'],
    spellings: ['STOP 0x00000024', '0x24', 'Stop: 0x00000024', 'stop 24', 'bugcheck 0x24', 'NTFS_FILE_SYSTEM'],
  },
  '0x0000007B': {
    articles: ['KB6000002', 'KB6000008'],
    spellings: ['STOP 0x0000007B', '0x7b', 'Stop: 0x0000007b', 'stop 7B', 'bugcheck 0x7B', 'INACCESSIBLE_BOOT_DEVICE'],
  },
  '0x00000050': {
    articles: ['KB6000005', 'KB6000009'],
    spellings: ['STOP 0x00000050', '0x50', 'Stop: 0x00000050', 'stop 50', 'bugcheck 0x50', 'PAGE_FAULT_IN_NONPAGED_AREA'],
  },
  '0xC000021A': {
    articles: ['KB6000006'],
    spellings: ['STOP 0xC000021A', '0xC000021A', 'Stop: 0xc000021a', 'stop c000021a', 'bugcheck 0xC000021A', 'STATUS_SYSTEM_PROCESS_TERMINATED'],
  },
  '0x0000000A': {
    articles: ['KB6000007'],
    spellings: ['STOP 0x0000000A', '0xA', 'Stop: 0x0000000a', 'stop A', 'bugcheck 0xA', 'IRQL_NOT_LESS_OR_EQUAL'],
  },
  '0x000000D1': {
    articles: ['KB6000005', 'KB6000008'],
    spellings: ['STOP 0x000000D1', '0xD1', 'Stop: 0x000000d1', 'stop D1', 'bugcheck 0xD1', 'DRIVER_IRQL_NOT_LESS_OR_EQUAL'],
  },
};

let site: ServedSite;
let browser: Browser;
let server: ServedSite['server'];

before(async () => {
  // Indexed in shards of 3 articles and merged (src/search/merge-shards.ts): every search below
  // goes through a merged index, as on a large site; the demo's search tests use a single shard.
  process.env.KB_SEARCH_SHARD_SIZE = '3';
  try {
    site = await buildAndServe('test/fixtures/stop-codes-site');
  } finally {
    delete process.env.KB_SEARCH_SHARD_SIZE;
  }
  const fragments = await readdir(path.join(site.outputDir, 'pagefind/fragment'));
  assert.ok(new Set(fragments.map((name) => name.slice(3, 5))).size >= 3, 'the index was merged from 3 shards or more');
  ({ browser, server } = site);
});

after(async () => {
  await site?.close();
});

async function search(query: string): Promise<{ articles: string[]; hit: string | null; hitHref: string | null }> {
  const page = await browser.newPage();
  try {
    await page.goto(`${server.url}/search/?q=${encodeURIComponent(query)}`);
    await waitForResults(page);
    const articles = (await page.locator('#kb-results li .kb-number').allTextContents()).sort();
    const hitLink = page.locator('#kb-stop-hit:not([hidden]) a');
    const hasHit = (await hitLink.count()) > 0;
    return { articles, hit: hasHit ? await hitLink.textContent() : null, hitHref: hasHit ? await hitLink.getAttribute('href') : null };
  } finally {
    await page.close();
  }
}

for (const [code, { articles, spellings }] of Object.entries(EXPECTED)) {
  test(`every spelling of ${code} finds exactly ${articles.join(', ')} and nothing with a longer hex number`, async () => {
    for (const spelling of spellings) {
      const result = await search(spelling);
      assert.deepEqual(result.articles, articles, `search for "${spelling}"`);
      assert.equal(result.hitHref, `/stop/${code}/`, `direct hit for "${spelling}"`);
      assert.match(result.hit ?? '', new RegExp(`^Stop ${code}.* — ${articles.length} articles?$`));
    }
  });
}

test('a stop code inside a pasted !analyze line is recognised', async () => {
  const result = await search('BUGCHECK_CODE:  24 BUGCHECK_P1: 1902fe');
  assert.deepEqual(result.articles, EXPECTED['0x00000024']!.articles);
});

/** KB numbers of the fixture's articles that pass `keep`, newest first (the order the search page must show). */
async function newestFirst(keep: (data: Record<string, unknown>) => boolean): Promise<string[]> {
  const root = 'test/fixtures/stop-codes-site/kb';
  const articles = [];
  for (const id of await readdir(root)) {
    const { data } = matter(await readFile(`${root}/${id}/index.md`, 'utf8'));
    if (keep(data)) articles.push({ kb: `KB${data.id}`, date: new Date(data.updated ?? data.published).toISOString() });
  }
  return articles.sort((a, b) => b.date.localeCompare(a.date)).map((a) => a.kb);
}

test('a stop-code search lists its articles newest first (the date is in the page names, not a Pagefind sort)', async () => {
  const page = await browser.newPage();
  try {
    await page.goto(`${server.url}/search/?q=${encodeURIComponent('Stop: 0x00000024')}`);
    await waitForResults(page);
    const stopOrder = await newestFirst((data) => EXPECTED['0x00000024']!.articles.includes(`KB${data.id}`));
    assert.deepEqual(await page.locator('#kb-results li .kb-number').allTextContents(), stopOrder);
    assert.deepEqual(stopOrder, ['KB6000003', 'KB6000002', 'KB6000001'], 'the fixture has the articles this test expects');
  } finally {
    await page.close();
  }
});

test('the landing page /stop/0x00000024/ lists every article about it, newest first, and /stop/0x24/ redirects there', async () => {
  const page = await browser.newPage();
  await page.goto(`${server.url}/stop/0x24/`);
  await page.waitForURL(/\/stop\/0x00000024\/$/);
  assert.match((await page.locator('h1').textContent()) ?? '', /Stop 0x00000024 NTFS_FILE_SYSTEM/);
  assert.deepEqual(await page.locator('.article-list .kb-number').allTextContents(), ['KB6000003', 'KB6000002', 'KB6000001']);
  await page.goto(`${server.url}/stop/`);
  assert.equal(await page.locator('.stop-table tbody tr').count(), 6);
  await page.close();
});
