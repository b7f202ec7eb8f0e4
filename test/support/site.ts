/** Build a content folder, serve it over real HTTP and open Chromium: the setup of every browser test. */
import assert from 'node:assert/strict';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { runKb, tempDir } from './build.ts';
import { serveDirectory, type RunningServer } from './static-server.ts';
import { launchChromium } from './browser.ts';

export interface ServedSite {
  server: RunningServer;
  browser: Browser;
  outputDir: string;
  close(): Promise<void>;
}

export async function buildAndServe(contentDir: string, extraArgs: string[] = [], pathPrefix = '/'): Promise<ServedSite> {
  const outputDir = path.join(await tempDir('browser'), '_site');
  const run = await runKb(['build', '--content', contentDir, '--output', outputDir, '--quiet', ...extraArgs]);
  assert.equal(run.exitCode, 0, run.stderr);
  const server = await serveDirectory(outputDir, pathPrefix);
  const browser = await launchChromium();
  return {
    server,
    browser,
    outputDir,
    async close() {
      await browser.close();
      await server.close();
    },
  };
}
