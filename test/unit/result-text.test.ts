/** What a search result shows of its article's text (src/client/result-text.ts). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { stem } from 'porter2';
import { EXCERPT_WORDS, comparable, phraseExcerpt, phraseIndex, quotedPhrase, termMatcher, termsExcerpt } from '../../src/client/result-text.ts';

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

test('a word of the text matches a searched word as Pagefind matches it: stemmed, as a prefix, without the punctuation around it', () => {
  const matchOf = termMatcher('Denied printers 0x0000007B', stem);
  assert.equal(matchOf('denied'), 0);
  assert.equal(matchOf('DENIES.'), 0, 'another form of the word');
  assert.equal(matchOf('deny'), 0, 'stemmed to the same stem (deni)');
  assert.equal(matchOf('"Printer"'), 1);
  assert.equal(matchOf('printer-friendly'), 1, 'a longer word starting with it');
  assert.equal(matchOf('print'), -1, 'a shorter word');
  assert.equal(matchOf('(0x0000007b),'), 2);
  assert.equal(matchOf('0x0000007'), -1);
  assert.equal(matchOf('access'), -1);
  assert.equal(termMatcher('  ', stem)('anything'), -1, 'nothing searched');
});

test('the excerpt is cut where the most of the searched words are, centred on them, every occurrence marked without its punctuation, and the text kept', () => {
  const filler = (n: number, word: string) => Array.from({ length: n }, (_, i) => `${word}${i}`).join(' ');
  const content = `Setup ${filler(60, 'a')} the Setup, failed: setup.exe could not copy the printer driver ${filler(60, 'b')} printer`;
  const excerpt = termsExcerpt(content, termMatcher('setup printer', stem));
  assert.deepEqual(markedText(excerpt), ['Setup', 'setup.exe', 'printer'], 'both words, not the first occurrence of one');
  const shown = plain(excerpt);
  assert.ok(shown.startsWith('… ') && shown.endsWith(' …'), shown);
  assert.equal(shown.replace(/…/g, '').split(/\s+/).filter(Boolean).length, EXCERPT_WORDS, shown);
  assert.ok(shown.includes('the Setup, failed: setup.exe could not copy the printer driver'), shown);
  const words = shown.replace(/…/g, '').split(/\s+/).filter(Boolean);
  const [first, last] = [words.indexOf('Setup,'), words.indexOf('printer')];
  assert.ok(Math.abs(first - (words.length - 1 - last)) <= 1, `centred on the matches: ${shown}`);
  assert.deepEqual(excerpt.slice(0, 3).map((s) => s.marked), [false, true, false]);
  assert.ok(excerpt[2]!.text.startsWith(', failed: '), 'the comma after Setup is not marked');

  assert.deepEqual(termsExcerpt('Printer offline.', termMatcher('printer', stem)), [
    { text: 'Printer', marked: true },
    { text: ' offline.', marked: false },
  ]);
  const none = termsExcerpt(`${filler(40, 'c')}`, termMatcher('printer', stem));
  assert.deepEqual(markedText(none), [], 'no occurrence: nothing marked');
  assert.ok(plain(none).startsWith('c0 c1') && plain(none).endsWith(' …'), 'the beginning of the text');
  assert.deepEqual(termsExcerpt('', termMatcher('printer', stem)), []);
});
