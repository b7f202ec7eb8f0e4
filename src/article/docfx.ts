/**
 * Docfx-flavoured Markdown, the dialect Microsoft's published support articles
 * (MicrosoftDocs/SupportArticles-docs) are written in:
 *
 * - `> [!NOTE]` … alert blockquotes (a markdown-it plugin, see {@link docfxAlerts});
 * - `_Applies to:_` and `_Original KB number:_` metadata lines;
 * - file-information pipe tables under "For all supported x64-based versions of …" captions,
 *   lifted into the same {@link FileTable} model that `files.yaml` produces.
 *
 * Pure: no I/O, no Eleventy. https://learn.microsoft.com/en-us/contribute/content/markdown-reference
 */
import type MarkdownIt from 'markdown-it';
import type StateCore from 'markdown-it/lib/rules_core/state_core.mjs';
import {
  canonicalPlatform,
  isFourPartVersion,
  isNotApplicable,
  isoDate,
  monthNumber,
  uniqueId,
  type FileRow,
  type FileTable,
  type Platform,
} from '../file-versions.ts';

// ---------------------------------------------------------------------------------------------
// Alerts

const ALERT_TITLES = { note: 'Note', tip: 'Tip', important: 'Important', warning: 'Warning', caution: 'Caution' } as const;
type AlertKind = keyof typeof ALERT_TITLES;
const ALERT_MARKER = /^\[!(note|tip|important|warning|caution)\][ \t]*(?:\r?\n|$)?/i;

/** markdown-it plugin: `> [!NOTE]`, `> [!TIP]`, `> [!IMPORTANT]`, `> [!WARNING]`, `> [!CAUTION]` blockquotes render as
 *  <div class="alert alert-note" role="note"><p class="alert-title">Note</p>…rest of the blockquote…</div>
 *  (case-insensitive marker, marker line removed; an ordinary blockquote is untouched). Must work with `html: false`. */
export function docfxAlerts(md: MarkdownIt): void {
  // Runs after block parsing and before inline parsing, so the marker is still raw text and the
  // title we insert is parsed like any other paragraph. No html_block tokens are emitted: the
  // blockquote tokens are re-tagged as a <div>, so the output is the same with `html: false`.
  md.core.ruler.after('block', 'docfx_alerts', (state: StateCore) => {
    const tokens = state.tokens;
    for (let i = 0; i + 2 < tokens.length; i++) {
      const open = tokens[i]!;
      if (open.type !== 'blockquote_open') continue;
      const pOpen = tokens[i + 1]!;
      const inline = tokens[i + 2]!;
      if (pOpen.type !== 'paragraph_open' || inline.type !== 'inline') continue;
      const m = ALERT_MARKER.exec(inline.content);
      if (!m) continue;
      const close = findClose(tokens, i);
      if (close < 0) continue;
      const kind = m[1]!.toLowerCase() as AlertKind;

      open.tag = 'div';
      open.attrSet('class', `alert alert-${kind}`);
      open.attrSet('role', 'note');
      tokens[close]!.tag = 'div';

      const rest = inline.content.slice(m[0].length);
      if (rest.trim() === '') {
        tokens.splice(i + 1, 3); // the paragraph held only the marker
      } else {
        inline.content = rest;
        if (pOpen.map && /\n/.test(m[0])) pOpen.map = [pOpen.map[0] + 1, pOpen.map[1]];
      }

      const titleOpen = new state.Token('paragraph_open', 'p', 1);
      titleOpen.attrSet('class', 'alert-title');
      titleOpen.block = true;
      titleOpen.level = open.level + 1;
      const titleInline = new state.Token('inline', '', 0);
      titleInline.content = ALERT_TITLES[kind];
      titleInline.children = [];
      titleInline.level = open.level + 2;
      const titleClose = new state.Token('paragraph_close', 'p', -1);
      titleClose.block = true;
      titleClose.level = open.level + 1;
      tokens.splice(i + 1, 0, titleOpen, titleInline, titleClose);
    }
  });
}

/** Index of the blockquote_close matching the blockquote_open at `openIndex`, or -1. */
function findClose(tokens: StateCore['tokens'], openIndex: number): number {
  const level = tokens[openIndex]!.level;
  for (let j = openIndex + 1; j < tokens.length; j++) {
    const t = tokens[j]!;
    if (t.type === 'blockquote_close' && t.level === level) return j;
  }
  return -1;
}

// ---------------------------------------------------------------------------------------------
// Metadata lines and file tables

export interface DocfxExtraction {
  /** Body with the metadata lines removed and each lifted pipe table replaced by a line `[[file-table:<id>]]`. */
  body: string;
  appliesTo: string[];
  originalKbNumber: number | null;
  tables: FileTable[];
  warnings: string[];
}

// `_Applies to:_ &nbsp; Windows 10`, `**Applies to:** Windows 10`, `_Applies to_: Windows 10`.
const EMPH = '(?:\\*{1,2}|_{1,2})?';
const LABEL_END = `\\s*(?::\\s*${EMPH}|${EMPH}\\s*:)`; // the colon is required, inside or outside the emphasis
const APPLIES_TO = new RegExp(`^\\s{0,3}${EMPH}\\s*Applies\\s+to${LABEL_END}(.*)$`, 'i');
const ORIGINAL_KB = new RegExp(`^\\s{0,3}${EMPH}\\s*Original\\s+KB\\s+numbers?${LABEL_END}(.*)$`, 'i');
const FENCE = /^\s{0,3}(`{3,}|~{3,})/;

/** Lift metadata lines and file tables out of a Docfx Markdown body. Pipe tables whose header row is
 *  |File name|File version|File size|Date|Time|Platform| (any column order/subset that includes File name and at least two of version/size/date;
 *  case/spacing-insensitive; alignment row `|-|-|`) become structured FileTables. The nearest preceding heading or bold/italic line such as
 *  "For all supported x64-based versions of Windows Server 2019" gives the caption and, via canonicalPlatform-style matching (x86, x64, ARM64, IA-64/Itanium), the platform.
 *  Sizes "1,082,728" → 1082728, dates "03-Jan-2013" / "2013-01-03" / "1/3/2013" → ISO, times "04:33" → HH:MM; version "Not applicable" → null.
 *  A table that cannot be read stays as Markdown text and gives a warning. Ids: files-x64, files-x86, … unique (use uniqueId). */
export function extractDocfxMetadata(markdown: string): DocfxExtraction {
  const lines = markdown.split(/\r?\n/);
  const inCode = codeLines(lines);
  const out: string[] = [];
  const appliesTo: string[] = [];
  let originalKbNumber: number | null = null;
  const tables: FileTable[] = [];
  const warnings: string[] = [];
  const usedIds = new Set<string>();

  let skipBlank = false;
  const dropLine = () => {
    // Removing a metadata line must not leave two blank lines where there was one paragraph break.
    if (out.length === 0 || out.at(-1)!.trim() === '') skipBlank = true;
  };

  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (skipBlank) {
      skipBlank = false;
      if (line.trim() === '' && !inCode[i]) continue;
    }
    if (inCode[i]) {
      out.push(line);
      continue;
    }

    const applies = APPLIES_TO.exec(line);
    if (applies) {
      for (const product of splitAppliesTo(applies[1]!)) if (!appliesTo.includes(product)) appliesTo.push(product);
      dropLine();
      continue;
    }
    const kb = ORIGINAL_KB.exec(line);
    if (kb) {
      const digits = /\d+/.exec(cleanText(kb[1]!));
      if (digits && originalKbNumber === null) originalKbNumber = Number(digits[0]);
      else if (!digits) warnings.push(`Line ${i + 1}: "Original KB number" has no number (got ${JSON.stringify(kb[1]!.trim())}); write it like _Original KB number:_ 4464619`);
      dropLine();
      continue;
    }

    const table = readPipeTable(lines, inCode, i);
    if (!table) {
      out.push(line);
      continue;
    }
    const end = i + table.lineCount;
    const columns = fileColumns(table.header);
    if (!columns) {
      // An ordinary table: copied through untouched.
      out.push(...lines.slice(i, end));
      i = end - 1;
      continue;
    }
    const caption = findCaption(lines, inCode, i);
    const result = readFileTable(table, columns, caption, i + 1);
    if ('problem' in result) {
      warnings.push(result.problem);
      out.push(...lines.slice(i, end));
      i = end - 1;
      continue;
    }
    const { platform, kind, rows } = result;
    const id = uniqueId((kind === 'additional' ? 'additional-files' : 'files') + (platform ? `-${platform.toLowerCase()}` : ''), usedIds);
    tables.push({ id, caption: caption?.text ?? 'File information', platform, kind, rows });
    // The placeholder must be a paragraph of its own for render.ts to find it.
    if (out.length > 0 && out.at(-1)!.trim() !== '') out.push('');
    out.push(`${table.indent}[[file-table:${id}]]`);
    if (end < lines.length && lines[end]!.trim() !== '') out.push('');
    i = end - 1;
  }

  return { body: out.join('\n'), appliesTo, originalKbNumber, tables, warnings };
}

/** Which lines are inside fenced code blocks (never scanned for metadata or tables). */
function codeLines(lines: string[]): boolean[] {
  const flags: boolean[] = [];
  let fence: string | null = null;
  for (const line of lines) {
    const m = FENCE.exec(line);
    if (fence === null) {
      if (m) fence = m[1]!;
      flags.push(fence !== null);
    } else {
      flags.push(true);
      if (m && m[1]![0] === fence[0] && m[1]!.length >= fence.length && line.trim() === m[1]) fence = null;
    }
  }
  return flags;
}

/** `&nbsp;`, Markdown links and emphasis removed; spaces collapsed. */
function cleanText(text: string): string {
  return text
    .replace(/&nbsp;|&#160;|\u00a0/gi, ' ')
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/(\*{1,2}|_{1,2}|`)(.+?)\1/g, '$2')
    .replace(/\s+/g, ' ')
    .trim();
}

/** "Windows 10, version 1809, Windows Server 2019" → ["Windows 10, version 1809", "Windows Server 2019"].
 *  Microsoft names feature updates "Windows 10, version 1809" and "Windows Server, version 1903": a
 *  part that starts with "version" (or "all editions", "and later versions") continues the product before it. */
export function splitAppliesTo(text: string): string[] {
  const products: string[] = [];
  for (let part of cleanText(text).replace(/[.;]\s*$/, '').split(/\s*,\s*/)) {
    part = part.replace(/^(?:and|or)\s+/i, '').trim();
    if (!part) continue;
    if (products.length > 0 && /^(?:version\b|all\s+editions\b|(?:and\s+)?later\s+versions?\b)/i.test(part)) {
      products[products.length - 1] += `, ${part}`;
    } else products.push(part);
  }
  return products;
}

// --- pipe tables --------------------------------------------------------------------------------

interface PipeTable {
  header: string[];
  rows: Array<{ cells: string[]; line: number }>;
  /** Lines from the header to the last row. */
  lineCount: number;
  indent: string;
}

/** Split `| a | b \| c |` into trimmed cells, honouring `\|`. */
function splitRow(line: string): string[] {
  let s = line.trim();
  if (s.startsWith('|')) s = s.slice(1);
  if (s.endsWith('|') && !s.endsWith('\\|')) s = s.slice(0, -1);
  const cells: string[] = [];
  let cell = '';
  for (let k = 0; k < s.length; k++) {
    const ch = s[k]!;
    if (ch === '\\' && s[k + 1] === '|') {
      cell += '|';
      k++;
    } else if (ch === '|') {
      cells.push(cell.trim());
      cell = '';
    } else cell += ch;
  }
  cells.push(cell.trim());
  return cells;
}

/** A GFM pipe table starting at line `start` (header row + alignment row + body rows), or null. */
function readPipeTable(lines: string[], inCode: boolean[], start: number): PipeTable | null {
  const headerLine = lines[start]!;
  const alignLine = lines[start + 1];
  if (alignLine === undefined || inCode[start + 1] || !headerLine.includes('|') || /^\s{4,}|^\s*>/.test(headerLine)) return null;
  const header = splitRow(headerLine);
  const align = splitRow(alignLine);
  if (!alignLine.includes('|') && align.length < 2) return null;
  if (align.length !== header.length || !align.every((c) => /^:?-+:?$/.test(c))) return null;
  const rows: PipeTable['rows'] = [];
  let j = start + 2;
  for (; j < lines.length && !inCode[j]; j++) {
    const line = lines[j]!;
    if (line.trim() === '' || !line.includes('|')) break;
    rows.push({ cells: splitRow(line), line: j + 1 });
  }
  return { header, rows, lineCount: j - start, indent: /^\s*/.exec(headerLine)![0] };
}

type Column = 'name' | 'version' | 'size' | 'date' | 'time' | 'platform';
const COLUMN_NAMES: Record<string, Column> = {
  filename: 'name',
  name: 'name',
  fileversion: 'version',
  version: 'version',
  filesize: 'size',
  size: 'size',
  date: 'date',
  filedate: 'date',
  time: 'time',
  filetime: 'time',
  platform: 'platform',
  cpu: 'platform',
};

interface Columns {
  byIndex: Array<Column | { extra: string }>;
  has: Set<Column>;
}

/** Column roles of a file table's header; null when the table is not a file table. */
function fileColumns(header: string[]): Columns | null {
  const has = new Set<Column>();
  const byIndex = header.map((h) => {
    const text = cleanText(h);
    const role = COLUMN_NAMES[text.toLowerCase().replace(/[^a-z]/g, '')];
    if (!role || has.has(role)) return { extra: text };
    has.add(role);
    return role;
  });
  const facts = (['version', 'size', 'date'] as const).filter((c) => has.has(c)).length;
  return has.has('name') && facts >= 2 ? { byIndex, has } : null;
}

interface Caption {
  text: string;
  line: number;
}

/** The nearest heading or wholly bold/italic line above `start`, e.g. `## For all supported x64-based versions of …`. */
function findCaption(lines: string[], inCode: boolean[], start: number): Caption | null {
  for (let j = start - 1; j >= 0; j--) {
    if (inCode[j]) continue;
    const line = lines[j]!.trim();
    const heading = /^#{1,6}\s+(.*?)(?:\s+#+)?$/.exec(line);
    const emphasis = /^(\*{1,3}|_{1,3})(.+)\1:?$/.exec(line);
    const text = heading?.[1] ?? emphasis?.[2];
    if (text !== undefined && cleanText(text)) return { text: cleanText(text).replace(/\s*:$/, ''), line: j + 1 };
  }
  return null;
}

const PLATFORM_WORD = /\b(x86[-_]64|x86|x64|amd64|i386|ia-?64|itanium|arm64|aarch64|arm)\b/gi;

/** The one platform a caption names ("x64-based", "Itanium-based"); null for none or several. */
export function captionPlatform(caption: string): Platform | null {
  const found = new Set<Platform>();
  for (const m of caption.matchAll(PLATFORM_WORD)) {
    const p = canonicalPlatform(m[1]!);
    if (p) found.add(p);
  }
  return found.size === 1 ? [...found][0]! : null;
}

type TableResult = { platform: Platform | null; kind: FileTable['kind']; rows: FileRow[] } | { problem: string };

function readFileTable(table: PipeTable, columns: Columns, caption: Caption | null, line: number): TableResult {
  const where = caption ? `The file table under "${caption.text}" (line ${line})` : `The file table on line ${line}`;
  const leftAs = 'it is left as a Markdown table; fix the row so it can be shown as a file table';
  if (table.rows.length === 0) return { problem: `${where} has no rows; it is left as a Markdown table` };
  const captionPlat = caption ? captionPlatform(caption.text) : null;

  const parsed: Array<FileRow & { rawPlatform: string | null }> = [];
  for (const [n, { cells, line: rowLine }] of table.rows.entries()) {
    const at = `row ${n + 1} (line ${rowLine})`;
    if (cells.length !== columns.byIndex.length) {
      return { problem: `${where}: ${at} has ${cells.length} cells but the header has ${columns.byIndex.length}; ${leftAs}` };
    }
    const row: FileRow & { rawPlatform: string | null } = { name: '', version: null, size: null, date: null, time: null, platform: null, rawPlatform: null };
    const extra: Record<string, string> = {};
    for (const [k, role] of columns.byIndex.entries()) {
      const value = cleanText(cells[k]!);
      if (typeof role === 'object') {
        if (value) extra[role.extra] = value;
        continue;
      }
      const empty = value === '' || value === '-' || isNotApplicable(value);
      const bad = (what: string, example: string) => `${where}: ${at} has ${what} ${JSON.stringify(value)}, expected ${example}; ${leftAs}`;
      switch (role) {
        case 'name':
          row.name = value;
          break;
        case 'version':
          if (empty) break;
          if (!isFourPartVersion(value)) return { problem: bad('file version', 'a four-part version like 10.0.17763.1 or "Not applicable"') };
          row.version = value;
          break;
        case 'size': {
          if (empty) break;
          const size = parseSize(value);
          if (size === undefined) return { problem: bad('file size', 'bytes like 1,082,728') };
          if (typeof size === 'number') row.size = size;
          else row.sizeLabel = size.label;
          break;
        }
        case 'date': {
          if (empty) break;
          const date = parseTableDate(value);
          if (!date) return { problem: bad('date', 'a date like 03-Jan-2013, 2013-01-03 or 1/3/2013') };
          row.date = date;
          break;
        }
        case 'time': {
          if (empty) break;
          const time = parseTime(value);
          if (!time) return { problem: bad('time', 'a 24-hour time like 04:33') };
          row.time = time;
          break;
        }
        case 'platform':
          if (!empty) row.rawPlatform = value;
          break;
      }
    }
    if (!row.name) return { problem: `${where}: ${at} has no file name; ${leftAs}` };
    if (Object.keys(extra).length > 0) row.extra = extra;
    parsed.push(row);
  }

  // The caption names the platform; failing that, a Platform column on which every row agrees.
  let platform = captionPlat;
  if (!platform && columns.has.has('platform')) {
    const seen = new Set(parsed.map((r) => (r.rawPlatform ? canonicalPlatform(r.rawPlatform) : null)));
    if (seen.size === 1) platform = [...seen][0] ?? null;
  }
  const rows = parsed.map(({ rawPlatform, ...row }): FileRow => {
    if (columns.has.has('platform')) row.platform = rawPlatform === null ? null : (canonicalPlatform(rawPlatform) ?? rawPlatform);
    else row.platform = platform;
    return row;
  });
  const kind = caption && /^additional\s+file/i.test(caption.text) ? 'additional' : 'files';
  return { platform, kind, rows };
}

/** "1,082,728" / "1082728" → bytes; "701 KB" → a label; undefined when unreadable. */
function parseSize(value: string): number | { label: string } | undefined {
  const text = value.replace(/\s*bytes?$/i, '');
  if (/^\d{1,3}(,\d{3})+$|^\d+$/.test(text)) {
    const n = Number(text.replace(/,/g, ''));
    return Number.isSafeInteger(n) ? n : undefined;
  }
  if (/^\d+(?:[.,]\d+)?\s*(?:KB|MB|GB)$/i.test(value)) return { label: value };
  return undefined;
}

/** `03-Jan-2013`, `3-January-2013`, `2013-01-03`, `1/3/2013` (US month/day/year) → ISO. */
export function parseTableDate(value: string): string | null {
  let m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(value);
  if (m) return isoDate(Number(m[1]), Number(m[2]), Number(m[3]));
  m = /^(\d{1,2})[- ]([A-Za-z]{3,9})[- ,]+(\d{4})$/.exec(value);
  if (m) {
    const month = monthNumber(m[2]!);
    return month ? isoDate(Number(m[3]), month, Number(m[1])) : null;
  }
  m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(value);
  if (m) return isoDate(Number(m[3]), Number(m[1]), Number(m[2]));
  return null;
}

/** `04:33`, `4:33`, `04:33:12`, `4:33 PM` → 24-hour `HH:MM`. */
export function parseTime(value: string): string | null {
  const m = /^(\d{1,2}):(\d{2})(?::\d{2})?(?:\s*([AP])\.?M\.?)?$/i.exec(value);
  if (!m) return null;
  let hour = Number(m[1]);
  const minute = Number(m[2]);
  if (m[3]) {
    if (hour < 1 || hour > 12) return null;
    hour = (hour % 12) + (m[3].toUpperCase() === 'P' ? 12 : 0);
  }
  if (hour > 23 || minute > 59) return null;
  return `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`;
}
