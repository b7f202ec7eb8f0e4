/**
 * The end-of-build summary and report: what was built, how much metadata was extracted, how many
 * file tables became structured data, and every warning with its file, so nothing is dropped
 * silently. Pure: articles in, text and JSON out.
 */
import type { Article } from './article/model.ts';
import { counted } from './counted.ts';

export interface BuildSummary {
  articles: number;
  modern: number;
  legacy: number;
  withProducts: number;
  withKeywords: number;
  withDate: number;
  withStopCodes: number;
  fileTables: number;
  /** Blocks that looked like file tables but stayed text (from the importers' warnings). */
  tablesLeftAsText: number;
  warnings: number;
  articlesWithWarnings: number;
}

const LEFT_AS_TEXT = /file table was left as text|left as a Markdown table/;

export function summarise(articles: Article[]): BuildSummary {
  // One pass: a watching process summarises 60,000 articles after every save.
  const s: BuildSummary = { articles: articles.length, modern: 0, legacy: 0, withProducts: 0, withKeywords: 0, withDate: 0, withStopCodes: 0, fileTables: 0, tablesLeftAsText: 0, warnings: 0, articlesWithWarnings: 0 };
  for (const a of articles) {
    if (a.format === 'modern') s.modern++;
    if (a.format === 'legacy') s.legacy++;
    if (a.products.length > 0) s.withProducts++;
    if (a.keywords.length > 0) s.withKeywords++;
    if (a.updated ?? a.published) s.withDate++;
    if (a.stopCodes.length > 0) s.withStopCodes++;
    s.fileTables += a.fileData?.tables.length ?? 0;
    if (a.warnings.length === 0) continue;
    for (const w of a.warnings) if (LEFT_AS_TEXT.test(w)) s.tablesLeftAsText++;
    s.warnings += a.warnings.length;
    s.articlesWithWarnings++;
  }
  return s;
}

const pct = (n: number, of: number) => (of ? `${((100 * n) / of).toFixed(1)}%` : '–');

/** Lines for a person at the end of `kb build`. */
export function formatSummary(s: BuildSummary): string[] {
  const tablesSeen = s.fileTables + s.tablesLeftAsText;
  return [
    `[kb] articles: ${s.articles} (${s.modern} modern, ${s.legacy} legacy)`,
    `[kb] extracted: products ${pct(s.withProducts, s.articles)}, keywords ${pct(s.withKeywords, s.articles)}, dates ${pct(s.withDate, s.articles)}, stop codes in ${counted(s.withStopCodes, 'article')}`,
    `[kb] file tables: ${s.fileTables} structured${s.tablesLeftAsText ? `, ${s.tablesLeftAsText} left as text (${pct(s.fileTables, tablesSeen)} parsed)` : ''}`,
    `[kb] warnings: ${s.warnings} in ${counted(s.articlesWithWarnings, 'article')}`,
  ];
}

/** The report is written beside the site, not in it: `<output>-report.json`. */
export function reportFileOf(outputDir: string): string {
  return `${outputDir}-report.json`;
}

export interface BuildReport {
  summary: BuildSummary;
  /** In the order of the site's articles: by KB number. */
  warnings: Array<{ file: string; id: number; warnings: string[] }>;
}

/** The full report: every warning with the file it is about; `summary` when the build has it already (runBuild keeps it in its state). */
export function buildReport(articles: Article[], summary = summarise(articles)): BuildReport {
  return {
    summary,
    warnings: articles.filter((a) => a.warnings.length).map((a) => ({ file: a.sourcePath, id: a.id, warnings: a.warnings })),
  };
}

/**
 * The report after a rebuild that parsed `changed` again without reading the other articles (a
 * quick rebuild): the last build's entries of those articles replaced by their warnings now, the
 * others kept; the same report as a full build's, given that build's entries and the new summary.
 */
export function reportAfter(last: BuildReport['warnings'], changed: readonly Article[], summary: BuildSummary): BuildReport {
  const ids = new Set(changed.map((a) => a.id));
  const warnings = last.filter((entry) => !ids.has(entry.id));
  for (const a of changed) if (a.warnings.length) warnings.push({ file: a.sourcePath, id: a.id, warnings: a.warnings });
  return { summary, warnings: warnings.sort((x, y) => x.id - y.id) };
}
