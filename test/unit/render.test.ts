import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderBody } from '../../src/article/render.ts';
import { sectionAnchor } from '../../src/article/anchors.ts';

const ctx = { hasArticle: (id: number) => id === 152734, articleUrl: (id: number) => `/kb/${id}/` };
const html = (md: string) => renderBody(md, ctx).segments.map((s) => ('html' in s ? s.html : `[table ${s.table}]`)).join('');

test('known sections get stable anchors whatever their wording', () => {
  assert.equal(sectionAnchor('RESOLUTION'), 'resolution');
  assert.equal(sectionAnchor('How to resolve this issue'), 'resolution');
  assert.equal(sectionAnchor('More Information'), 'more-information');
  assert.equal(sectionAnchor('Some other heading'), 'some-other-heading');
});

test('an explicit {#id} pins a heading anchor and is not shown', () => {
  assert.equal(html('## File information {#hotfix-files}'), '<h2 id="hotfix-files">File information</h2>\n');
});

test('two headings with the same text get distinct anchors and both are in the table of contents', () => {
  const r = renderBody('## Notes\n\n## Notes\n', ctx);
  assert.deepEqual(r.toc.map((t) => t.id), ['notes', 'notes-2']);
});

test('a file-table placeholder becomes a table segment in place', () => {
  const r = renderBody('Before\n\n[[file-table:files-x86]]\n\nAfter', ctx);
  assert.deepEqual(r.placedTables, ['files-x86']);
  assert.equal(html('Before\n\n[[file-table:files-x86]]\n\nAfter'), '<p>Before</p>\n[table files-x86]<p>After</p>\n');
});

test('Q152734 and support.microsoft.com/kb/152734 link to the local article; unknown numbers stay text', () => {
  const out = html('See Q152734, KB999999 and https://support.microsoft.com/kb/152734.');
  assert.match(out, /<a href="\/kb\/152734\/" class="kb-xref">Q152734<\/a>/);
  assert.match(out, /<a href="\/kb\/152734\/">https:\/\/support.microsoft.com\/kb\/152734<\/a>/);
  assert.match(out, /KB999999/);
  assert.doesNotMatch(out, /href="\/kb\/999999/);
});

test('raw HTML and javascript: links in Markdown are shown as text, never as markup', () => {
  const out = html('<script>alert(1)</script>\n\n[x](javascript:alert(1)) <img src=x onerror=alert(1)>');
  assert.doesNotMatch(out, /<script|<img|href="javascript/);
  assert.match(out, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
});
