/**
 * The raw-HTML policy of article bodies, in one place (README "Raw HTML in articles").
 *
 * Authors may write a little HTML in Markdown where Markdown has no syntax for it: `<kbd>`,
 * `<sup>`/`<sub>`, `<br>`, `<details>`/`<summary>`, tables with merged cells, `<abbr>`, and
 * `<span>`/`<div>` with a class. The rendered body (Markdown output and raw HTML together) goes
 * through sanitize-html once, with the allowlist below:
 *
 * - tags outside the allowlist (`<script>`, `<style>`, `<iframe>`, `<svg>`, `<img>`, `<form>`,
 *   `<object>`, …) are shown as text, never as markup, so the author sees them in the preview
 *   (and readers see that something was written there) instead of losing them silently;
 * - attributes outside the allowlist are dropped: no `on…` handlers, no `style` (except the
 *   `text-align` markdown-it writes on table cells), no `id` except on headings (anchors);
 * - URLs may only be http, https, ftp, mailto or relative: `javascript:`, `vbscript:` and
 *   `data:` links are removed;
 * - comments are removed.
 *
 * Everything markdown-it emits for Markdown syntax is in the allowlist, so sanitising changes
 * nothing in an article without raw HTML. Images are the exception: Markdown `![alt](src)` is kept
 * (markdown-it's `validateLink` has already checked its URL) but a raw `<img>` is not, so the
 * renderer hands images past the sanitiser (see `render.ts`).
 *
 * Pure: no I/O. https://github.com/apostrophecms/sanitize-html#what-are-the-default-options
 */
import sanitizeHtml from 'sanitize-html';

const HEADINGS = ['h1', 'h2', 'h3', 'h4', 'h5', 'h6'];
const TABLE_CELL_ALIGN = { 'text-align': [/^(?:left|right|center)$/] };

/** Tags an article body may contain (from Markdown or written as HTML). */
export const ALLOWED_TAGS: readonly string[] = [
  // What markdown-it writes for Markdown syntax.
  'p', 'br', 'hr', 'em', 'strong', 's', 'code', 'pre', 'blockquote', 'ul', 'ol', 'li', 'a',
  ...HEADINGS, 'table', 'thead', 'tbody', 'tr', 'th', 'td',
  // Raw HTML an author may add: small inline semantics, disclosure, richer tables, containers.
  'b', 'i', 'u', 'del', 'ins', 'mark', 'small', 'sup', 'sub', 'kbd', 'samp', 'var', 'abbr', 'cite', 'q', 'dfn',
  'dl', 'dt', 'dd', 'details', 'summary', 'caption', 'tfoot', 'colgroup', 'col', 'span', 'div',
];

const options: sanitizeHtml.IOptions = {
  allowedTags: [...ALLOWED_TAGS],
  allowedAttributes: {
    a: ['href', 'title'],
    abbr: ['title'],
    dfn: ['title'],
    ol: ['start', 'reversed'],
    details: ['open'],
    th: ['scope', 'colspan', 'rowspan', 'style'],
    td: ['colspan', 'rowspan', 'style'],
    col: ['span'],
    colgroup: ['span'],
    // Any class on span and div (docfx alerts: <div class="alert alert-note" role="note">).
    span: ['class'],
    div: ['class', 'role'],
    // Section anchors (`{#my-id}`, stable section ids); a raw heading may pin one too.
    ...Object.fromEntries(HEADINGS.map((h) => [h, ['id']])),
  },
  // Elsewhere only the classes the renderer itself writes.
  allowedClasses: {
    a: ['kb-xref'],
    p: ['alert-title'],
    code: [/^language-[\w-]+$/],
  },
  allowedStyles: { th: TABLE_CELL_ALIGN, td: TABLE_CELL_ALIGN },
  // role="note" only (sanitize-html's `values` filter would leave an empty `role` behind).
  transformTags: {
    div: (tagName, { role, ...attribs }) => ({ tagName, attribs: role === 'note' ? { ...attribs, role } : attribs }),
  },
  allowedSchemes: ['http', 'https', 'ftp', 'mailto'],
  allowedSchemesByTag: {},
  allowedSchemesAppliedToAttributes: ['href', 'src', 'cite'],
  allowProtocolRelative: true,
  disallowedTagsMode: 'recursiveEscape',
  enforceHtmlBoundary: false,
};

/** Apply the article raw-HTML policy to rendered body HTML. */
export function sanitizeArticleHtml(html: string): string {
  return sanitizeHtml(html, options);
}
