import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import matter from 'gray-matter';
import MarkdownIt from 'markdown-it';
import { isLegacyArticle, parseLegacyArticle, parseLegacyDate, type LegacyArticle, type LegacyInput } from '../../src/article/legacy.ts';

const FIXTURES = fileURLToPath(new URL('../fixtures/legacy/', import.meta.url));

/** Read a fixture the way the content loader does: gray-matter splits off the front matter. */
function input(name: string): LegacyInput {
  const parsed = matter(readFileSync(FIXTURES + name, 'utf8'), {});
  return { frontMatter: parsed.data as Record<string, unknown>, body: parsed.content, sourcePath: `test/fixtures/legacy/${name}` };
}

function load(name: string): LegacyArticle {
  return parseLegacyArticle(input(name));
}

/** A legacy file from a raw body (TAB-indented like the corpus). */
function fromBody(lines: string[], frontMatter: Record<string, unknown> = { layout: 'page', title: 'Q123456: Test', permalink: '/kb/123/Q123456/' }): LegacyArticle {
  const body = `\n## Q123456: Test\n\n{% raw %}\n\n${lines.map((l) => (l === '' ? '\t' : `\t${l}`)).join('\n')}\n\n{% endraw %}\n`;
  return parseLegacyArticle({ frontMatter, body, sourcePath: 'inline.md' });
}

const HEADER = ['Article: Q123456', 'Product(s): Microsoft Windows NT', 'Version(s): winnt:4.0', 'Operating System(s): ', 'Keyword(s): kbnetwork', 'Last Modified: 16-MAY-2002', ''];

// The site renders with html enabled in the worst case: escaping must hold even then.
const md = new MarkdownIt({ html: true });

/** Visible text of the rendered Markdown, with entities decoded and whitespace collapsed. */
function renderedText(markdown: string): string {
  return md
    .render(markdown)
    .replace(/<[^>]+>/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
}

// ---------------------------------------------------------------------------------------------
// Q243852, the canonical example

test('Q243852 is recognised as a legacy article', () => {
  const { frontMatter, body } = input('q243852.md');
  assert.equal(isLegacyArticle(frontMatter, body), true);
});

test('Q243852 gets id 243852 and its title with entities decoded and the Q243852 prefix removed', () => {
  const a = load('q243852.md');
  assert.equal(a.id, 243852);
  assert.equal(a.title, '"STOP 0x00000024" Error Message with Double-Take Software');
  assert.equal(a.permalink, '/kb/243/Q243852/');
});

test('the Last Modified date 08-AUG-2001 becomes 2001-08-08', () => {
  assert.equal(load('q243852.md').lastModified, '2001-08-08');
});

test('Q243852 takes products, versions, keywords, query words and issue type from its header and trailing block', () => {
  const a = load('q243852.md');
  assert.deepEqual(a.products, ['Microsoft Windows NT']);
  assert.deepEqual(a.versions, ['4.0', '4.0 SP1', '4.0 SP2', '4.0 SP3', '4.0 SP4']);
  assert.deepEqual(a.operatingSystems, []);
  assert.deepEqual(a.keywords, ['kb3rdparty', 'kberrmsg']);
  assert.deepEqual(a.queryWords, ['doubletake']);
  assert.equal(a.issueType, 'kbprb');
  assert.equal(a.technologies[0], 'kbWinNTsearch');
  assert.equal(a.technologies.length, 16);
  assert.deepEqual(a.warnings, []);
});

test('the two "applies to" lines of Q243852 become appliesTo', () => {
  assert.deepEqual(load('q243852.md').appliesTo, [
    'Microsoft Windows NT Server versions 4.0, 4.0 SP1, 4.0 SP2, 4.0 SP3, 4.0 SP4',
    'Microsoft Windows NT Workstation versions 4.0, 4.0 SP1, 4.0 SP2, 4.0 SP3, 4.0 SP4',
  ]);
});

test('the body of Q243852 has Symptoms, Cause, Resolution, Workaround and More Information headings in order', () => {
  const headings = [...load('q243852.md').body.matchAll(/^## (.+)$/gm)].map((m) => m[1]);
  assert.deepEqual(headings, ['Symptoms', 'Cause', 'Resolution', 'Workaround', 'More Information']);
});

test('the two STOP lines of Q243852 stay together in one preformatted text block', () => {
  const body = load('q243852.md').body;
  assert.ok(
    body.includes(
      '```text\nSTOP 0x00000024 (0x00190201,0xfc5136a4,0xfc5134e0,0x8021ea12)\nSTOP 0x00000050 (0xf8ec0f4d, 0x00000000, 0x00000000, 0x00000000)\n```',
    ),
    body,
  );
});

test('hard-wrapped lines of a paragraph are joined into one line', () => {
  const body = load('q243852.md').body;
  assert.match(body, /^When you are running the Double-Take mirroring software by NSI Software, your server may experience a bugcheck with the following STOP code:$/m);
});

test('the header, the applies-to block, the query words and the trailing block are not body text', () => {
  const body = load('q243852.md').body;
  for (const gone of ['Article:', 'Product(s)', 'Last Modified', 'applies to', 'Additional query words', 'Technology', 'Issue type', '{% raw %}', '{% endraw %}', 'Q243852', '====', '----']) {
    assert.ok(!body.includes(gone), `body still contains ${gone}`);
  }
});

test('the summary of Q243852 is the first sentence of SYMPTOMS as plain text', () => {
  assert.equal(
    load('q243852.md').summary,
    'When you are running the Double-Take mirroring software by NSI Software, your server may experience a bugcheck with the following STOP code:',
  );
});

// ---------------------------------------------------------------------------------------------
// Dates

test('16-MAY-2002 becomes 2002-05-16', () => {
  assert.equal(parseLegacyDate('16-MAY-2002'), '2002-05-16');
});

test('single-digit days of the 1980s (6-NOV-1989) and lower-case months are read', () => {
  assert.equal(parseLegacyDate('6-NOV-1989'), '1989-11-06');
  assert.equal(parseLegacyDate(' 29-feb-2000 '), '2000-02-29');
});

test('30-FEB-2001, 16-MAI-2002, 2002-05-16 and an empty string are not dates', () => {
  for (const text of ['30-FEB-2001', '29-FEB-2001', '16-MAI-2002', '2002-05-16', '16-MAY-02', '']) assert.equal(parseLegacyDate(text), null, text);
});

test('a Last Modified value that is not a date is reported and left null', () => {
  const a = fromBody([...HEADER.slice(0, 5), 'Last Modified: 31-APR-2001', '', 'Text.']);
  assert.equal(a.lastModified, null);
  assert.ok(a.warnings.includes('"Last Modified" is not a date: "31-APR-2001"'), a.warnings.join('\n'));
});

// ---------------------------------------------------------------------------------------------
// An article from 1989

test('Product(s): See article gives no product and a warning, never a guess', () => {
  const a = load('an-article-from-1989-without-sections.md');
  assert.deepEqual(a.products, []);
  assert.ok(a.warnings.includes('"Product(s)" says "See article": no product recorded'));
});

test('pipe-separated Keyword(s) and Operating System(s) are split, and SR# numbers stay whole', () => {
  const a = load('an-article-from-1989-without-sections.md');
  assert.deepEqual(a.keywords, ['ENDUSER', 'B_QuickBas', 'SR# S891102-7', 'mspl13_basic']);
  assert.deepEqual(a.operatingSystems, ['MS-DOS', 'OS/2']);
});

test('space-separated versions 4.00 4.00b 4.50 become three versions', () => {
  assert.deepEqual(load('an-article-from-1989-without-sections.md').versions, ['4.00', '4.00b', '4.50']);
});

test('an article without a trailing block has no keywords from it, no issue type, and says so', () => {
  const a = load('an-article-from-1989-without-sections.md');
  assert.equal(a.issueType, null);
  assert.deepEqual(a.technologies, []);
  assert.ok(a.warnings.includes('no trailing metadata block (Keywords, Technology, Version, Issue type)'));
  assert.equal(a.lastModified, '1989-11-06');
});

test('an article without sections gets its summary from the first paragraph', () => {
  assert.equal(
    load('an-article-from-1989-without-sections.md').summary,
    'This article shows how to reverse the characters of a string in QuickBASIC. The technique works in the QB.EXE editor and in compiled programs.',
  );
});

test('numbered items with continuation lines become one ordered-list item each', () => {
  const body = load('an-article-from-1989-without-sections.md').body;
  assert.match(body, /^1\. Microsoft QuickBASIC Versions 4\.00, 4\.00b, and 4\.50 for IBM PC and compatibles$/m);
  assert.match(body, /^2\. Microsoft BASIC Compiler Versions 6\.00 and 6\.00b for MS-DOS and MS OS\/2$/m);
});

test('BASIC code at the left margin becomes one preformatted block', () => {
  const body = load('an-article-from-1989-without-sections.md').body;
  assert.ok(body.includes('```text\nDECLARE FUNCTION Reverse$ (s$)\ns$ = "Hello"\nPRINT Reverse$(s$)\nEND\n\nFUNCTION Reverse$ (s$)\n   r$ = ""\n'), body);
  assert.match(body, /^END FUNCTION\n```\n\nRunning the program prints "olleH"\.$/m);
});

// ---------------------------------------------------------------------------------------------
// Steps, sub-steps, commands and tables

test('steps with lettered sub-steps become a nested list that keeps the letters', () => {
  const body = load('steps-with-sub-steps-commands-and-a-table.md').body;
  assert.ok(
    body.includes(
      '1. Stop the Microsoft Exchange Message Transfer Agent service. To do so, follow these steps:\n\n' +
        '   - a. In Control Panel, double-click Services.\n\n' +
        '   - b. Click Microsoft Exchange Message Transfer Agent, click Stop, and then click Yes.\n\n2. ',
    ),
    body,
  );
});

test('commands indented under a step stay preformatted inside the step, and -or- stays text', () => {
  const body = load('steps-with-sub-steps-commands-and-a-table.md').body;
  assert.ok(body.includes('   ```text\n   cd /d C:\\Exchsrvr\\Mtadata\n   del db*.dat\n   ```\n\n   \\-or-\n\n   Move the files'), body);
});

test('a table under a step stays one preformatted block, wrapped cells included', () => {
  const body = load('steps-with-sub-steps-commands-and-a-table.md').body;
  assert.ok(
    body.includes(
      '   ```text\n   Entry          Purpose        Keep\n   ---------------------------------------------\n   Db000001.dat   MTA database   Yes, always\n                                 (recreated at start)\n   Db000002.dat   Queue          No\n   ```',
    ),
    body,
  );
});

test('a bullet list after a numbered list renders as its own list', () => {
  const html = md.render(load('steps-with-sub-steps-commands-and-a-table.md').body);
  assert.match(html, /<\/ol>\s*<ul>\s*<li>The MTA rebuilds its queue files when it starts\.<\/li>/);
});

test('a dash-underlined sub-heading becomes a level-3 heading', () => {
  assert.match(load('steps-with-sub-steps-commands-and-a-table.md').body, /^### Step-by-Step Procedure$/m);
});

test('applies-to sub-items qualify their parent, and the archive editor markup is removed', () => {
  assert.deepEqual(load('steps-with-sub-steps-commands-and-a-table.md').appliesTo, [
    'Microsoft Exchange Server, version 5.5',
    'Microsoft Exchange Server version 5.5, on platform(s): the hardware: DEC Alpha',
    'The Message Transfer Agent (MTA), included with: Microsoft Exchange Server 32-bit Edition, version 5.5',
  ]);
});

test('Version(s) WINDOWS:97; winnt:4.0,4.0 SP1 gives the versions without platform prefixes', () => {
  assert.deepEqual(load('steps-with-sub-steps-commands-and-a-table.md').versions, ['97', '4.0', '4.0 SP1']);
});

test('the trailing Keywords win over the header Keyword(s), which the archive cut short', () => {
  assert.deepEqual(load('steps-with-sub-steps-commands-and-a-table.md').keywords, ['exch55', 'kbMTA', 'kbExchange550']);
});

test('several issue types keep the first known one and say so', () => {
  const a = load('steps-with-sub-steps-commands-and-a-table.md');
  assert.equal(a.issueType, 'kbhowto');
  assert.ok(a.warnings.includes('several issue types "kbhowto kbinfo"; using kbhowto'));
});

test('query words wrapped onto a second line are all kept', () => {
  assert.deepEqual(load('steps-with-sub-steps-commands-and-a-table.md').queryWords, ['XADM', 'MTA', 'queue', 'stuck', 'kbExchange550', 'kbDSupport', 'mtacheck']);
});

test('an ampersand in the front-matter title is decoded', () => {
  assert.equal(load('steps-with-sub-steps-commands-and-a-table.md').title, 'XADM: How to Clear the MTA Queue & Restart the MTA');
});

// ---------------------------------------------------------------------------------------------
// Text that looks like markup

test('<script>alert(1)</script> in a legacy body ends up as literal text', () => {
  const a = load('text-that-looks-like-markup.md');
  const html = md.render(a.body);
  assert.ok(!/<script>/i.test(html), html);
  assert.ok(!/<b>/.test(html), html);
  assert.ok(html.includes('&lt;script&gt;alert(1)&lt;/script&gt;'), html);
  assert.ok(html.includes('&lt;b&gt;bold&lt;/b&gt;'), html);
});

test('Markdown punctuation in plain text renders as the same characters', () => {
  const text = renderedText(load('text-that-looks-like-markup.md').body);
  assert.ok(
    text.includes(
      'The page writes Request.QueryString("q") directly. Characters such as * and _ and [brackets](like this) or `backticks` or a # sign or !important or a|b or \\\\server\\share or ~~tilde~~ are written as they are; AT&T, &copy; and &amp; must stay literal too.',
    ),
    text,
  );
  const html = md.render(load('text-that-looks-like-markup.md').body);
  assert.ok(!/<(em|strong|s|a|code|table)\b/.test(html.replace(/<pre><code class="language-text">[\s\S]*?<\/code><\/pre>/g, '')), html);
});

test('paragraphs that would start a Markdown block are escaped at their start', () => {
  const a = load('text-that-looks-like-markup.md');
  assert.match(a.body, /^\\\+5 volts is not a list item, -or- a thematic break, and \\#1 is not a heading\.$/m);
  assert.match(a.body, /^2001\\\. That year is not a list number\.$/m);
  const html = md.render(a.body);
  assert.ok(html.includes('<p>+5 volts is not a list item'), html);
  assert.ok(html.includes('<p>2001. That year is not a list number.</p>'), html);
});

test('KB numbers such as Q152734 and URLs stay plain text for the linker', () => {
  const a = load('text-that-looks-like-markup.md');
  assert.ok(a.body.includes('http://support.microsoft.com/support/kb/articles/Q152/7/34.ASP?LN=EN-US&SD=gn&FR=0'), a.body);
  assert.ok(a.body.includes('http://www.example.com/a_b_c/index.htm'), a.body);
  assert.match(a.body, /^Q152734 also covers/m);
  assert.ok(!/<a\b/.test(md.render(a.body)));
});

test('an indented list of related articles becomes a bullet list of plain-text references', () => {
  assert.match(load('text-that-looks-like-markup.md').body, /^- Q152734 HOWTO: Encode Output with Server\.HTMLEncode$/m);
  const wrapped = fromBody([...HEADER, 'See:', '', '  Q256291 SMS: Mandatory Advertisements That Require a User to Be Logged On May', '  Not Run', '  Q240921 SMS: Smsapm32 May Consume CPU Time']);
  assert.match(wrapped.body, /^- Q256291 SMS: Mandatory Advertisements That Require a User to Be Logged On May Not Run\n- Q240921 /m);
});

test('backticks inside a preformatted block get a longer fence and stay verbatim', () => {
  const body = load('text-that-looks-like-markup.md').body;
  assert.ok(body.includes('````text\nResponse.Write "```" & Server.HTMLEncode(s) & "`"\n````'), body);
  assert.ok(md.render(body).includes('Response.Write &quot;```&quot; &amp; Server.HTMLEncode(s) &amp; &quot;`&quot;'));
});

test('the title keeps characters that look like markup as plain text', () => {
  assert.equal(load('text-that-looks-like-markup.md').title, 'HOWTO: Encode <script> Tags & [Brackets] in *Web* Pages');
});

// ---------------------------------------------------------------------------------------------
// Missing and unknown fields

test('a missing Last Modified header is reported, not guessed', () => {
  const a = load('missing-and-unknown-header-fields.md');
  assert.equal(a.lastModified, null);
  assert.ok(a.warnings.includes('no "Last Modified" header'), a.warnings.join('\n'));
});

test('an unknown header field is tolerated and reported', () => {
  const a = load('missing-and-unknown-header-fields.md');
  assert.ok(a.warnings.includes('unknown header field "Language"'));
  assert.deepEqual(a.products, ['Microsoft Windows NT']);
  assert.equal(a.body, '## Symptoms\n\nThe Computer Browser service stops after you remove the only network adapter from the computer.\n');
});

test('version numbers in Operating System(s) are ignored with a warning', () => {
  const a = load('missing-and-unknown-header-fields.md');
  assert.deepEqual(a.operatingSystems, ['MS-DOS']);
  assert.ok(a.warnings.includes('"Operating System(s)" value "6.00 6.00a" is not an operating system; ignored'));
  assert.deepEqual(a.versions, []);
});

// ---------------------------------------------------------------------------------------------
// File tables

test('a file table becomes a FileTable and a [[file-table:id]] paragraph of its own', () => {
  const a = load('a-hotfix-with-a-file-table.md');
  assert.ok(a.fileTables.length >= 1, 'the table parser found no table');
  for (const table of a.fileTables) assert.match(a.body, new RegExp(`\\n\\n\\[\\[file-table:${table.id}\\]\\]\\n\\n`));
  assert.ok(!a.body.includes('4.0.1381.7111'), a.body);
});

test('a [[file-table:…]] line is passed through unescaped, even inside a list item', () => {
  const a = fromBody([...HEADER, 'Text before.', '', '[[file-table:files-x86]]', '', '1. A step:', '', '   [[file-table:files-x64]]', '', 'Text after.']);
  assert.match(a.body, /^Text before\.\n\n\[\[file-table:files-x86\]\]\n\n1\. A step:\n\n {3}\[\[file-table:files-x64\]\]\n\nText after\.\n$/);
});

// ---------------------------------------------------------------------------------------------
// Recognition and robustness

test('a Markdown file without the archive header is not a legacy article', () => {
  assert.equal(isLegacyArticle({ title: 'Printer notes' }, '# Notes\n\nSome *Markdown* text.\n'), false);
  assert.equal(isLegacyArticle({ title: 'Q123: Looks legacy' }, 'But there is no raw block.\n'), false);
  assert.equal(isLegacyArticle({}, '{% raw %}\n\tArticle: Q123\n\tLast Modified: 01-JAN-2001\n{% endraw %}'), true);
});

test('a file that cannot be understood still yields a readable preformatted body and a warning', () => {
  const a = parseLegacyArticle({ frontMatter: { title: 'Printer notes' }, body: '# Notes\n\nSome *Markdown* text.\n', sourcePath: 'content/notes.md' });
  assert.equal(a.body, '```text\n# Notes\n\nSome *Markdown* text.\n```\n');
  assert.ok(a.warnings.includes('not recognised as a kbarchive article; body kept as preformatted text'), a.warnings.join('\n'));
  assert.equal(a.title, 'Printer notes');
  assert.equal(a.id, 0);
});

test('parsing never throws on empty or truncated input', () => {
  for (const body of ['', '{% raw %}', '{% raw %}\n\tArticle: Q1\n', '\n## Q5: x\n{% raw %}\n\t======\n\tKeywords : a\n{% endraw %}']) {
    assert.doesNotThrow(() => parseLegacyArticle({ frontMatter: {}, body, sourcePath: 'x.md' }), body);
  }
});

test('without front matter the KB number and title come from the ## heading line', () => {
  const a = parseLegacyArticle({ frontMatter: {}, body: '\n## Q243852: &quot;STOP&quot; Error\n\n{% raw %}\n\n\tArticle: Q243852\n\n\tText.\n{% endraw %}\n', sourcePath: 'x.md' });
  assert.equal(a.id, 243852);
  assert.equal(a.title, '"STOP" Error');
});

test('ALL-CAPS section titles become title case, acronyms and file names kept', () => {
  const a = fromBody([...HEADER, 'CD-ROM AND MS-DOS PROBLEMS WITH SETUP.EXE IN THE NT 4.0 BETA', '='.repeat(60), '', 'Text.']);
  assert.match(a.body, /^## CD-ROM and MS-DOS Problems with SETUP\.EXE in the NT 4\.0 Beta$/m);
});

test('a table header underlined with = is a table, not a heading', () => {
  const a = fromBody([...HEADER, 'Text:', '', 'File           Description', '=============================', 'Setup.exe      Installs it']);
  assert.ok(!a.body.includes('## '), a.body);
  assert.match(a.body, /```text\nFile {11}Description\n=+\nSetup\.exe {6}Installs it\n```/);
});

test('warnings from the table parser point at the line of the input body', () => {
  const lines = [...HEADER, 'SYMPTOMS', '========', '', 'The fix has these files:', '', '  Date      Time    Version   Size    File name', '  ---------------------------------------------', '', 'Additional query words: x', '', '======================================================================', 'Keywords          : kbfix', '', '====='];
  const body = `\n## Q123456: Test\n\n{% raw %}\n\n${lines.map((l) => `\t${l}`).join('\n')}\n\n{% endraw %}\n`;
  const a = parseLegacyArticle({ frontMatter: {}, body, sourcePath: 'inline.md' });
  const located = a.warnings.map((w) => /^line (\d+):/.exec(w)).filter((m) => m !== null);
  assert.ok(located.length > 0, `the table parser reported nothing: ${a.warnings.join('; ')}`);
  for (const m of located) assert.match(body.split('\n')[Number(m[1]) - 1]!, /Date {6}Time/);
});
