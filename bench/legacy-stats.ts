/**
 * How much the legacy (kbarchive) importer extracts from the corpus.
 *
 *   node --import tsx bench/legacy-stats.ts [corpus-dir] [warnings]   (default $KB_CORPUS_DIR or /tmp/kbarchive/kb, 25)
 *
 * Prints the share of articles with each metadata field, the sections found, the Markdown block
 * kinds produced, and the most common warnings with an example article for each. The corpus is
 * read in place (unpack ../shared/corpus/kbarchive-kb.tar.gz); nothing is copied into the repo.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import matter from 'gray-matter';
import { isLegacyArticle, parseLegacyArticle, type LegacyArticle } from '../src/article/legacy.ts';

export const DEFAULT_CORPUS_DIR = '/tmp/kbarchive/kb';

/** Every `<dir>/<nnn>/Q<n>/README.md`, in a stable order. */
export function corpusFiles(dir: string): string[] {
  const files: string[] = [];
  for (const group of readdirSync(dir).sort()) {
    let entries: string[];
    try {
      entries = readdirSync(join(dir, group)).sort();
    } catch {
      continue;
    }
    for (const article of entries) {
      const file = join(dir, group, article, 'README.md');
      if (existsSync(file)) files.push(file);
    }
  }
  return files;
}

/** Read one corpus file the way the content loader does (gray-matter; options disable its cache). */
export function readLegacyFile(file: string): { frontMatter: Record<string, unknown>; body: string; sourcePath: string } {
  const parsed = matter(readFileSync(file, 'utf8'), {});
  return { frontMatter: parsed.data as Record<string, unknown>, body: parsed.content, sourcePath: file };
}

export interface LegacyStats {
  articles: number;
  recognised: number;
  ms: number;
  has: Record<string, number>;
  sections: Map<string, number>;
  blocks: Record<string, number>;
  warnings: Map<string, { count: number; example: string; file: string }>;
}

const FIELDS: Array<[string, (a: LegacyArticle) => boolean]> = [
  ['title', (a) => a.title !== ''],
  ['products', (a) => a.products.length > 0],
  ['versions', (a) => a.versions.length > 0],
  ['operatingSystems', (a) => a.operatingSystems.length > 0],
  ['keywords', (a) => a.keywords.length > 0],
  ['technologies', (a) => a.technologies.length > 0],
  ['lastModified', (a) => a.lastModified !== null],
  ['appliesTo', (a) => a.appliesTo.length > 0],
  ['issueType', (a) => a.issueType !== null],
  ['queryWords', (a) => a.queryWords.length > 0],
  ['summary', (a) => a.summary !== ''],
  ['sections (## heading)', (a) => /^## /m.test(a.body)],
  ['sub-headings (###)', (a) => /^### /m.test(a.body)],
  ['lists', (a) => /^ *(?:[-*]|\d+[.)]) /m.test(a.body)],
  ['code blocks', (a) => /^ *```/m.test(a.body)],
  ['no warnings', (a) => a.warnings.length === 0],
];

/** Field names stay in a warning's shape; other quoted values are elided. */
const FIELD_NAMES = new Set(['Article', 'Product(s)', 'Version(s)', 'Operating System(s)', 'Keyword(s)', 'Last Modified', 'See article', 'applies to']);

/** Warnings group by shape: quoted values, numbers, KB numbers and file names are elided. */
function warningShape(warning: string): string {
  return warning
    .replace(/"([^"]*)"/g, (m, v: string) => (FIELD_NAMES.has(v) ? m : '"…"'))
    .replace(/"…"(?:\s+"…")+/g, '"…"')
    .replace(/; using \w+$/, '; using …')
    .replace(/ row for \S+$/, ' row for …')
    .replace(/\bQ\d+\b/g, 'Q…')
    .replace(/\b\d+\b/g, 'N');
}

export function collectLegacyStats(dir: string): LegacyStats {
  const stats: LegacyStats = { articles: 0, recognised: 0, ms: 0, has: {}, sections: new Map(), blocks: {}, warnings: new Map() };
  for (const [name] of FIELDS) stats.has[name] = 0;
  const started = performance.now();
  for (const file of corpusFiles(dir)) {
    const input = readLegacyFile(file);
    stats.articles++;
    if (isLegacyArticle(input.frontMatter, input.body)) stats.recognised++;
    const article = parseLegacyArticle(input);
    for (const [name, test] of FIELDS) if (test(article)) stats.has[name]!++;
    for (const m of article.body.matchAll(/^## (.+)$/gm)) stats.sections.set(m[1]!, (stats.sections.get(m[1]!) ?? 0) + 1);
    for (const w of article.warnings) {
      const shape = warningShape(w);
      const entry = stats.warnings.get(shape);
      if (entry) entry.count++;
      else stats.warnings.set(shape, { count: 1, example: w, file });
    }
  }
  stats.ms = performance.now() - started;
  return stats;
}

function pct(n: number, total: number): string {
  return `${((100 * n) / Math.max(total, 1)).toFixed(1)}%`.padStart(6);
}

function main(): void {
  const dir = process.argv[2] ?? process.env.KB_CORPUS_DIR ?? DEFAULT_CORPUS_DIR;
  const topWarnings = Number(process.argv[3] ?? 25);
  if (!existsSync(dir)) {
    console.log(`No corpus at ${dir}; unpack ../shared/corpus/kbarchive-kb.tar.gz there (or pass the directory).`);
    process.exitCode = 1;
    return;
  }
  const s = collectLegacyStats(dir);
  console.log(`${s.articles} articles in ${(s.ms / 1000).toFixed(1)} s; ${s.recognised} recognised as legacy (${pct(s.recognised, s.articles).trim()})\n`);
  console.log('Articles with …');
  for (const [name, n] of Object.entries(s.has)) console.log(`  ${pct(n, s.articles)}  ${String(n).padStart(6)}  ${name}`);
  console.log('\nMost common sections (## headings):');
  const sections = [...s.sections.entries()].sort((a, b) => b[1] - a[1]);
  for (const [name, n] of sections.slice(0, 15)) console.log(`  ${pct(n, s.articles)}  ${String(n).padStart(6)}  ${name}`);
  console.log(`  (${sections.length} distinct section titles)`);
  console.log('\nMost common warnings (articles may have several):');
  const warnings = [...s.warnings.entries()].sort((a, b) => b[1].count - a[1].count);
  for (const [shape, w] of warnings.slice(0, topWarnings)) {
    console.log(`  ${String(w.count).padStart(6)}  ${shape}`);
    if (w.example !== shape) console.log(`          e.g. ${w.example}`);
    console.log(`          in ${w.file}`);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) main();
