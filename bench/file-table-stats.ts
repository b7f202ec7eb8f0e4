/**
 * How well the legacy plain-text file-table parser does on the kbarchive corpus.
 *
 *   node --import tsx bench/file-table-stats.ts [corpus-dir] [examples]   (default /tmp/kbarchive/kb, 20)
 *
 * Counts articles with candidate tables, tables detected, parsed and left as text, the parsed
 * share (goal: at least 95%), and prints 20 unparsed blocks to show what to improve next.
 * The corpus is read in place; nothing from it is copied into the repository.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { extractTextFileTables } from '../src/article/text-file-tables.ts';

export interface FileTableStats {
  articles: number;
  articlesWithTables: number;
  detected: number;
  parsed: number;
  unparsed: number;
  rows: number;
  /** parsed / detected, 1 when nothing was detected. */
  share: number;
  examples: Array<{ file: string; warning: string; block: string }>;
}

/** The article body between `{% raw %}` and `{% endraw %}`, de-indented as the importer does. */
export function legacyBody(readme: string): string {
  const start = readme.indexOf('{% raw %}');
  const end = readme.lastIndexOf('{% endraw %}');
  const body = start >= 0 ? readme.slice(start + '{% raw %}'.length, end > start ? end : undefined) : readme;
  return body
    .split('\n')
    .map((l) => l.replace(/^\t/, ''))
    .join('\n');
}

/** Cheap pre-filter: a file-table header needs two of these words on one line. */
const MAYBE_TABLE = /\b(?:date|time|size|version)\b[^\n]*\b(?:date|time|size|version|name|file ?name)\b/i;

export function collectFileTableStats(dir: string, maxExamples = 20): FileTableStats {
  const stats: FileTableStats = { articles: 0, articlesWithTables: 0, detected: 0, parsed: 0, unparsed: 0, rows: 0, share: 1, examples: [] };
  for (const group of readdirSync(dir).sort()) {
    let entries: string[];
    try {
      entries = readdirSync(join(dir, group)).sort();
    } catch {
      continue;
    }
    for (const article of entries) {
      const file = join(dir, group, article, 'README.md');
      let readme: string;
      try {
        readme = readFileSync(file, 'utf8');
      } catch {
        continue;
      }
      stats.articles++;
      if (!MAYBE_TABLE.test(readme)) continue;
      const body = legacyBody(readme);
      const result = extractTextFileTables(body);
      const found = result.tables.length + result.unparsed;
      if (found === 0) continue;
      stats.articlesWithTables++;
      stats.detected += found;
      stats.parsed += result.tables.length;
      stats.unparsed += result.unparsed;
      stats.rows += result.tables.reduce((n, t) => n + t.rows.length, 0);
      // One example per article, so one odd article cannot hide the others.
      for (const warning of result.warnings.filter((w) => w.includes('left as text')).slice(0, 1)) {
        if (stats.examples.length >= maxExamples) break;
        const line = Number(/^line (\d+)/.exec(warning)?.[1] ?? 1);
        const block = body.split('\n').slice(Math.max(0, line - 3), line + 8).join('\n');
        stats.examples.push({ file, warning, block });
      }
    }
  }
  stats.share = stats.detected === 0 ? 1 : stats.parsed / stats.detected;
  return stats;
}

function main(): void {
  const dir = process.argv[2] ?? '/tmp/kbarchive/kb';
  const started = Date.now();
  const s = collectFileTableStats(dir, Number(process.argv[3] ?? 20));
  for (const ex of s.examples) {
    console.log(`--- ${ex.file}\n${ex.warning}\n${ex.block}\n`);
  }
  const pct = (s.share * 100).toFixed(1);
  console.log(`Articles read:                 ${s.articles}`);
  console.log(`Articles with file tables:     ${s.articlesWithTables}`);
  console.log(`Tables detected:               ${s.detected}`);
  console.log(`Tables parsed:                 ${s.parsed} (${s.rows} rows)`);
  console.log(`Tables left as text:           ${s.unparsed}`);
  console.log(`Parsed share:                  ${pct}% (goal: at least 95%)`);
  console.log(`Time:                          ${((Date.now() - started) / 1000).toFixed(1)} s`);
  if (s.share < 0.95) process.exitCode = 1;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) main();
