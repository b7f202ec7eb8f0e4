import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cp, mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadArticleFile, loadArticles } from '../../src/article/load.ts';
import type { Article } from '../../src/article/model.ts';
import { parseFileData } from '../../src/file-versions.ts';
import { articleToModern, ImportError, stopCodeDeclarations } from '../../src/importers/kbarchive.ts';
import { runImport } from '../../src/cli/import.ts';

const SEED = 'content/kb/243/Q243852/README.md';
const FIXTURES = 'test/fixtures/import';
const WITH_TABLES = `${FIXTURES}/a-hotfix-with-kb-sizes-and-alpha-rows.md`;
const NO_PRODUCTS = `${FIXTURES}/an-article-without-products-whose-title-needs-quoting.md`;

async function load(file: string): Promise<Article> {
  const r = await loadArticleFile(file, await readFile(file));
  assert.deepEqual(r.problems, []);
  return r.article!;
}

/** A temp folder holding copies of the given files (as `<n>/README.md`), removed after the test. */
async function sourceWith(t: { after: (fn: () => Promise<void>) => void }, files: string[]): Promise<{ src: string; out: string }> {
  const root = await mkdtemp(path.join(tmpdir(), 'kb-import-'));
  t.after(() => rm(root, { recursive: true, force: true }));
  const src = path.join(root, 'src');
  for (const [i, file] of files.entries()) {
    await mkdir(path.join(src, String(i)), { recursive: true });
    await cp(file, path.join(src, String(i), path.basename(file) === 'index.md' ? 'index.md' : 'README.md'));
    if (path.basename(file) === 'index.md') await cp(path.join(path.dirname(file), 'files.yaml'), path.join(src, String(i), 'files.yaml')).catch(() => undefined);
  }
  return { src, out: path.join(root, 'out') };
}

/** The fields a modern article must carry over unchanged. */
function carried(a: Article) {
  return { id: a.id, title: a.title, summary: a.summary, products: a.products, appliesTo: a.appliesTo, updated: a.updated, stopCodes: a.stopCodes, body: a.body, fileData: a.fileData };
}

test('the seed Q243852 and the handwritten legacy fixtures import to modern articles that load back equal and without problems', async (t) => {
  const files = [SEED, WITH_TABLES, NO_PRODUCTS];
  const { src, out } = await sourceWith(t, files);
  const lines: string[] = [];
  const result = await runImport(src, out, (l) => lines.push(l));
  assert.deepEqual(result, { converted: 3, failed: [] });
  assert.match(lines.at(-1)!, /^Imported 3 of 3 articles into .*: 3 converted from legacy, 0 modern copied, 0 already there; 3 with notes above; 0 failed\.$/);

  const loaded = await loadArticles(out);
  assert.deepEqual(loaded.problems, []);
  assert.equal(loaded.articles.length, 3);
  for (const file of files) {
    const legacy = await load(file);
    const modern = loaded.articles.find((a) => a.id === legacy.id);
    assert.ok(modern, `no modern article ${legacy.id}`);
    assert.equal(modern.format, 'modern');
    assert.ok(modern.sourcePath.endsWith(path.join(path.basename(out), 'kb', String(legacy.id), 'index.md')), modern.sourcePath);
    const expected = carried(legacy);
    if (legacy.products.length === 0) expected.products = ['Unspecified'];
    assert.deepEqual(carried(modern), expected, file);
    assert.equal(modern.type, legacy.type);
    assert.equal(modern.published, legacy.updated);
    assert.deepEqual(modern.aliases, legacy.aliases);
    assert.deepEqual(modern.keywords, [...legacy.keywords, ...legacy.queryWords]);
  }
});

test('a KB size, a version like 2.5b, an Alpha row and a Language column are written to files.yaml as published', async () => {
  const { filesYaml } = articleToModern(await load(WITH_TABLES));
  assert.ok(filesYaml);
  for (const line of ['  - id: files-2', '    source: legacy', '        size: 201 KB', '        platform: Alpha', '        version: 2.5b', '          Language: German']) {
    assert.ok(filesYaml.split('\n').includes(line), `files.yaml lacks ${JSON.stringify(line)}:\n${filesYaml}`);
  }
});

test('an article without products is filed under "Unspecified", dated by Last Modified, and both are said in warnings', async () => {
  const m = articleToModern(await load(NO_PRODUCTS));
  assert.deepEqual(m.warnings, [
    'the archive has no publication date: "published" is the Last Modified date (2000-02-29)',
    'no Product(s) and no applies-to lines: the product is "Unspecified"',
  ]);
  assert.equal(m.filesYaml, null);
  // The title starts with a quote and holds ": " and " #": stringify quotes it, the loader reads it back whole.
  assert.match(m.markdown, /^---\nid: 322222\ntitle: "'Yes': No -- IRQL_NOT_LESS_OR_EQUAL # After \[Setup\] & \{Reboot\}"\n/);
});

test('a stop code the Markdown body no longer spells findably is declared in the front matter', async () => {
  const legacy = await load(NO_PRODUCTS);
  assert.deepEqual(legacy.stopCodes, ['0x0000000A']);
  assert.match(articleToModern(legacy).markdown, /\nstopCodes:\n {2}- "0x0000000A"\n/);
  // A code found in the Markdown but not in the legacy text is suppressed; the order is kept.
  assert.deepEqual(stopCodeDeclarations('Stop 0x24 and Stop 0x0A', ['0x0000000A']), ['-0x00000024']);
  assert.deepEqual(stopCodeDeclarations('Stop 0x24 then Stop 0x0A', ['0x0000000A', '0x00000024']), ['-0x00000024', '-0x0000000A', '0x0000000A', '0x00000024']);
});

test('an article without a summary gets its title as the summary, with a warning', async () => {
  const legacy = { ...(await load(NO_PRODUCTS)), summary: '' };
  const m = articleToModern(legacy);
  assert.match(m.markdown, /\nsummary: "'Yes': No -- IRQL_NOT_LESS_OR_EQUAL # After \[Setup\] & \{Reboot\}"\n/);
  assert.ok(m.warnings.includes('no summary could be taken from the body: the title is the summary'));
});

test('a legacy article without any date is not imported, and the failure says why', async (t) => {
  const { src, out } = await sourceWith(t, ['test/fixtures/legacy/missing-and-unknown-header-fields.md', SEED]);
  const lines: string[] = [];
  const result = await runImport(src, out, (l) => lines.push(l));
  assert.equal(result.converted, 1);
  assert.deepEqual(result.failed.map((f) => f.reason), ['it has no "Last Modified" date, and a modern article needs a published date; add one to the legacy header']);
  assert.ok(lines.some((l) => l.endsWith(`: not imported: ${result.failed[0]!.reason}`)));
});

test('a modern article handed to the legacy converter is refused', async () => {
  const modern: Article = { ...(await load(SEED)), format: 'modern' };
  assert.throws(() => articleToModern(modern), (e: unknown) => e instanceof ImportError && e.message === 'it is already a modern article; copy it as it is');
});

test('importing twice writes nothing new and reports the articles as already imported', async (t) => {
  const { src, out } = await sourceWith(t, [SEED, WITH_TABLES]);
  await runImport(src, out, () => {});
  const before = await readFile(path.join(out, 'kb/311111/files.yaml'), 'utf8');
  const lines: string[] = [];
  const again = await runImport(src, out, (l) => lines.push(l));
  assert.deepEqual(again, { converted: 2, failed: [] });
  assert.equal(lines.filter((l) => l.endsWith('already imported, unchanged')).length, 2);
  assert.equal(await readFile(path.join(out, 'kb/311111/files.yaml'), 'utf8'), before);
});

test('an existing file with other content is never overwritten, and the article is reported as failed', async (t) => {
  const { src, out } = await sourceWith(t, [SEED, WITH_TABLES]);
  await mkdir(path.join(out, 'kb/243852'), { recursive: true });
  await writeFile(path.join(out, 'kb/243852/index.md'), 'mine\n');
  // A stray files.yaml would attach itself to an article that has none.
  await mkdir(path.join(out, 'kb/311111'), { recursive: true });
  const result = await runImport(src, out, () => {});
  assert.equal(result.converted, 1);
  assert.equal(result.failed.length, 1);
  assert.match(result.failed[0]!.reason, /kb\/243852\/index\.md already exists with other content/);
  assert.equal(await readFile(path.join(out, 'kb/243852/index.md'), 'utf8'), 'mine\n');

  await writeFile(path.join(out, 'kb/243852/files.yaml'), 'tables: []\n');
  await rm(path.join(out, 'kb/243852/index.md'));
  const second = await runImport(src, out, () => {});
  assert.match(second.failed[0]!.reason, /kb\/243852\/files\.yaml already exists with other content/);
});

test('a modern article is copied byte for byte, with its files.yaml', async (t) => {
  const { src, out } = await sourceWith(t, ['content/kb/2792165/index.md']);
  const lines: string[] = [];
  const result = await runImport(src, out, (l) => lines.push(l));
  assert.deepEqual(result, { converted: 1, failed: [] });
  assert.match(lines.at(-1)!, /0 converted from legacy, 1 modern copied/);
  assert.deepEqual(await readFile(path.join(out, 'kb/2792165/index.md')), await readFile('content/kb/2792165/index.md'));
  assert.deepEqual(await readFile(path.join(out, 'kb/2792165/files.yaml')), await readFile('content/kb/2792165/files.yaml'));
});

// --- the files.yaml shapes legacy tables need -----------------------------------------------------

const yaml = (...lines: string[]): string => `${lines.join('\n')}\n`;

test('files.yaml says "not there" with n/a, keeps a KB size as its label, and takes written ids and extra columns', () => {
  const r = parseFileData(
    yaml(
      'tables:',
      '  - id: win95',
      '    caption: Windows 95',
      '    files:',
      '      - { name: Vredir.vxd, version: n/a, size: 156 KB, date: n/a, time: n/a, extra: { Language: English } }',
      '      - { name: Setup, version: n/a, size: n/a, sizeLabel: <DIR>, date: 2002-03-01 }',
      '  - caption: Other',
      '    files:',
      '      - { name: a.dll, version: 1.0.0.1, size: n/a, date: 2002-03-01 }',
    ),
    'files.yaml',
  );
  assert.deepEqual(r.problems, []);
  assert.deepEqual(r.data!.tables.map((t) => t.id), ['win95', 'files']);
  assert.deepEqual(r.data!.tables[0]!.rows, [
    { name: 'Vredir.vxd', version: null, size: null, sizeLabel: '156 KB', date: null, time: null, platform: null, extra: { Language: 'English' } },
    { name: 'Setup', version: null, size: null, sizeLabel: '<DIR>', date: '2002-03-01', time: null, platform: null },
  ]);
});

test('outside a source: legacy table, a version like 2.5b and a platform like Alpha are still errors', () => {
  const table = (source: string) =>
    parseFileData(yaml('tables:', '  - caption: c', ...(source ? [`    source: ${source}`] : []), '    files:', '      - { name: a.dll, version: 2.5b, size: 1, date: 2002-03-01, platform: Alpha }'), 'f.yaml');
  assert.deepEqual(
    table('').problems.map((p) => p.message),
    ['tables[0].files[0].version must be a four-part version like 6.0.6002.23012 (got "2.5b")', 'tables[0].files[0].platform must be one of x86, x64, IA-64, ARM, ARM64, or n/a (got "Alpha")'],
  );
  assert.deepEqual(table('legacy').data?.tables[0]!.rows[0], { name: 'a.dll', version: '2.5b', size: 1, date: '2002-03-01', time: null, platform: 'Alpha' });
  // A misspelt marker relaxes nothing.
  assert.deepEqual(table('modern').problems.map((p) => p.message), ['tables[0].source must be legacy, or left out (got "modern")', ...table('').problems.map((p) => p.message)]);
});

test('a size label beside a byte count, a bad table id and a repeated table id are reported', () => {
  const r = parseFileData(
    yaml(
      'tables:',
      '  - { id: a, caption: c, files: [{ name: a.dll, version: n/a, size: 1, date: n/a }] }',
      '  - { id: "a b", caption: c, files: [{ name: a.dll, version: n/a, size: 12 MBytes, date: n/a }] }',
      '  - { id: a, caption: c, files: [{ name: a.dll, version: n/a, size: 12, sizeLabel: 12 KB, date: n/a }] }',
      '  - { id: a, caption: c, files: [{ name: b.dll, version: n/a, size: 1, date: n/a }] }',
    ),
    'f.yaml',
  );
  assert.deepEqual(r.problems.map((p) => `${p.line}: ${p.message}`), [
    '3: tables[1].id must be letters, digits, dots, dashes and underscores, like files-x86 (got "a b")',
    '3: tables[1].files[0].size must be a whole number of bytes like 1082728 (got "12 MBytes")',
    '4: tables[2].files[0].sizeLabel is only for a size published without a byte count: write size: n/a beside it',
    '5: tables[3].id "a" is already the id of an earlier table; give each table its own id',
  ]);
});
