import path from 'node:path';

const shown = new Map<string, string>();
let shownFor = '';

/** A path as a person would type it here: relative below the working directory, else absolute.
 *  Remembered per working directory: the loader and the watcher show 60,000 paths per build. */
export function displayPath(p: string): string {
  const cwd = process.cwd();
  if (cwd !== shownFor) {
    shown.clear();
    shownFor = cwd;
  }
  let display = shown.get(p);
  if (display === undefined) shown.set(p, (display = displayPathFrom(cwd, p)));
  return display;
}

/**
 * `displayPath` from the working directory `cwd`. A one-shot build shows each of 60,000 paths once,
 * and `path.relative` resolves both paths each time (0.2 s at 60,000), so plain paths are compared
 * as strings: below `cwd`, or (on POSIX) absolute and elsewhere, where `path.relative` would climb.
 */
export function displayPathFrom(cwd: string, p: string): string {
  const prefix = prefixOf(cwd);
  if (path.sep === '/' && prefix !== null && cwd.startsWith('/') && isPlainAbsolute(p) && `${p}/` !== prefix && !p.startsWith(prefix)) return p; // outside
  const rel = pathBelow(cwd, p) ?? path.relative(cwd, p);
  return !rel ? '.' : rel.startsWith('..') ? p : rel;
}

const isPlainAbsolute = (p: string): boolean => p.startsWith('/') && !NOT_PLAIN.test(p.slice(1));

/** An empty, `.` or `..` segment: a path that only `path.relative` can compare. */
const NOT_PLAIN = /(?:^|[\\/])\.{0,2}(?:[\\/]|$)/;

/**
 * `p` relative to `dir` when `p` is plainly inside it (it begins with `dir` and a separator, and
 * neither has an empty, `.` or `..` segment): what `path.relative(dir, p)` gives then, without
 * resolving either against the working directory, which a one-shot build did for each of 60,000
 * files twice (0.25 s). Undefined for any other path, which `path.relative` should take.
 */
export function pathBelow(dir: string, p: string): string | undefined {
  const prefix = prefixOf(dir);
  if (prefix === null || !p.startsWith(prefix)) return undefined;
  const rel = p.slice(prefix.length);
  return rel && !NOT_PLAIN.test(rel) ? rel : undefined;
}

/** `dir` with a separator after it; null when it is not plain. The last folder's, remembered: the same one is asked 60,000 times. */
function prefixOf(dir: string): string | null {
  if (dir !== lastDir) {
    const prefix = dir.endsWith(path.sep) ? dir : dir + path.sep;
    // The folder less its first character (an absolute path's root would look like an empty segment)
    // and its last separator: `./`, `..`, `/./` and `//` in it all still show.
    [lastDir, lastPrefix] = [dir, NOT_PLAIN.test(prefix.slice(1, -1)) ? null : prefix];
  }
  return lastPrefix;
}
let lastDir: string | undefined;
let lastPrefix: string | null = null;
