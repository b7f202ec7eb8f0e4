import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { buildAndServe, type ServedSite } from '../support/site.ts';

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

async function resultsFor(query: string, typed = true): Promise<string[]> {
  const page = await browser.newPage();
  try {
    if (typed) {
      await page.goto(`${server.url}/search/`);
      await page.locator('#q').fill(query);
    } else {
      await page.goto(`${server.url}/search/?q=${encodeURIComponent(query)}`);
    }
    await page.waitForFunction(() => (document.getElementById('kb-status')?.textContent ?? '') !== '');
    return await page.locator('#kb-results li .kb-number').allTextContents();
  } finally {
    await page.close();
  }
}

test('typing Ntfs.sys into the search page finds KB 2792165', async () => {
  const found = await resultsFor('Ntfs.sys');
  assert.ok(found.includes('KB2792165'), `results were ${JSON.stringify(found)}`);
});

test('the search box in the header of an article leads to results for what was typed', async () => {
  const page = await browser.newPage();
  await page.goto(`${server.url}/kb/243852/`);
  await page.locator('#site-search').fill('Double-Take');
  await page.locator('#site-search').press('Enter');
  await page.waitForFunction(() => (document.getElementById('kb-status')?.textContent ?? '') !== '');
  assert.deepEqual(await page.locator('#kb-results li .kb-number').allTextContents(), ['KB243852']);
  await page.close();
});

test('a search for 0x24 finds the article that says Stop 0x00000024 and the legacy one that says STOP 0x00000024', async () => {
  const found = (await resultsFor('0x24', false)).sort();
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
