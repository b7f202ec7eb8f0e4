/**
 * For the most frequent stop codes of a built site, how many articles the search page finds for
 * each spelling (in headless Chromium, through the real search UI). The counts must be equal
 * across spellings. Usage:
 *   node --import tsx bench/stop-code-spellings.ts <built-site-dir> [top=10]
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { serveDirectory } from '../test/support/static-server.ts';
import { launchChromium } from '../test/support/browser.ts';
import { stopCodeName } from '../src/stop-codes.ts';

const site = process.argv[2];
const top = Number(process.argv[3] ?? 10);
if (!site) {
  console.error('usage: bench/stop-code-spellings.ts <built-site-dir> [top]');
  process.exit(64);
}

/** The spellings support engineers paste, for one canonical code. */
function spellings(code: string): string[] {
  const short = code.replace(/^0x0*/, '') || '0';
  const name = stopCodeName(code);
  return [`STOP ${code}`, `0x${short}`, `Stop: ${code.toLowerCase()}`, `stop ${short}`, `bugcheck 0x${short}`, ...(name ? [name] : [])];
}

const html = await readFile(path.join(site, 'stop/index.html'), 'utf8');
const codes = [...html.matchAll(/<code>(0x[0-9A-F]{8})<\/code><\/a><\/th><td>[^<]*<\/td><td class="num">(\d+)<\/td>/g)].slice(0, top).map((m) => ({ code: m[1]!, pages: Number(m[2]) }));
const server = await serveDirectory(site);
const browser = await launchChromium();
const page = await browser.newPage();
const rows: string[] = [];
let allEqual = true;
for (const { code, pages } of codes) {
  const counts: string[] = [];
  for (const q of spellings(code)) {
    await page.goto(`${server.url}/search/?q=${encodeURIComponent(q)}`);
    await page.waitForFunction(() => (document.getElementById('kb-status')?.textContent ?? '') !== '', undefined, { timeout: 60_000 });
    const status = (await page.locator('#kb-status').textContent()) ?? '';
    counts.push(`${q} → ${Number(/^(\d+)/.exec(status)?.[1] ?? -1)}`);
  }
  const numbers = counts.map((c) => c.split('→ ')[1]);
  const equal = numbers.every((n) => n === String(pages));
  allEqual &&= equal;
  rows.push(`| ${code} | ${stopCodeName(code) ?? ''} | ${pages} | ${counts.join('; ')} | ${equal ? 'yes' : 'NO'} |`);
}
await browser.close();
await server.close();
console.log('| Code | Name | Landing page | Articles found per spelling | Equal |');
console.log('|---|---|---|---|---|');
for (const row of rows) console.log(row);
process.exitCode = allEqual ? 0 : 1;
