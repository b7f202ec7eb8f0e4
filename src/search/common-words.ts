/**
 * Common words: words so many articles have that they narrow a search of several words hardly at
 * all, and cost it the most. The build lists them (`pagefind/kb-common-words.json`, written with the
 * merged index); the search page leaves them out of a query that has other words, says so, and
 * offers to search every word (src/client/search.ts).
 *
 * Why: Pagefind loads all of a word's index before it searches, and a word in most articles is a
 * large chunk. At 60,000 articles "windows" (in 57% of them) is 106 KB gzipped even with one
 * location per page, and "Windows 2000 setup" loaded 174 KB where "2000 setup" loads 40 KB. What
 * leaving it out changes is small: BM25 gives a word in 57% of the articles an IDF of 0.6 against
 * 4.6 for a word in 1%, so the ranking hardly moves; and the results may include articles that lack
 * the common word. Searching every word stays one click away. A query of common words only, a
 * quoted phrase's check (src/client/result-text.ts) and stop-code searches keep every word.
 *
 * Words are Pagefind's index words: lower case, stemmed with Porter2 (Pagefind's English stemmer,
 * rust-stemmers; the search page stems with the `porter2` package, which gives the same stems).
 */

/** A word is common when at least this share of the articles has it... */
export const COMMON_WORD_SHARE = 0.3;
/** ...and at least this many: below that, its index chunk is small, and leaving it out saves little. */
export const COMMON_WORD_MIN_ARTICLES = 1_000;

/** The file the build writes into the search bundle. */
export const COMMON_WORDS_FILE = 'kb-common-words.json';

export interface CommonWords {
  /** Articles in the index. */
  articles: number;
  /** Common index words and how many articles have each. */
  words: Record<string, number>;
}

/**
 * The common words of an index, from every word's article count. `minArticles` is
 * COMMON_WORD_MIN_ARTICLES but for tests, whose sites are small.
 */
export function commonWordsOf(counts: Iterable<[string, number]>, articles: number, minArticles = COMMON_WORD_MIN_ARTICLES): CommonWords {
  const threshold = Math.max(minArticles, Math.ceil(articles * COMMON_WORD_SHARE));
  const words = [...counts].filter(([, count]) => count >= threshold).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return { articles, words: Object.fromEntries(words) };
}

/** The file of the search bundle that lists them (the build writes it, the search page reads it). */
export function commonWordsFile(common: CommonWords): { path: string; content: Uint8Array } {
  return { path: COMMON_WORDS_FILE, content: new TextEncoder().encode(JSON.stringify(common)) };
}

/** A word left out of a search, and the share of articles that have it. */
export interface LeftOut {
  word: string;
  share: number;
}

/**
 * A typed word as the index has it, when it is a word of letters (`Windows,` → `windows`), else
 * null: numbers, codes and file names (`ntfs.sys`) are never left out.
 */
export function wordOfLetters(typed: string): string | null {
  const bare = typed.replace(/^\p{P}+|\p{P}+$/gu, '').toLowerCase();
  return /^\p{L}+$/u.test(bare) ? bare : null;
}

/**
 * The query to search: the typed words without the common ones, when some word is not common; and
 * the words left out (each stem once).
 */
export function leaveOutCommonWords(query: string, common: CommonWords, stem: (word: string) => string): { query: string; leftOut: LeftOut[] } {
  const typed = query.split(/\s+/).filter(Boolean);
  const stems = typed.map((word) => {
    const letters = wordOfLetters(word);
    return letters === null ? null : stem(letters);
  });
  const isCommon = stems.map((stemmed) => (stemmed !== null && Object.hasOwn(common.words, stemmed) ? common.words[stemmed]! : 0));
  if (isCommon.every(Boolean) || !isCommon.some(Boolean)) return { query, leftOut: [] };
  const leftOut: LeftOut[] = [];
  for (const [i, word] of typed.entries()) {
    if (isCommon[i] && !typed.slice(0, i).some((earlier, j) => isCommon[j] && stems[j] === stems[i])) leftOut.push({ word, share: isCommon[i]! / common.articles });
  }
  return { query: typed.filter((_, i) => !isCommon[i]).join(' '), leftOut };
}
