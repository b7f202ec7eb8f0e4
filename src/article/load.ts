/**
 * Reading the content folder into Articles: the I/O edge of the article pipeline.
 * Every problem in every file is collected before the build fails, so an author fixes them all
 * in one go; each names the file, the line where known, the field and the fix.
 */
import { readdirSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import matter from 'gray-matter';
import YAML, { isMap, isScalar, LineCounter, parseDocument, YAMLParseError } from 'yaml';
import type { Problem } from '../errors.ts';
import { displayPath, pathBelow } from '../display-path.ts';
import type { Article, ArticleType } from './model.ts';
import { validateFrontMatter } from './schema.ts';
import { isLegacyArticle, parseLegacyArticle } from './legacy.ts';
import { extractDocfxMetadata } from './docfx.ts';
import { parseFileData, type FileData } from '../file-versions.ts';
import { canonicalStopCode, findStopCodesInText } from '../stop-codes.ts';
import type { ParseCache } from './parse-cache.ts';
import { forEachConcurrently } from '../concurrency.ts';
import { articleDigest, rememberArticleDigest } from '../build/fingerprints.ts';
import { PARALLEL_PARSE_MIN, parseOnWorkers, type ParsedFile } from './parse-workers.ts';
import type { ContentSurvey, FileStat } from './survey.ts';

export interface LoadResult {
  articles: Article[];
  problems: Problem[];
  /** Every article file (as shown in messages) → its signature, to see what changed between builds. */
  sources: Map<string, string>;
  /** Every article file read (absolute paths, sorted). */
  files: string[];
  /** Files parsed in this run, and files whose result came from the parse cache. */
  parsed: number;
  fromCache: number;
}

export interface LoadOptions {
  /** Results of earlier runs (src/article/parse-cache.ts); updated with what this run parsed. */
  cache?: ParseCache;
  /**
   * What a watching process already knows (src/build/watch.ts): the article files as they are now,
   * instead of scanning the folder, and for each file it saw no change to, the signature it had.
   * Such files are neither scanned nor stat'ed; the rest are read as usual.
   */
  known?: KnownFiles;
  /** The content folder as `surveyContent` (src/article/survey.ts) saw it, instead of listing and
   *  stat'ing it here; null if the survey failed. Not used with `known`. */
  survey?: Promise<ContentSurvey | null>;
}

export interface KnownFiles {
  files: string[];
  unchangedSignature(file: string): string | undefined;
}

/** One file's result. `references` are checked once every article is known (see `loadArticles`);
 *  `claimedId` is the KB number of a file that failed, so links to it are not reported as well. */
export interface FileResult {
  article: Article | null;
  problems: Problem[];
  references?: CrossReference[];
  claimedId?: number;
}

/** A reference to another article, and the problem to report when there is no such article. */
export interface CrossReference {
  id: number;
  problem: Problem;
}

/**
 * Largest article file read: 5 MB (MiB). A Markdown article of that size is already about a
 * thousand printed pages; anything larger is a pasted log or memory dump, which would slow every
 * build and bloat the search index. Larger files are refused without being read.
 */
export const MAX_ARTICLE_BYTES = 5 * 1024 * 1024;

function tooLarge(file: string, bytes: number): FileResult {
  const mb = (n: number) => `${(n / (1024 * 1024)).toFixed(n % (1024 * 1024) ? 1 : 0)} MB`;
  return {
    article: null,
    problems: [{ file: displayPath(file), message: `is ${mb(bytes)}; an article may be at most ${mb(MAX_ARTICLE_BYTES)}: split it into several articles, or link to large logs and dumps instead of pasting them` }],
  };
}

/** Every `.md` below `dir`, skipping names that start with `_` or `.` (drafts, notes, tooling). */
export async function findArticleFiles(dir: string): Promise<string[]> {
  // Synchronous on purpose: Node 20's recursive promise readdir makes one thread-pool round trip per
  // folder, and an archive has a folder per article (60,335 folders: 7.5 s async, 1.4 s sync).
  const entries = readdirSync(dir, { recursive: true, withFileTypes: true });
  const files: string[] = [];
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const full = path.join(entry.parentPath, entry.name);
    if (isArticlePath(dir, full)) files.push(full);
  }
  return files.sort();
}

/** Whether `file` (a path below `dir`) would be an article file if it is a file. */
export function isArticlePath(dir: string, file: string): boolean {
  return file.endsWith('.md') && !isSkippedPath(dir, file);
}

/** Whether a path below `dir` is in, or is, a folder or file that never holds articles (`_drafts`, `.git`). */
export function isSkippedPath(dir: string, file: string): boolean {
  return (pathBelow(dir, file) ?? path.relative(dir, file)).split(path.sep).some((part) => part.startsWith('_') || part.startsWith('.'));
}

/** The article files of a survey of `dir`, in the order findArticleFiles gives. */
export function articleFilesOf(dir: string, survey: ContentSurvey): string[] {
  return [...survey.keys()].filter((file) => isArticlePath(dir, file)).sort();
}

/** A file's size and modification time on disk now; undefined when it is not there. */
export const statHere = (file: string): FileStat | undefined => statSync(file, { throwIfNoEntry: false });

/**
 * Size and modification time of an article file and, for `index.md`, of the files.yaml beside it:
 * what make and git look at too. Equal signatures mean an unchanged article.
 */
export function sourceSignature(file: string, size: number, mtimeMs: number, statOf: (file: string) => FileStat | undefined): string {
  let data = '';
  if (path.basename(file) === 'index.md') {
    const st = statOf(path.join(path.dirname(file), 'files.yaml'));
    data = st ? `${st.size}:${st.mtimeMs}` : '-';
  }
  return `${size}:${mtimeMs}/${data}`;
}

/** Read and validate every article below `contentDir`. Never throws for content problems. */
export async function loadArticles(contentDir: string, options: LoadOptions = {}): Promise<LoadResult> {
  const { cache, known: watching } = options;
  const surveyed = watching ? null : await options.survey;
  const files = watching ? watching.files : surveyed ? articleFilesOf(contentDir, surveyed) : await findArticleFiles(contentDir);
  const statOf = surveyed ? (file: string) => surveyed.get(file) : statHere;
  const results: FileResult[] = new Array(files.length);
  const sources = new Map<string, string>();
  let fromCache = 0;
  // Files a watcher knows are unchanged are taken from the cache first, in one synchronous pass:
  // after a save that is all of them but one, and a promise per file would cost more than the rest.
  const toRead: number[] = [];
  for (let i = 0; i < files.length; i++) {
    const file = files[i]!;
    const unchanged = watching?.unchangedSignature(file);
    const cachedUnchanged = unchanged === undefined ? undefined : cache?.get(file, unchanged);
    if (!cachedUnchanged) {
      toRead.push(i);
      continue;
    }
    sources.set(displayPath(file), unchanged!);
    results[i] = cachedUnchanged.result;
    if (cachedUnchanged.result.article && cachedUnchanged.digest) rememberArticleDigest(cachedUnchanged.result.article, cachedUnchanged.digest);
    fromCache++;
  }
  // statSync: nothing else runs while articles load, and 60,000 round trips to the thread pool
  // cost twice the time of the calls themselves.
  const toParse: Array<{ i: number; signature: string }> = [];
  for (const i of toRead) {
    const file = files[i]!;
    const st = statOf(file) ?? statSync(file); // not there: statSync throws, naming the file
    if (st.size > MAX_ARTICLE_BYTES) {
      results[i] = tooLarge(file, st.size);
      continue;
    }
    const signature = sourceSignature(file, st.size, st.mtimeMs, statOf);
    sources.set(displayPath(file), signature);
    const cached = cache?.get(file, signature);
    if (cached) {
      results[i] = cached.result;
      if (cached.result.article && cached.digest) rememberArticleDigest(cached.result.article, cached.digest);
      fromCache++;
      continue;
    }
    toParse.push({ i, signature });
  }
  // Digests are kept with the parse cache, and only then needed here.
  const toParseFiles = toParse.map(({ i }) => files[i]!);
  const digests = cache !== undefined;
  const parsedFiles = toParse.length >= PARALLEL_PARSE_MIN ? await parseOnWorkers(toParseFiles, digests) : await parseHere(toParseFiles, digests);
  toParse.forEach(({ i, signature }, k) => {
    const { result, digest } = parsedFiles[k]!;
    results[i] = result;
    if (result.article && digest) rememberArticleDigest(result.article, digest);
    cache?.set(files[i]!, { signature, result, digest });
  });
  cache?.keepOnly(files);
  const articles: Article[] = [];
  const problems: Problem[] = [];
  for (const r of results) {
    problems.push(...r.problems);
    if (r.article) articles.push(r.article);
  }
  problems.push(...findDuplicateIds(articles));
  // Cross-references need every article; a file that failed still counts as there, so one broken
  // article does not also fail every article that links to it.
  const known = new Set<number>(articles.map((a) => a.id));
  for (const r of results) if (r.claimedId !== undefined) known.add(r.claimedId);
  for (const r of results) for (const ref of r.references ?? []) if (!known.has(ref.id)) problems.push(ref.problem);
  articles.sort((a, b) => a.id - b.id);
  return { articles, problems, sources, files, parsed: toParse.length, fromCache };
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

/** Files parsed on this thread (a few, as in a rebuild); bounded parallel reads hide disk latency. */
async function parseHere(files: readonly string[], digests: boolean): Promise<ParsedFile[]> {
  const parsed: ParsedFile[] = new Array(files.length);
  await forEachConcurrently(files, 32, async (file, k) => {
    parsed[k] = await parseArticleFile(file, await readFile(file), digests);
  });
  return parsed;
}

/** One file parsed, and digested for the parse cache with `digests`: on this thread or a parsing thread. */
export async function parseArticleFile(file: string, bytes: Uint8Array, digests: boolean): Promise<ParsedFile> {
  const result = await loadArticleFile(file, bytes);
  return { result, digest: digests && result.article ? articleDigest(result.article) : undefined };
}

/** Parse one article file (bytes, so that encoding problems are ours to report). */
export async function loadArticleFile(file: string, bytes: Uint8Array): Promise<FileResult> {
  const shown = displayPath(file);
  const fail = (message: string, extra: Partial<Problem> = {}): FileResult => ({ article: null, problems: [{ file: shown, message, ...extra }] });
  if (bytes.length > MAX_ARTICLE_BYTES) return tooLarge(file, bytes.length);
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    return fail('is UTF-16 text; save it as UTF-8');
  }
  // Before decoding: a binary file is rarely valid UTF-8, and "not UTF-8" would be the wrong advice.
  if (bytes.includes(0)) return fail('looks like a binary file, not Markdown; remove it from the content folder');
  let source: string;
  try {
    source = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return fail('is not UTF-8 text; save it as UTF-8', { line: firstNonUtf8Line(bytes) });
  }
  if (source.trim() === '') return fail('is empty; an article needs front matter (id, title, summary, type, products, published) and a body');
  const firstLine = source.split('\n', 1)[0]!.trimEnd();
  if (firstLine.startsWith('---') && firstLine !== '---') {
    // gray-matter would pick an engine from the text after `---`, and `---js` runs the front
    // matter as JavaScript. Content is data, never code.
    return fail(`the first line must be exactly --- (got ${JSON.stringify(firstLine)}): front matter is YAML; other languages are not read`, { line: 1 });
  }
  if (firstLine === '---') {
    const rest = source.slice(source.indexOf('\n') + 1);
    if (source.includes('\n') && rest.trim() !== '' && !/^---/m.test(rest)) return fail('front matter is not closed: add a line with only --- after the last field', { line: 1 });
  }

  let parsed: { data: Record<string, unknown>; content: string; matter: string };
  try {
    // Failsafe schema: every scalar stays the string the author typed; the schema converts.
    // Only the YAML engine: the first line was checked above, and the others are disabled too.
    const file = matter(source, { language: 'yaml', engines: { yaml: parseYamlFrontMatter, javascript: refuseEngine, json: refuseEngine } });
    parsed = { data: file.data as Record<string, unknown>, content: file.content, matter: (file as unknown as { matter: string }).matter ?? '' };
  } catch (error) {
    if (error instanceof YAMLParseError) {
      // gray-matter's front matter starts with the rest of the opening `---` line, so its line numbers are the file's.
      const line = error.linePos?.[0]?.line ?? 1;
      const fix = YAML_FIXES[error.code] ?? 'check quoting and indentation';
      return fail(`front matter is not valid YAML: ${error.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}; ${fix}`, { line });
    }
    // E.g. the YAML parser's guard against alias bombs (`&a [*b, *b, …]`): front matter needs no anchors.
    return fail(`front matter could not be read: ${(error as Error).message}; write it as plain "field: value" lines without YAML anchors (&) and aliases (*)`, { line: 1 });
  }
  if (typeof parsed.data !== 'object' || parsed.data === null || Array.isArray(parsed.data)) {
    return fail('front matter must be a set of "field: value" lines', { line: 2 });
  }

  if (isLegacyArticle(parsed.data, parsed.content)) return { article: fromLegacy(shown, parsed.data, parsed.content), problems: [] };
  // Line of the body's first line in the file: what gray-matter cut off before it.
  const bodyLine = source.endsWith(parsed.content) ? source.slice(0, source.length - parsed.content.length).split('\n').length : 1;
  return fromModern(file, shown, parsed, bodyLine);
}

/** The fix for the YAML mistakes authors make most; others get "check quoting and indentation". */
const YAML_FIXES: Partial<Record<string, string>> = {
  DUPLICATE_KEY: 'a field is written twice: keep one of them',
  TAB_AS_INDENT: 'indent with spaces, not tabs',
  BLOCK_AS_IMPLICIT_KEY: "put the value in quotes when it contains \": \" (title: 'Backup fails: access denied')",
};

function parseYamlFrontMatter(text: string): object {
  return (YAML.parse(text, { schema: 'failsafe' }) ?? {}) as object;
}

function refuseEngine(): never {
  throw new Error('front matter must be YAML');
}

/** 1-based line of the first byte sequence that is not UTF-8 (a line feed is never part of one). */
function firstNonUtf8Line(bytes: Uint8Array): number {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let line = 1;
  let start = 0;
  for (let i = 0; i <= bytes.length; i++) {
    if (i < bytes.length && bytes[i] !== 0x0a) continue;
    try {
      decoder.decode(bytes.subarray(start, i));
    } catch {
      return line;
    }
    line++;
    start = i + 1;
  }
  return 1;
}

async function fromModern(file: string, shown: string, parsed: { data: Record<string, unknown>; content: string; matter: string }, bodyLine: number): Promise<FileResult> {
  if (Object.keys(parsed.data).length === 0) {
    return {
      article: null,
      problems: [{ file: shown, line: 1, message: 'has no front matter; start the file with a --- block holding id, title, summary, type, products and published' }],
    };
  }
  const lines = fieldLines(parsed.matter);
  const lineOf = (field: string) => lines.get(field.split('.')[0]!) ?? 1;
  const rawId = typeof parsed.data.id === 'string' && /^\d{1,9}$/.test(parsed.data.id) ? Number(parsed.data.id) : undefined;
  const checked = validateFrontMatter(parsed.data);
  if (!checked.ok) {
    return { article: null, claimedId: rawId, problems: checked.problems.map((p) => ({ file: shown, field: p.field, line: lineOf(p.field), message: p.message })) };
  }
  const fm = checked.value;
  let fileData: FileData | null = null;
  const problems: Problem[] = [];
  // `kb/<number>/index.md` (README "Writing articles"): the folder is the number, so the two must agree.
  const folder = path.basename(path.dirname(file));
  if (path.basename(file) === 'index.md' && /^\d+$/.test(folder) && path.basename(path.dirname(path.dirname(file))) === 'kb' && Number(folder) !== fm.id) {
    problems.push({
      file: shown,
      line: lineOf('id'),
      field: 'id',
      message: `"id" is ${fm.id} but the folder is ${folder}; an article's folder is named after its KB number: rename the folder to ${fm.id} or correct "id"`,
    });
  }
  const dataFile = path.join(path.dirname(file), 'files.yaml');
  if (path.basename(file) === 'index.md') {
    const yamlBytes = await readFile(dataFile).catch(() => null);
    if (yamlBytes !== null) {
      let yamlText: string | null = null;
      try {
        yamlText = new TextDecoder('utf-8', { fatal: true }).decode(yamlBytes);
      } catch {
        problems.push({ file: displayPath(dataFile), line: firstNonUtf8Line(yamlBytes), message: 'is not UTF-8 text; save it as UTF-8' });
      }
      const result = yamlText === null ? null : parseFileData(yamlText, displayPath(dataFile));
      if (result?.data) fileData = result.data;
      else if (result) problems.push(...result.problems);
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
    related: fm.related ?? [],
    body,
    fileData,
    warnings: docfx.warnings,
    fieldLines: Object.fromEntries(lines),
  };
  problems.push(...findUnknownTablePlaceholders(shown, parsed.content, bodyLine, fileData));
  const references: CrossReference[] = [
    ...article.related.map((id) => ({
      id,
      problem: { file: shown, line: lineOf('related'), field: 'related', message: `"related" lists KB ${id}, which is not an article of this site; correct the number or remove it` },
    })),
    ...findSiteLinks(parsed.content, bodyLine).map(({ id, line, link }) => ({
      id,
      problem: { file: shown, line, message: `links to ${link}, which is not an article of this site; correct the number, or link to the full URL of an article elsewhere` },
    })),
  ];
  return { article: problems.length ? null : article, problems, references, claimedId: fm.id };
}

/** Lines of Markdown that are prose (outside fenced code blocks), with inline code blanked:
 *  what looks like a link or a placeholder inside code is an example, not a link. */
function proseLines(markdown: string, firstLine: number): Array<{ text: string; line: number }> {
  const out: Array<{ text: string; line: number }> = [];
  let fence: string | null = null;
  markdown.split('\n').forEach((text, i) => {
    const marker = /^ {0,3}(`{3,}|~{3,})/.exec(text)?.[1];
    if (fence !== null) {
      if (marker && marker[0] === fence[0] && marker.length >= fence.length && text.trim() === marker) fence = null;
      return;
    }
    if (marker) {
      fence = marker;
      return;
    }
    out.push({ text: text.replace(/(`+)[^`]*?\1/g, (m) => ' '.repeat(m.length)), line: firstLine + i });
  });
  return out;
}

/** A site link to an article page or its downloads: `/kb/5000101/`, `/kb/5000101#cause`,
 *  `/kb/5000101.json`, `/kb/5000101/files.csv`, in a Markdown link, a link definition or an href. */
const SITE_LINK = /(?:\]\(\s*<?|^\s{0,3}\[[^\]]+\]:\s*<?|href\s*=\s*["']?)(\/kb\/(\d{1,9})(?:\/(?:files\.(?:json|csv))?|\.json)?)(?=[)\s"'>#?]|$)/g;

/** Links from a modern body to site articles, with their lines in the file. */
export function findSiteLinks(markdown: string, firstLine = 1): Array<{ id: number; line: number; link: string }> {
  const links: Array<{ id: number; line: number; link: string }> = [];
  for (const { text, line } of proseLines(markdown, firstLine)) {
    for (const m of text.matchAll(SITE_LINK)) links.push({ id: Number(m[2]), line, link: m[1]! });
  }
  return links;
}

/** `[[file-table:x]]` lines (the renderer's placeholder, src/article/render.ts) naming no table. */
function findUnknownTablePlaceholders(file: string, markdown: string, firstLine: number, data: FileData | null): Problem[] {
  const ids = [...(data?.tables.map((t) => t.id) ?? []), ...(data?.branches.length ? ['branches'] : [])];
  const problems: Problem[] = [];
  for (const { text, line } of proseLines(markdown, firstLine)) {
    const id = /^\s*\[\[file-table:([A-Za-z0-9._-]+)\]\]\s*$/.exec(text)?.[1];
    if (id === undefined || ids.includes(id)) continue;
    const known = ids.length ? `its tables are ${ids.join(', ')}` : 'it has no file data (add a files.yaml beside it)';
    problems.push({ file, line, message: `[[file-table:${id}]] names no file table of this article; ${known}` });
  }
  return problems;
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

/** Line (in the file) of each top-level front-matter key, for messages. The front matter text
 *  starts with the rest of the opening `---` line, so its line numbers are the file's. */
function fieldLines(frontMatter: string): Map<string, number> {
  const lines = new Map<string, number>();
  const counter = new LineCounter();
  const doc = parseDocument(frontMatter, { lineCounter: counter, schema: 'failsafe' });
  if (!isMap(doc.contents)) return lines;
  for (const pair of doc.contents.items) {
    if (isScalar(pair.key) && pair.key.range) lines.set(String(pair.key.value), counter.linePos(pair.key.range[0]).line);
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
    related: [],
    body: legacy.body,
    fileData,
    warnings: legacy.warnings,
  };
}
