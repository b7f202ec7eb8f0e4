/**
 * `kb import <dir> --out <dir>`: the I/O edge of the legacy importer. Reads every article below
 * the source folder the way the build does, writes each legacy one as a modern article
 * `<out>/kb/<id>/index.md` (+ `files.yaml`), and copies modern ones unchanged.
 *
 * Nothing is ever overwritten: a target that exists with the same bytes counts as done (so an
 * import can be re-run), one that differs is reported as a failure and left alone.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { formatProblem } from '../errors.ts';
import { findArticleFiles, loadArticleFile } from '../article/load.ts';
import { articleToModern, ImportError } from '../importers/kbarchive.ts';

export interface ImportResult {
  /** Articles present in the output afterwards: written now, or already there identical. */
  converted: number;
  failed: Array<{ file: string; reason: string }>;
}

interface Output {
  file: string;
  content: string | Uint8Array;
}

export async function runImport(sourceDir: string, outDir: string, log: (line: string) => void): Promise<ImportResult> {
  const files = await findArticleFiles(sourceDir);
  const failed: ImportResult['failed'] = [];
  const counts = { legacy: 0, modern: 0, identical: 0, warned: 0 };

  for (const file of files) {
    const shown = displayPath(file);
    const fail = (reason: string) => {
      failed.push({ file: shown, reason });
      log(`${shown}: not imported: ${reason}`);
    };
    const bytes = await readFile(file);
    const loaded = await loadArticleFile(file, bytes);
    if (!loaded.article) {
      fail(loaded.problems.map((p) => formatProblem(p).replace(`${p.file}: `, p.file === shown ? '' : `${p.file}: `)).join('; '));
      continue;
    }
    const article = loaded.article;
    const dir = path.join(outDir, 'kb', String(article.id));
    const outputs: Output[] = [];
    let warnings: string[] = [];
    if (article.format === 'legacy') {
      try {
        const modern = articleToModern(article);
        outputs.push({ file: path.join(dir, 'index.md'), content: modern.markdown });
        if (modern.filesYaml !== null) outputs.push({ file: path.join(dir, 'files.yaml'), content: modern.filesYaml });
        warnings = modern.warnings;
      } catch (error) {
        if (!(error instanceof ImportError)) throw error;
        fail(error.message);
        continue;
      }
    } else {
      outputs.push({ file: path.join(dir, 'index.md'), content: bytes });
      if (path.basename(file) === 'index.md') {
        const data = await readFile(path.join(path.dirname(file), 'files.yaml')).catch(() => null);
        if (data) outputs.push({ file: path.join(dir, 'files.yaml'), content: data });
      }
    }

    // Check every target before writing any, so an article is never half written. A files.yaml
    // left in the target folder would attach itself to an article that has none: a conflict too.
    const conflicts: string[] = [];
    const missing: Output[] = [];
    let identical = 0;
    const expectsFiles = outputs.some((o) => path.basename(o.file) === 'files.yaml');
    const targets: Array<Output | { file: string; content: null }> = expectsFiles ? outputs : [...outputs, { file: path.join(dir, 'files.yaml'), content: null }];
    for (const target of targets) {
      const existing = await readFile(target.file).catch(() => null);
      if (existing === null) {
        if (target.content !== null) missing.push(target as Output);
        continue;
      }
      if (target.content !== null && Buffer.from(existing).equals(Buffer.from(target.content))) identical++;
      else conflicts.push(displayPath(target.file));
    }
    if (conflicts.length > 0) {
      fail(`${conflicts.join(' and ')} already exist${conflicts.length === 1 ? 's' : ''} with other content (another article with KB number ${article.id}, or an earlier import); move it away or choose another --out folder`);
      continue;
    }
    await mkdir(dir, { recursive: true });
    // 'wx': fail rather than overwrite a file that appeared since the check.
    for (const o of missing) await writeFile(o.file, o.content, { flag: 'wx' });

    if (identical === outputs.length) {
      counts.identical++;
      log(`${displayPath(outputs[0]!.file)}: already imported, unchanged`);
    } else if (article.format === 'legacy') counts.legacy++;
    else counts.modern++;
    if (warnings.length > 0) counts.warned++;
    for (const w of warnings) log(`${displayPath(outputs[0]!.file)}: ${w}`);
  }

  const converted = counts.legacy + counts.modern + counts.identical;
  log(
    `Imported ${converted} of ${files.length} article${files.length === 1 ? '' : 's'} into ${displayPath(outDir) || '.'}: ` +
      `${counts.legacy} converted from legacy, ${counts.modern} modern copied, ${counts.identical} already there; ` +
      `${counts.warned} with notes above; ${failed.length} failed${failed.length ? ' (listed above)' : ''}.`,
  );
  return { converted, failed };
}

function displayPath(file: string): string {
  const rel = path.relative(process.cwd(), file);
  return rel.startsWith('..') ? file : rel;
}
