/**
 * Bad input never hurts the site: every case is a small content folder, written here from inline
 * text so each fixture sits next to what it must produce, and checked through the real CLI entry
 * (`kb check`, and `kb build` for a few). Each case proves: exit code 2, a message that names the
 * file (with its line or field) and says how to fix it, and no stack trace without --debug.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { runKb, tempDir, type BuildRun } from '../support/build.ts';
import { MAX_ARTICLE_BYTES } from '../../src/article/load.ts';

type Files = Record<string, string | Uint8Array>;

/** Front matter of a valid modern article; `undefined` leaves a field out, extra keys are appended. */
const BASE = {
  id: '5000104',
  title: "'Backup to a network share fails with error 0x80070005'",
  summary: "'Windows Server Backup cannot write to a share when the computer account lacks write permission.'",
  type: 'problem',
  products: '[Windows Server 2016]',
  published: '2018-04-03',
};
const BODY = '## Symptoms\n\nThe backup fails with "Access is denied".\n\n## Resolution\n\nGrant the computer account write permission on the share.\n';

/** `---`, one line per field (id on line 2 … published on line 7), `---`, a blank line, the body (from line 10). */
function article(fields: Record<string, string | undefined> = {}, body = BODY): string {
  const all: Record<string, string | undefined> = { ...BASE, ...fields };
  const lines = Object.entries(all).flatMap(([k, v]) => (v === undefined ? [] : [`${k}: ${v}`]));
  return `---\n${lines.join('\n')}\n---\n\n${body}`;
}

/** A second, valid article for cases about references between articles. */
const NEIGHBOUR: Files = { 'kb/5000105/index.md': article({ id: '5000105', title: "'Restore of a system state backup fails'" }) };

const FILES_YAML = `tables:
  - platform: x64
    caption: For all supported x64-based versions of Windows Server 2016
    files:
      - { name: Wbengine.exe, version: 10.0.14393.2312, size: 1502208, date: 2018-05-29, time: "06:12" }
`;

/** A content folder `<temp>/content`; a build of it writes to `<temp>/out` (outputFor). */
async function contentFolder(files: Files): Promise<string> {
  const dir = path.join(await tempDir('bad-input'), 'content');
  for (const [name, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await writeFile(path.join(dir, name), text);
  }
  return dir;
}

function outputFor(contentDir: string): string {
  return path.join(path.dirname(contentDir), 'out');
}

interface Case {
  /** The sentence the test proves. */
  name: string;
  files: Files;
  /** File the message must name, relative to the content folder. */
  file: string;
  /** Line the message must name (the problem is then printed as `file:line: …`). */
  line?: number;
  /** Field the JSON report must name, when the problem is about one. */
  field?: string;
  /** The message after `file:line: `: what is wrong and how to fix it. */
  message: RegExp;
}

function assertNoStackTrace(run: BuildRun): void {
  const output = `${run.stdout}\n${run.stderr}`;
  assert.doesNotMatch(output, /^\s+at /m, `a stack trace was printed:\n${output}`);
  assert.doesNotMatch(output, /internal error/, output);
}

/** `kb check` in text and JSON form, then `kb build`: exit 2, the problem named with file, line or field, a fix, no stack, no site. */
async function assertRefused(c: Case): Promise<void> {
  const dir = await contentFolder(c.files);
  try {
    const contentBefore = (await readdir(dir, { recursive: true })).sort();
    const run = await runKb(['check', '--content', dir]);
    assert.equal(run.exitCode, 2, `exit code\n${run.stderr}`);
    assertNoStackTrace(run);
    const where = path.join(dir, c.file) + (c.line === undefined ? '' : `:${c.line}`) + ': ';
    const line = run.stderr.split('\n').find((l) => l.startsWith(where) && c.message.test(l.slice(where.length)));
    assert.ok(line, `expected a line "${where}" + ${c.message}, got:\n${run.stderr}`);

    const json = await runKb(['check', '--content', dir, '--format', 'json']);
    assert.equal(json.exitCode, 2);
    assert.equal(json.stderr, '', 'with --format json, nothing but the report is printed');
    const report = JSON.parse(json.stdout) as { ok: boolean; problems: Array<{ file: string; line: number | null; field: string | null; message: string }> };
    assert.equal(report.ok, false);
    const problem = report.problems.find((p) => p.file === path.join(dir, c.file) && c.message.test(p.message));
    assert.ok(problem, `no JSON problem for ${c.file} matching ${c.message}: ${json.stdout}`);
    assert.equal(problem.line, c.line ?? null);
    if (c.field !== undefined) assert.equal(problem.field, c.field);
    assert.ok(problem.line !== null || problem.field !== null || /\b(is|looks)\b/.test(problem.message), 'a problem inside a file names its line or field');

    assert.deepEqual(await readdir(path.dirname(dir)), ['content'], 'kb check wrote nothing beside the content');
    assert.deepEqual((await readdir(dir, { recursive: true })).sort(), contentBefore, 'kb check wrote nothing into the content');

    // kb build refuses the same content with the same message, before writing any site.
    const build = await runKb(['build', '--content', dir, '--output', outputFor(dir), '--quiet']);
    assert.equal(build.exitCode, 2, `kb build exit code\n${build.stderr}`);
    assertNoStackTrace(build);
    assert.ok(build.stderr.split('\n').includes(line), `kb build names the same problem:\n${build.stderr}`);
    assert.equal(await stat(outputFor(dir)).catch(() => null), null, 'kb build wrote no site');
  } finally {
    await rm(path.dirname(dir), { recursive: true, force: true });
  }
}

const A = 'kb/5000104/index.md';
const Y = 'kb/5000104/files.yaml';

const cases: Case[] = [
  // --- The file itself -------------------------------------------------------------------------
  {
    name: 'malformed YAML in front matter (an unquoted colon) names the line and says to quote the value',
    files: { [A]: article({ title: 'Backup fails: access denied' }) },
    file: A,
    line: 3,
    message: /^front matter is not valid YAML: Nested mappings are not allowed in compact mappings; put the value in quotes when it contains ": " \(title: 'Backup fails: access denied'\)$/,
  },
  {
    name: 'a tab-indented front matter names the line and the tab',
    files: { [A]: article({ products: '\n\t- Windows Server 2016' }) },
    file: A,
    line: 7,
    message: /^front matter is not valid YAML: Tabs are not allowed as indentation; indent with spaces, not tabs$/,
  },
  {
    name: 'a field written twice in front matter names the second line',
    files: { [A]: article({ type: 'problem\ntype: bug' }) },
    file: A,
    line: 6,
    message: /^front matter is not valid YAML: Map keys must be unique; a field is written twice: keep one of them$/,
  },
  {
    name: 'front matter without its closing --- says to add it',
    files: { [A]: article().replace('\n---\n\n', '\n\n') },
    file: A,
    line: 1,
    message: /^front matter is not closed: add a line with only --- after the last field$/,
  },
  {
    name: 'a front matter that is only --- asks for the fields',
    files: { [A]: '---\n' },
    file: A,
    line: 1,
    message: /^has no front matter; start the file with a --- block holding id, title, summary, type, products and published$/,
  },
  {
    name: 'an empty file says what an article needs',
    files: { [A]: '\n  \n' },
    file: A,
    message: /^is empty; an article needs front matter \(id, title, summary, type, products, published\) and a body$/,
  },
  {
    name: 'a file that is not UTF-8 names the first line that is not and says to save it as UTF-8',
    files: { [A]: Buffer.concat([Buffer.from(article({}, '## Symptoms\n\n')), Buffer.from([0x43, 0x61, 0x66, 0xe9, 0x0a])]) },
    file: A,
    line: 12,
    message: /^is not UTF-8 text; save it as UTF-8$/,
  },
  {
    name: 'a UTF-16 file says to save it as UTF-8',
    files: { [A]: Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(article(), 'utf16le')]) },
    file: A,
    message: /^is UTF-16 text; save it as UTF-8$/,
  },
  {
    name: 'a binary file named .md is called binary and should be removed',
    files: { [A]: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52, 0xff, 0xd8]) },
    file: A,
    message: /^looks like a binary file, not Markdown; remove it from the content folder$/,
  },
  {
    name: 'front matter marked ---js is refused: content is never run as code',
    files: { [A]: '---js\n{ id: (globalThis.__kbFrontMatterRan = true, "5000104") }\n---\n\nBody\n' },
    file: A,
    line: 1,
    message: /^the first line must be exactly --- \(got "---js"\): front matter is YAML; other languages are not read$/,
  },
  {
    name: 'front matter that is a list instead of fields asks for "field: value" lines',
    files: { [A]: '---\n- id\n- title\n---\n\nBody\n' },
    file: A,
    line: 2,
    message: /^front matter must be a set of "field: value" lines$/,
  },
  {
    name: 'a YAML alias bomb in front matter is refused, not expanded',
    files: {
      [A]: `---\na: &a [x, x, x, x, x, x, x, x, x]\n${Array.from({ length: 8 }, (_, i) => `${'bcdefghi'[i]}: &${'bcdefghi'[i]} [${Array(9).fill(`*${'abcdefgh'[i]}`).join(', ')}]`).join('\n')}\n---\n\nBody\n`,
    },
    file: A,
    line: 1,
    message: /^front matter could not be read: .*; write it as plain "field: value" lines without YAML anchors \(&\) and aliases \(\*\)$/,
  },

  // --- Front-matter fields ---------------------------------------------------------------------
  {
    name: 'a missing required field is named',
    files: { [A]: article({ summary: undefined }) },
    file: A,
    line: 1,
    field: 'summary',
    message: /^"summary" is required$/,
  },
  {
    name: 'a title written as a list is a wrong type, not a missing title',
    files: { [A]: article({ title: '[Backup, fails]' }) },
    file: A,
    line: 3,
    field: 'title',
    message: /^"title" must be text like "Stop error when …"$/,
  },
  {
    name: 'products written as a mapping say a list is expected',
    files: { [A]: article({ products: '{ name: Windows Server 2016 }' }) },
    file: A,
    line: 6,
    field: 'products',
    message: /^"products" must be a list like \[Windows Server 2008\]$/,
  },
  {
    name: 'an impossible published date names the line, the field and the value',
    files: { [A]: article({ published: '2018-02-30' }) },
    file: A,
    line: 7,
    field: 'published',
    message: /^"published" must be a date like 2013-01-03 \(got "2018-02-30"\)$/,
  },
  {
    name: 'a published date in words asks for YYYY-MM-DD',
    files: { [A]: article({ published: '3 April 2018' }) },
    file: A,
    line: 7,
    field: 'published',
    message: /^"published" must be a date like 2013-01-03 \(got "3 April 2018"\)$/,
  },
  {
    name: 'an updated date before the published date is refused',
    files: { [A]: article({ updated: '2017-01-01' }) },
    file: A,
    line: 8,
    field: 'updated',
    message: /^"updated" \(2017-01-01\) must not be before "published" \(2018-04-03\)$/,
  },
  {
    name: 'a KB number with letters asks for digits only',
    files: { [A]: article({ id: 'KB5000104' }) },
    file: A,
    line: 2,
    field: 'id',
    message: /^"id" must be the KB number, digits only, like 2792165 \(got "KB5000104"\)$/,
  },
  {
    name: 'an unknown article type lists the known ones',
    files: { [A]: article({ type: 'rumour' }) },
    file: A,
    line: 5,
    field: 'type',
    message: /^"type" must be one of hotfix, problem, bug, how-to, information, troubleshooting, reference \(got "rumour"\)$/,
  },
  {
    name: 'a misspelt front-matter field suggests the field that was meant',
    files: { [A]: article({ keywrods: '[backup]' }) },
    file: A,
    line: 8,
    field: 'keywrods',
    message: /^unknown field "keywrods"; known fields are id, title, .*; did you mean "keywords"\?$/,
  },
  {
    name: 'a stopCodes entry that is not a stop code lists the accepted spellings',
    files: { [A]: article({ stopCodes: '[0x24, banana]' }) },
    file: A,
    line: 8,
    field: 'stopCodes.1',
    message: /^"stopCodes" entries must be stop codes like 0x00000024 or NTFS_FILE_SYSTEM, or -0x00000024 to suppress a detected one \(got "banana"\)$/,
  },
  {
    name: 'a KB number that does not match its folder says to rename one of them',
    files: { [A]: article({ id: '5000106' }) },
    file: A,
    line: 2,
    field: 'id',
    message: /^"id" is 5000106 but the folder is 5000104; an article's folder is named after its KB number: rename the folder to 5000106 or correct "id"$/,
  },

  // --- files.yaml ------------------------------------------------------------------------------
  {
    name: 'a three-part version in files.yaml asks for a four-part version',
    files: { [A]: article(), [Y]: FILES_YAML.replace('10.0.14393.2312', '10.0.14393') },
    file: Y,
    line: 5,
    field: 'tables[0].files[0].version',
    message: /^tables\[0\]\.files\[0\]\.version must be a four-part version like 6\.0\.6002\.23012 \(got "10\.0\.14393"\)$/,
  },
  {
    name: 'a size that is not a number of bytes in files.yaml is refused with an example',
    files: { [A]: article(), [Y]: FILES_YAML.replace('size: 1502208', 'size: big') },
    file: Y,
    line: 5,
    field: 'tables[0].files[0].size',
    message: /^tables\[0\]\.files\[0\]\.size must be a whole number of bytes like 1082728 \(got "big"\)$/,
  },
  {
    name: 'a time past 23:59 in files.yaml asks for a 24-hour time',
    files: { [A]: article(), [Y]: FILES_YAML.replace('"06:12"', '"25:12"') },
    file: Y,
    line: 5,
    field: 'tables[0].files[0].time',
    message: /^tables\[0\]\.files\[0\]\.time must be a 24-hour time like 04:33 \(got "25:12"\)$/,
  },
  {
    name: 'an unknown platform in files.yaml lists the known ones',
    files: { [A]: article(), [Y]: FILES_YAML.replace('platform: x64', 'platform: x128') },
    file: Y,
    line: 2,
    field: 'tables[0].platform',
    message: /^tables\[0\]\.platform must be one of x86, x64, IA-64, ARM, ARM64 \(got "x128"\)$/,
  },
  {
    name: 'an impossible date in files.yaml names the row',
    files: { [A]: article(), [Y]: FILES_YAML.replace('2018-05-29', '2018-02-30') },
    file: Y,
    line: 5,
    field: 'tables[0].files[0].date',
    message: /^tables\[0\]\.files\[0\]\.date must be a real date like 2013-01-03 \(got "2018-02-30"\)$/,
  },
  {
    name: 'malformed YAML in files.yaml names the line',
    files: { [A]: article(), [Y]: FILES_YAML.replace('time: "06:12" }', 'time: "06:12"') },
    file: Y,
    line: 6,
    message: /^is not valid YAML: .* \(check the indentation and quoting on this line\)$/,
  },
  {
    name: 'a [[file-table:…]] placeholder naming no table lists the tables there are',
    files: { [A]: article({}, `${BODY}\n[[file-table:files-arm64]]\n`), [Y]: FILES_YAML },
    file: A,
    line: 18,
    message: /^\[\[file-table:files-arm64\]\] names no file table of this article; its tables are files-x64$/,
  },

  // --- Between articles ------------------------------------------------------------------------
  {
    name: 'two articles with one KB number name both files',
    files: { [A]: article(), 'kb/old/index.md': article() },
    file: 'kb/old/index.md',
    field: 'id',
    message: /^KB number 5000104 is already used by .*kb\/5000104\/index\.md; give one of them another "id"$/,
  },
  {
    name: 'an alias claimed by two articles names the other article',
    files: { [A]: article({ aliases: '[/backup/share-access-denied/]' }), 'kb/5000105/index.md': article({ id: '5000105', aliases: '[/backup/share-access-denied/]' }) },
    file: 'kb/5000105/index.md',
    line: 8,
    field: 'aliases',
    message: /^alias \/backup\/share-access-denied\/ is already an alias of KB 5000104 \(.*kb\/5000104\/index\.md\); remove it from one of them$/,
  },
  {
    name: "an alias equal to another article's page is refused",
    files: { [A]: article({ aliases: '[/kb/5000105/]' }), ...NEIGHBOUR },
    file: A,
    line: 8,
    field: 'aliases',
    message: /^alias \/kb\/5000105\/ is already the page of KB 5000105 \(.*kb\/5000105\/index\.md\); remove it from one of them$/,
  },
  {
    name: "an alias equal to another article's Q number is refused, whichever article comes first",
    files: { [A]: article({ aliases: '[Q5000105]' }), ...NEIGHBOUR },
    file: A,
    line: 8,
    field: 'aliases',
    message: /^alias \/kb\/Q5000105\/ is already the short link of KB 5000105 \(.*kb\/5000105\/index\.md\); remove it from one of them$/,
  },
  {
    name: 'an alias on the search page is refused instead of replacing it',
    files: { [A]: article({ aliases: '[/search/]' }) },
    file: A,
    line: 8,
    field: 'aliases',
    message: /^alias \/search\/ is inside the site's own \/search\/ pages; choose a path outside \/search\/, \/stop\/, /,
  },
  {
    name: 'an alias on a stop-code page is refused instead of replacing it',
    files: { [A]: article({ aliases: '[/stop/0x00000024/]' }) },
    file: A,
    line: 8,
    field: 'aliases',
    message: /^alias \/stop\/0x00000024\/ is inside the site's own \/stop\/ pages; choose a path outside /,
  },
  {
    name: "an alias on an article's JSON download is refused",
    files: { [A]: article({ aliases: '[/kb/5000105.json]' }), ...NEIGHBOUR },
    file: A,
    line: 8,
    field: 'aliases',
    message: /^alias \/kb\/5000105\.json is already a download of KB 5000105; choose another path$/,
  },
  {
    name: 'an alias that climbs out of the site with .. is refused',
    files: { [A]: article({ aliases: "['/../../etc/cron.d/x/']" }) },
    file: A,
    line: 8,
    field: 'aliases',
    message: /^alias "\/\.\.\/\.\.\/etc\/cron\.d\/x\/" is not a usable path; write a site path like \/old\/path\/ using letters, digits and \. _ ~ % \+ - \(no spaces, \?, # or \.\. segments\)$/,
  },
  {
    name: 'a related number that is not an article of the site names the number',
    files: { [A]: article({ related: '[5000105, 5999999]' }), ...NEIGHBOUR },
    file: A,
    line: 8,
    field: 'related',
    message: /^"related" lists KB 5999999, which is not an article of this site; correct the number or remove it$/,
  },
  {
    name: 'a related entry that is not a KB number asks for digits',
    files: { [A]: article({ related: '[KB5000105]' }), ...NEIGHBOUR },
    file: A,
    line: 8,
    field: 'related.0',
    message: /^"related" entries must be KB numbers, digits only, like 5000101 \(got "KB5000105"\)$/,
  },
  {
    name: 'a body link to an article that is not in the site names the line and the link',
    files: { [A]: article({}, `${BODY}\nSee also [the restore article](/kb/5000105/) and [the old one](/kb/5999999/#cause).\n`), ...NEIGHBOUR },
    file: A,
    line: 18,
    message: /^links to \/kb\/5999999\/, which is not an article of this site; correct the number, or link to the full URL of an article elsewhere$/,
  },
];

describe(`bad-input suite: ${cases.length} cases, each refused by kb check (text and JSON) and kb build with file, line or field, and a fix`, () => {
  for (const c of cases) test(c.name, () => assertRefused(c));
});

test('an article over the size limit is refused with the limit, without being parsed', async () => {
  const dir = await contentFolder({});
  try {
    await mkdir(path.join(dir, 'kb/5000104'), { recursive: true });
    const line = 'The backup fails with "Access is denied" when the share is on a cluster. '.repeat(4) + '\n';
    // Broken front matter too: had the file been parsed, its YAML error would be reported as well.
    const text = article({ title: '[unclosed' }, line.repeat(Math.ceil((10 * 1024 * 1024) / line.length))).slice(0, 10 * 1024 * 1024);
    await writeFile(path.join(dir, A), text);
    const run = await runKb(['check', '--content', dir]);
    assert.equal(run.exitCode, 2);
    assertNoStackTrace(run);
    const about = run.stderr.split('\n').filter((l) => l.startsWith(path.join(dir, A)));
    assert.deepEqual(about, [`${path.join(dir, A)}: is 10 MB; an article may be at most 5 MB: split it into several articles, or link to large logs and dumps instead of pasting them`], run.stderr);
    const json = JSON.parse((await runKb(['check', '--content', dir, '--format', 'json'])).stdout) as { problems: Array<{ file: string; message: string }> };
    assert.deepEqual(json.problems.map((p) => p.message), [about[0]!.slice(path.join(dir, A).length + 2)], 'the JSON report says the same');
    assert.equal(MAX_ARTICLE_BYTES, 5 * 1024 * 1024, 'the limit the README documents');
  } finally {
    await rm(path.dirname(dir), { recursive: true, force: true });
  }
});

test('front matter marked ---js is never evaluated', async () => {
  const dir = await contentFolder({ [A]: '---js\n{ id: (globalThis.__kbFrontMatterRan = true, "5000104") }\n---\n\nBody\n' });
  await runKb(['check', '--content', dir]);
  assert.equal((globalThis as { __kbFrontMatterRan?: boolean }).__kbFrontMatterRan, undefined);
  await rm(path.dirname(dir), { recursive: true, force: true });
});

// --- What must still pass --------------------------------------------------------------------

test('two products whose names make the same URL slug each get a page, and the build succeeds', async () => {
  const dir = await contentFolder({ [A]: article(), 'kb/5000105/index.md': article({ id: '5000105', products: "['windows-server-2016', '???']" }) });
  const out = outputFor(dir);
  try {
    const run = await runKb(['build', '--content', dir, '--output', out, '--quiet']);
    assert.equal(run.exitCode, 0, run.stderr);
    assertNoStackTrace(run);
    const pages = await Promise.all(['windows-server-2016', 'windows-server-2016-2', 'product'].map((slug) => readFile(path.join(out, 'products', slug, 'index.html'), 'utf8')));
    assert.equal(pages.length, 3);
  } finally {
    await rm(path.dirname(dir), { recursive: true, force: true });
  }
});

test('a legacy article may mention articles that are not in the archive', async () => {
  const legacy = await readFile('content/kb/243/Q243852/README.md', 'utf8');
  const dir = await contentFolder({ 'kb/243/Q243852/README.md': legacy.replace('{% raw %}', '{% raw %}\n\tSee [Q999999](/kb/999999/).\n') });
  const run = await runKb(['check', '--content', dir]);
  assert.equal(run.exitCode, 0, run.stderr);
  await rm(path.dirname(dir), { recursive: true, force: true });
});

test('links and placeholders inside code are examples, not references', async () => {
  const body = `${BODY}\n\`\`\`markdown\n[old](/kb/5999999/)\n[[file-table:files-arm64]]\n\`\`\`\n\nWrite \`[x](/kb/5999998/)\` to link.\n`;
  const dir = await contentFolder({ [A]: article({}, body) });
  const run = await runKb(['check', '--content', dir]);
  assert.equal(run.exitCode, 0, run.stderr);
  await rm(path.dirname(dir), { recursive: true, force: true });
});

test('a UTF-8 byte order mark before the front matter is accepted', async () => {
  const dir = await contentFolder({ [A]: `\uFEFF${article({ related: '[5000105]' })}`, ...NEIGHBOUR });
  const run = await runKb(['check', '--content', dir, '--format', 'json']);
  assert.equal(run.exitCode, 0, run.stdout);
  assert.deepEqual(JSON.parse(run.stdout), { ok: true, articles: 2, problems: [], warnings: [] });
  await rm(path.dirname(dir), { recursive: true, force: true });
});

// --- kb check itself ---------------------------------------------------------------------------

test('kb check --format json reports every problem with file, line, field and message, and nothing else on stdout', async () => {
  const dir = await contentFolder({ [A]: article({ published: '2018-13-01', type: 'rumour' }), ...NEIGHBOUR });
  const run = await runKb(['check', '--content', dir, '--format', 'json']);
  assert.equal(run.exitCode, 2);
  assert.equal(run.stderr, '');
  assert.deepEqual(JSON.parse(run.stdout), {
    ok: false,
    articles: 1,
    problems: [
      { file: path.join(dir, A), line: 5, field: 'type', message: '"type" must be one of hotfix, problem, bug, how-to, information, troubleshooting, reference (got "rumour")' },
      { file: path.join(dir, A), line: 7, field: 'published', message: '"published" must be a date like 2013-01-03 (got "2018-13-01")' },
    ],
    warnings: [],
  });
  await rm(path.dirname(dir), { recursive: true, force: true });
});

test('kb check prints one file:line: message per problem and a summary, and exits 2', async () => {
  const dir = await contentFolder({ [A]: article({ published: '2018-13-01', type: 'rumour' }) });
  const run = await runKb(['check', '--content', dir]);
  assert.equal(run.exitCode, 2);
  assert.equal(run.stdout, '');
  assert.deepEqual(run.stderr.split('\n'), [
    `${path.join(dir, A)}:5: "type" must be one of hotfix, problem, bug, how-to, information, troubleshooting, reference (got "rumour")`,
    `${path.join(dir, A)}:7: "published" must be a date like 2013-01-03 (got "2018-13-01")`,
    'kb check: 2 problems in 1 file; fix them and run kb check again',
  ]);
  await rm(path.dirname(dir), { recursive: true, force: true });
});

test('kb check with an unknown --format is a usage error (exit 64)', async () => {
  const run = await runKb(['check', '--content', 'content', '--format', 'xml']);
  assert.equal(run.exitCode, 64);
  assert.equal(run.stdout, '');
  assert.match(run.stderr, /^kb: --format must be text or json \(got "xml"\)$/);
});

test('a stack trace is shown only with --debug', async () => {
  const dir = await contentFolder({ [A]: article({ title: 'Backup fails: access denied' }) });
  const run = await runKb(['build', '--content', dir, '--output', outputFor(dir), '--quiet', '--debug']);
  assert.equal(run.exitCode, 2);
  assert.match(run.stderr, /^\s+at /m);
  await rm(path.dirname(dir), { recursive: true, force: true });
});
