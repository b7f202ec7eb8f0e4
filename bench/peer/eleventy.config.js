/**
 * The benchmark's peer: stock Eleventy 3 with one plain Nunjucks layout for every page, nothing
 * else (no plugins, filters, collections or search hook). `npm run bench` runs it as
 *   KB_PEER_INPUT=<corpus> KB_PEER_OUTPUT=<out> KB_PEER_LAYOUTS=page eleventy --config=bench/peer/eleventy.config.js
 * and then the Pagefind CLI over <out>, and compares both with `kb build`.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const PEER_DIR = path.dirname(fileURLToPath(import.meta.url));
const LAYOUT = 'plain.njk';

export default function (eleventyConfig) {
  const input = path.resolve(process.env.KB_PEER_INPUT ?? 'content');
  const output = path.resolve(process.env.KB_PEER_OUTPUT ?? '_peer-site');
  eleventyConfig.setInputDirectory(input);
  eleventyConfig.setOutputDirectory(output);
  // Layouts are looked up relative to the input folder; the one layout lives here, beside this file.
  eleventyConfig.setLayoutsDirectory(path.relative(input, PEER_DIR));
  // Articles without a layout get the plain one; a layout an article names itself (legacy
  // articles say `layout: page`) is an alias of it. Computed data cannot set `layout`, hence aliases.
  eleventyConfig.addGlobalData('layout', LAYOUT);
  for (const name of (process.env.KB_PEER_LAYOUTS ?? '').split(',').filter(Boolean)) eleventyConfig.addLayoutAlias(name, LAYOUT);
  // Article bodies contain `{{` and `{% raw %}` as text (legacy articles, code samples): Markdown
  // is Markdown only, never Liquid first.
  return { markdownTemplateEngine: false };
}
