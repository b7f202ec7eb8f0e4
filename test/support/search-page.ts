/** The search page as browser tests drive it (layouts/search.njk, src/client/search.ts). */
import type { Browser, Page } from 'playwright-core';

/**
 * Waits until a search has finished: the status line is written (with the first results) and the
 * list is no longer busy (the rest of the first page is in).
 */
export async function waitForResults(page: Page): Promise<void> {
  // A function, not a string: the site's Content-Security-Policy forbids evaluating strings.
  await page.waitForFunction(() => (document.getElementById('kb-status')?.textContent ?? '') !== '' && !document.getElementById('kb-results')?.hasAttribute('aria-busy'));
}

/** KB numbers (`KB2792165`) of the results shown for a search opened from its URL, or typed. */
export async function resultsFor(browser: Browser, siteUrl: string, query: string, typed = false): Promise<string[]> {
  const page = await browser.newPage();
  try {
    if (typed) {
      await page.goto(`${siteUrl}/search/`);
      await page.locator('#q').fill(query);
    } else {
      await page.goto(`${siteUrl}/search/?q=${encodeURIComponent(query)}`);
    }
    await waitForResults(page);
    return await page.locator('#kb-results li .kb-number').allTextContents();
  } finally {
    await page.close();
  }
}
