/**
 * Corpus subsets for the benchmark: the first N articles in a stable order, hard-linked (copied
 * when the file system refuses) into a folder of their own, and the one-article edit of the
 * rebuild measurement. The source corpus is never written to.
 */
import { copyFile, link, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** Every article's Markdown file below root, relative to it, sorted (the same order on every run). */
export async function listArticles(root: string): Promise<string[]> {
  const found: string[] = [];
  async function walk(dir: string): Promise<void> {
    for (const entry of await readdir(path.join(root, dir), { withFileTypes: true })) {
      if (entry.name.startsWith('.') || entry.name.startsWith('_')) continue; // kbsite skips these too
      const rel = dir ? `${dir}/${entry.name}` : entry.name;
      if (entry.isDirectory()) await walk(rel);
      else if (entry.name.endsWith('.md')) found.push(rel);
    }
  }
  await walk('');
  return found.sort();
}

export interface Subset {
  dir: string;
  articles: string[];
  /** Distinct `layout:` values in the articles' front matter (the peer maps each to its one layout). */
  layouts: string[];
  bytes: number;
}

/**
 * Link the first `count` articles (and a `files.yaml` beside each) into dir. Every file is read
 * once, so both tools start with the same warm page cache.
 */
export async function makeSubset(root: string, all: string[], count: number, dir: string): Promise<Subset> {
  await rm(dir, { recursive: true, force: true });
  const articles = all.slice(0, count);
  const layouts = new Set<string>();
  const made = new Set<string>();
  let bytes = 0;
  for (const rel of articles) {
    const folder = path.dirname(rel);
    if (!made.has(folder)) {
      await mkdir(path.join(dir, folder), { recursive: true });
      made.add(folder);
    }
    const text = await linkOrCopy(path.join(root, rel), path.join(dir, rel));
    bytes += Buffer.byteLength(text);
    const layout = /^---\r?\n[\s\S]*?^layout:\s*['"]?([^'"\r\n]+?)['"]?\s*$/m.exec(text.slice(0, 2000))?.[1];
    if (layout) layouts.add(layout);
    const yaml = path.join(folder, 'files.yaml');
    if (!made.has(yaml)) {
      made.add(yaml);
      const data = await linkOrCopy(path.join(root, yaml), path.join(dir, yaml)).catch((e: NodeJS.ErrnoException) => {
        if (e.code === 'ENOENT') return '';
        throw e;
      });
      bytes += Buffer.byteLength(data);
    }
  }
  return { dir, articles, layouts: [...layouts].sort(), bytes };
}

async function linkOrCopy(from: string, to: string): Promise<string> {
  const text = await readFile(from, 'utf8'); // also the ENOENT check, and warms the cache
  try {
    await link(from, to);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EXDEV' && code !== 'EPERM' && code !== 'EMLINK') throw error;
    await copyFile(from, to);
  }
  return text;
}

export interface Edit {
  /** The article's file below the subset folder. */
  file: string;
  /** KB number the article is published under (/kb/<id>/), when it can be told from the file. */
  id: string | null;
  /** A word that appears nowhere else, to find the edit in the output. */
  marker: string;
}

/**
 * Append a sentence to one article's body, as an author would. The hard link is replaced by a
 * file of its own first, so the corpus the subset was linked from stays untouched.
 */
export async function editArticle(subsetDir: string, file: string, marker: string): Promise<Edit> {
  const full = path.join(subsetDir, file);
  const text = await readFile(full, 'utf8');
  const sentence = `This sentence was added to measure a one-article rebuild (${marker}).`;
  let edited: string;
  if (/\{%\s*endraw\s*%\}/.test(text)) {
    // A legacy (kbarchive) article: its body is tab-indented text inside {% raw %}, followed by a
    // keyword trailer that is metadata, not body. The new paragraph goes where the body ends.
    const lines = text.split('\n');
    let at = lines.findIndex((l) => /^\tAdditional query words:/.test(l));
    if (at < 0) at = lines.findIndex((l) => /^\t={40,}\s*$/.test(l));
    if (at < 0) at = lines.findIndex((l) => /\{%\s*endraw\s*%\}/.test(l));
    lines.splice(at, 0, `\t${sentence}`, '\t');
    edited = lines.join('\n');
  } else {
    edited = `${text.replace(/\s*$/, '')}\n\n${sentence}\n`;
  }
  return saveEdit(subsetDir, file, text, edited, marker);
}

/**
 * Add a word to one article's title, which other pages show too (listings, related articles): the
 * quick rebuild of what lists show, not only of its own page. Replaces the hard link as editArticle
 * does.
 */
export async function retitleArticle(subsetDir: string, file: string, marker: string): Promise<Edit> {
  const full = path.join(subsetDir, file);
  const text = await readFile(full, 'utf8');
  const line = /^title:[ \t]*(.*)$/m.exec(text);
  if (!line) throw new Error(`${file} has no title: line to edit`);
  const value = line[1]!.trimEnd();
  const quote = value[0] === '"' || value[0] === "'" ? value[0] : '';
  const retitled = quote && value.endsWith(quote) ? `${value.slice(0, -1)} ${marker}${quote}` : `${value} ${marker}`;
  return saveEdit(subsetDir, file, text, text.replace(line[0], `title: ${retitled}`), marker);
}

/**
 * Move one article to a product of its own (a new name carrying the marker): the product pages it
 * leaves and joins, the products index and the related articles of its old product group change
 * too. Legacy articles name their product in the `Product(s):` header line, modern ones in the
 * `products:` front matter list. Replaces the hard link as editArticle does.
 */
export async function moveToProduct(subsetDir: string, file: string, marker: string): Promise<Edit> {
  const full = path.join(subsetDir, file);
  const text = await readFile(full, 'utf8');
  const product = `Benchmark Product ${marker}`;
  const legacy = /^(\s*Product\(s\):)[^\n]*$/m;
  const modern = /^products:[^\n]*(\n[ \t]+-[^\n]*)*$/m;
  const moved = legacy.test(text) ? text.replace(legacy, `$1 ${product}`) : modern.test(text) ? text.replace(modern, `products: [${product}]`) : null;
  if (moved === null) throw new Error(`${file} has no Product(s): header line or products: list to edit`);
  return saveEdit(subsetDir, file, text, moved, marker);
}

/**
 * Writes an edited article in place of its hard link (so the corpus the subset was linked from
 * stays untouched) and says which article it is: its `id`, or the number in a legacy `Q…` folder.
 */
async function saveEdit(subsetDir: string, file: string, text: string, edited: string, marker: string): Promise<Edit> {
  const full = path.join(subsetDir, file);
  await rm(full);
  await writeFile(full, edited);
  const id = /^id:\s*['"]?(\d+)/m.exec(text)?.[1] ?? /(?:^|\/)Q(\d+)\//.exec(file)?.[1] ?? null;
  return { file, id: id === null ? null : String(Number(id)), marker };
}
