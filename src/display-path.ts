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
  if (display === undefined) {
    const rel = path.relative(cwd, p);
    shown.set(p, (display = !rel ? '.' : rel.startsWith('..') ? p : rel));
  }
  return display;
}
