// kbsite's TypeScript compiled to JavaScript once per version of src/, so that `kb` starts without
// tsx. Through tsx, every module the build imports (Eleventy's included) passes through its loader
// hooks on another thread: importing the build's modules took 1.4–1.6 s of a command's start
// instead of 0.9–1.2 s compiled, which is most of what a one-article rebuild at 60,000 articles
// has to spare. Tests import src/ through tsx directly; only the `kb` command runs the copy.
//
// The copy is dist/<digest of src/>/, the same tree as src/ (a module's relative imports and files
// still resolve; src/package-root.ts finds the package from either). It is compiled the first time
// `kb` runs with that source, in 0.3–0.5 s, and never changes: a new digest is a new folder, so a
// `kb serve` still running from an older one keeps its files until it has been unused for a day.
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGE_ROOT = fileURLToPath(new URL('../', import.meta.url));
const SOURCE = path.join(PACKAGE_ROOT, 'src');
const COMPILED_ROOT = path.join(PACKAGE_ROOT, 'dist');
/** Written last: a folder without it was left by a compile that did not finish. */
const COMPLETE = '.complete';
/** Copies unused for this long are removed when another is compiled. */
const UNUSED_MS = 24 * 60 * 60 * 1000;

/** Source files below src/, sorted: TypeScript is compiled, the worker scripts (.mjs) are copied. */
export function sourceFiles(source = SOURCE) {
  return readdirSync(source, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && /\.(ts|mjs)$/.test(entry.name) && !entry.name.endsWith('.d.ts'))
    .map((entry) => path.relative(source, path.join(entry.parentPath, entry.name)))
    .sort();
}

/** Digest of the sources' names and bytes (12–15 ms for 750 KB in a new process), and of what compiles them (esbuild reads tsconfig.json). */
export function sourceDigest(files, source = SOURCE, compiler = '') {
  const hash = createHash('sha1').update(`${process.version}\0${compiler}\0`).update(readFileSync(path.join(PACKAGE_ROOT, 'tsconfig.json'))).update('\0');
  for (const file of files) hash.update(file).update('\0').update(readFileSync(path.join(source, file))).update('\0');
  return hash.digest('hex').slice(0, 16);
}

/**
 * The folder of src/ compiled as it is now, compiled first if there is none. Throws when it cannot
 * be written (e.g. a read-only install); the caller then runs the TypeScript through tsx.
 */
export async function compiledSources({ source = SOURCE, root = COMPILED_ROOT } = {}) {
  const files = sourceFiles(source);
  const esbuildVersion = JSON.parse(readFileSync(path.join(PACKAGE_ROOT, 'node_modules/esbuild/package.json'), 'utf8')).version;
  const dir = path.join(root, sourceDigest(files, source, esbuildVersion));
  if (existsSync(path.join(dir, COMPLETE))) {
    try {
      const now = new Date();
      utimesSync(dir, now, now); // in use: not removed as unused
    } catch {
      // a read-only install: nothing removes it either
    }
    return dir;
  }
  const { build } = await import('esbuild');
  const temp = `${dir}.${process.pid}.tmp`;
  rmSync(temp, { recursive: true, force: true });
  await build({
    entryPoints: files.filter((file) => file.endsWith('.ts')).map((file) => path.join(source, file)),
    outdir: temp,
    outbase: source,
    // One output file per source file: each is "bundled" only to have its imports rewritten.
    bundle: true,
    packages: 'external',
    platform: 'node',
    format: 'esm',
    target: `node${process.versions.node.split('.')[0]}`,
    sourcemap: 'linked',
    logLevel: 'silent',
    plugins: [
      {
        name: 'kbsite-modules-stay-modules',
        setup(compiler) {
          // `./model.ts` becomes `./model.js`, imported as it is, not inlined.
          compiler.onResolve({ filter: /^\.\.?\// }, (args) => (args.kind === 'entry-point' ? undefined : { path: args.path.replace(/\.ts$/, '.js'), external: true }));
        },
      },
    ],
  });
  for (const file of files.filter((name) => name.endsWith('.mjs'))) {
    mkdirSync(path.dirname(path.join(temp, file)), { recursive: true });
    copyFileSync(path.join(source, file), path.join(temp, file));
  }
  writeFileSync(path.join(temp, COMPLETE), '');
  // Only a finished copy is ever renamed into place; one without its mark was tampered with.
  if (existsSync(dir) && !existsSync(path.join(dir, COMPLETE))) rmSync(dir, { recursive: true, force: true });
  try {
    renameSync(temp, dir);
  } catch (error) {
    // Another `kb` compiled the same source at the same time: use its copy.
    rmSync(temp, { recursive: true, force: true });
    if (!existsSync(path.join(dir, COMPLETE))) throw error;
  }
  removeUnused(root, dir);
  return dir;
}

function removeUnused(root, keep) {
  for (const name of readdirSync(root)) {
    const dir = path.join(root, name);
    if (dir === keep) continue;
    try {
      if (Date.now() - statSync(dir).mtimeMs > UNUSED_MS) rmSync(dir, { recursive: true, force: true });
    } catch {
      // removed by another kb meanwhile
    }
  }
}

/** How the compiled copy tells `.eleventy.js` where it is (they share the process; see there). */
export const COMPILED_KEY = Symbol.for('kbsite.compiled');
