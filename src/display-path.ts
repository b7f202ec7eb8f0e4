import path from 'node:path';

/** A path as a person would type it here: relative below the working directory, else absolute. */
export function displayPath(p: string): string {
  const rel = path.relative(process.cwd(), p);
  return !rel ? '.' : rel.startsWith('..') ? p : rel;
}
