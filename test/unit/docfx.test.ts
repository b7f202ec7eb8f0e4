import { test } from 'node:test';
import assert from 'node:assert/strict';
import MarkdownIt from 'markdown-it';
import { docfxAlerts, extractDocfxMetadata, splitAppliesTo } from '../../src/article/docfx.ts';

const md = new MarkdownIt({ html: false }).use(docfxAlerts);

// --- alerts -----------------------------------------------------------------------------------

const KINDS = [
  ['NOTE', 'note', 'Note'],
  ['TIP', 'tip', 'Tip'],
  ['IMPORTANT', 'important', 'Important'],
  ['WARNING', 'warning', 'Warning'],
  ['CAUTION', 'caution', 'Caution'],
] as const;

for (const [marker, kind, title] of KINDS) {
  test(`a > [!${marker}] blockquote renders as a ${kind} alert with the title "${title}" and without the marker`, () => {
    assert.equal(
      md.render(`> [!${marker}]\n> Restart the computer after you apply this update.\n`),
      `<div class="alert alert-${kind}" role="note">\n<p class="alert-title">${title}</p>\n<p>Restart the computer after you apply this update.</p>\n</div>\n`,
    );
  });
}

test('the alert marker is case-insensitive', () => {
  assert.match(md.render('> [!Note]\n> text\n'), /^<div class="alert alert-note" role="note">\n<p class="alert-title">Note<\/p>\n<p>text<\/p>/);
});

test('an alert keeps every paragraph, list and inline markup of its blockquote', () => {
  const out = md.render('> [!IMPORTANT]\n>\n> First **bold** paragraph.\n>\n> - one\n> - two\n');
  assert.equal(
    out,
    '<div class="alert alert-important" role="note">\n<p class="alert-title">Important</p>\n<p>First <strong>bold</strong> paragraph.</p>\n<ul>\n<li>one</li>\n<li>two</li>\n</ul>\n</div>\n',
  );
});

test('an ordinary blockquote stays a blockquote', () => {
  assert.equal(md.render('> Just a quote.\n'), '<blockquote>\n<p>Just a quote.</p>\n</blockquote>\n');
  assert.equal(md.render('> [link text] is not a marker\n'), '<blockquote>\n<p>[link text] is not a marker</p>\n</blockquote>\n');
});

test('a <script> in an alert body stays escaped text', () => {
  const out = md.render('> [!WARNING]\n> <script>alert(1)</script>\n');
  assert.doesNotMatch(out, /<script/);
  assert.match(out, /<p>&lt;script&gt;alert\(1\)&lt;\/script&gt;<\/p>/);
});

// --- metadata ---------------------------------------------------------------------------------

test('"Applies to" is split into products, keeping "Windows 10, version 1809" together', () => {
  const r = extractDocfxMetadata('_Applies to:_ &nbsp; Windows 10, version 1809, Windows Server 2019, Windows Server, version 1903\n\nBody.');
  assert.deepEqual(r.appliesTo, ['Windows 10, version 1809', 'Windows Server 2019', 'Windows Server, version 1903']);
  assert.equal(r.body, 'Body.');
});

test('"Applies to" splitting drops a leading "and" and keeps "all editions" with its product', () => {
  assert.deepEqual(splitAppliesTo('Windows 10 - all editions, Windows Server 2012 R2, and Windows 11, all editions'), [
    'Windows 10 - all editions',
    'Windows Server 2012 R2',
    'Windows 11, all editions',
  ]);
});

test('the original KB number is read as a number and both metadata lines leave the body', () => {
  const r = extractDocfxMetadata('# Title\n\nIntro.\n\n_Applies to:_ Windows Server 2019\n_Original KB number:_ 4464619\n\n## Symptoms\n');
  assert.equal(r.originalKbNumber, 4464619);
  assert.deepEqual(r.appliesTo, ['Windows Server 2019']);
  assert.equal(r.body, '# Title\n\nIntro.\n\n## Symptoms\n');
  assert.deepEqual(r.warnings, []);
});

test('an article without metadata lines has no applies-to list and no KB number', () => {
  const r = extractDocfxMetadata('This applies to everyone: really.\n');
  assert.deepEqual(r.appliesTo, []);
  assert.equal(r.originalKbNumber, null);
  assert.equal(r.body, 'This applies to everyone: really.\n');
});

// --- file tables ------------------------------------------------------------------------------

const X64_TABLE = [
  '## File information',
  '',
  '#### For all supported x64-based versions of Windows Server 2019',
  '',
  '|File name|File version|File size|Date|Time|Platform|',
  '|-|-|-|-|-|-|',
  '|Ntfs.sys|10.0.17763.1|1,082,728|03-Jan-2013|04:33|x64|',
  '| Update.mum | Not applicable | 2,105 | 2013-01-03 | 4:33 | Not applicable |',
  '|Ntoskrnl.exe|10.0.17763.2|9,000|1/3/2013|23:59|amd64|',
  '',
  'After the table.',
].join('\n');

test('a pipe file table under "For all supported x64-based versions of Windows Server 2019" becomes an x64 file table', () => {
  const r = extractDocfxMetadata(X64_TABLE);
  assert.deepEqual(r.warnings, []);
  assert.deepEqual(r.tables, [
    {
      id: 'files-x64',
      caption: 'For all supported x64-based versions of Windows Server 2019',
      platform: 'x64',
      kind: 'files',
      rows: [
        { name: 'Ntfs.sys', version: '10.0.17763.1', size: 1082728, date: '2013-01-03', time: '04:33', platform: 'x64' },
        { name: 'Update.mum', version: null, size: 2105, date: '2013-01-03', time: '04:33', platform: null },
        { name: 'Ntoskrnl.exe', version: '10.0.17763.2', size: 9000, date: '2013-01-03', time: '23:59', platform: 'x64' },
      ],
    },
  ]);
  assert.equal(
    r.body,
    '## File information\n\n#### For all supported x64-based versions of Windows Server 2019\n\n[[file-table:files-x64]]\n\nAfter the table.',
  );
});

test('a file table with a missing column is read, the missing values are null and rows take the table platform', () => {
  const r = extractDocfxMetadata('**For all supported x86-based versions of Windows 7**\n\n| File name | File size | Date |\n|:--|--:|--|\n| Win32k.sys | 3,001 | 12-Sep-2018 |\n');
  assert.deepEqual(r.warnings, []);
  assert.equal(r.tables.length, 1);
  assert.deepEqual(r.tables[0], {
    id: 'files-x86',
    caption: 'For all supported x86-based versions of Windows 7',
    platform: 'x86',
    kind: 'files',
    rows: [{ name: 'Win32k.sys', version: null, size: 3001, date: '2018-09-12', time: null, platform: 'x86' }],
  });
  assert.equal(r.body, '**For all supported x86-based versions of Windows 7**\n\n[[file-table:files-x86]]\n');
});

test('two tables for one platform get distinct ids and Itanium captions give IA-64', () => {
  const table = '|File name|File version|Date|\n|-|-|-|\n|A.dll|1.2.3.4|2013-01-03|\n';
  const r = extractDocfxMetadata(`### For all supported x64-based versions\n\n${table}\n${table}\n### For all supported Itanium-based versions\n\n${table}`);
  assert.deepEqual(r.tables.map((t) => [t.id, t.platform]), [['files-x64', 'x64'], ['files-x64-2', 'x64'], ['files-ia-64', 'IA-64']]);
});

test('a pipe table that is not a file table is left alone', () => {
  const text = '## Versions\n\n| Version | Product | SR_Level | Service branch |\n|-|-|-|-|\n| 6.0.6002.22xxx | Windows Server 2008 | SP2 | LDR |\n';
  const r = extractDocfxMetadata(text);
  assert.deepEqual(r.tables, []);
  assert.deepEqual(r.warnings, []);
  assert.equal(r.body, text);
});

test('a file table with an unreadable row gives a warning and stays as Markdown text', () => {
  const text = '### For all supported x64-based versions of Windows Server 2019\n\n|File name|File version|File size|Date|\n|-|-|-|-|\n|Ntfs.sys|10.0.17763.1|lots|2013-01-03|\n';
  const r = extractDocfxMetadata(text);
  assert.deepEqual(r.tables, []);
  assert.equal(r.body, text);
  assert.deepEqual(r.warnings, [
    'The file table under "For all supported x64-based versions of Windows Server 2019" (line 3): row 1 (line 5) has file size "lots", expected bytes like 1,082,728; it is left as a Markdown table; fix the row so it can be shown as a file table',
  ]);
});

test('a pipe table inside a fenced code block is never lifted', () => {
  const text = '```\n|File name|File version|File size|\n|-|-|-|\n|A.dll|1.2.3.4|1|\n```\n';
  const r = extractDocfxMetadata(text);
  assert.deepEqual(r.tables, []);
  assert.equal(r.body, text);
});
