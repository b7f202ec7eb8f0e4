#!/usr/bin/env node
// The `kb` command. It runs src/ compiled to JavaScript (bin/compiled.js), compiling it first when
// src/ changed; should that fail (a read-only install, say), or with KB_FROM_SOURCE=1, it runs the
// TypeScript through tsx instead.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { COMPILED_KEY, compiledSources } from './compiled.js';

// Eleventy 3 on Node 20 registers a module-resolution hook on a thread of its own, so that a config
// or template module edited under `eleventy --watch` is imported afresh; from then on every import
// waits for that thread (0.1 s of a quick rebuild at 60,000 articles). kb's watch mode rebuilds from
// the content and never has Eleventy import a module again, so it is off unless set otherwise.
process.env.ELEVENTY_SKIP_ESM_RESOLVER ??= '1';

const debug = process.argv.includes('--debug');
if (debug) process.setSourceMapsEnabled(true); // stack traces name the TypeScript's lines

async function loadMain() {
  if (process.env.KB_FROM_SOURCE !== '1') {
    try {
      const dir = await compiledSources();
      globalThis[COMPILED_KEY] = dir;
      return (await import(pathToFileURL(path.join(dir, 'cli/main.js')).href)).main;
    } catch (error) {
      delete globalThis[COMPILED_KEY];
      if (debug) console.error(`kb: running the TypeScript through tsx (compiling it failed: ${error instanceof Error ? error.stack : String(error)})`);
    }
  }
  const { register } = await import('tsx/esm/api');
  register();
  return (await import('../src/cli/main.ts')).main;
}

const main = await loadMain();
process.exitCode = await main(process.argv.slice(2));
