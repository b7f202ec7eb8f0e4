/**
 * "Did you mean …?" for misspelt field names: a misspelt key must never silently drop data, and
 * the message that reports it should name the key the author meant. Pure.
 */

/** Levenshtein distance (insertions, deletions, substitutions). */
export function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length]!;
}

/** The first candidate within two edits of `word` (ignoring case), or null. */
export function closestName(word: string, candidates: readonly string[]): string | null {
  const lower = word.toLowerCase();
  return candidates.find((c) => editDistance(c.toLowerCase(), lower) <= 2) ?? null;
}
