/** What a search result shows of its article's text (src/client/result-text.ts). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EXCERPT_WORDS, comparable, excerptSegments, markEveryOccurrence, phraseExcerpt, phraseIndex, quotedPhrase } from '../../src/client/result-text.ts';

const decode = (html: string) => html.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
const markedText = (segments: Array<{ text: string; marked: boolean }>) => segments.filter((s) => s.marked).map((s) => s.text);
const plain = (segments: Array<{ text: string }>) => segments.map((s) => s.text).join('');

test('a query is a phrase only when all of it is one quoted phrase, as Pagefind reads it', () => {
  assert.deepEqual(quotedPhrase('"Access Denied"'), ['access', 'denied']);
  assert.deepEqual(quotedPhrase('  "setup.exe failed,"  '), ['setup.exe', 'failed']);
  assert.equal(quotedPhrase('access denied'), null);
  assert.equal(quotedPhrase('"access" denied'), null, 'quotes around a part of the query');
  assert.equal(quotedPhrase('""'), null);
  assert.equal(quotedPhrase('" , "'), null, 'nothing to search in the quotes');
});

test('words are compared in lower case without the punctuation around them', () => {
  assert.equal(comparable('"Setup,'), 'setup');
  assert.equal(comparable('ntfs.sys.'), 'ntfs.sys');
  assert.equal(comparable('(0x0000007B)'), '0x0000007b');
  assert.equal(comparable('Ünïcode!'), 'ünïcode');
});

test("a phrase is found only as adjacent words, in order, and its excerpt is cut around it with the phrase marked", () => {
  const words = 'You receive an Access is denied error. Access denied appears when access is denied.'.split(' ');
  assert.equal(phraseIndex(words, ['access', 'denied']), 7);
  assert.equal(phraseIndex(words, ['denied', 'access']), -1, 'the words in another order');
  assert.equal(phraseIndex(words, ['access', 'is', 'denied']), 3);

  const filler = (n: number, word: string) => Array.from({ length: n }, (_, i) => `${word}${i}`).join(' ');
  const content = `${filler(100, 'a')} the Access  Denied message ${filler(100, 'b')}`;
  const excerpt = phraseExcerpt(content, ['access', 'denied'])!;
  assert.deepEqual(markedText(excerpt), ['Access Denied']);
  const shown = plain(excerpt);
  assert.ok(shown.startsWith('… ') && shown.endsWith(' …'), shown);
  assert.equal(shown.replace(/…/g, '').split(/\s+/).filter(Boolean).length, EXCERPT_WORDS, shown);
  assert.ok(shown.includes('a99 the Access Denied message b0'), shown);

  assert.equal(phraseExcerpt(content, ['denied', 'access']), null, 'an article without the phrase is not a result');
  assert.deepEqual(phraseExcerpt('the error "Access denied." appears', ['access', 'denied']), [
    { text: 'the error "', marked: false },
    { text: 'Access denied', marked: true },
    { text: '." appears', marked: false },
  ], 'the quotes and punctuation around the phrase are not marked');
  const start = phraseExcerpt('Access denied at the start.', ['access', 'denied'])!;
  assert.deepEqual(start, [
    { text: 'Access denied', marked: true },
    { text: ' at the start.', marked: false },
  ]);
});

test("every occurrence of a word Pagefind marked once is marked, without the punctuation around it, and the text is unchanged", () => {
  const excerpt = excerptSegments('Run <mark>Setup,</mark> then setup again. &lt;SETUP&gt; setups and reset.', decode);
  const marked = markEveryOccurrence(excerpt);
  assert.equal(plain(marked), plain(excerpt), 'the same text');
  assert.deepEqual(markedText(marked), ['Setup,', 'setup', 'SETUP'], 'the same word wherever it is, not setups or reset');
  assert.deepEqual(marked.slice(2, 4), [
    { text: ' then ', marked: false },
    { text: 'setup', marked: true },
  ]);
  const nothingMarked = excerptSegments('no marks here', decode);
  assert.deepEqual(markEveryOccurrence(nothingMarked), nothingMarked);
});
