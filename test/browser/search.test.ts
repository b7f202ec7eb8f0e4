import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { buildAndServe, type ServedSite } from '../support/site.ts';
import { tempDir } from '../support/build.ts';
import { resultsFor, waitForResults } from '../support/search-page.ts';
import { PREFETCH_OPTION } from '../../src/client/fragment-prefetch.ts';
import { TOTAL_FIELD, WINDOW_OPTION } from '../../src/client/result-window.ts';

let site: ServedSite;
let browser: Browser;
let server: ServedSite['server'];

before(async () => {
  site = await buildAndServe('content');
  ({ browser, server } = site);
});

after(async () => {
  await site?.close();
});

test('typing Ntfs.sys into the search page finds KB 2792165', async () => {
  const found = await resultsFor(browser, server.url, 'Ntfs.sys', true);
  assert.ok(found.includes('KB2792165'), `results were ${JSON.stringify(found)}`);
});

test('the search box in the header of an article leads to results for what was typed', async () => {
  const page = await browser.newPage();
  await page.goto(`${server.url}/kb/243852/`);
  await page.locator('#site-search').fill('Double-Take');
  await page.locator('#site-search').press('Enter');
  await waitForResults(page);
  assert.deepEqual(await page.locator('#kb-results li .kb-number').allTextContents(), ['KB243852']);
  await page.close();
});

test("the search page loads the index's compact meta file and chunks instead of Pagefind's, and Pagefind's when the compact ones cannot be had", async () => {
  const search = async (blocked: string[]) => {
    const page = await browser.newPage();
    const urls: string[] = [];
    page.on('request', (request) => urls.push(request.url()));
    for (const extension of blocked) await page.route(`**/*.${extension}`, (route) => route.fulfill({ status: 404, body: '' }));
    try {
      await page.goto(`${server.url}/search/?q=Double-Take`);
      await waitForResults(page);
      const found = await page.locator('#kb-results li .kb-number').allTextContents();
      // Pagefind searched in its web worker, whose script loads the compact files (src/search/worker-script.ts).
      const workers = page.workers().map((worker) => new URL(worker.url()).pathname);
      const count = (extension: string) => urls.filter((u) => u.endsWith(`.${extension}`)).length;
      return { found, workers, kb_meta: count('kb_meta'), pf_meta: count('pf_meta'), kb_index: count('kb_index'), pf_index: count('pf_index') };
    } finally {
      await page.close();
    }
  };
  const worker = ['/pagefind/pagefind-worker.js'];
  const compact = await search([]);
  assert.ok(compact.kb_index > 0, 'the chunks of the words searched, compact');
  assert.deepEqual(compact, { found: ['KB243852'], workers: worker, kb_meta: 1, pf_meta: 0, kb_index: compact.kb_index, pf_index: 0 });
  const chunks = compact.kb_index;
  assert.deepEqual(await search(['kb_index']), { found: ['KB243852'], workers: worker, kb_meta: 1, pf_meta: 0, kb_index: chunks, pf_index: chunks }, 'a 404 for a compact chunk: Pagefind gets its own');
  assert.deepEqual(await search(['kb_meta']), { found: ['KB243852'], workers: worker, kb_meta: 1, pf_meta: 1, kb_index: 0, pf_index: chunks }, 'a 404 for the compact meta file: Pagefind gets its own, and its own chunks');
});

test("Pagefind's web worker fetches the fragments of a search's first results ahead when the search asks for it, and only then", async () => {
  // Pagefind is driven here as the search page drives it, without the page's own requests for data
  // (src/client/fragment-prefetch.ts): whatever fragment is fetched, the worker fetched ahead.
  const page = await browser.newPage({ bypassCSP: true });
  const fragments: string[] = [];
  page.on('request', (request) => {
    if (request.url().endsWith('.pf_fragment')) fragments.push(request.url());
  });
  try {
    await page.goto(`${server.url}/search/`);
    const search = (term: string, ahead: number | null) =>
      page.evaluate(
        async ([bundle, term, option, ahead]) => {
          const pagefind = await import(bundle!);
          const found = await pagefind.search(term, ahead === null ? {} : { [option!]: ahead });
          await new Promise((resolve) => setTimeout(resolve, 500)); // the worker's fetches, if any
          return found.results.length as number;
        },
        [`${server.url}/pagefind/pagefind.js`, term, PREFETCH_OPTION, ahead] as const,
      );
    assert.ok((await search('windows', null)) > 2, 'a search with more results than fetched ahead');
    assert.deepEqual(fragments, [], 'nothing ahead unless asked');
    assert.ok((await search('stop', 2)) > 2);
    assert.equal(new Set(fragments).size, 2, `the first two results' fragments: ${fragments.join(', ')}`);
  } finally {
    await page.close();
  }
});

test('a search for 0x24 finds the article that says Stop 0x00000024 and the legacy one that says STOP 0x00000024', async () => {
  const found = (await resultsFor(browser, server.url, '0x24')).sort();
  assert.deepEqual(found, ['KB243852', 'KB2792165']);
});

test('an article page is readable with JavaScript turned off', async () => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(`${server.url}/kb/2792165/`);
  assert.match(await page.locator('h1').textContent() ?? '', /Stop error 0x00000024/);
  assert.equal(await page.locator('table.file-table').count(), 6);
  await context.close();
});

test('on a file page, entering an installed version highlights the articles that ship a newer one', async () => {
  const page = await browser.newPage();
  await page.goto(`${server.url}/files/ntfs.sys/`);
  await page.locator('#installed-version').fill('6.0.6002.9999');
  await page.waitForFunction(() => (document.getElementById('installed-version-status')?.textContent ?? '') !== '');
  assert.equal(await page.locator('#installed-version-status').textContent(), '3 newer versions than 6.0.6002.9999, in 1 article (highlighted)');
  assert.equal(await page.locator('tr.newer').count(), 3);
  await page.locator('#installed-version').fill('6.0.6002.23012');
  await page.waitForFunction(() => (document.getElementById('installed-version-status')?.textContent ?? '').startsWith('No article'));
  assert.equal(await page.locator('tr.newer').count(), 0);
  await page.close();
});

test('Copy citation puts "KB2792165: <title> — <url>" on the clipboard, and the Markdown form links it', async () => {
  const context = await browser.newContext();
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
  const page = await context.newPage();
  await page.goto(`${server.url}/kb/2792165/`);
  await page.getByRole('button', { name: 'Copy citation' }).click();
  const citation = await page.evaluate('navigator.clipboard.readText()');
  assert.equal(citation, 'KB2792165: Stop error 0x00000024 when a third-party application unmounts a corrupted storage volume in Windows Server 2008 SP2 — http://localhost:8080/kb/2792165/');
  await page.getByRole('button', { name: 'Copy as Markdown' }).click();
  assert.match(String(await page.evaluate('navigator.clipboard.readText()')), /^\[KB2792165: Stop error 0x00000024 .*\]\(http:\/\/localhost:8080\/kb\/2792165\/\)$/);
  await context.close();
});

// A site with more matches than one screen of results: 25 articles say "quasar", 5 of them are
// hotfixes, and the last one is about 0xC0000143, a stop code that is not in the bug-check table.
// Every fourth says "quasar" and "service" apart, the others "quasar service".
describe('a search with many results', () => {
  let many: ServedSite;
  const wordsApart = (n: number) => n % 4 === 0;
  /** The articles that say "quasar" and "service" apart, as the result list numbers them. */
  const APART = Array.from({ length: 25 }, (_, k) => k + 1).filter(wordsApart).map((n) => `KB${6200000 + n}`);

  before(async () => {
    const dir = await tempDir('many-results');
    for (let n = 1; n <= 25; n++) {
      const id = 6200000 + n;
      await mkdir(path.join(dir, 'kb', String(id)), { recursive: true });
      const stop = n === 25 ? `stopCodes: ['0xC0000143']\n` : '';
      // Five articles say "zephyr" k times and "yonder" 6 − k times, for a ranking that needs both words'
      // weights; three also say "zephyr-yonder", whose parts Pagefind indexes at the place of the compound.
      const k = [6, 7, 9, 10, 11].indexOf(n) + 1;
      const both = k ? ` ${'Zephyr '.repeat(k)}${'yonder '.repeat(6 - k)}${k % 2 ? 'zephyr-yonder.' : ''}` : '';
      await writeFile(
        path.join(dir, 'kb', String(id), 'index.md'),
        `---\nid: ${id}\ntitle: 'Quasar note ${n}'\nsummary: 'Quasar note number ${n}.'\ntype: ${n <= 5 ? 'hotfix' : 'problem'}\nproducts: [Windows Server 2012 R2]\npublished: 2015-01-${String(n).padStart(2, '0')}\n${stop}---\n\n## Symptoms\n\n${wordsApart(n) ? 'The quasar stops; its service restarts' : 'The quasar service stops'} (note ${n}).${both}\n`,
      );
    }
    // Common words at this size: those in 30% of the 25 articles and at least 10 (quasar, note, …).
    process.env.KB_COMMON_WORD_MIN_ARTICLES = '10';
    try {
      many = await buildAndServe(dir);
    } finally {
      delete process.env.KB_COMMON_WORD_MIN_ARTICLES;
    }
  });

  after(async () => {
    await many?.close();
  });

  /**
   * Opens a search page and counts the Pagefind files it requests, by kind. With `resultWindow`, the
   * page takes the results from Pagefind's worker that many at a time (result-window.ts).
   */
  async function open(query: string, resultWindow?: number): Promise<{ page: Page; requested: (kind: 'pf_fragment' | 'pf_filter') => number }> {
    const page = await many.browser.newPage();
    const urls: string[] = [];
    page.on('request', (request) => urls.push(request.url()));
    if (resultWindow) {
      // The windows the page asks Pagefind's worker for, recorded as they are posted to it.
      await page.addInitScript((option) => {
        const windows: number[] = ((window as unknown as { kbWindows: number[] }).kbWindows = []);
        const post = Worker.prototype.postMessage;
        Worker.prototype.postMessage = function (this: Worker, message: { method?: string; args?: Array<Record<string, { from: number }>> }, ...rest: never[]) {
          const asked = message?.method === 'search' ? message.args?.[1]?.[option] : undefined;
          if (asked) windows.push(asked.from);
          return post.call(this, message, ...rest);
        } as typeof post;
      }, WINDOW_OPTION);
      await page.route((url) => url.pathname.endsWith('/search/'), async (route) => {
        const response = await route.fetch();
        const html = (await response.text()).replace('id="kb-search"', `id="kb-search" data-result-window="${resultWindow}"`);
        await route.fulfill({ response, body: html });
      });
    }
    await page.goto(`${many.server.url}/search/${query}`);
    await waitForResults(page);
    return { page, requested: (kind) => urls.filter((u) => u.endsWith(`.${kind}`)).length };
  }

  test('only the 10 results shown are loaded; "Show more results" adds 10 at a time from the keyboard, and the status keeps the total', async () => {
    const { page, requested } = await open('?q=quasar');
    try {
      assert.equal(await page.locator('#kb-status').textContent(), '25 results for “quasar”');
      assert.equal(await page.locator('#kb-results li').count(), 10);
      assert.equal(requested('pf_fragment'), 10);
      const more = page.getByRole('button', { name: /Show more results/ });
      assert.equal(await more.textContent(), 'Show more results (10 of 25 shown)');
      await more.focus();
      await page.keyboard.press('Enter');
      await page.locator('#kb-results li:nth-child(20)').waitFor();
      assert.equal(await page.locator('#kb-results li').count(), 20);
      // Focus moves to the first new result, so the keyboard continues where the reader was.
      assert.equal(await page.evaluate('document.activeElement === document.querySelector("#kb-results li:nth-child(11) a")'), true);
      await more.focus();
      await page.keyboard.press('Space');
      await page.locator('#kb-results li:nth-child(25)').waitFor();
      assert.equal(await more.isHidden(), true, 'no button once every result is shown');
      assert.equal(await page.locator('#kb-status').textContent(), '25 results for “quasar”');
      assert.equal(requested('pf_fragment'), 25);
      const numbers = await page.locator('#kb-results li .kb-number').allTextContents();
      assert.equal(new Set(numbers).size, 25, 'every result once');
    } finally {
      await page.close();
    }
  });

  test('results taken from the worker 7 at a time are the same results, in the same order, with the same counts, as taken at once', async () => {
    /** Every result of a query, by "Show more" (or "Check more"), with the status at the end. */
    const everyResult = async (query: string, resultWindow?: number) => {
      const { page, requested } = await open(`?q=${encodeURIComponent(query)}`, resultWindow);
      try {
        const more = page.locator('#kb-more');
        while (await more.isVisible()) {
          const before = await page.locator('#kb-results li').count();
          await more.click();
          await page.waitForFunction((n) => document.querySelectorAll('#kb-results li').length > n || document.getElementById('kb-more')?.hidden === true, before);
          await waitForResults(page);
        }
        const windows = resultWindow ? await page.evaluate(() => (window as unknown as { kbWindows: number[] }).kbWindows) : [];
        return { status: await page.locator('#kb-status').textContent(), found: await page.locator('#kb-results li .kb-number').allTextContents(), fragments: requested('pf_fragment'), windows };
      } finally {
        await page.close();
      }
    };
    for (const query of ['quasar', '"Quasar service"']) {
      const { windows: none, ...atOnce } = await everyResult(query);
      const { windows, ...inWindows } = await everyResult(query, 7);
      assert.deepEqual(inWindows, atOnce, query);
      assert.deepEqual(none, []);
      assert.deepEqual(windows, [0, 7, 14, 21], `${query}: the windows asked for`);
      assert.ok(atOnce.found.length >= 19 && new Set(atOnce.found).size === atOnce.found.length, `${query}: ${atOnce.found.join(' ')}`);
    }
  });

  test("Pagefind's web worker hands over the window a search asks for with the whole count, and later windows of it, whose data loads", async () => {
    const page = await many.browser.newPage({ bypassCSP: true });
    try {
      await page.goto(`${many.server.url}/search/`);
      const found = await page.evaluate(
        async ([bundle, option, total]) => {
          // No named functions in here: tsx would wrap them in a helper the page does not have.
          type Result = { id: string; data(): Promise<{ url: string }> };
          const pagefind = await import(bundle!);
          const windows = [];
          for (const from of [0, 10, 20]) {
            const search = await pagefind.search('quasar', { [option!]: { from, size: 10 } });
            const urls = await Promise.all(search.results.map(async (r: Result) => (await r.data()).url));
            windows.push({ ids: search.results.map((r: Result) => r.id) as string[], total: search[total!], urls });
          }
          const whole = await pagefind.search('quasar', {});
          const wholeUrls = await Promise.all(whole.results.map(async (r: Result) => (await r.data()).url));
          return { windows, whole: whole.results.map((r: Result) => r.id) as string[], wholeUrls, wholeTotal: whole[total!] ?? null };
        },
        [`${many.server.url}/pagefind/pagefind.js`, WINDOW_OPTION, TOTAL_FIELD] as const,
      );
      assert.deepEqual(found.windows.map((w) => w.ids.length), [10, 10, 5]);
      assert.deepEqual(found.windows.map((w) => w.total), [25, 25, 25]);
      assert.deepEqual(found.windows.flatMap((w) => w.ids), found.whole, 'the windows, in order, are the whole list');
      assert.deepEqual(found.windows.flatMap((w) => w.urls), found.wholeUrls, 'each handle loads its own result');
      assert.equal(found.wholeTotal, null, 'a search without a window is posted whole, as Pagefind posts it');
    } finally {
      await page.close();
    }
  });

  test('every occurrence of the searched word in an excerpt is marked, though the index keeps one place per word and page', async () => {
    const { page } = await open('?q=quasar');
    try {
      const marks = await page.locator('#kb-results li:first-child p mark').allTextContents();
      assert.ok(marks.length >= 2 && marks.every((m) => m.toLowerCase() === 'quasar'), `marks: ${JSON.stringify(marks)}`);
    } finally {
      await page.close();
    }
  });

  test("the compact chunks rank the results as Pagefind's own chunks do", async () => {
    const ranked = async (query: string, blocked: boolean) => {
      const page = await many.browser.newPage();
      const urls: string[] = [];
      page.on('request', (request) => urls.push(request.url()));
      if (blocked) await page.route('**/*.kb_index', (route) => route.fulfill({ status: 404, body: '' }));
      try {
        await page.goto(`${many.server.url}/search/?q=${encodeURIComponent(query)}&words=all`);
        await waitForResults(page);
        assert.equal(urls.some((u) => u.endsWith('.kb_index')), true);
        assert.equal(urls.some((u) => u.endsWith('.pf_index')), blocked, blocked ? "Pagefind's chunks" : 'no chunk of Pagefind');
        return await page.locator('#kb-results li .kb-number').allTextContents();
      } finally {
        await page.close();
      }
    };
    for (const query of ['quasar service', 'zephyr yonder', 'yonder zephyr', 'zephyr', 'service', 'note stops', 'restarts quasar', 'note 7']) {
      const compact = await ranked(query, false);
      assert.ok(compact.length > 0, `${query}: results`);
      assert.deepEqual(compact, await ranked(query, true), query);
    }
  });

  test('a quoted phrase finds only the articles that have its words together, with the phrase marked, and counts them once all are checked', async () => {
    const { page } = await open(`?q=${encodeURIComponent('"Quasar service"')}`);
    try {
      const numbers = async () => page.locator('#kb-results li .kb-number').allTextContents();
      assert.equal(await page.locator('#kb-results li').count(), 10);
      assert.match((await page.locator('#kb-status').textContent()) ?? '', /^10 results so far for “"Quasar service"” \(\d+ of 25 articles with its words checked\)$/);
      const more = page.getByRole('button', { name: /Check more articles/ });
      await more.click();
      await page.locator('#kb-results li:nth-child(19)').waitFor();
      await page.waitForFunction(() => document.getElementById('kb-more')?.hidden === true);
      assert.equal(await page.locator('#kb-status').textContent(), '19 results for “"Quasar service"”');
      const found = await numbers();
      assert.equal(new Set(found).size, 19);
      assert.deepEqual(found.filter((n) => APART.includes(n)), [], 'no article with the words apart');
      const marks = await page.locator('#kb-results li p mark').allTextContents();
      assert.equal(marks.length, 19);
      assert.ok(marks.every((m) => m === 'quasar service'), `marks: ${JSON.stringify(marks.slice(0, 3))}`);
    } finally {
      await page.close();
    }
  });

  test('a quoted phrase with a common word searches the other words, checks the whole phrase, and says nothing is left out', async () => {
    const { page } = await open(`?q=${encodeURIComponent('"service restarts"')}`);
    try {
      assert.equal(await page.locator('#kb-status').textContent(), '6 results for “"service restarts"”');
      assert.equal(await page.locator('#kb-left-out').isHidden(), true);
      assert.deepEqual([...new Set(await page.locator('#kb-results li p mark').allTextContents())], ['service restarts']);
    } finally {
      await page.close();
    }
  });

  test('a common word is left out of a search with other words, the page says so, and one click searches every word', async () => {
    const { page } = await open(`?q=${encodeURIComponent('Quasar restarts')}`);
    try {
      const numbers = async () => (await page.locator('#kb-results li .kb-number').allTextContents()).sort();
      assert.equal(await page.locator('#kb-status').textContent(), '6 results for “Quasar restarts”');
      assert.deepEqual(await numbers(), APART);
      const note = page.locator('#kb-left-out');
      assert.equal(await note.textContent(), 'Left out as too common to narrow the search: “Quasar” (in 100% of articles). Search every word');
      await note.getByRole('link', { name: 'Search every word' }).click();
      await page.waitForFunction(() => document.getElementById('kb-left-out')?.hidden === true && new URL(location.href).searchParams.get('words') === 'all');
      await waitForResults(page);
      assert.deepEqual(await numbers(), APART, 'the same articles: all of them say quasar');
      // A new query leaves common words out again.
      await page.locator('#q').fill('quasar note restarts');
      await page.locator('#q').press('Enter');
      await page.waitForFunction(() => document.getElementById('kb-left-out')?.hidden === false);
      assert.match((await note.textContent()) ?? '', /“quasar” \(in 100% of articles\), “note” \(in 100% of articles\)/);
      assert.equal(new URL(page.url()).searchParams.get('words'), null);
    } finally {
      await page.close();
    }
  });

  test('the filter lists are loaded only when the filters are opened, and a filter narrows the results and the URL', async () => {
    const { page, requested } = await open('?q=quasar');
    try {
      assert.equal(requested('pf_filter'), 0);
      await page.getByText('Filter by product, type, stop code or year').click();
      await page.getByLabel('Type').selectOption('hotfix');
      await page.locator('#kb-status', { hasText: '5 results' }).waitFor();
      await waitForResults(page);
      assert.deepEqual((await page.locator('#kb-results li .kb-number').allTextContents()).sort(), ['KB6200001', 'KB6200002', 'KB6200003', 'KB6200004', 'KB6200005']);
      assert.equal(new URL(page.url()).searchParams.get('type'), 'hotfix');
      assert.equal(await page.locator('#kb-more').isHidden(), true);
    } finally {
      await page.close();
    }
    // The same search from a link: the filters are open and show the filter in use.
    const linked = await open('?q=quasar&type=hotfix');
    try {
      assert.equal(await linked.page.locator('#kb-status').textContent(), '5 results for “quasar”');
      await linked.page.getByLabel('Type').waitFor();
      assert.equal(await linked.page.getByLabel('Type').inputValue(), 'hotfix');
    } finally {
      await linked.page.close();
    }
  });

  test('a filter without words searches nothing and says what to type, instead of "0 results for “”"', async () => {
    const { page, requested } = await open('?q=&type=hotfix');
    try {
      assert.match((await page.locator('#kb-status').textContent()) ?? '', /^Type words, a KB number or a stop code to search within the filters\./);
      assert.equal(await page.locator('#kb-results li').count(), 0);
      assert.equal(requested('pf_fragment'), 0);
      // Words typed then search within the filter.
      await page.locator('#q').fill('quasar');
      await page.locator('#q').press('Enter');
      await page.locator('#kb-status', { hasText: '5 results for “quasar”' }).waitFor();
    } finally {
      await page.close();
    }
  });

  test('a new search shows its first 5 results with the count at once, and the other 5 of the page right after', async () => {
    const page = await many.browser.newPage();
    try {
      await page.goto(`${many.server.url}/search/`);
      // Record how many results the list held when the status line was first written.
      await page.evaluate(`(() => {
        const status = document.getElementById('kb-status');
        const observer = new MutationObserver(() => {
          if (window.__shownWithStatus === undefined && status.textContent) window.__shownWithStatus = document.querySelectorAll('#kb-results li').length;
        });
        observer.observe(status, { childList: true, subtree: true, characterData: true });
      })()`);
      await page.locator('#q').fill('quasar');
      await page.locator('#q').press('Enter');
      await waitForResults(page);
      assert.equal(await page.evaluate('window.__shownWithStatus'), 5);
      assert.equal(await page.locator('#kb-results li').count(), 10);
      assert.equal(await page.locator('#kb-more').textContent(), 'Show more results (10 of 25 shown)');
    } finally {
      await page.close();
    }
  });

  test('Enter on the search just shown, or the typing pause after it, does not search again', async () => {
    const page = await many.browser.newPage();
    try {
      await page.goto(`${many.server.url}/search/`);
      await page.locator('#q').fill('quasar');
      await page.locator('#q').press('Enter');
      await page.locator('#kb-status', { hasText: '25 results' }).waitFor();
      await waitForResults(page);
      // Every search rewrites the status and the list; count those writes from here on.
      await page.evaluate(`(() => {
        window.__writes = 0;
        const observer = new MutationObserver((records) => { window.__writes += records.length; });
        for (const id of ['kb-status', 'kb-results']) observer.observe(document.getElementById(id), { childList: true, subtree: true, characterData: true });
      })()`);
      await page.locator('#q').press('Enter');
      await page.waitForTimeout(600); // longer than the typing pause
      assert.equal(await page.evaluate('window.__writes'), 0);
    } finally {
      await page.close();
    }
  });

  test('a lone 0x code that is not in the bug-check table is a stop code search when an article has it', async () => {
    const { page, requested } = await open('?q=0xC0000143');
    try {
      assert.equal(await page.locator('#kb-stop-hit a').getAttribute('href'), '/stop/0xC0000143/');
      assert.equal(await page.locator('#kb-stop-hit a').textContent(), 'Stop 0xC0000143 — 1 article');
      assert.deepEqual(await page.locator('#kb-results li .kb-number').allTextContents(), ['KB6200025']);
      assert.ok(requested('pf_filter') <= 1, 'only the stop filter is loaded');
    } finally {
      await page.close();
    }
    // Without such an article, the same kind of token is searched as words.
    const { page: other } = await open('?q=0xC0000144');
    try {
      assert.equal(await other.locator('#kb-stop-hit').isHidden(), true);
      assert.equal(await other.locator('#kb-status').textContent(), '0 results for “0xC0000144”');
    } finally {
      await other.close();
    }
  });
});
