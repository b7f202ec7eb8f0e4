/**
 * The legacy (kbarchive) importer: one archived Microsoft KB article (Jekyll front matter plus a
 * `{% raw %}` block holding the TAB-indented plain-text original) → metadata and a Markdown body.
 *
 * Pure: no I/O. The caller reads the file and splits off the front matter.
 *
 * The rules below were tuned on the 60,335-article corpus with `bench/legacy-stats.ts`; the
 * evidence behind each decision is written next to the code it governs. Anything the importer
 * cannot place is reported in `warnings` and left as text, never guessed.
 */
import type { FileTable } from '../file-versions.ts';
import { extractTextFileTables } from './text-file-tables.ts';

export interface LegacyInput {
  frontMatter: Record<string, unknown>;
  /** Everything after the front matter. */
  body: string;
  sourcePath: string;
}

export interface LegacyArticle {
  id: number;
  title: string;
  products: string[];
  versions: string[];
  operatingSystems: string[];
  keywords: string[];
  technologies: string[];
  appliesTo: string[];
  queryWords: string[];
  issueType: string | null;
  /** ISO YYYY-MM-DD */
  lastModified: string | null;
  permalink: string | null;
  /** First sentence(s) of SUMMARY or SYMPTOMS (else of the first paragraph), plain text, <= 200 chars. */
  summary: string;
  /** Markdown. */
  body: string;
  /** From `extractTextFileTables`; the body holds a `[[file-table:<id>]]` line for each. */
  fileTables: FileTable[];
  /**
   * Unknown/missing fields, unparsed blocks: reported, never guessed. A `line N:` prefix counts
   * lines of `LegacyInput.body` from 1 (add the front matter's lines for the line in the file).
   */
  warnings: string[];
}

// ---------------------------------------------------------------------------------------------
// Small text helpers
// ---------------------------------------------------------------------------------------------

const NAMED_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

/** The archive HTML-escaped its front-matter titles (`&quot;`, `&#92;`, …); this undoes that. */
function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, ref: string) => {
    if (ref[0] === '#') {
      const code = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return NAMED_ENTITIES[ref.toLowerCase()] ?? whole;
  });
}

function dedupe(values: string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const v of values) {
    const key = v.toLowerCase();
    if (v && !seen.has(key)) {
      seen.add(key);
      out.push(v);
    }
  }
  return out;
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];

/** `16-MAY-2002` → `2002-05-16`; null if not a real date. Articles from 1988–1991 write `6-NOV-1989`. */
export function parseLegacyDate(text: string): string | null {
  const m = /^\s*(\d{1,2})-([A-Za-z]{3})-(\d{4})\s*$/.exec(text);
  if (!m) return null;
  const day = Number(m[1]);
  const month = MONTHS.indexOf(m[2]!.toUpperCase()) + 1;
  const year = Number(m[3]);
  if (month === 0 || day < 1) return null;
  const probe = new Date(Date.UTC(year, month - 1, day));
  if (probe.getUTCFullYear() !== year || probe.getUTCMonth() !== month - 1 || probe.getUTCDate() !== day) return null;
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

// ---------------------------------------------------------------------------------------------
// Recognising a legacy file
// ---------------------------------------------------------------------------------------------

const HEADER_ARTICLE_RE = /^[ \t]*Article:[ \t]*Q\d+[ \t]*$/m;

/**
 * True when a file looks like a kbarchive legacy article: the body carries the archive's
 * `Article: Q<n>` header line, or the front matter has the archive's `Q<n>: ` title or
 * `/kb/<nnn>/Q<n>/` permalink and the body has the `{% raw %}` wrapper.
 */
export function isLegacyArticle(frontMatter: Record<string, unknown>, body: string): boolean {
  const head = body.slice(0, 4000);
  if (HEADER_ARTICLE_RE.test(head) && /^[ \t]*Last Modified:/m.test(head)) return true;
  const title = typeof frontMatter.title === 'string' ? frontMatter.title : '';
  const permalink = typeof frontMatter.permalink === 'string' ? frontMatter.permalink : '';
  const fmCue = /^Q\d+:\s/.test(title) || /^\/kb\/\d+\/Q\d+\/?$/.test(permalink);
  return fmCue && head.includes('{% raw %}');
}

// ---------------------------------------------------------------------------------------------
// Metadata fields
// ---------------------------------------------------------------------------------------------

/** The header every corpus article starts with, in this order (60,335 of 60,335). */
const HEADER_FIELDS = ['Article', 'Product(s)', 'Version(s)', 'Operating System(s)', 'Keyword(s)', 'Last Modified'] as const;
type HeaderField = (typeof HEADER_FIELDS)[number];

/**
 * Fields of the trailing block after the `=====` line. Solution Type (kbfix/kbpending/kbnofix),
 * Hardware (x86/ALPHA/…), Component and Platform are known but have no place in the model.
 */
const TRAILER_FIELDS = ['Keywords', 'Technology', 'Version', 'Issue type', 'Solution Type', 'Hardware', 'Component', 'Platform'];
const TRAILER_LINE_RE = new RegExp(`^(${TRAILER_FIELDS.join('|')})\\s*:\\s?(.*)$`);

/** Issue types in the corpus; a few articles list several (`kbhowto kbinfo`). */
const ISSUE_TYPES = ['kbbug', 'kbprb', 'kbinfo', 'kbhowto'];

/** Space- or `|`-separated words; `SR# S891010-116` (a service request number, 699 old articles) stays one. */
function splitWords(value: string): string[] {
  return value
    .replace(/\bSR#\s+(?=\S)/g, 'SR#\u0000')
    .split(/[\s|]+/)
    .filter((w) => w !== '')
    .map((w) => w.replace('\u0000', ' '));
}

/**
 * `winnt:4.0,4.0 SP1` · `WINDOWS:97; winnt:4.0` · `4.00 4.00b 4.50` · `2.20   | 2.20` → the version
 * strings, in order, without the platform prefix. Old articles separate versions by spaces; a
 * space-separated value is split only when every part is a bare version number, so `4.0 SP1` and
 * `3.0 (all SP)` stay whole.
 */
function parseVersions(value: string): string[] {
  const out: string[] = [];
  for (const group of value.split(/[;|]/)) {
    const list = group.replace(/^\s*[A-Za-z][\w-]*\s*:|^\s*:/, '');
    for (const part of list.split(',')) {
      const v = part.trim();
      if (!v) continue;
      const words = v.split(/\s+/);
      if (words.length > 1 && words.every((w) => /^\d[\w.]*$/.test(w))) out.push(...words);
      else out.push(v);
    }
  }
  return dedupe(out);
}

/**
 * Sub-items under `The Standard C++ Library, included with:` carry the archive's editor markup
 * (`*EDITOR Please do not choose this product*Microsoft Visual C++ 32-bit Edition* use 241, 265,
 * 225, version 4.2`, ~200 articles): the product name and versions are kept. The archive
 * HTML-escaped a few items (`MSN Music &amp; Animation`).
 */
function cleanAppliesTo(text: string): string {
  const editor = /^\*EDITOR Please do not choose this product\*(.*?)\*\s*use [\d, ]*?(?:,\s*(versions?\b.*))?$/.exec(text);
  if (editor) return editor[2] ? `${editor[1]!.trim()}, ${editor[2].trim()}` : editor[1]!.trim();
  return decodeEntities(text.trim());
}

// ---------------------------------------------------------------------------------------------
// Lines
// ---------------------------------------------------------------------------------------------

interface Line {
  /** Leading spaces after de-indenting (tabs in the indentation expanded to 8-column stops). */
  indent: number;
  /** Without the indentation and trailing blanks; '' for a blank line. */
  text: string;
}

function expandIndent(raw: string): string {
  const m = /^[ \t]*/.exec(raw)![0];
  if (!m.includes('\t')) return raw;
  let col = 0;
  for (const ch of m) col = ch === '\t' ? col + 8 - (col % 8) : col + 1;
  return ' '.repeat(col) + raw.slice(m.length);
}

/**
 * Every non-blank corpus body line (3.6M) starts with one TAB; handwritten
 * files may use spaces instead, so the common indentation is removed when there is no TAB.
 */
function deindent(rawLines: string[]): string[] {
  const nonBlank = rawLines.filter((l) => l.trim() !== '');
  if (nonBlank.length > 0 && nonBlank.every((l) => l.startsWith('\t'))) {
    return rawLines.map((l) => expandIndent(l.startsWith('\t') ? l.slice(1) : l).trimEnd());
  }
  const expanded = rawLines.map((l) => expandIndent(l).trimEnd());
  let common = Infinity;
  for (const l of expanded) if (l !== '') common = Math.min(common, l.length - l.trimStart().length);
  if (!Number.isFinite(common) || common === 0) return expanded;
  return expanded.map((l) => l.slice(common));
}

function toLine(raw: string): Line {
  const text = raw.trim();
  return { indent: text === '' ? 0 : raw.length - raw.trimStart().length, text };
}

const RULE_RE = /^(?:-{3,}|={3,}|_{3,}|\*{3,})$/;
const DASH_RULE_RE = /^-{20,}$/;

// ---------------------------------------------------------------------------------------------
// Body → blocks
// ---------------------------------------------------------------------------------------------

type ListKind = 'number' | 'alpha' | 'bullet';

interface ListItem {
  /** Source number for ordered items. */
  number: number;
  /** Literal label kept in the text for `a.`/`(b)`/`iv.` items (Markdown has no lettered lists). */
  label: string | null;
  blankBefore: boolean;
  blocks: Block[];
}

type Block =
  | { kind: 'heading'; level: 2 | 3; text: string }
  | { kind: 'paragraph'; lines: string[] }
  | { kind: 'code'; lines: Line[] }
  | { kind: 'list'; list: ListKind; markerIndent: number; items: ListItem[] }
  | { kind: 'rule' }
  | { kind: 'placeholder'; text: string };

interface Container {
  item: ListItem | null;
  markerIndent: number;
  /** Column of the item's text; deeper lines are preformatted. */
  textCol: number;
  blocks: Block[];
  kind: ListKind | null;
}

/**
 * List markers seen at the start of corpus paragraphs: `- ` (150k), `1. ` (149k), `a. ` (10k),
 * `* `, `A. `, `(a) `, `1) `, `(1) `, `i. `, and `o ` bullets in very old articles. `o` counts only
 * before a capital letter so an ordinary word cannot start a list.
 */
const MARKER_RE =
  /^(?:(\d{1,3})[.)]|\((\d{1,3})\)|((?:i{1,3}|iv|vi{0,3}|ix|x)[.)])|([a-zA-Z][.)])|(\([a-zA-Z]\))|([-*+\u2022])|(o)(?= +["'A-Z]))( +)(?=\S)/;

interface Marker {
  kind: ListKind;
  number: number;
  label: string | null;
  width: number;
  rest: string;
}

function matchMarker(text: string): Marker | null {
  const m = MARKER_RE.exec(text);
  if (!m) return null;
  const width = m[0].length;
  const rest = text.slice(width);
  if (m[1] !== undefined || m[2] !== undefined) return { kind: 'number', number: Number(m[1] ?? m[2]), label: null, width, rest };
  const label = m[3] ?? m[4] ?? m[5];
  if (label !== undefined) return { kind: 'alpha', number: 0, label, width, rest };
  return { kind: 'bullet', number: 0, label: null, width, rest };
}

/**
 * A table row or column rule: a run of 3+ spaces inside the line that does not follow sentence
 * punctuation (old articles put two or three spaces after a full stop), a TAB between words, or
 * `----  ------` column underlines. In the corpus 71k of 1.16M top-level chunks match; 1.1k of
 * those only after punctuation.
 */
function isTabular(text: string): boolean {
  return /[^.:;?!\s] {3,}\S/.test(text) || /\S\t+\S/.test(text) || /^[-=]{2,}(?: +[-=]{2,})+$/.test(text);
}

/**
 * Program text at the margin in 1980s–90s articles (BASIC, C, INI and batch files): comments and
 * preprocessor lines, lines ending in `;` `{` `}`, assignments, `[section]` headers and upper-case
 * BASIC statements. A chunk of two or more lines is code when 60% of its lines look like this; on
 * a sample of the 3.3k corpus chunks that qualify, all were program or configuration text.
 */
const CODE_LINE_RES = [
  /^(?:'|\/\/|\/\*|\*\/|#include|#define|#if|#else|#endif|#pragma|REM\b|;)/,
  /[;{}]$/,
  /^[A-Za-z_][\w$%&!#.[\]()]*\s*=\s*\S/,
  /^\[[\w .-]+\]$/,
  /^[A-Z]{2,}(?: [A-Z$#%0-9"(]|$)(?!.*\.$)/,
  /^(?:END|NEXT|LOOP|WEND|ELSE|END IF|END SUB|END FUNCTION|RETURN|CLS|STOP)\b/,
];

function isCodeLine(text: string): boolean {
  return CODE_LINE_RES.some((re) => re.test(text));
}

const PLACEHOLDER_RE = /^\[\[file-table:[^\]\s]+\]\]$/;

function isAllCaps(text: string): boolean {
  return /[A-Z]/.test(text) && !/[a-z]/.test(text);
}

interface HeadingMatch {
  level: 2 | 3;
  text: string;
  consumed: number;
}

/**
 * Section titles are underlined with `=` (SYMPTOMS, CAUSE, … 171k with an underline of the same
 * length), sub-headings with `-` (42k same length). A dash line of another length under a line is
 * mostly a table header or a separator, so `-` underlines must be within 2–3 characters of the
 * title (more when the title also has an overline: boxed titles in readme-style articles).
 * Table header rows (`File           Description` + `=====`) are never headings.
 */
function headingAt(lines: Line[], i: number): HeadingMatch | null {
  const prev = i > 0 ? lines[i - 1]! : null;
  const title = lines[i]!;
  const under = lines[i + 1];
  if (!under || under.text === '' || title.text === '') return null;
  let overline: Line | null = null;
  if (prev && prev.text !== '') {
    if (!RULE_RE.test(prev.text)) return null;
    const before = i > 1 ? lines[i - 2]! : null;
    if (before && before.text !== '') return null;
    overline = prev;
  }
  if (RULE_RE.test(title.text) || isTabular(title.text) || title.text.length > 100 || !/[A-Za-z0-9]/.test(title.text)) return null;
  if (/[|]/.test(title.text)) return null;
  const tl = title.text.length;
  const ul = under.text.length;
  if (/^={3,}$/.test(under.text)) {
    if (under.indent > 3 || ul < tl - 2) return null;
    return { level: 2, text: title.text, consumed: 2 };
  }
  if (/^-{3,}$/.test(under.text)) {
    if (under.indent !== title.indent || title.indent > 3) return null;
    const ok = overline && /^-{3,}$/.test(overline.text) ? Math.abs(ul - tl) <= 12 || ul === overline.text.length : ul >= tl - 2 && ul <= tl + 3;
    if (!ok) return null;
    return { level: 3, text: title.text, consumed: 2 };
  }
  return null;
}

interface ParseState {
  lines: Line[];
  root: Container;
  stack: Container[];
  para: { lines: string[]; source: Line[]; container: Container; limit: number } | null;
  code: { block: { kind: 'code'; lines: Line[] }; container: Container; threshold: number; pendingBlank: number } | null;
  /** The last code block and whether only blank lines followed it: tabular chunks merge into it. */
  lastCode: { block: { kind: 'code'; lines: Line[] }; container: Container; blanks: number } | null;
}

function top(state: ParseState): Container {
  return state.stack[state.stack.length - 1]!;
}

function closePara(state: ParseState): void {
  state.para = null;
}

function closeCode(state: ParseState): void {
  if (state.code) state.lastCode = { block: state.code.block, container: state.code.container, blanks: state.code.pendingBlank };
  state.code = null;
}

function addCode(state: ParseState, container: Container, lines: Line[], threshold: number): void {
  const last = state.lastCode;
  if (last && last.container === container && container.blocks[container.blocks.length - 1] === last.block && last.blanks > 0) {
    for (let k = 0; k < last.blanks; k++) last.block.lines.push({ indent: 0, text: '' });
    last.block.lines.push(...lines);
    state.code = { block: last.block, container, threshold, pendingBlank: 0 };
    state.lastCode = null;
    return;
  }
  const block = { kind: 'code' as const, lines: [...lines] };
  container.blocks.push(block);
  state.code = { block, container, threshold, pendingBlank: 0 };
  state.lastCode = null;
}

/** Leave list items that a line at `indent` (not a marker) cannot belong to. */
function popForText(state: ParseState, indent: number): Container {
  while (state.stack.length > 1 && indent <= top(state).markerIndent) state.stack.pop();
  return top(state);
}

function textLimit(container: Container): number {
  return container.item ? container.textCol : 0;
}

function parseBlocks(lines: Line[]): Block[] {
  const root: Container = { item: null, markerIndent: -1, textCol: 0, blocks: [], kind: null };
  const state: ParseState = { lines, root, stack: [root], para: null, code: null, lastCode: null };
  let blankBefore = true;

  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.text === '') {
      closePara(state);
      if (state.code) state.code.pendingBlank++;
      else if (state.lastCode) state.lastCode.blanks++;
      blankBefore = true;
      continue;
    }
    const wasBlank = blankBefore;
    blankBefore = false;

    // Headings first: an indented centred title must not be swallowed by an open code block.
    if (wasBlank || RULE_RE.test(line.text)) {
      const overlined = RULE_RE.test(line.text) && wasBlank ? headingAt(lines, i + 1) : null;
      const heading = overlined ?? (wasBlank ? headingAt(lines, i) : null);
      if (heading) {
        closePara(state);
        closeCode(state);
        state.lastCode = null;
        state.stack.length = 1;
        root.blocks.push({ kind: 'heading', level: heading.level, text: heading.text });
        i += heading.consumed - 1 + (overlined ? 1 : 0);
        blankBefore = false;
        continue;
      }
    }

    if (state.code) {
      if (line.indent > state.code.threshold && !PLACEHOLDER_RE.test(line.text)) {
        for (; state.code.pendingBlank > 0; state.code.pendingBlank--) state.code.block.lines.push({ indent: 0, text: '' });
        state.code.block.lines.push(line);
        continue;
      }
      closeCode(state);
    }

    if (PLACEHOLDER_RE.test(line.text)) {
      closePara(state);
      state.lastCode = null;
      popForText(state, line.indent).blocks.push({ kind: 'placeholder', text: line.text });
      continue;
    }

    const marker = matchMarker(line.text);
    const para = state.para;
    const markerAllowed =
      marker !== null &&
      line.indent <= top(state).textCol + 3 &&
      (para === null || para.container.item !== null || /:$/.test(para.lines[para.lines.length - 1]!));
    if (marker && markerAllowed) {
      closePara(state);
      state.lastCode = null;
      startItem(state, line.indent, marker, wasBlank);
      continue;
    }

    if (para) {
      if (RULE_RE.test(line.text) && line.indent <= para.limit) {
        closePara(state);
        para.container.blocks.push({ kind: 'rule' });
        continue;
      }
      const introducesBlock = /:$/.test(para.lines[para.lines.length - 1]!);
      // A deeper line right under a list item's text is a hanging indent (232 cases in the
      // corpus, 7 where the item ends with a colon and a command follows).
      if (line.indent <= para.limit || (para.container.item && !introducesBlock)) {
        para.lines.push(line.text);
        para.source.push(line);
        continue;
      }
      closePara(state);
      const blocks = para.container.blocks;
      if (!introducesBlock && !para.container.item && blocks[blocks.length - 1]?.kind === 'paragraph') {
        // Text at the margin with deeper lines under it and no colon is code or a definition
        // list laid out by hand (`{` / `  int a;`, `Purpose:  Specifies …` / `   on the …`).
        blocks.pop();
        addCode(state, para.container, [...para.source, line], para.limit);
        continue;
      }
      addCode(state, para.container, [line], para.limit);
      continue;
    }

    const container = popForText(state, line.indent);
    const limit = textLimit(container);
    if (line.indent > limit) {
      addCode(state, container, [line], limit);
      continue;
    }
    if (RULE_RE.test(line.text)) {
      state.lastCode = null;
      container.blocks.push({ kind: 'rule' });
      continue;
    }
    // A table at paragraph indentation (rows at the text column, wrapped cells deeper): look
    // ahead over the chunk; tables separated by blank lines merge into one block.
    let end = i;
    while (end < lines.length && lines[end]!.text !== '') end++;
    const chunk = lines.slice(i, end);
    const margin = chunk.filter((l) => l.indent <= limit);
    const codeLike =
      container === root &&
      margin.length > 0 &&
      (margin.length >= 2 || (state.lastCode?.container === container && state.lastCode.blanks > 0)) &&
      margin.filter((l) => isCodeLine(l.text)).length >= 0.6 * margin.length;
    const firstTable = codeLike ? 0 : chunk.findIndex((l) => l.indent <= limit && isTabular(l.text));
    if (firstTable >= 0) {
      let start = 0;
      if (firstTable > 0 && /:$/.test(chunk[firstTable - 1]!.text) && chunk.slice(0, firstTable).every((l) => l.indent <= limit)) {
        container.blocks.push({ kind: 'paragraph', lines: chunk.slice(0, firstTable).map((l) => l.text) });
        start = firstTable;
        state.lastCode = null;
      }
      addCode(state, container, chunk.slice(start), limit);
      i = end - 1;
      continue;
    }
    state.lastCode = null;
    const block: Block = { kind: 'paragraph', lines: [line.text] };
    container.blocks.push(block);
    state.para = { lines: block.lines, source: [line], container, limit: Math.max(limit, line.indent) };
  }
  return finishBlocks(root.blocks);
}

/**
 * `  Q151261 OFF97: How to Obtain and Install MS Office 97 SR-2` — the indented list of related
 * articles (26k blocks in the corpus, titles wrapped onto a second line at the same indent). It is
 * a list of references, not program text: it becomes a bullet list so the KB numbers stay plain
 * text that a later pass can link.
 */
const REFERENCE_RE = /^Q\d{4,7}\b/;

function referenceList(block: { kind: 'code'; lines: Line[] }): Block | null {
  const lines = block.lines.filter((l) => l.text !== '');
  const first = lines[0];
  if (!first || !REFERENCE_RE.test(first.text) || lines.some((l) => l.indent !== first.indent || isTabular(l.text))) return null;
  const items: ListItem[] = [];
  for (const l of lines) {
    const last = items[items.length - 1]?.blocks[0];
    if (REFERENCE_RE.test(l.text) || !last || last.kind !== 'paragraph') {
      items.push({ number: 0, label: null, blankBefore: false, blocks: [{ kind: 'paragraph', lines: [l.text] }] });
    } else {
      last.lines.push(l.text);
    }
  }
  return { kind: 'list', list: 'bullet', markerIndent: first.indent, items };
}

function finishBlocks(blocks: Block[]): Block[] {
  return blocks.map((block) => {
    if (block.kind === 'code') return referenceList(block) ?? block;
    if (block.kind === 'list') for (const item of block.items) item.blocks = finishBlocks(item.blocks);
    return block;
  });
}

function startItem(state: ParseState, indent: number, marker: Marker, blankBefore: boolean): void {
  // Siblings may be right-aligned (` 9.` / `10.`), so ±1 column is the same level.
  while (state.stack.length > 1) {
    const t = top(state);
    if (indent > t.markerIndent + 1) break;
    state.stack.pop();
    if (Math.abs(indent - t.markerIndent) <= 1 && t.kind === marker.kind) break;
  }
  const parent = top(state);
  const last = parent.blocks[parent.blocks.length - 1];
  const item: ListItem = { number: marker.number, label: marker.label, blankBefore, blocks: [] };
  if (last && last.kind === 'list' && last.list === marker.kind && Math.abs(last.markerIndent - indent) <= 1) {
    last.items.push(item);
  } else {
    parent.blocks.push({ kind: 'list', list: marker.kind, markerIndent: indent, items: [item] });
  }
  const container: Container = { item, markerIndent: indent, textCol: indent + marker.width, blocks: item.blocks, kind: marker.kind };
  state.stack.push(container);
  const block: Block = { kind: 'paragraph', lines: [marker.rest] };
  item.blocks.push(block);
  state.para = { lines: block.lines, source: [], container, limit: container.textCol };
}

// ---------------------------------------------------------------------------------------------
// Blocks → Markdown
// ---------------------------------------------------------------------------------------------

const URL_RE = /\b(?:(?:https?|ftp|file):\/\/|www\.)[^\s<>"'`]+[^\s<>"'`.,;:!?)\]]/gi;

/**
 * Backslash-escape what Markdown would reinterpret; `&` becomes `&amp;` so entity-like text stays
 * literal. URLs keep their characters (a later pass links them; a backslash inside would split
 * the URL), except those that could still open markup there.
 */
function escapeInline(text: string): string {
  let out = '';
  let pos = 0;
  for (const m of text.matchAll(URL_RE)) {
    out += escapePlain(text.slice(pos, m.index));
    out += escapeUrl(m[0]);
    pos = m.index + m[0].length;
  }
  return out + escapePlain(text.slice(pos));
}

function escapePlain(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/[\\`*_[\]<>#!|~]/g, '\\$&');
}

function escapeUrl(url: string): string {
  return url
    .replace(/&(?=#?[A-Za-z0-9]+;)/g, '&amp;')
    .replace(/[\\`*[\]~]/g, '\\$&')
    .replace(/_/g, (u, at: number) => (/[A-Za-z0-9]/.test(url[at - 1] ?? '') && /[A-Za-z0-9]/.test(url[at + 1] ?? '') ? u : '\\_'));
}

/** Escape a paragraph and whatever at its start would open a block (`- `, `+`, `=`, `1.`). */
function escapeParagraph(text: string): string {
  const escaped = escapeInline(text);
  return escaped.replace(/^([-+=])/, '\\$1').replace(/^(\d+)([.)])/, '$1\\$2');
}

function joinParagraph(lines: string[]): string {
  return lines
    .map((l) => l.trim())
    .join(' ')
    .replace(/\s+/g, ' ')
    .trim();
}

const SMALL_WORDS = new Set(['a', 'an', 'and', 'as', 'at', 'but', 'by', 'for', 'from', 'in', 'into', 'nor', 'of', 'on', 'or', 'per', 'the', 'to', 'via', 'vs', 'with']);
/** Kept upper-case when an ALL-CAPS title is title-cased. */
const ACRONYMS = new Set(
  (
    'ACL ADO ADSI API APIS ASP ATL BIOS CD CMOS COM CPU DAO DCOM DDE DDK DFS DHCP DLL DLLS DNS DOS DPMI DVD EGA EMS FAQ FAT ' +
    'FTP GDI HPFS HTML HTTP IDE IE II III IIS IMAP INI IP IPX IRQ ISA ISAPI ISDN IV LAN LDAP MAPI MCI MDI MFC MIDI MIME MS ' +
    'MSDN MSN MTA NDIS NDS NFS NIS NNTP NT NTFS NTLM ODBC OLE OS PC PCI PCMCIA PDS PIF PPP PPTP RAM RAS RDO RIP ROM RPC RRAS ' +
    'SCSI SDK SID SLIP SMS SMTP SNA SNMP SP SQL SR SVGA TAPI TCP TSR UI UNC URL USB VB VBA VFP VGA VPN VXD WAN WINS WMI WOW XML XMS'
  ).split(' '),
);

/** `MORE INFORMATION` → `More Information`; acronyms, file names and words with digits stay. */
function titleCase(text: string): string {
  const words = text.split(/(\s+)/);
  const last = words.length - 1;
  return words
    .map((word, k) => {
      if (/^\s+$/.test(word) || word === '') return word;
      if (/\d/.test(word) || /\w\.\w/.test(word)) return word;
      return word.replace(/[A-Za-z']+/g, (part, offset: number) => {
        if (ACRONYMS.has(part.toUpperCase().replace(/'S$/, ''))) return part;
        const lower = part.toLowerCase();
        if (k !== 0 && k !== last && offset === 0 && SMALL_WORDS.has(lower)) return lower;
        return lower.charAt(0).toUpperCase() + lower.slice(1);
      });
    })
    .join('');
}

function headingText(block: { level: 2 | 3; text: string }): string {
  return block.level === 2 && isAllCaps(block.text) ? titleCase(block.text) : block.text;
}

function fenceFor(content: string[]): string {
  let longest = 0;
  for (const l of content) for (const m of l.matchAll(/`+/g)) longest = Math.max(longest, m[0].length);
  return '`'.repeat(Math.max(3, longest + 1));
}

function codeContent(lines: Line[]): string[] {
  let common = Infinity;
  for (const l of lines) if (l.text !== '') common = Math.min(common, l.indent);
  if (!Number.isFinite(common)) common = 0;
  const out = lines.map((l) => (l.text === '' ? '' : ' '.repeat(l.indent - common) + l.text));
  while (out.length > 0 && out[out.length - 1] === '') out.pop();
  return out;
}

function renderBlocks(blocks: Block[], indent: string): string[] {
  const out: string[] = [];
  // Two lists in a row would merge into one in Markdown unless their markers differ.
  let previousMarker = '';
  blocks.forEach((block, k) => {
    if (k > 0) out.push('');
    let marker = '';
    if (block.kind === 'list') {
      if (block.list === 'number') marker = previousMarker === '.' ? ')' : '.';
      else marker = previousMarker === '-' ? '*' : '-';
    }
    out.push(...renderBlock(block, indent, marker));
    previousMarker = marker;
  });
  return out;
}

function renderBlock(block: Block, indent: string, listMarker = '-'): string[] {
  switch (block.kind) {
    case 'heading':
      return [`${'#'.repeat(block.level)} ${escapeInline(headingText(block))}`];
    case 'paragraph':
      return [indent + escapeParagraph(joinParagraph(block.lines))];
    case 'placeholder':
      return [indent + block.text];
    case 'rule':
      return [indent + '---'];
    case 'code': {
      const content = codeContent(block.lines);
      const fence = fenceFor(content);
      return [indent + fence + 'text', ...content.map((l) => (l === '' ? '' : indent + l)), indent + fence];
    }
    case 'list': {
      const out: string[] = [];
      const loose = block.items.some((it, k) => (k > 0 && it.blankBefore) || it.blocks.length > 1);
      block.items.forEach((item, k) => {
        if (k > 0 && loose) out.push('');
        const marker = block.list === 'number' ? `${item.number}${listMarker}` : listMarker;
        const childIndent = indent + ' '.repeat(marker.length + 1);
        const blocks = item.blocks;
        const first = blocks[0];
        let rest = blocks;
        let firstLine = indent + marker;
        if (first && first.kind === 'paragraph') {
          const text = joinParagraph(first.lines);
          firstLine += ' ' + (item.label ? `${escapeInline(item.label)} ${escapeInline(text)}` : escapeParagraph(text));
          rest = blocks.slice(1);
        } else if (item.label) {
          firstLine += ' ' + escapeInline(item.label);
        }
        out.push(firstLine);
        if (rest.length > 0) {
          out.push('');
          out.push(...renderBlocks(rest, childIndent));
        }
      });
      return out;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Summary
// ---------------------------------------------------------------------------------------------

const SUMMARY_LIMIT = 200;

/** Sentence ends: `.`/`!`/`?` before a space and a capital letter, not after `e.g.`, `i.e.`, `etc.` or an initial. */
function sentences(text: string): string[] {
  const out: string[] = [];
  let start = 0;
  const re = /[.!?]["')]?\s+(?=["'(]?[A-Z])/g;
  for (const m of text.matchAll(re)) {
    const before = text.slice(start, m.index + 1);
    if (/(?:\be\.g|\bi\.e|\betc|\bvs|\bNo|\bMr|\bDr|\bSt|\b[A-Z])\.$/.test(before)) continue;
    out.push(text.slice(start, m.index + m[0].trimEnd().length));
    start = m.index + m[0].length;
  }
  if (start < text.length) out.push(text.slice(start));
  return out.map((s) => s.trim()).filter((s) => s !== '');
}

function truncate(text: string, limit: number): string {
  if (text.length <= limit) return text;
  const cut = text.slice(0, limit - 1);
  const space = cut.lastIndexOf(' ');
  return (space > limit / 2 ? cut.slice(0, space) : cut).replace(/[\s,;:]+$/, '') + '…';
}

function summarise(blocks: Block[]): string {
  const sectionStart = (names: string[]): number =>
    blocks.findIndex((b) => b.kind === 'heading' && b.level === 2 && names.includes(b.text.trim().toUpperCase()));
  let from = sectionStart(['SUMMARY']);
  if (from < 0) from = sectionStart(['SYMPTOMS', 'SYMPTOM']);
  const candidates: Block[] = [];
  if (from >= 0) {
    for (const block of blocks.slice(from + 1)) {
      if (block.kind === 'heading' && block.level === 2) break;
      candidates.push(block);
    }
  }
  const firstPara = (list: Block[]): number => list.findIndex((b) => b.kind === 'paragraph');
  let list = candidates;
  let p = firstPara(list);
  if (p < 0) {
    list = blocks;
    p = firstPara(list);
  }
  if (p < 0) return '';
  const para = list[p] as { kind: 'paragraph'; lines: string[] };
  const text = joinParagraph(para.lines);
  let summary = '';
  for (const s of sentences(text)) {
    const next = summary ? `${summary} ${s}` : s;
    if (next.length > SUMMARY_LIMIT) break;
    summary = next;
  }
  if (!summary) summary = truncate(text, SUMMARY_LIMIT);
  // "…the following STOP code:" is followed by the code line itself; keep it when it fits.
  const after = list[p + 1];
  if (summary === text && /:$/.test(summary) && after?.kind === 'code') {
    const firstCode = codeContent(after.lines).find((l) => l.trim() !== '');
    if (firstCode && summary.length + 1 + firstCode.trim().length <= SUMMARY_LIMIT) summary += ' ' + firstCode.trim();
  }
  return summary;
}

// ---------------------------------------------------------------------------------------------
// The article
// ---------------------------------------------------------------------------------------------

function stringField(frontMatter: Record<string, unknown>, key: string): string | null {
  const v = frontMatter[key];
  return typeof v === 'string' ? v : null;
}

function numberFrom(text: string | null | undefined, re: RegExp): number | null {
  if (!text) return null;
  const m = re.exec(text);
  return m ? Number(m[1]) : null;
}

/** Strip the header block (`Name: value` lines until the first blank line). */
function readHeader(lines: string[], warnings: string[]): { fields: Map<HeaderField, string>; next: number } {
  const fields = new Map<HeaderField, string>();
  let i = 0;
  while (i < lines.length && lines[i]!.trim() === '') i++;
  const start = i;
  for (; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === '') break;
    const m = /^([A-Za-z][A-Za-z ()/]*?)\s*:\s?(.*)$/.exec(line.trim());
    if (!m || line.startsWith(' ')) break;
    const name = m[1]!;
    if ((HEADER_FIELDS as readonly string[]).includes(name)) fields.set(name as HeaderField, m[2]!.trim());
    else if (fields.size > 0) warnings.push(`unknown header field "${name}"`);
    else break;
  }
  if (fields.size === 0) return { fields, next: start };
  return { fields, next: i };
}

interface AppliesTo {
  items: string[];
  next: number;
}

/** The dashed "The information in this article applies to:" block right after the header. */
function readAppliesTo(lines: string[], from: number, warnings: string[]): AppliesTo | null {
  let i = from;
  // 1.1k articles have unlabelled lines between the header and the block, mostly a version, a
  // platform and keywords (`3.50` / `WINDOWS` / `kbprint`). They are not prose; they are
  // reported and dropped, not read as metadata.
  const stray: string[] = [];
  for (; i < lines.length; i++) {
    const text = lines[i]!.trim();
    if (text === '') continue;
    if (DASH_RULE_RE.test(text)) break;
    if (stray.length >= 8 || text.length > 80 || /\.$|\.\s/.test(text) || !/^[\w.:;,/ ()+-]+$/.test(text)) return null;
    stray.push(text);
  }
  if (i >= lines.length || !DASH_RULE_RE.test(lines[i]!.trim())) return null;
  let j = i + 1;
  while (j < lines.length && lines[j]!.trim() === '') j++;
  if (j >= lines.length || !/^The information in this article applies to:?$/.test(lines[j]!.trim())) return null;
  const items: string[] = [];
  let sub: string[] = [];
  // Sub-items (`   - the hardware: DEC Alpha`) qualify their parent; under an empty parent they
  // stand on their own.
  const flush = (): void => {
    if (sub.length > 0 && items.length > 0) {
      const parent = items.pop()!;
      if (parent === '') items.push(...sub);
      else items.push(`${parent} ${sub.join('; ')}`);
    }
    sub = [];
  };
  let closed = false;
  for (j++; j < lines.length; j++) {
    const raw = lines[j]!;
    const text = raw.trim();
    if (text === '') continue;
    if (DASH_RULE_RE.test(text)) {
      closed = true;
      j++;
      break;
    }
    const indent = raw.length - raw.trimStart().length;
    const item = /^[-*](?:\s+(.*))?$/.exec(text);
    if (item && indent === 0) {
      flush();
      items.push(cleanAppliesTo(item[1] ?? ''));
    } else if (item) {
      sub.push(cleanAppliesTo(item[1] ?? ''));
    } else if (indent === 0 && items.length === 0) {
      warnings.push(`unexpected line in the "applies to" block: "${truncate(text, 60)}"`);
      items.push(cleanAppliesTo(text));
    } else if (sub.length > 0) {
      sub[sub.length - 1] += ' ' + cleanAppliesTo(text);
    } else if (items.length > 0) {
      items[items.length - 1] += ' ' + cleanAppliesTo(text);
    }
  }
  flush();
  if (!closed) warnings.push('the "applies to" block has no closing dashed line');
  if (stray.length > 0) warnings.push(`unlabelled lines after the header dropped: ${stray.map((t) => `"${t}"`).join(' ')}`);
  return { items: items.map((s) => s.replace(/\s+/g, ' ').trim()).filter((s) => s !== ''), next: j };
}

/** The `=====` line and `Keywords : …` fields at the end of the body. */
function readTrailer(lines: string[], warnings: string[]): { fields: Map<string, string>; start: number } | null {
  for (let i = lines.length - 1; i >= 0; i--) {
    if (!/^={40,}$/.test(lines[i]!.trim())) continue;
    let j = i + 1;
    while (j < lines.length && lines[j]!.trim() === '') j++;
    if (j >= lines.length || !TRAILER_LINE_RE.test(lines[j]!.trim())) continue;
    const fields = new Map<string, string>();
    let lastName: string | null = null;
    for (let k = i + 1; k < lines.length; k++) {
      const text = lines[k]!.trim();
      if (text === '' || /^=+$/.test(text)) continue;
      const m = TRAILER_LINE_RE.exec(text);
      if (m) {
        lastName = m[1]!;
        fields.set(lastName, m[2]!.trim());
      } else if (lastName && /^\S+$/.test(text)) {
        fields.set(lastName, `${fields.get(lastName)} ${text}`.trim());
      } else {
        warnings.push(`unparsed line in the trailing metadata block: "${truncate(text, 60)}"`);
      }
    }
    return { fields, start: i };
  }
  return null;
}

/** `Additional query words: …` lines (and their wrapped continuations): search terms, not body text. */
function takeQueryWords(lines: string[]): { words: string[]; kept: number[] } {
  const words: string[] = [];
  const kept: number[] = [];
  for (let i = 0; i < lines.length; i++) {
    const m = /^Additional query words:\s*(.*)$/i.exec(lines[i]!);
    if (!m) {
      kept.push(i);
      continue;
    }
    let value = m[1]!;
    while (i + 1 < lines.length && /^\S/.test(lines[i + 1]!) && !RULE_RE.test(lines[i + 1]!.trim())) value += ' ' + lines[++i]!;
    words.push(...value.split(/[\s,;]+/).filter((w) => w !== ''));
  }
  return { words: dedupe(words), kept };
}

function preformattedBody(text: string): string {
  const content = text.replace(/\s+$/, '').split('\n');
  const fence = fenceFor(content);
  return `${fence}text\n${content.join('\n')}\n${fence}\n`;
}

export function parseLegacyArticle(input: LegacyInput): LegacyArticle {
  const warnings: string[] = [];
  const { frontMatter } = input;
  let source = input.body.replace(/\r\n?/g, '\n');
  let rawLineOffset = 0;

  // ## Q243852: title  ·  {% raw %} … {% endraw %}
  const headingLine = /^##\s+Q(\d+):\s*(.*)$/m.exec(source.split('{% raw %}')[0] ?? '');
  const rawStart = source.indexOf('{% raw %}');
  if (rawStart >= 0) {
    rawLineOffset = source.slice(0, rawStart).split('\n').length - 1;
    const inner = source.slice(rawStart + '{% raw %}'.length);
    const rawEnd = inner.lastIndexOf('{% endraw %}');
    if (rawEnd < 0) warnings.push('no {% endraw %} after {% raw %}; reading to the end of the file');
    source = rawEnd >= 0 ? inner.slice(0, rawEnd) : inner;
  } else {
    warnings.push('no {% raw %} block; reading the whole body');
    source = source.replace(/^##\s+Q\d+:.*$/m, '');
  }

  const lines = deindent(source.split('\n'));
  const header = readHeader(lines, warnings);
  const understood = header.fields.size > 0 || rawStart >= 0;
  if (header.fields.size === 0) warnings.push('no header block (Article, Product(s), …, Last Modified)');
  else for (const name of HEADER_FIELDS) if (!header.fields.has(name)) warnings.push(`no "${name}" header`);

  // Identity
  const fmTitle = stringField(frontMatter, 'title');
  const permalink = stringField(frontMatter, 'permalink');
  const headerId = numberFrom(header.fields.get('Article'), /^Q?(\d+)$/i);
  const titleId = numberFrom(fmTitle, /^Q(\d+):/) ?? (headingLine ? Number(headingLine[1]) : null);
  const otherId = numberFrom(permalink, /\/Q(\d+)\/?$/i) ?? numberFrom(input.sourcePath, /Q(\d+)(?:[/\\]|\.md$|$)/i);
  const id = headerId ?? titleId ?? otherId ?? 0;
  if (header.fields.has('Article') && headerId === null) warnings.push(`"Article" is not a KB number: "${header.fields.get('Article')}"`);
  if (headerId !== null && titleId !== null && headerId !== titleId) warnings.push(`article number in the header (Q${headerId}) differs from the title (Q${titleId})`);
  if (id === 0) warnings.push('no KB number in the header, title, permalink or file name');

  let title = fmTitle !== null ? decodeEntities(fmTitle) : headingLine ? decodeEntities(headingLine[2]!) : '';
  title = title.replace(/^Q\d+:\s*/, '').trim();
  if (!title) warnings.push('no title');

  // Header fields
  const productField = header.fields.get('Product(s)') ?? '';
  const products: string[] = [];
  if (/^see article$/i.test(productField)) warnings.push('"Product(s)" says "See article": no product recorded');
  else if (productField) products.push(productField);

  const operatingSystems: string[] = [];
  for (const os of (header.fields.get('Operating System(s)') ?? '').split('|')) {
    const v = os.trim();
    if (!v) continue;
    if (/^\d/.test(v)) warnings.push(`"Operating System(s)" value "${v}" is not an operating system; ignored`);
    else operatingSystems.push(v);
  }

  const lastModifiedText = header.fields.get('Last Modified');
  const lastModified = lastModifiedText ? parseLegacyDate(lastModifiedText) : null;
  if (lastModifiedText !== undefined && lastModified === null) warnings.push(`"Last Modified" is not a date: "${lastModifiedText}"`);

  // Body regions. `origin` keeps each body line's index in `lines` for warnings.
  let bodyLines = lines.slice(header.next);
  let origin = lines.map((_, i) => i).slice(header.next);
  const applies = readAppliesTo(bodyLines, 0, warnings);
  if (applies) {
    bodyLines = bodyLines.slice(applies.next);
    origin = origin.slice(applies.next);
  }
  const trailer = readTrailer(bodyLines, warnings);
  if (trailer) {
    bodyLines = bodyLines.slice(0, trailer.start);
    origin = origin.slice(0, trailer.start);
  } else if (understood) warnings.push('no trailing metadata block (Keywords, Technology, Version, Issue type)');
  const query = takeQueryWords(bodyLines);
  bodyLines = query.kept.map((k) => bodyLines[k]!);
  origin = query.kept.map((k) => origin[k]!);

  // Trailer fields. The header's Keyword(s) is cut at a fixed width and sometimes glues words
  // (`kbsms200bugkbfaq`; 3.8k articles differ), so the trailer wins when it has keywords.
  const tf = trailer?.fields ?? new Map<string, string>();
  const keywords = dedupe(splitWords(tf.get('Keywords') ?? '').length > 0 ? splitWords(tf.get('Keywords')!) : splitWords(header.fields.get('Keyword(s)') ?? ''));
  const technologies = dedupe(splitWords(tf.get('Technology') ?? ''));
  const versionsText = header.fields.get('Version(s)') || tf.get('Version') || '';
  const versions = parseVersions(versionsText);
  let issueType: string | null = null;
  const issueWords = splitWords(tf.get('Issue type') ?? '');
  if (issueWords.length > 0) {
    const known = issueWords.filter((w) => ISSUE_TYPES.includes(w.toLowerCase()));
    issueType = (known[0] ?? issueWords[0]!).toLowerCase();
    if (known.length === 0) warnings.push(`unknown issue type "${issueWords.join(' ')}"`);
    else if (issueWords.length > 1) warnings.push(`several issue types "${issueWords.join(' ')}"; using ${issueType}`);
  }

  // Body
  let first = 0;
  let end = bodyLines.length;
  while (first < end && bodyLines[first]!.trim() === '') first++;
  while (end > first && bodyLines[end - 1]!.trim() === '') end--;
  bodyLines = bodyLines.slice(first, end);
  origin = origin.slice(first, end);
  const tables = extractTextFileTables(bodyLines.join('\n'));
  // The table parser counts lines of the text it was given; report lines of the input body.
  for (const w of tables.warnings) {
    warnings.push(w.replace(/^line (\d+):/, (m, n: string) => (origin[Number(n) - 1] === undefined ? m : `line ${origin[Number(n) - 1]! + rawLineOffset + 1}:`)));
  }
  if (tables.unparsed > 0 && tables.warnings.length === 0) warnings.push(`${tables.unparsed} file table(s) could not be parsed; kept as text`);

  let body: string;
  let summary = '';
  if (!understood) {
    warnings.push('not recognised as a kbarchive article; body kept as preformatted text');
    body = tables.text.trim() ? preformattedBody(tables.text) : '';
  } else {
    try {
      const blocks = parseBlocks(tables.text.split('\n').map(toLine));
      body = renderBlocks(blocks, '').join('\n').replace(/\n{3,}/g, '\n\n').trim();
      body = body ? body + '\n' : '';
      summary = summarise(blocks);
    } catch (error) {
      // A bug here must not lose the article: keep it readable and say so.
      warnings.push(`could not convert the body (${error instanceof Error ? error.message : String(error)}); kept as preformatted text`);
      body = tables.text.trim() ? preformattedBody(tables.text) : '';
    }
  }
  if (!body) warnings.push('empty body');

  return {
    id,
    title,
    products,
    versions,
    operatingSystems: dedupe(operatingSystems),
    keywords,
    technologies,
    appliesTo: applies?.items ?? [],
    queryWords: query.words,
    issueType,
    lastModified,
    permalink,
    summary,
    body,
    fileTables: tables.tables,
    warnings,
  };
}
