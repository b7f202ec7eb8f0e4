/**
 * Reading the content folder into Articles: the I/O edge of the article pipeline.
 * Every problem in every file is collected before the build fails, so an author fixes them all
 * in one go; each names the file, the line where known, the field and the fix.
 */
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import matter from 'gray-matter';
import YAML, { isMap, isScalar, LineCounter, parseDocument, YAMLParseError } from 'yaml';
import type { Problem } from '../errors.ts';
import { displayPath } from '../display-path.ts';
import type { Article, ArticleType } from './model.ts';
import { validateFrontMatter } from './schema.ts';
import { isLegacyArticle, parseLegacyArticle } from './legacy.ts';
import { extractDocfxMetadata } from './docfx.ts';
import { parseFileData, type FileData } from '../file-versions.ts';
import { canonicalStopCode, findStopCodesInText } from '../stop-codes.ts';

export interface LoadResult {
  articles: Article[];
  problems: Problem[];
}

/** Every `.md` below `dir`, skipping names that start with `_` or `.` (drafts, notes, tooling). */
export async function findArticleFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const files: string[] = [];
  for (const entry of entries) {
    if (!entry.isFile() || !entry.name.endsWith('.md')) continue;
    const full = path.join(entry.parentPath, entry.name);
    const rel = path.relative(dir, full);
    if (rel.split(path.sep).some((part) => part.startsWith('_') || part.startsWith('.'))) continue;
    files.push(full);
  }
  return files.sort();
}

/** Read and validate every article below `contentDir`. Never throws for content problems. */
export async function loadArticles(contentDir: string): Promise<LoadResult> {
  const files = await findArticleFiles(contentDir);
  const results: Array<{ article: Article | null; problems: Problem[] }> = new Array(files.length);
  // Bounded parallel reads: enough to hide disk latency, few enough not to exhaust file handles.
  let next = 0;
  const worker = async () => {
    while (next < files.length) {
      const i = next++;
      const file = files[i]!;
      results[i] = await loadArticleFile(file, await readFile(file));
    }
  };
  await Promise.all(Array.from({ length: 32 }, worker));
  const articles: Article[] = [];
  const problems: Problem[] = [];
  for (const r of results) {
    problems.push(...r.problems);
    if (r.article) articles.push(r.article);
  }
  problems.push(...findDuplicateIds(articles));
  articles.sort((a, b) => a.id - b.id);
  return { articles, problems };
}

/** Two articles with one KB number would fight over one URL: name both files. */
export function findDuplicateIds(articles: Article[]): Problem[] {
  const byId = new Map<number, Article>();
  const problems: Problem[] = [];
  for (const article of articles) {
    const first = byId.get(article.id);
    if (first) {
      problems.push({
        file: article.sourcePath,
        field: 'id',
        message: `KB number ${article.id} is already used by ${first.sourcePath}; give one of them another "id"`,
      });
    } else byId.set(article.id, article);
  }
  return problems;
}

/** Parse one article file (bytes, so that encoding problems are ours to report). */
export async function loadArticleFile(file: string, bytes: Uint8Array): Promise<{ article: Article | null; problems: Problem[] }> {
  const shown = displayPath(file);
  const fail = (message: string, extra: Partial<Problem> = {}) => ({ article: null, problems: [{ file: shown, message, ...extra }] });
  let source: string;
  try {
    source = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return fail('is not UTF-8 text; save it as UTF-8');
  }
  if (source.trim() === '') return fail('is empty; an article needs front matter (id, title, summary, type, products, published) and a body');
  if (source.includes('\u0000')) return fail('looks like a binary file, not Markdown; remove it from the content folder');

  let parsed: { data: Record<string, unknown>; content: string; matter: string };
  try {
    // Failsafe schema: every scalar stays the string the author typed; the schema converts.
    const file = matter(source, { engines: { yaml: (s: string) => (YAML.parse(s, { schema: 'failsafe' }) ?? {}) as object } });
    parsed = { data: file.data as Record<string, unknown>, content: file.content, matter: (file as unknown as { matter: string }).matter ?? '' };
  } catch (error) {
    if (error instanceof YAMLParseError) {
      const line = (error.linePos?.[0]?.line ?? 0) + 1; // +1 for the opening `---`
      return fail(`front matter is not valid YAML: ${error.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}; check quoting and indentation`, { line });
    }
    return fail(`front matter could not be read: ${(error as Error).message}`);
  }
  if (typeof parsed.data !== 'object' || parsed.data === null || Array.isArray(parsed.data)) {
    return fail('front matter must be a set of "field: value" lines', { line: 2 });
  }

  if (isLegacyArticle(parsed.data, parsed.content)) return { article: fromLegacy(shown, parsed.data, parsed.content), problems: [] };
  return fromModern(file, shown, parsed);
}

async function fromModern(file: string, shown: string, parsed: { data: Record<string, unknown>; content: string; matter: string }) {
  if (Object.keys(parsed.data).length === 0) {
    return {
      article: null,
      problems: [{ file: shown, line: 1, message: 'has no front matter; start the file with a --- block holding id, title, summary, type, products and published' }],
    };
  }
  const checked = validateFrontMatter(parsed.data);
  if (!checked.ok) {
    const lines = fieldLines(parsed.matter);
    return { article: null, problems: checked.problems.map((p) => ({ file: shown, field: p.field, line: lines.get(p.field.split('.')[0]!) ?? 1, message: p.message })) };
  }
  const fm = checked.value;
  let fileData: FileData | null = null;
  const problems: Problem[] = [];
  const dataFile = path.join(path.dirname(file), 'files.yaml');
  if (path.basename(file) === 'index.md') {
    const yamlText = await readFile(dataFile, 'utf8').catch(() => null);
    if (yamlText !== null) {
      const result = parseFileData(yamlText, displayPath(dataFile));
      if (result.data) fileData = result.data;
      else problems.push(...result.problems);
    }
  }
  // Docfx-flavoured bodies (as Microsoft publishes them): `_Applies to:_` lines and pipe file
  // tables become metadata and structured data. An authored files.yaml wins over pipe tables.
  const docfx = extractDocfxMetadata(parsed.content);
  const body = fileData ? parsed.content : docfx.body;
  if (!fileData && docfx.tables.length) fileData = { branches: [], tables: docfx.tables };
  const article: Article = {
    id: fm.id,
    sourcePath: shown,
    format: 'modern',
    title: fm.title,
    summary: fm.summary,
    type: fm.type,
    products: fm.products,
    appliesTo: fm.appliesTo ?? docfx.appliesTo,
    versions: [],
    operatingSystems: [],
    keywords: fm.keywords ?? [],
    queryWords: [],
    published: fm.published,
    updated: fm.updated ?? fm.published,
    stopCodes: mergeStopCodes(findStopCodesInText(parsed.content), fm.stopCodes ?? []),
    aliases: [...(fm.aliases ?? []), ...(docfx.originalKbNumber && docfx.originalKbNumber !== fm.id ? [`KB${docfx.originalKbNumber}`] : [])],
    body,
    fileData,
    warnings: docfx.warnings,
  };
  return { article: problems.length ? null : article, problems };
}

/** Detected codes plus the front matter's additions, minus its `-0x…` suppressions. */
export function mergeStopCodes(detected: string[], declared: string[]): string[] {
  const codes = [...detected];
  for (const entry of declared) {
    const suppress = /^[-!]/.test(entry);
    const code = canonicalStopCode(entry.replace(/^[-!]\s*/, ''));
    if (!code) continue;
    const at = codes.indexOf(code);
    if (suppress && at >= 0) codes.splice(at, 1);
    if (!suppress && at < 0) codes.push(code);
  }
  return codes;
}

/** Line (in the file) of each top-level front-matter key, for messages. */
function fieldLines(frontMatter: string): Map<string, number> {
  const lines = new Map<string, number>();
  const counter = new LineCounter();
  const doc = parseDocument(frontMatter, { lineCounter: counter, schema: 'failsafe' });
  if (!isMap(doc.contents)) return lines;
  for (const pair of doc.contents.items) {
    if (isScalar(pair.key) && pair.key.range) lines.set(String(pair.key.value), counter.linePos(pair.key.range[0]).line + 1);
  }
  return lines;
}

const LEGACY_TYPES: Record<string, ArticleType> = { kbbug: 'bug', kbprb: 'problem', kbinfo: 'information', kbhowto: 'how-to', kbfix: 'hotfix' };

function fromLegacy(shown: string, frontMatter: Record<string, unknown>, body: string): Article {
  const legacy = parseLegacyArticle({ frontMatter, body, sourcePath: shown });
  const fileData = legacy.fileTables.length ? { branches: [], tables: legacy.fileTables } : null;
  return {
    id: legacy.id,
    sourcePath: shown,
    format: 'legacy',
    title: legacy.title,
    summary: legacy.summary,
    type: (legacy.issueType && LEGACY_TYPES[legacy.issueType]) || 'information',
    products: legacy.products,
    appliesTo: legacy.appliesTo,
    versions: legacy.versions,
    operatingSystems: legacy.operatingSystems,
    keywords: legacy.keywords,
    queryWords: legacy.queryWords,
    published: null,
    updated: legacy.lastModified,
    // Detect in the raw text: the Markdown conversion escapes underscores in symbolic names.
    stopCodes: findStopCodesInText(body),
    aliases: legacy.permalink ? [legacy.permalink] : [],
    body: legacy.body,
    fileData,
    warnings: legacy.warnings,
  };
}
