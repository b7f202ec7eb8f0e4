import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadArticleFile, loadArticles } from '../../src/article/load.ts';
import type { Article } from '../../src/article/model.ts';
import { runImport } from '../../src/cli/import.ts';

// Runs over the unpacked kbarchive corpus when it is there (KB_CORPUS_DIR, else /tmp/kbarchive/kb).
// The sampled articles are copied to a temp folder for the import, never into the repository.
const dir = process.env['KB_CORPUS_DIR'] ?? '/tmp/kbarchive/kb';
const missing = existsSync(dir) ? false : `no kbarchive corpus at ${dir} (unpack it there or set KB_CORPUS_DIR)`;
if (missing) console.log(`Skipping the import corpus test: ${missing}`);

/** Every 30th article, plus every article with a file table: those stress files.yaml most. */
const EVERY = 30;

/** A line naming a file column and a date or size column: a cheap net for file-table headers,
 *  wider than the parser's (checked: it holds all 1,309 corpus articles with file tables, in
 *  3,553 candidates), so only candidates are parsed. */
const NAME = String.raw`\b(?:file|files|file ?names?|filenames?|name|module|driver)\b`;
const VALUE = String.raw`\b(?:date|size|bytes)\b`;
const MAY_HAVE_FILE_TABLE = new RegExp(`^[^\\n]*?(?:${NAME}[^\\n]*?${VALUE}|${VALUE}[^\\n]*?${NAME})`, 'im');

/** Every `.md` below `root`, sorted. String listing: several times faster than Dirent objects
 *  over 60,000 folders. */
function corpusFiles(root: string): string[] {
  return (readdirSync(root, { recursive: true }) as string[])
    .filter((rel) => rel.endsWith('.md'))
    .map((rel) => path.join(root, rel))
    .sort();
}

test('a sample of the legacy corpus imports to modern articles that all load back with the same body and file data', { skip: missing, timeout: 60_000 }, async (t) => {
  const started = Date.now();
  const all = corpusFiles(dir);
  assert.ok(all.length > 0, `no articles below ${dir}`);

  // Load every sampled article and every file-table candidate once, as the build would.
  const legacy = new Map<string, Article>();
  let sampled = 0;
  let withTables = 0;
  for (const [i, file] of all.entries()) {
    const inSample = i % EVERY === 0;
    // Sync reads: 60,000 small files, faster than as many promises.
    const bytes = readFileSync(file);
    if (!inSample && !MAY_HAVE_FILE_TABLE.test(bytes.toString('utf8'))) continue;
    const r = await loadArticleFile(file, bytes);
    assert.ok(r.article, `${file} does not load: ${r.problems.map((p) => p.message).join('; ')}`);
    if (r.article.fileData) withTables++;
    if (inSample) sampled++;
    if (inSample || r.article.fileData) legacy.set(path.relative(dir, file), r.article);
  }

  const root = await mkdtemp(path.join(tmpdir(), 'kb-import-corpus-'));
  t.after(() => rm(root, { recursive: true, force: true }));
  const src = path.join(root, 'src');
  const out = path.join(root, 'out');
  for (const rel of legacy.keys()) await cp(path.join(dir, rel), path.join(src, rel));

  const lines: string[] = [];
  const result = await runImport(src, out, (l) => lines.push(l));
  assert.deepEqual(result.failed, [], 'articles that did not import');

  const loaded = await loadArticles(out);
  assert.deepEqual(loaded.problems.slice(0, 10), [], 'imported articles with problems');
  const byId = new Map(loaded.articles.map((a) => [a.id, a]));

  const differ = { summary: 0, products: 0 };
  let tables = 0;
  for (const [rel, before] of legacy) {
    const after = byId.get(before.id);
    assert.ok(after, `${rel} (KB ${before.id}) is missing from the import`);
    assert.equal(after.format, 'modern', rel);
    assert.equal(after.body, before.body, `${rel}: body`);
    assert.deepEqual(after.fileData, before.fileData, `${rel}: file data`);
    assert.deepEqual(
      { id: after.id, title: after.title, appliesTo: after.appliesTo, updated: after.updated, stopCodes: after.stopCodes, type: after.type, aliases: after.aliases },
      { id: before.id, title: before.title, appliesTo: before.appliesTo, updated: before.updated, stopCodes: before.stopCodes, type: before.type, aliases: before.aliases },
      rel,
    );
    // Changed only where the modern schema needs a value the archive lacks (and a warning says so).
    if (after.summary !== before.summary) {
      assert.equal(before.summary, '', `${rel}: summary`);
      assert.equal(after.summary, before.title, `${rel}: summary`);
      differ.summary++;
    }
    if (!sameList(after.products, before.products)) {
      assert.deepEqual(before.products, [], `${rel}: products`);
      assert.equal(after.products.length, 1, `${rel}: products`);
      differ.products++;
    }
    tables += before.fileData?.tables.length ?? 0;
  }
  console.log(
    `import round trip over ${dir}: ${legacy.size} articles (${sampled} sampled, every ${EVERY}th of ${all.length}, ` +
      `plus the rest of the ${withTables} with file tables), ${tables} file tables; ${result.converted} imported, ` +
      `${result.failed.length} failed, ${loaded.problems.length} load problems; bodies and file data 100% equal; ` +
      `${differ.products} given a stand-in product, ${differ.summary} the title as summary; ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
});

function sameList(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}
