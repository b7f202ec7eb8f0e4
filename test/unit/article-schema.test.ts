import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateFrontMatter } from '../../src/article/schema.ts';
import { loadArticleFile, mergeStopCodes } from '../../src/article/load.ts';
import { readFile } from 'node:fs/promises';

const valid = { id: '2792165', title: 'T', summary: 'S', type: 'hotfix', products: ['Windows Server 2008'], published: '2013-02-12' };

function messages(data: Record<string, unknown>): string[] {
  const result = validateFrontMatter(data);
  assert.equal(result.ok, false);
  return result.ok ? [] : result.problems.map((p) => `${p.field}: ${p.message}`);
}

test('valid front matter becomes typed values: id as a number, updated defaults left to the loader', () => {
  const result = validateFrontMatter({ ...valid, keywords: 'ntfs' });
  assert.ok(result.ok);
  if (result.ok) {
    assert.equal(result.value.id, 2792165);
    assert.deepEqual(result.value.keywords, ['ntfs']);
  }
});

test('a missing required field is named', () => {
  const { title: _title, ...rest } = valid;
  assert.deepEqual(messages(rest), ['title: "title" is required']);
});

test('an impossible date says what was found and what is expected', () => {
  assert.deepEqual(messages({ ...valid, published: '2013-02-30' }), ['published: "published" must be a date like 2013-01-03 (got "2013-02-30")']);
});

test('a KB number with letters is refused with an example', () => {
  assert.deepEqual(messages({ ...valid, id: 'KB2792165' }), ['id: "id" must be the KB number, digits only, like 2792165 (got "KB2792165")']);
});

test('an unknown type lists the known ones', () => {
  assert.deepEqual(messages({ ...valid, type: 'rumour' }), [
    'type: "type" must be one of hotfix, problem, bug, how-to, information, troubleshooting, reference (got "rumour")',
  ]);
});

test('a misspelt field is reported instead of silently ignored', () => {
  assert.match(messages({ ...valid, prodcts: ['x'] })[0]!, /^prodcts: unknown field "prodcts"; known fields are id, title/);
});

test('updated before published is refused', () => {
  assert.deepEqual(messages({ ...valid, updated: '2012-01-01' }), ['updated: "updated" (2012-01-01) must not be before "published" (2013-02-12)']);
});

test('an invalid stop code in front matter is refused with the accepted spellings', () => {
  assert.match(messages({ ...valid, stopCodes: ['0x24', 'banana'] })[0]!, /^stopCodes\.1: "stopCodes" entries must be stop codes like 0x00000024/);
});

test('front-matter stop codes add to and suppress the codes found in the body', () => {
  assert.deepEqual(mergeStopCodes(['0x00000024', '0x00000050'], ['-0x50', '0x7B']), ['0x00000024', '0x0000007B']);
});

test('a file that is not UTF-8 is refused with a fix', async () => {
  const result = await loadArticleFile('content/kb/x/index.md', new Uint8Array([0x2d, 0x2d, 0x2d, 0x0a, 0xff, 0xfe, 0x0a]));
  assert.deepEqual(result.problems.map((p) => p.message), ['is not UTF-8 text; save it as UTF-8']);
});

test('an empty file and a front matter that is only --- are both refused', async () => {
  const empty = await loadArticleFile('a.md', new TextEncoder().encode('  \n'));
  assert.match(empty.problems[0]!.message, /^is empty; an article needs front matter/);
  const dashes = await loadArticleFile('b.md', new TextEncoder().encode('---\n---\nBody'));
  assert.match(dashes.problems[0]!.message, /^has no front matter; start the file with a --- block/);
});

test('malformed YAML names the line', async () => {
  const result = await loadArticleFile('c.md', new TextEncoder().encode('---\nid: 1\ntitle: [oops\n---\n'));
  assert.equal(result.problems[0]!.line, 3);
  assert.match(result.problems[0]!.message, /^front matter is not valid YAML: /);
});

test('the seed legacy article loads into the Article model with real metadata', async () => {
  const bytes = await readFile('content/kb/243/Q243852/README.md');
  const { article, problems } = await loadArticleFile('content/kb/243/Q243852/README.md', bytes);
  assert.deepEqual(problems, []);
  assert.equal(article?.id, 243852);
  assert.equal(article?.format, 'legacy');
  assert.deepEqual(article?.products, ['Microsoft Windows NT']);
  assert.equal(article?.updated, '2001-08-08');
  assert.deepEqual(article?.stopCodes, ['0x00000024', '0x00000050']);
  assert.deepEqual(article?.aliases, ['/kb/243/Q243852/']);
  assert.equal(article?.type, 'problem');
});
