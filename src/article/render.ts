/**
 * Article body (Markdown) → HTML segments and a table of contents. markdown-it with three small
 * rules: stable heading anchors, file-table placeholders and KB cross-references.
 *
 * Raw HTML policy (README "Raw HTML in articles", src/article/sanitize.ts): authored HTML is
 * allowed, and the whole rendered body goes through sanitize-html with a conservative allowlist;
 * markup outside it is shown as text. Links in Markdown syntax are limited to markdown-it's safe
 * protocols (`validateLink`). Legacy bodies are plain text: the legacy importer backslash-escapes
 * every `<`, and `rawHtml: false` renders a body with no raw HTML at all.
 */
import MarkdownIt from 'markdown-it';
import type Token from 'markdown-it/lib/token.mjs';
import { sectionAnchor, splitExplicitAnchor, uniqueAnchor } from './anchors.ts';
import { docfxAlerts } from './docfx.ts';
import { sanitizeArticleHtml } from './sanitize.ts';
import { KB_MENTION, MS_KB_URL } from './references.ts';

export interface TocEntry {
  level: number;
  id: string;
  text: string;
}

/** A rendered body: HTML interleaved with file tables placed where the author put them. */
export type BodySegment = { html: string } | { table: string };

export interface RenderedBody {
  segments: BodySegment[];
  toc: TocEntry[];
  /** Ids of the tables the body placed; the layout shows the others after the body. */
  placedTables: string[];
  /** KB numbers this article links to (for backlinks and link checks). */
  references: number[];
}

export interface RenderContext {
  /** Is there a local article with this KB number? */
  hasArticle(id: number): boolean;
  /** URL of a local article page (honours the path prefix). */
  articleUrl(id: number): string;
}

export interface RenderOptions {
  /**
   * Allow raw HTML (sanitised, see src/article/sanitize.ts); default true. False for text that
   * must never be read as markup (legacy bodies): every `<` is then shown as written.
   */
  rawHtml?: boolean;
}

interface Env {
  ctx: RenderContext;
  toc: TocEntry[];
  references: Set<number>;
  /** Markdown images, rendered by markdown-it, held back from the sanitiser (which has no `<img>`). */
  images: string[];
}

const PLACEHOLDER = /^\[\[file-table:([A-Za-z0-9._-]+)\]\]$/;
// Markers are wrapped in NUL, which no article can contain (markdown-it replaces NUL in its
// input with U+FFFD), so authored text can never forge one; sanitize-html keeps them as text.
const MARK = '\u0000FT:';
const IMAGE_MARK = /\u0000IMG:(\d+)\u0000/g;

function createMarkdown(html: boolean): MarkdownIt {
  const md = new MarkdownIt({ html, linkify: true, typographer: false }).use(docfxAlerts);
  if (html) {
    const image = md.renderer.rules.image!;
    md.renderer.rules.image = (tokens, idx, options, env: Env, self) => {
      env.images.push(image(tokens, idx, options, env, self));
      return `\u0000IMG:${env.images.length - 1}\u0000`;
    };
  }
  md.core.ruler.push('kb_headings', (state) => {
    const env = state.env as Env;
    const used = new Set<string>();
    const tokens = state.tokens;
    for (let i = 0; i < tokens.length; i++) {
      const open = tokens[i]!;
      if (open.type !== 'heading_open') continue;
      const inline = tokens[i + 1]!;
      const { text, id: explicit } = splitExplicitAnchor(inline.content);
      if (explicit) {
        inline.content = text;
        const last = inline.children?.at(-1);
        if (last?.type === 'text') last.content = splitExplicitAnchor(last.content).text;
      }
      const plain = (inline.children ?? []).filter((t) => t.type === 'text' || t.type === 'code_inline').map((t) => t.content).join('') || text;
      const id = uniqueAnchor(explicit ?? sectionAnchor(plain), used);
      open.attrSet('id', id);
      const level = Number(open.tag.slice(1));
      if (level === 2 || level === 3) env.toc.push({ level, id, text: plain.trim() });
    }
  });
  md.core.ruler.push('kb_file_tables', (state) => {
    const tokens = state.tokens;
    for (let i = 0; i + 2 < tokens.length; i++) {
      const [open, inline, close] = [tokens[i]!, tokens[i + 1]!, tokens[i + 2]!];
      if (open.type !== 'paragraph_open' || inline.type !== 'inline' || close.type !== 'paragraph_close') continue;
      const m = PLACEHOLDER.exec(inline.content.trim());
      if (!m) continue;
      const block = new state.Token('html_block', '', 0);
      block.content = `${MARK}${m[1]}\u0000`;
      tokens.splice(i, 3, block);
    }
  });
  md.core.ruler.push('kb_xrefs', (state) => {
    const env = state.env as Env;
    for (const block of state.tokens) {
      if (block.type !== 'inline' || !block.children) continue;
      block.children = linkReferences(block.children, env, state.Token as unknown as typeof Token);
    }
  });
  return md;
}

/** Turn Q152734 / KB152734 mentions and support.microsoft.com/kb/152734 links into local links. */
function linkReferences(children: Token[], env: Env, TokenClass: typeof Token): Token[] {
  const out: Token[] = [];
  let linkDepth = 0;
  for (const token of children) {
    // A raw <a> counts as a link too: no xref link inside it (nested links).
    if (token.type === 'html_inline' && /^<a[\s>]/i.test(token.content)) linkDepth++;
    if (token.type === 'html_inline' && /^<\/a\s*>/i.test(token.content)) linkDepth = Math.max(0, linkDepth - 1);
    if (token.type === 'link_open') {
      linkDepth++;
      const href = token.attrGet('href') ?? '';
      const m = MS_KB_URL.exec(href);
      const id = m ? Number(m[1]) : NaN;
      if (m && env.ctx.hasArticle(id)) {
        token.attrSet('href', env.ctx.articleUrl(id));
        env.references.add(id);
      }
    }
    if (token.type === 'link_close') linkDepth--;
    if (token.type !== 'text' || linkDepth > 0 || !KB_MENTION.test(token.content)) {
      out.push(token);
      continue;
    }
    KB_MENTION.lastIndex = 0;
    let last = 0;
    const text = token.content;
    for (const m of text.matchAll(KB_MENTION)) {
      const id = Number(m[1]);
      if (!env.ctx.hasArticle(id)) continue;
      env.references.add(id);
      if (m.index > last) out.push(textToken(TokenClass, text.slice(last, m.index)));
      const open = new TokenClass('link_open', 'a', 1);
      open.attrSet('href', env.ctx.articleUrl(id));
      open.attrSet('class', 'kb-xref');
      out.push(open, textToken(TokenClass, m[0]), new TokenClass('link_close', 'a', -1));
      last = m.index + m[0].length;
    }
    if (last < text.length) out.push(textToken(TokenClass, text.slice(last)));
  }
  return out;
}

function textToken(TokenClass: typeof Token, content: string): Token {
  const t = new TokenClass('text', '', 0);
  t.content = content;
  return t;
}

const md = createMarkdown(true);
const mdText = createMarkdown(false);

export function renderBody(markdown: string, ctx: RenderContext, options: RenderOptions = {}): RenderedBody {
  const env: Env = { ctx, toc: [], references: new Set(), images: [] };
  const rawHtml = options.rawHtml ?? true;
  // Once over the whole body (not per HTML token), so that an element opened in one raw block and
  // closed in another (<details> around Markdown) stays one element, and nothing unclosed leaks
  // into the layout. Without raw HTML, markdown-it's own output is escaped already.
  const html = rawHtml ? sanitizeArticleHtml(md.render(markdown, env)).replace(IMAGE_MARK, (_, n: string) => env.images[Number(n)] ?? '') : mdText.render(markdown, env);
  const segments: BodySegment[] = [];
  const placedTables: string[] = [];
  const parts = html.split(MARK);
  if (parts[0]) segments.push({ html: parts[0] });
  for (const part of parts.slice(1)) {
    const end = part.indexOf('\u0000');
    const table = part.slice(0, end);
    placedTables.push(table);
    segments.push({ table });
    const rest = part.slice(end + 1);
    if (rest.trim()) segments.push({ html: rest });
  }
  return { segments, toc: env.toc, placedTables, references: [...env.references].sort((a, b) => a - b) };
}

/** Inline Markdown (a title, a caption) → HTML without a wrapping paragraph; HTML in it is text. */
export function renderInline(markdown: string): string {
  return mdText.renderInline(markdown);
}
