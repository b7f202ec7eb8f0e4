/**
 * Links from support tickets: every alias form reaches the canonical page (also with a section
 * anchor, also when the site is served below a path prefix), and no internal link is broken.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { buildAndServe, type ServedSite } from '../support/site.ts';
import { checkSiteLinks } from '../../src/link-check.ts';

const demoContent = path.resolve('content');

/** `from to` pairs of the `_redirects` file the build wrote (prefix included). */
async function redirectPairs(outputDir: string): Promise<Array<[string, string]>> {
  const text = await readFile(path.join(outputDir, '_redirects'), 'utf8');
  return text.trim().split('\n').map((line) => line.split(' ') as [string, string]);
}

for (const prefix of ['/', '/support/kb/']) {
  describe(`served at ${prefix}`, () => {
    let site: ServedSite;
    before(async () => {
      site = await buildAndServe(demoContent, prefix === '/' ? [] : ['--path-prefix', prefix], prefix);
    });
    after(() => site.close());

    test('every alias of every demo article (Q, KB, legacy path, front-matter aliases) lands on the canonical page', async () => {
      const pairs = await redirectPairs(site.outputDir);
      const articleAliases = pairs.filter(([, to]) => to.startsWith(`${prefix}kb/`));
      for (const form of ['Q243852', 'KB243852', '243/Q243852', 'Q2792165', 'KB2792165']) {
        assert.ok(articleAliases.some(([from]) => from === `${prefix}kb/${form}/`), `the redirects include ${prefix}kb/${form}/`);
      }
      const page = await site.browser.newPage();
      try {
        for (const [from, to] of pairs) {
          await page.goto(site.server.origin + from);
          await page.waitForURL(site.server.origin + to);
          if (to.includes('/kb/')) assert.match(await page.locator('h1').innerText(), /\S/, `${from} shows the article`);
        }
      } finally {
        await page.close();
      }
    });

    test('a section anchor survives the redirect: /kb/Q2792165/#resolution opens the Resolution section', async () => {
      const page = await site.browser.newPage();
      try {
        await page.goto(`${site.server.url}/kb/Q2792165/#resolution`);
        await page.waitForURL(`${site.server.url}/kb/2792165/#resolution`);
        assert.equal(await page.locator(':target').innerText(), 'Resolution');
      } finally {
        await page.close();
      }
    });

    test('the link checker finds 0 broken internal links or anchors', async () => {
      const result = await checkSiteLinks(site.outputDir, { pathPrefix: prefix });
      assert.deepEqual(result.broken, []);
      assert.ok(result.pagesScanned >= 20, `crawled the whole site (${result.pagesScanned} pages)`);
    });

    test('search works and its results link inside the prefix', async () => {
      const page = await site.browser.newPage();
      try {
        await page.goto(`${site.server.url}/search/?q=Ntfs.sys`);
        const first = page.locator('#kb-results a[href*="/kb/2792165/"]').first();
        await first.waitFor();
        assert.equal(await first.getAttribute('href'), `${prefix}kb/2792165/`);
      } finally {
        await page.close();
      }
    });
  });
}
