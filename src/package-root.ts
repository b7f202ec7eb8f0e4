/**
 * kbsite's own folder, where `layouts/`, `public/`, `bin/` and `.eleventy.js` are: the nearest
 * folder with a package.json above this module. Found, not computed as `../`, because the module
 * runs from `src/` (tests, tsx) or from `kb`'s compiled copy of it in `dist/<digest>/`
 * (bin/compiled.js), which sits one level deeper.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export function packageRootAbove(dir: string): string {
  for (let at = dir; ; at = path.dirname(at)) {
    if (existsSync(path.join(at, 'package.json'))) return at;
    if (path.dirname(at) === at) throw new Error(`kbsite: no package.json above ${dir}`);
  }
}

export const PACKAGE_ROOT = packageRootAbove(path.dirname(fileURLToPath(import.meta.url)));
