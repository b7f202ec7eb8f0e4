/**
 * What a search result shows of its article's text: the excerpt, with the searched words marked,
 * and for a quoted phrase whether the article has it at all. Pure functions over the text of a
 * result's Pagefind fragment; src/client/search.ts turns their segments into DOM nodes.
 *
 * Why the page does this and not Pagefind: kbsite's index keeps one location per word and page
 * (keptLocations in src/search/index-chunks.ts), which makes the index a fraction of Pagefind's.
 * Pagefind marks only the locations it has, so its excerpt marks a word once; and it finds a quoted
 * phrase by adjacent locations, which it no longer has. So the page marks every occurrence of a
 * word Pagefind marked, and checks a phrase in the text of each result, where it also cuts the
 * excerpt around it.
 */

/** A run of excerpt text, marked or not. */
export interface Segment {
  text: string;
  marked: boolean;
}

/** Words an excerpt shows (Pagefind's `excerptLength`, which the search page sets). */
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
  const segments: Segment[] = [];
  const push = (text: string, marked: boolean): void => {
    if (text) segments.push({ text, marked });
  };
  // Only the words are marked, not the quotes or punctuation around the phrase.
  const found = words.slice(at, at + phrase.length).join(' ');
  const [begin, stop] = lettersAndDigits(found);
  push(`${start > 0 ? '… ' : ''}${words.slice(start, at).join(' ')}${at > start ? ' ' : ''}${found.slice(0, begin)}`, false);
  push(found.slice(begin, stop), true);
  push(`${found.slice(stop)}${at + phrase.length < end ? ' ' : ''}${words.slice(at + phrase.length, end).join(' ')}${end < words.length ? ' …' : ''}`, false);
  return segments;
}

/**
 * Pagefind's excerpt with every occurrence of a marked word marked: Pagefind marks the locations
 * it has, one per word and page in kbsite's index. Adjacent text segments are joined.
 */
export function markEveryOccurrence(segments: readonly Segment[]): Segment[] {
  const marked = new Set(segments.filter((s) => s.marked).flatMap((s) => s.text.split(/\s+/).map(comparable)).filter(Boolean));
  const out: Segment[] = [];
  const push = (text: string, isMarked: boolean): void => {
    if (!text) return;
    const last = out.at(-1);
    if (last && last.marked === isMarked && !isMarked) last.text += text;
    else out.push({ text, marked: isMarked });
  };
  for (const segment of segments) {
    if (segment.marked || !marked.size) {
      push(segment.text, segment.marked);
      continue;
    }
    // Words and the spaces between them, so that the text is given back as it was.
    for (const part of segment.text.split(/(\s+)/)) {
      const word = comparable(part);
      if (!word || !marked.has(word)) {
        push(part, false);
        continue;
      }
      // Only the word is marked, not the punctuation around it.
      const [begin, end] = lettersAndDigits(part);
      push(part.slice(0, begin), false);
      push(part.slice(begin, end), true);
      push(part.slice(end), false);
    }
  }
  return out;
}

/** Pagefind's excerpt (text escaped as HTML, `<mark>` around marked words) as segments. */
export function excerptSegments(excerpt: string, decode: (html: string) => string): Segment[] {
  const segments: Segment[] = [];
  let marked = false;
  for (const part of excerpt.split(/(<mark>|<\/mark>)/)) {
    if (part === '<mark>') marked = true;
    else if (part === '</mark>') marked = false;
    else if (part) segments.push({ text: decode(part), marked });
  }
  return segments;
}
