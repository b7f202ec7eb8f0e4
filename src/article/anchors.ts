/**
 * Stable section anchors. Support engineers paste `…/kb/243852/#resolution` into tickets, so the
 * usual sections get fixed ids that survive re-wording of the heading ("Resolution",
 * "How to resolve this issue", "RESOLUTION" all give `#resolution`). Other headings get a slug,
 * and an author can pin any id with a trailing `{#my-id}`.
 */

/** Canonical id → heading words that mean that section (matched on the slug). */
const SECTION_SYNONYMS: Record<string, string[]> = {
  summary: ['summary', 'overview', 'introduction'],
  symptoms: ['symptoms', 'symptom'],
  cause: ['cause', 'causes'],
  resolution: ['resolution', 'resolutions', 'how-to-resolve-this-issue', 'how-to-resolve-this-problem', 'fix', 'solution'],
  workaround: ['workaround', 'workarounds', 'how-to-work-around-this-issue'],
  status: ['status'],
  'more-information': ['more-information', 'more-info', 'additional-information'],
  references: ['references', 'reference'],
  'applies-to': ['applies-to'],
  'file-information': ['file-information', 'hotfix-file-information'],
};

const SYNONYM_TO_ID = new Map<string, string>(
  Object.entries(SECTION_SYNONYMS).flatMap(([id, words]) => words.map((w) => [w, id] as [string, string])),
);

/** Lower-case, ASCII-friendly slug: "More Information" → "more-information". */
export function slugify(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9._]+/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '')
    .slice(0, 80);
}

/** The anchor for a heading: canonical for known sections, else its slug. */
export function sectionAnchor(headingText: string): string {
  const slug = slugify(headingText);
  return SYNONYM_TO_ID.get(slug) ?? (slug || 'section');
}

/** `Title {#custom-id}` → { text: 'Title', id: 'custom-id' }. */
export function splitExplicitAnchor(headingText: string): { text: string; id: string | null } {
  const m = /\s*\{#([A-Za-z][\w.-]*)\}\s*$/.exec(headingText);
  return m ? { text: headingText.slice(0, m.index), id: m[1]! } : { text: headingText, id: null };
}

/** Make ids unique within one page: second "notes" becomes "notes-2". */
export function uniqueAnchor(id: string, used: Set<string>): string {
  let candidate = id;
  for (let n = 2; used.has(candidate); n++) candidate = `${id}-${n}`;
  used.add(candidate);
  return candidate;
}
