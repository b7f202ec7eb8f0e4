/**
 * src/build/render-pages.ts: the runs of a large build shared between the build's thread and a
 * render thread. Shown on the demo in runs of 2 articles: the thread renders from the articles and
 * their page contexts alone, and its pages are byte for byte those of the build's thread.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { filesBelow, tempDir } from '../support/build.ts';
import { loadSite, everything } from '../../src/eleventy/site-data.ts';
import { loadSiteConfig } from '../../src/site-config.ts';
import { pagesIn, renderBatches } from '../../src/build/pipeline.ts';
import { renderPages, type PagesJob } from '../../src/build/render-pages.ts';
import { fileSystemCode } from '../../src/errors.ts';

async function demo() {
  const config = loadSiteConfig();
  const { site } = await loadSite('content', config);
  return { config, site, runs: renderBatches(everything(site), 2) };
}

test('runs rendered on the render thread are the pages the build\'s thread renders, byte for byte, and progress counts them all', async () => {
  const { config, site, runs } = await demo();
  assert.equal(runs.length, 3, 'the demo\'s 5 articles in runs of 2');
  const root = await tempDir('render-pages');
  const job = (outputDir: string): PagesJob => ({ contentDir: 'content', outputDir, config, hasSearchDelta: false, log: () => {} });

  const progress: number[] = [];
  const shared = await renderPages(job(path.join(root, 'shared')), site, runs, (n) => progress.push(n), 1);
  const alone = await renderPages(job(path.join(root, 'alone')), site, runs, () => {}, 0);
  // The build's thread takes the first run (with the site's pages); the thread takes the second at once.
  assert.ok(shared.onThread >= 2, `the thread rendered ${shared.onThread} pages`);
  assert.equal(alone.onThread, 0);

  const [sharedFiles, aloneFiles] = await Promise.all([filesBelow(path.join(root, 'shared')), filesBelow(path.join(root, 'alone'))]);
  assert.deepEqual(sharedFiles, aloneFiles, 'the same files');
  for (const file of aloneFiles) {
    assert.equal(await readFile(path.join(root, 'shared', file), 'utf8'), await readFile(path.join(root, 'alone', file), 'utf8'), file);
  }
  const articlePages = site.articles.map((a) => `kb/${a.id}/index.html`);
  for (const page of articlePages) assert.ok(aloneFiles.includes(page), page);
  const pages = runs.reduce((n, r) => n + pagesIn(r), 0);
  assert.ok(Math.max(...progress) >= pages, `progress reached ${Math.max(...progress)} of at least ${pages} pages`);
});

test('a run that fails on the render thread fails renderPages with the error the build\'s thread would give, its file system code included, and the thread ends', async () => {
  const { config, site, runs } = await demo();
  // The second run is the thread's (the build's thread takes the first): a file stands where one of its pages' folder must go.
  const blocked = runs[1]!.articles[0]!.id;
  const root = await tempDir('render-broken');
  /** The files of the output folder as renderPages settled, by threads. */
  const atFailure = new Map<number, string[]>();
  const failureOf = async (threads: number): Promise<string> => {
    const outputDir = path.join(root, String(threads));
    await mkdir(path.join(outputDir, 'kb'), { recursive: true });
    await writeFile(path.join(outputDir, 'kb', String(blocked)), 'in the way');
    const error = console.error;
    console.error = () => {}; // Eleventy's own report of the failure
    try {
      await renderPages({ contentDir: 'content', outputDir, config, hasSearchDelta: false, log: () => {} }, site, runs, () => {}, threads);
    } catch (e) {
      atFailure.set(threads, await filesBelow(outputDir));
      // The file system's code goes with the message, from either thread (kb names a full disk by it: src/errors.ts).
      return `${String(fileSystemCode(e).code)}: ${(e as Error).message.replaceAll(outputDir, '<output>')}`;
    } finally {
      console.error = error;
    }
    assert.fail(`renderPages with ${threads} threads did not fail`);
  };
  const onThread = await failureOf(1);
  assert.match(onThread, new RegExp(`^E[A-Z]+: .*<output>/kb/${blocked}/index.html`));
  assert.equal(onThread, await failureOf(0));
  // Nothing writes into the output folder after renderPages has thrown: the build's thread's run has
  // ended (stopped at its next page, or done), the thread is gone.
  await new Promise((resolve) => setTimeout(resolve, 500));
  for (const threads of [0, 1]) assert.deepEqual(await filesBelow(path.join(root, String(threads))), atFailure.get(threads), `with ${threads} threads`);
});
