// Wiring only: everything kbsite does lives in src/ (see src/eleventy/plugin.ts).
import { register } from 'tsx/esm/api';

register();
const { default: kbsite, eleventyDirectories } = await import('./src/eleventy/plugin.ts');

export default function (eleventyConfig) {
  eleventyConfig.addPlugin(kbsite);
  // Returned (not exported as a constant) so that each build in one process gets its own output folder.
  return { dir: eleventyDirectories(process.env.KB_OUTPUT_DIR ?? '_site') };
}
