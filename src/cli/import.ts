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
import { counted } from '../counted.ts';
import { findArticleFiles, loadArticleFile } from '../article/load.ts';
import { forEachConcurrently } from '../concurrency.ts';
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

/** What one source file becomes: the files to write, or why it cannot be imported. */
type Prepared =
  | { ok: true; id: number; format: 'legacy' | 'modern'; dir: string; outputs: Output[]; warnings: string[] }
  | { ok: false; reason: string };

/** Read, load and convert one source file (no writes). */
async function prepare(file: string, outDir: string): Promise<Prepared> {
  const shown = displayPath(file);
  const bytes = await readFile(file);
  const loaded = await loadArticleFile(file, bytes);
  if (!loaded.article) {
    // The file is named once, in front; a problem in its files.yaml keeps that file's name.
    return { ok: false, reason: loaded.problems.map((p) => (p.file === shown ? `${p.line ? `line ${p.line}: ` : ''}${p.message}` : formatProblem(p))).join('; ') };
  }
  const article = loaded.article;
  const dir = path.join(outDir, 'kb', String(article.id));
  if (article.format === 'modern') {
    const outputs: Output[] = [{ file: path.join(dir, 'index.md'), content: bytes }];
    if (path.basename(file) === 'index.md') {
      const data = await readFile(path.join(path.dirname(file), 'files.yaml')).catch(() => null);
      if (data) outputs.push({ file: path.join(dir, 'files.yaml'), content: data });
    }
    return { ok: true, id: article.id, format: 'modern', dir, outputs, warnings: [] };
  }
  try {
    const modern = articleToModern(article);
    const outputs: Output[] = [{ file: path.join(dir, 'index.md'), content: modern.markdown }];
    if (modern.filesYaml !== null) outputs.push({ file: path.join(dir, 'files.yaml'), content: modern.filesYaml });
    return { ok: true, id: article.id, format: 'legacy', dir, outputs, warnings: modern.warnings };
  } catch (error) {
    if (error instanceof ImportError) return { ok: false, reason: error.message };
    throw error;
  }
}

/** Files are read and converted in parallel, a chunk at a time (bounded memory), and written
 *  one by one in sorted order, so which of two articles with one KB number wins is deterministic. */
const CHUNK = 256;
const READERS = 16;

export async function runImport(sourceDir: string, outDir: string, log: (line: string) => void): Promise<ImportResult> {
  const files = await findArticleFiles(sourceDir);
  const failed: ImportResult['failed'] = [];
  const counts = { legacy: 0, modern: 0, identical: 0, warned: 0 };

  for (let from = 0; from < files.length; from += CHUNK) {
    const chunk = files.slice(from, from + CHUNK);
    const prepared: Prepared[] = new Array(chunk.length);
    await forEachConcurrently(chunk, READERS, async (file, i) => {
      prepared[i] = await prepare(file, outDir);
    });

    for (const [i, p] of prepared.entries()) {
      const shown = displayPath(chunk[i]!);
      const fail = (reason: string) => {
        failed.push({ file: shown, reason });
        log(`${shown}: not imported: ${reason}`);
      };
      if (!p.ok) {
        fail(p.reason);
        continue;
      }
      const { dir, outputs } = p;

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
        fail(`${conflicts.join(' and ')} already exist${conflicts.length === 1 ? 's' : ''} with other content (another article with KB number ${p.id}, or an earlier import); move it away or choose another --out folder`);
        continue;
      }
      await mkdir(dir, { recursive: true });
      // 'wx': fail rather than overwrite a file that appeared since the check.
      for (const o of missing) await writeFile(o.file, o.content, { flag: 'wx' });

      if (identical === outputs.length) {
        counts.identical++;
        log(`${displayPath(outputs[0]!.file)}: already imported, unchanged`);
      } else if (p.format === 'legacy') counts.legacy++;
      else counts.modern++;
      if (p.warnings.length > 0) counts.warned++;
      for (const w of p.warnings) log(`${displayPath(outputs[0]!.file)}: ${w}`);
    }
  }

  const converted = counts.legacy + counts.modern + counts.identical;
  log(
    `Imported ${converted} of ${counted(files.length, 'article')} into ${displayPath(outDir) || '.'}: ` +
      `${counts.legacy} converted from legacy, ${counts.modern} modern copied, ${counts.identical} already there; ` +
      `${counts.warned} with notes above; ${failed.length} failed${failed.length ? ' (listed above)' : ''}.`,
  );
  return { converted, failed };
}

function displayPath(file: string): string {
  const rel = path.relative(process.cwd(), file);
  return rel.startsWith('..') ? file : rel;
}
