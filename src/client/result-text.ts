/**
 * What a search result shows of its article's text: the excerpt, with the searched words marked,
 * and for a quoted phrase whether the article has it at all. Pure functions over the text of a
 * result's Pagefind fragment; src/client/search.ts turns their segments into DOM nodes.
 *
 * Why the page does this and not Pagefind: Pagefind cuts its excerpt around the locations of the
 * words it found, and finds a quoted phrase by adjacent locations. kbsite's index keeps one
 * location per word and page (keptLocations in src/search/index-chunks.ts), and the compact chunks
 * the search page loads keep only those that several words share (src/search/compact-chunks.ts):
 * that makes a search transfer a fraction of Pagefind's index. So the page finds the searched
 * words in the text of each result itself, as Pagefind matches them (stemmed, and as prefixes),
 * cuts the excerpt where they are densest and marks every occurrence; and it checks a phrase in
 * the text, and cuts the excerpt around it.
 */

/** A run of excerpt text, marked or not. */
export interface Segment {
  text: string;
  marked: boolean;
}

/** Words an excerpt shows (as many as Pagefind's own excerpts). */
export const EXCERPT_WORDS = 30;

/** Where a text's letters and digits begin and end: `"Setup,` → [1, 6]. */
function lettersAndDigits(text: string): [begin: number, end: number] {
  const begin = text.search(/[\p{L}\p{N}]/u);
  return begin < 0 ? [text.length, text.length] : [begin, text.search(/[^\p{L}\p{N}]*$/u)];
}

/** A word as compared: lower case, without the punctuation around it (`"Setup,` → `setup`). */
export function comparable(word: string): string {
  return word.slice(...lettersAndDigits(word)).toLowerCase();
}

/**
 * The phrase of a query that is one quoted phrase, as Pagefind reads one (`"access denied"`), as
 * comparable words; null for any other query (words, or quotes around part of it).
 */
export function quotedPhrase(query: string): string[] | null {
  const inner = /^\s*"(.+)"\s*$/s.exec(query)?.[1];
  if (!inner) return null;
  const words = inner.split(/\s+/).map(comparable).filter(Boolean);
  return words.length ? words : null;
}

/** The query a phrase is searched with: its words, unquoted (Pagefind finds the articles that have them all). */
export function phraseWordsQuery(phrase: readonly string[]): string {
  return phrase.join(' ');
}

/** Index of the first word of the phrase's first occurrence in the text's words, or -1. */
export function phraseIndex(words: readonly string[], phrase: readonly string[]): number {
  const compared = words.map(comparable);
  outer: for (let i = 0; i + phrase.length <= compared.length; i++) {
    for (let j = 0; j < phrase.length; j++) if (compared[i + j] !== phrase[j]) continue outer;
    return i;
  }
  return -1;
}

/**
 * The excerpt of a phrase match: about EXCERPT_WORDS words of the text around the phrase's first
 * occurrence, the phrase marked; null when the text does not have the phrase.
 */
export function phraseExcerpt(content: string, phrase: readonly string[]): Segment[] | null {
  const words = content.split(/\s+/).filter(Boolean);
  const at = phraseIndex(words, phrase);
  if (at < 0) return null;
  const before = Math.max(0, Math.floor((EXCERPT_WORDS - phrase.length) / 2));
  const start = Math.max(0, Math.min(at - before, words.length - EXCERPT_WORDS));
  const end = Math.min(words.length, start + Math.max(EXCERPT_WORDS, phrase.length));
  return excerptOf(words, start, end, [[at, at + phrase.length]]);
}

/**
 * Which of a query's words a word of a text matches (its index in the query), or -1. As Pagefind
 * matches them: both stemmed, the text's word starting with the query word (Pagefind searches each
 * word as a prefix of the indexed ones), without the punctuation around them.
 */
export function termMatcher(query: string, stem: (word: string) => string): (word: string) => number {
  const stems = query.split(/\s+/).map(comparable).filter(Boolean).map((word) => stem(word));
  // A word that has none of the stems' first two letters is no match, and most words are not: that
  // test spares the regular expressions and the stemmer for them.
  const openings = [...new Set(stems.map((s) => s.slice(0, 2)))];
  return (word) => {
    const lower = word.toLowerCase();
    if (!openings.some((opening) => lower.includes(opening))) return -1;
    const compared = comparable(word);
    if (!compared) return -1;
    let stemmed: string | null = null;
    for (let i = 0; i < stems.length; i++) {
      if (compared.startsWith(stems[i]!) || (stemmed ??= stem(compared)).startsWith(stems[i]!)) return i;
    }
    return -1;
  };
}

/**
 * The excerpt of a search result: about EXCERPT_WORDS words of the text where the most of the
 * searched words are (then the most occurrences), centred on them, every occurrence marked; the
 * text's beginning when it has none of them (e.g. the article matched by its title).
 */
export function termsExcerpt(content: string, matchOf: (word: string) => number): Segment[] {
  const words = content.split(/\s+/).filter(Boolean);
  const matches = words.map(matchOf);
  const length = Math.min(EXCERPT_WORDS, words.length);
  // Slide a window of `length` words, counting each term's occurrences in it, and all of them.
  const inWindow = new Map<number, number>();
  let occurrences = 0;
  const enter = (i: number, change: number): void => {
    const term = matches[i]!;
    if (term < 0) return;
    occurrences += change;
    const count = (inWindow.get(term) ?? 0) + change;
    if (count) inWindow.set(term, count);
    else inWindow.delete(term);
  };
  for (let i = 0; i < length; i++) enter(i, 1);
  let best = 0;
  let bestScore = inWindow.size * words.length + occurrences;
  for (let start = 1; start + length <= words.length; start++) {
    enter(start - 1, -1);
    enter(start + length - 1, 1);
    const score = inWindow.size * words.length + occurrences;
    if (score > bestScore) [best, bestScore] = [start, score];
  }
  // Centred on the matches in the best window; as good a window (no better one exists), so it has no others.
  let start = best;
  const inBest = matches.slice(best, best + length).flatMap((term, i) => (term >= 0 ? [best + i] : []));
  if (inBest.length) {
    const slack = length - (inBest.at(-1)! - inBest[0]! + 1);
    start = Math.max(0, Math.min(inBest[0]! - Math.floor(slack / 2), words.length - length));
  }
  const marked: Array<[number, number]> = [];
  for (let i = start; i < start + length; i++) if (matches[i]! >= 0) marked.push([i, i + 1]);
  return excerptOf(words, start, start + length, marked);
}

/**
 * Words `start` to `end` of a text as segments, with the word ranges `marked` (in order, within)
 * marked but not the punctuation around them, and `…` where the text goes on.
 */
function excerptOf(words: readonly string[], start: number, end: number, marked: ReadonlyArray<readonly [number, number]>): Segment[] {
  const segments: Segment[] = [];
  const push = (text: string, isMarked: boolean): void => {
    if (text) segments.push({ text, marked: isMarked });
  };
  let text = start > 0 ? '… ' : '';
  let at = start;
  for (const [from, to] of marked) {
    const found = words.slice(from, to).join(' ');
    const [begin, stop] = lettersAndDigits(found);
    push(`${text}${words.slice(at, from).join(' ')}${from > at ? ' ' : ''}${found.slice(0, begin)}`, false);
    push(found.slice(begin, stop), true);
    text = `${found.slice(stop)}${to < end ? ' ' : ''}`;
    at = to;
  }
  push(`${text}${words.slice(at, end).join(' ')}${end < words.length ? ' …' : ''}`, false);
  return segments;
}
