/**
 * `kb check [--content DIR] [--format json]`: everything a build validates (front matter, file
 * data, duplicate numbers, aliases, cross-references, stop codes), without rendering or writing a
 * site. For authors (text: `file:line: message` per problem) and CI pipelines (JSON on stdout).
 * Exit codes: 0 no problems (warnings allowed), 2 content problems, 64 bad usage.
 */
import type { Problem } from '../errors.ts';
import { UsageError, formatProblem } from '../errors.ts';
import { counted } from '../counted.ts';
import { loadArticles } from '../article/load.ts';
import { buildSiteModel } from '../site-model.ts';
import type { SiteConfig } from '../site-config.ts';

export const CHECK_FORMATS = ['text', 'json'] as const;
export type CheckFormat = (typeof CHECK_FORMATS)[number];

/** One problem or warning in the JSON report: every key always present, null when unknown. */
export interface CheckEntry {
  file: string;
  line: number | null;
  field: string | null;
  message: string;
}

export interface CheckReport {
  ok: boolean;
  /** Articles read without problems. */
  articles: number;
  problems: CheckEntry[];
  warnings: CheckEntry[];
}

/** Validate a content folder the way `kb build` does (same loader, same site model), nothing written. */
export async function checkContent(contentDir: string, config: SiteConfig): Promise<CheckReport> {
  const { articles, problems } = await loadArticles(contentDir);
  const { problems: siteProblems } = buildSiteModel(articles, config);
  const all = [...problems, ...siteProblems];
  return {
    ok: all.length === 0,
    articles: articles.length,
    problems: all.map(entry),
    warnings: articles.flatMap((a) => a.warnings.map((message) => entry({ file: a.sourcePath, message }))),
  };
}

function entry(p: Problem): CheckEntry {
  return { file: p.file, line: p.line ?? null, field: p.field ?? null, message: p.message };
}

export function parseCheckFormat(value: string | undefined): CheckFormat {
  const format = value ?? 'text';
  if (!(CHECK_FORMATS as readonly string[]).includes(format)) throw new UsageError(`--format must be text or json (got ${JSON.stringify(format)})`);
  return format as CheckFormat;
}

/** Text lines for a person: problems as `file:line: message` (stderr), then one summary line. */
export function formatCheckText(report: CheckReport): { problems: string[]; summary: string } {
  const problems = report.problems.map((p) => formatProblem({ file: p.file, message: p.message, ...(p.line === null ? {} : { line: p.line }) }));
  const warned = report.warnings.length ? ` (${counted(report.warnings.length, 'warning')}; --format json lists them)` : '';
  if (report.ok) return { problems, summary: `kb check: ${counted(report.articles, 'article')}, no problems${warned}` };
  const files = new Set(report.problems.map((p) => p.file)).size;
  const n = report.problems.length;
  return { problems, summary: `kb check: ${counted(n, 'problem')} in ${counted(files, 'file')}; fix ${n === 1 ? 'it' : 'them'} and run kb check again` };
}

/** Run the check and print the result; returns the exit code. JSON goes to stdout and nothing else does. */
export async function runCheck(contentDir: string, config: SiteConfig, options: { format: CheckFormat; quiet: boolean }): Promise<number> {
  const report = await checkContent(contentDir, config);
  if (options.format === 'json') {
    console.log(JSON.stringify(report, null, 2));
  } else {
    const { problems, summary } = formatCheckText(report);
    for (const line of problems) console.error(line);
    if (!report.ok) console.error(summary);
    else if (!options.quiet) console.log(summary);
  }
  return report.ok ? 0 : 2;
}
