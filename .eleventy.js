// Wiring only: everything kbsite does lives in src/ (see src/eleventy/plugin.ts). The `kb` command
// runs a compiled copy of src/ (bin/compiled.js) and says where it is, so that Eleventy gets the
// very plugin module the command set up; anything else (the tests) loads the TypeScript through tsx.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { COMPILED_KEY } from './bin/compiled.js';

const compiled = globalThis[COMPILED_KEY];
const { default: kbsite, eleventyDirectories } = compiled
  ? await import(pathToFileURL(path.join(compiled, 'eleventy/plugin.js')).href)
  : await (async () => {
      (await import('tsx/esm/api')).register();
      return import('./src/eleventy/plugin.ts');
    })();

export default function (eleventyConfig) {
  eleventyConfig.addPlugin(kbsite);
  // Returned (not exported as a constant) so that each build in one process gets its own output folder.
  return { dir: eleventyDirectories(process.env.KB_OUTPUT_DIR ?? '_site') };
}
