import { test } from 'node:test';
import assert from 'node:assert/strict';
import sanitizeHtml from 'sanitize-html';
import { sanitizeArticleHtml } from '../../src/article/sanitize.ts';
import { renderBody } from '../../src/article/render.ts';
import { loadArticles } from '../../src/article/load.ts';

const clean = sanitizeArticleHtml;
const ctx = { hasArticle: (id: number) => id === 152734, articleUrl: (id: number) => `/kb/${id}/` };
const body = (md: string, rawHtml = true) => renderBody(md, ctx, { rawHtml }).segments.map((s) => ('html' in s ? s.html : `[table ${s.table}]`)).join('');

test('the small HTML an author needs is kept: kbd, sup, sub, br, details, abbr, code, tables with merged cells, span and div with a class', () => {
  for (const html of [
    '<kbd>Ctrl</kbd>+<kbd>Alt</kbd>',
    'x<sup>2</sup> H<sub>2</sub>O',
    'one<br />two',
    '<details open><summary>More</summary><p>Text</p></details>',
    '<abbr title="Blue screen of death">BSOD</abbr>',
    '<pre><code>dir /s</code></pre>',
    '<table><caption>C</caption><thead><tr><th scope="col" colspan="2">A</th></tr></thead><tbody><tr><td rowspan="2">1</td><td>2</td></tr></tbody></table>',
    '<span class="path">C:\\Windows</span><div class="note">Note</div>',
    '<dl><dt>Term</dt><dd>Meaning</dd></dl>',
    '<h3 id="pinned">Heading</h3>',
    '<a href="https://support.microsoft.com/" title="t">https</a> <a href="mailto:kb@example.com">mail</a> <a href="/kb/1/#cause">relative</a>',
  ]) {
    assert.equal(clean(html), html);
  }
});

test('event handlers, style, id and unknown attributes are removed from allowed elements', () => {
  assert.equal(clean('<kbd onclick="alert(1)" onmouseover="x()">C</kbd>'), '<kbd>C</kbd>');
  assert.equal(clean('<details open ontoggle="alert(1)"><summary>S</summary></details>'), '<details open><summary>S</summary></details>');
  assert.equal(clean('<div class="x" style="position:fixed;inset:0" id="kb-search" role="dialog" data-x="1">d</div>'), '<div class="x">d</div>');
  assert.equal(clean('<span id="y" title="t" style="color:red">s</span>'), '<span>s</span>');
  assert.equal(clean('<p class="visually-hidden">p</p><p class="alert-title">t</p>'), '<p>p</p><p class="alert-title">t</p>');
  assert.equal(clean('<td style="text-align:right;background:url(x)">1</td>'), '<td style="text-align:right">1</td>');
});

test('script, style, iframe, svg, img, form, object, embed, base, meta and link are shown as text, never as markup', () => {
  const cases: Array<[string, string]> = [
    ['<script>alert(1)</script>', '&lt;script&gt;alert(1)&lt;/script&gt;'],
    ['<style>body{display:none}</style>', '&lt;style&gt;body{display:none}&lt;/style&gt;'],
    ['<iframe src="javascript:alert(1)"></iframe>', '&lt;iframe&gt;&lt;/iframe&gt;'],
    ['<svg onload="alert(1)"></svg>', '&lt;svg&gt;&lt;/svg&gt;'],
    ['<img src=x onerror=alert(1)>', '&lt;img /&gt;'],
    ['<form action="javascript:alert(1)"><input autofocus onfocus="alert(1)"></form>', '&lt;form&gt;&lt;input /&gt;&lt;/form&gt;'],
    ['<object data="x"></object><embed src="x">', '&lt;object&gt;&lt;/object&gt;&lt;embed&gt;'],
    ['<base href="https://evil.example/"><meta http-equiv="refresh" content="0"><link rel="stylesheet" href="x.css">', '&lt;base /&gt;&lt;meta /&gt;&lt;link /&gt;'],
    ['<textarea><script>alert(1)</script></textarea>', '&lt;textarea&gt;&lt;script&gt;alert(1)&lt;/script&gt;&lt;/textarea&gt;'],
  ];
  for (const [input, output] of cases) assert.equal(clean(input), output, input);
});

test('javascript:, vbscript: and data: URLs are removed however they are spelt; safe links stay', () => {
  for (const href of ['javascript:alert(1)', 'JaVaScRiPt:alert(1)', ' javascript:alert(1)', '&#106;avascript:alert(1)', 'java&#x09;script:alert(1)', 'vbscript:msgbox(1)', 'data:text/html,<script>alert(1)</script>']) {
    assert.equal(clean(`<a href="${href}">x</a>`), '<a>x</a>', href);
  }
  assert.equal(clean('<a href="ftp://ftp.example.com/a">f</a>'), '<a href="ftp://ftp.example.com/a">f</a>');
});

test('comments are removed and quote-breaking text stays text', () => {
  assert.equal(clean('<!-- hidden --><p>"><script>alert(1)</script></p>'), '<p>"&gt;&lt;script&gt;alert(1)&lt;/script&gt;</p>');
  assert.equal(clean('<abbr title="&quot;><script>alert(1)</script>">x</abbr>'), '<abbr title="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;">x</abbr>');
});

test('unbalanced raw HTML cannot reach the layout: unclosed elements are closed, stray closing tags dropped', () => {
  assert.equal(clean('<div class="x"><details><summary>s'), '<div class="x"><details><summary>s</summary></details></div>');
  assert.equal(clean('text</div></main></body>'), 'text');
});

test('markdown-it output for every Markdown construct passes the policy unchanged', () => {
  const markdown = [
    '## Symptoms',
    '## Pinned {#my-id}',
    'Paragraph with *em*, **strong**, ~~struck~~, `code`, a [link](https://example.com "title"), <https://example.com/auto>, www.example.com, Q152734.',
    '> [!WARNING]\n> Careful.',
    '> A plain quote.',
    '- one\n- two\n\n1. first\n2. second\n\n3) third',
    '```text\nSTOP 0x00000024\n```',
    '    indented code',
    '| Left | Center | Right |\n|:--|:-:|--:|\n| a | b | c |',
    'Hard  \nbreak',
    '---',
  ].join('\n\n');
  const html = renderBody(markdown, ctx, { rawHtml: false }).segments.map((s) => ('html' in s ? s.html : '')).join('');
  // The same serialiser with everything allowed: any difference is something the policy removed.
  const everything = sanitizeHtml(html, { allowedTags: false, allowedAttributes: false, allowVulnerableTags: true });
  assert.equal(clean(html), everything);
  assert.match(html, /<h2 id="my-id">/);
  assert.match(html, /<a href="\/kb\/152734\/" class="kb-xref">/);
  assert.match(html, /<th style="text-align:right">/);
});

test('the demo articles render the same with and without the sanitiser (it removes nothing of ours)', async () => {
  const { articles } = await loadArticles('content');
  assert.ok(articles.length > 0);
  for (const a of articles) {
    const raw = renderBody(a.body, ctx, { rawHtml: false }).segments.map((s) => ('html' in s ? s.html : `[table ${s.table}]`)).join('');
    const everything = sanitizeHtml(raw, { allowedTags: false, allowedAttributes: false, allowVulnerableTags: true });
    assert.equal(body(a.body), everything, a.sourcePath);
  }
});

test('in a Markdown body, raw HTML follows the policy and Markdown images are kept but a raw <img> is not', () => {
  assert.equal(body('Press <kbd onclick="alert(1)">F8</kbd>.'), '<p>Press <kbd>F8</kbd>.</p>\n');
  assert.equal(body('<details>\n<summary>More</summary>\n\n**Markdown** inside\n\n</details>'), '<details>\n<summary>More</summary>\n<p><strong>Markdown</strong> inside</p>\n</details>');
  assert.equal(body('![Screen](screen.png "Title") <img src="screen.png" onerror="alert(1)">'), '<p><img src="screen.png" alt="Screen" title="Title"> &lt;img /&gt;</p>\n');
  assert.equal(body('![x](javascript:alert(1))'), '<p>![x](javascript:alert(1))</p>\n');
  assert.equal(body('[x](javascript:alert(1)) <a href="javascript:alert(1)">y</a>'), '<p>[x](javascript:alert(1)) <a>y</a></p>\n');
});

test('a raw <a> around Q152734 is not given a second, nested cross-reference link', () => {
  assert.equal(body('<a href="https://example.com/">see Q152734</a> and Q152734'), '<p><a href="https://example.com/">see Q152734</a> and <a href="/kb/152734/" class="kb-xref">Q152734</a></p>\n');
});

test('text cannot forge a file-table or image marker (markdown-it turns NUL into U+FFFD)', () => {
  const r = renderBody('A \u0000FT:files-x86\u0000 and \u0000IMG:0\u0000 marker', ctx);
  assert.deepEqual(r.placedTables, []);
  assert.equal(body('A \u0000FT:files-x86\u0000 and \u0000IMG:0\u0000 marker'), '<p>A \uFFFDFT:files-x86\uFFFD and \uFFFDIMG:0\uFFFD marker</p>\n');
});

test('with rawHtml: false (legacy text) every tag is text, even an allowed one', () => {
  assert.equal(body('<kbd>Ctrl</kbd> <b>bold</b>', false), '<p>&lt;kbd&gt;Ctrl&lt;/kbd&gt; &lt;b&gt;bold&lt;/b&gt;</p>\n');
});
