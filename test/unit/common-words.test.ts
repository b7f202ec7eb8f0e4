/** Common words, listed by the build and left out of searches by the search page (src/search/common-words.ts). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { stem } from 'porter2';
import { COMMON_WORD_MIN_ARTICLES, COMMON_WORD_SHARE, commonWordsOf, leaveOutCommonWords, wordOfLetters } from '../../src/search/common-words.ts';

test(`a word is common when at least ${COMMON_WORD_SHARE * 100}% of the articles and at least ${COMMON_WORD_MIN_ARTICLES} have it`, () => {
  const counts: Array<[string, number]> = [
    ['window', 34_200],
    ['servic', 18_000],
    ['setup', 17_999],
    ['kerbero', 28],
  ];
  assert.deepEqual(commonWordsOf(counts, 60_000), { articles: 60_000, words: { servic: 18_000, window: 34_200 } });
  assert.deepEqual(commonWordsOf([['the', 900]], 1_000).words, {}, `a small site has none: ${COMMON_WORD_MIN_ARTICLES} articles at least`);
  assert.deepEqual(commonWordsOf([['the', 9], ['quasar', 2]], 10, 5).words, { the: 9 }, 'tests set a lower least number');
});

test('only words of letters can be common: numbers, codes and file names are searched as typed', () => {
  assert.equal(wordOfLetters('Windows,'), 'windows');
  assert.equal(wordOfLetters('"Setup"'), 'setup');
  assert.equal(wordOfLetters('ntfs.sys'), null);
  assert.equal(wordOfLetters('2000'), null);
  assert.equal(wordOfLetters('0x24'), null);
});

const common = { articles: 60_000, words: { window: 34_200, servic: 19_200, server: 22_000, the: 60_000 } };

test('common words are left out of a query that has other words, and named with their share of the articles', () => {
  assert.deepEqual(leaveOutCommonWords('Windows 2000 setup', common, stem), { query: '2000 setup', leftOut: [{ word: 'Windows', share: 0.57 }] });
  assert.deepEqual(leaveOutCommonWords('the terminal servers', common, stem), {
    query: 'terminal',
    leftOut: [
      { word: 'the', share: 1 },
      { word: 'servers', share: 22_000 / 60_000 },
    ],
  });
  assert.deepEqual(leaveOutCommonWords('windows Windows, printer', common, stem).leftOut, [{ word: 'windows', share: 0.57 }], 'a word is named once');
});

test('a query of common words only, or of none, is searched as typed; numbers, codes and file names are never left out', () => {
  assert.deepEqual(leaveOutCommonWords('Windows service', common, stem), { query: 'Windows service', leftOut: [] });
  assert.deepEqual(leaveOutCommonWords('kerberos ticket', common, stem), { query: 'kerberos ticket', leftOut: [] });
  assert.deepEqual(leaveOutCommonWords('the', common, stem), { query: 'the', leftOut: [] });
  const withNumbers = { articles: 100, words: { '2000': 90, setupex: 80, window: 70 } };
  assert.deepEqual(leaveOutCommonWords('2000 setup.exe windows', withNumbers, stem), { query: '2000 setup.exe', leftOut: [{ word: 'windows', share: 0.7 }] });
});
