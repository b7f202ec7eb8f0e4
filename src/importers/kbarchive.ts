/**
 * Legacy (kbarchive) article → modern article: the front matter of `index.md` and, for hotfix
 * articles with file tables, a `files.yaml` beside it. Pure: the caller reads and writes files.
 *
 * The aim is a modern article that builds to the same content: loading the output gives the same
 * id, title, summary, products, applies-to list, dates, stop codes, Markdown body and file data
 * as the legacy article did. Where the modern schema cannot say what the legacy article said,
 * the conversion picks the honest nearest value and names it in `warnings`:
 * - `published` is required but the archive only kept "Last Modified": that date is used for both;
 * - `products` needs one entry: the first applies-to line stands in, else "Unspecified";
 * - `summary` must not be empty: the title stands in for an article without a first paragraph;
 * - the schema has no "query words": the legacy "Additional query words" are appended to
 *   `keywords` (search still finds them; they now show as tags).
 * The legacy permalink (`/kb/243/Q243852/`) becomes an alias so old links keep working.
 *
 * YAML is only ever written by `yaml`'s stringify: titles and file names are untrusted text.
 */
import { stringify } from 'yaml';
import { KbError } from '../errors.ts';
import type { Article } from '../article/model.ts';
import { mergeStopCodes } from '../article/load.ts';
import { isDeepStrictEqual } from 'node:util';
import { parseFileData, type FileData, type FileRow, type FileTable } from '../file-versions.ts';
import { findStopCodesInText } from '../stop-codes.ts';

export interface ModernArticle {
  /** `index.md`: front matter and the Markdown body, unchanged. */
  markdown: string;
  /** `files.yaml`, or null when the article has no file tables. */
  filesYaml: string | null;
  /** What the modern format could not carry as it was, for the import report. */
  warnings: string[];
}

/** An article that cannot become a modern one (e.g. it has no date at all). The message says
 *  why and what to do, without the file name: the caller puts that in front. */
export class ImportError extends KbError {}

/** Product used when a legacy article names none (3,349 corpus articles have no Product(s)). */
export const UNSPECIFIED_PRODUCT = 'Unspecified';

/** Convert one loaded legacy article. Throws ImportError when the modern schema cannot hold it. */
export function articleToModern(article: Article): ModernArticle {
  if (article.format !== 'legacy') throw new ImportError('it is already a modern article; copy it as it is');
  const warnings: string[] = [];

  const date = article.updated ?? article.published;
  if (!date) throw new ImportError('it has no "Last Modified" date, and a modern article needs a published date; add one to the legacy header');
  if (!article.published) warnings.push(`the archive has no publication date: "published" is the Last Modified date (${date})`);

  let products = article.products.filter((p) => p.trim() !== '');
  if (products.length === 0) {
    const first = article.appliesTo.find((a) => a.trim() !== '');
    products = [first ?? UNSPECIFIED_PRODUCT];
    warnings.push(first ? `no Product(s) in the header: the first applies-to line "${first}" is the product` : `no Product(s) and no applies-to lines: the product is "${UNSPECIFIED_PRODUCT}"`);
  }

  let summary = article.summary.trim();
  if (summary === '') {
    summary = article.title;
    warnings.push('no summary could be taken from the body: the title is the summary');
  }

  const keywords = dedupe([...article.keywords, ...article.queryWords]);
  if (article.queryWords.length > 0) warnings.push(`the additional query words (${article.queryWords.length}) are kept as keywords`);

  const frontMatter: Record<string, unknown> = {
    id: article.id,
    title: article.title,
    summary,
    type: article.type,
    products,
  };
  if (article.appliesTo.length > 0) frontMatter['appliesTo'] = article.appliesTo;
  frontMatter['published'] = article.published ?? date;
  if (article.updated && article.updated !== (article.published ?? date)) frontMatter['updated'] = article.updated;
  if (keywords.length > 0) frontMatter['keywords'] = keywords;
  const stopCodes = stopCodeDeclarations(article.body, article.stopCodes);
  if (stopCodes.length > 0) frontMatter['stopCodes'] = stopCodes;
  if (article.aliases.length > 0) frontMatter['aliases'] = article.aliases;

  // The loader reads front matter with the failsafe schema; stringify quotes whatever needs it.
  const yaml = stringify(frontMatter, { lineWidth: 0 });
  // gray-matter drops exactly one line break after the closing `---`, so the body survives as is.
  const markdown = `---\n${yaml}---\n${article.body}`;
  let filesYaml: string | null = null;
  if (article.fileData) {
    filesYaml = fileDataToYaml(article.fileData);
    // A value the reader would take differently (a version printed as "n/a", a padded name) must
    // not change silently: read the text back and refuse the article if anything moved.
    const back = parseFileData(filesYaml, 'files.yaml');
    if (!back.data || !isDeepStrictEqual(back.data, article.fileData)) {
      const why = back.data ? 'reads back differently' : `is rejected: ${back.problems[0]?.message ?? ''}`;
      throw new ImportError(`its file tables cannot be written as files.yaml (the result ${why}); convert this article by hand`);
    }
  }
  return { markdown, filesYaml, warnings };
}

function dedupe(values: string[]): string[] {
  const seen = new Set<string>();
  return values.filter((v) => {
    const key = v.trim().toLowerCase();
    if (key === '' || seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * The `stopCodes` front matter that makes the modern loader find exactly `wanted`, in order. The
 * legacy loader detects codes in the raw text, the modern one in the Markdown body (where, e.g.,
 * `IRQL\_NOT\_LESS` is escaped), so the two can differ: missing codes are added and extra ones
 * suppressed with `-0x…`. When that still gives another order, every detected code is suppressed
 * and the list is declared in full.
 */
export function stopCodeDeclarations(body: string, wanted: string[]): string[] {
  const detected = findStopCodesInText(body);
  const minimal = [...detected.filter((c) => !wanted.includes(c)).map((c) => `-${c}`), ...wanted.filter((c) => !detected.includes(c))];
  if (sameList(mergeStopCodes(detected, minimal), wanted)) return minimal;
  return [...detected.map((c) => `-${c}`), ...wanted];
}

function sameList(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

/** A size label `parseFileData` reads back from `size:` itself. */
const SIZE_LABEL = /^\d+(?:[.,]\d+)?\s*(?:KB|MB|GB)$/i;

/**
 * File data in the files.yaml format (see src/file-versions.ts). Tables are marked
 * `source: legacy` because the archive printed versions and platforms the modern checks reject
 * (`2.5b`, `Alpha`); ids are written so the body's `[[file-table:<id>]]` lines stay attached even
 * if someone reorders the tables.
 */
export function fileDataToYaml(data: FileData): string {
  const doc: Record<string, unknown> = {};
  if (data.branches.length > 0) doc['branches'] = data.branches.map((b) => ({ version: b.version, product: b.product, srLevel: b.srLevel, branch: b.branch }));
  doc['tables'] = data.tables.map(tableToYaml);
  return stringify(doc, { lineWidth: 0 });
}

function tableToYaml(table: FileTable): Record<string, unknown> {
  const out: Record<string, unknown> = { id: table.id };
  if (table.platform) out['platform'] = table.platform;
  if (table.kind !== 'files') out['kind'] = table.kind;
  out['caption'] = table.caption;
  out['source'] = 'legacy';
  out['files'] = table.rows.map((row) => rowToYaml(row, table.platform));
  return out;
}

function rowToYaml(row: FileRow, tablePlatform: string | null): Record<string, unknown> {
  const out: Record<string, unknown> = { name: row.name, version: row.version ?? 'n/a' };
  if (row.size !== null) out['size'] = row.size;
  else if (row.sizeLabel !== undefined && SIZE_LABEL.test(row.sizeLabel) && row.sizeLabel === row.sizeLabel.trim()) out['size'] = row.sizeLabel;
  else {
    out['size'] = 'n/a';
    if (row.sizeLabel !== undefined) out['sizeLabel'] = row.sizeLabel;
  }
  out['date'] = row.date ?? 'n/a';
  if (row.time !== null) out['time'] = row.time;
  // A row inherits the table's platform; say so only where it differs.
  if (row.platform !== tablePlatform) out['platform'] = row.platform ?? 'n/a';
  if (row.extra && Object.keys(row.extra).length > 0) out['extra'] = { ...row.extra };
  return out;
}
