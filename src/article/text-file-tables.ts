/**
 * Fixed-width file tables in legacy plain-text bodies ("Date Time Version Size File name"): found,
 * parsed into the FileTable model and replaced in the text by a `[[file-table:<id>]]` line.
 *
 * What counts as a file table: a header line made only of column names (see HEADER_WORDS) with
 * exactly one file-name column and at least two of date / time / version / size, one of them a
 * date or a size, followed by a rule or by a line with values. "File name  Version" alone is a
 * version list and is left alone.
 *
 * Variants handled, all seen in the kbarchive corpus (bench/file-table-stats.ts measures them):
 * - columns in any order and any subset, with spellings such as `File Date`, `Filename`,
 *   `Date/Time`, `Version#`, `Size (bytes)`, `Size (KB)`, `File name and path`; free-text columns
 *   (Language, Locale, Destination folder, Location, Description, Control Name …) kept in
 *   `FileRow.extra`; an `Extension` column joined to the name;
 * - whitespace-aligned tables, with or without a `-----` rule, and boxed `| a | b |` tables with
 *   `+-----+` borders; blank lines between rows;
 * - dates `09/27/2001`, `9/27/01`, `09-27-2001`, `27-Sep-2001`, `Sep-27-2001`, `2001-09-27`,
 *   `Sep 27, 2001`, `Thu, Sep 27, 2001`, `27 September 2001`, `11\1\93`; placeholders `xx/xx/xx`;
 *   a misprinted date (`6/12/200`) keeps its row with date null and a warning;
 * - times `20:17`, `2:47PM`, `06:34p`, `12:41:42 PM`, `03:45 P.M.`, `12:00 midnight`, `1436`,
 *   `22.36`; a time printed under a Date heading;
 * - sizes `701,712`, `701712`, `372,634 bytes`, `185,760b`, `1.135.104` (dot-grouped), `701 KB`,
 *   `272KB`, `1.2 MB`, `144KB (147,728 bytes)`, `<DIR>`; sizes without an exact byte count have
 *   `size` null and `sizeLabel` as published, as do misprinted ones (`8,1012`, with a warning);
 * - versions `4.0.1381.33478`, `2.5b`, `1.2(build 786)`, `05.00.4319 (SP2)`, `1, 0, 0, 72`, a bare
 *   build number, `none` / `n/a` / `-`; rows of data files without a version;
 * - platforms in their column (`x86`, `Intel`, `(Alpha)`, `Windows 95 (retail)`) or after the name
 *   (`Contoso.exe (Intel)`); other remarks after the name go to `extra.Notes`;
 * - a value printed in a column the header forgot (a build number before the size);
 * - long names and platforms wrapped onto the next line, attached to their column by position;
 * - a short label line above a table ("x86", "Itanium", "Windows 2000:", an underlined
 *   "SNA Server 4.0", "Directory of C:\") becomes its caption (default "File information") and
 *   gives a platform to rows that have none; a short line inside a table ("German", "Korean")
 *   starts a table of its own;
 * - MS-DOS directory listings (`SETUP    EXE`, `.`, `<DIR>`), whose `N file(s)` footer ends the
 *   table, and cabinet listings with attribute flags (`----`) after the time.
 *
 * Columns are not trusted to line up (authors indent headers and rows differently), so a row is
 * read by the *type* of its tokens in header order, choosing the best of the possible readings
 * (see readAlignedRow); column positions only place wrapped continuation lines.
 *
 * A block under a file-table header whose rows cannot all be read stays as text and counts in
 * `unparsed`, with a warning naming the first row that failed. Not handled (left as text or not
 * detected): two listings side by side under one doubled header, and cabinet listings that start
 * with "… : Starts in cabinet …" notes.
 */
import { canonicalPlatform, isoDate, monthNumber, uniqueId, type FileRow, type FileTable, type Platform } from '../file-versions.ts';

export interface TextFileTablesResult {
  /** The input with each parsed table replaced by a line `[[file-table:<id>]]`. */
  text: string;
  tables: FileTable[];
  /** Blocks that looked like file tables but could not be parsed (kept as text). */
  unparsed: number;
  warnings: string[];
}

// ---------------------------------------------------------------------------------------------
// Header recognition

type ColumnKind = 'name' | 'date' | 'time' | 'datetime' | 'version' | 'size' | 'platform' | 'extra';

interface Column {
  kind: ColumnKind;
  /** The header text as published, e.g. `Destination folder` (used as the `extra` key). */
  label: string;
  /** Offset of the column's header text in its line. */
  start: number;
  /** `Size (KB)` columns hold kilobytes. */
  unit?: 'KB';
}

/** Header phrases, lower-case with single spaces, and the column each names. */
const HEADER_WORDS: Record<string, ColumnKind> = {};
function words(kind: ColumnKind, ...phrases: string[]): void {
  for (const p of phrases) HEADER_WORDS[p] = kind;
}
words('name', 'file name', 'filename', 'file names', 'filenames', 'file', 'name', 'file name and path', 'path and file name', 'file name (path)', 'module', 'module name', 'driver name');
words('date', 'date', 'file date', 'modified date', 'date modified', 'date created', 'last modified');
words('time', 'time', 'file time', 'time created');
words('datetime', 'date/time', 'time/date', 'date and time', 'file date/time', 'date & time');
words('version', 'version', 'file version', 'version#', 'version #', 'version number', 'current version', 'product version', 'ver.', 'ver', 'build');
words('size', 'size', 'file size', 'filesize', 'size (bytes)', 'size(bytes)', 'size in bytes', 'bytes', 'size (kb)', 'size(kb)', 'size in kb');
words('platform', 'platform', 'processor', 'architecture', 'cpu');
words('extra', 'language', 'locale', 'destination folder', 'destination', 'folder', 'location', 'description', 'directory', 'path', 'target directory', 'installation directory', 'folder installed in', 'installed in', 'sp requirement', 'service branch', 'comments', 'comment', 'notes', 'control name', 'product', 'component', 'driver', 'extension', 'ext', 'uncompressed name', 'function', 'online file', 'configuration', 'base', 'base address');
const LONGEST_HEADER_PHRASE = Math.max(...Object.keys(HEADER_WORDS).map((p) => p.split(' ').length));
/** First words of the header phrases. Every line of every legacy article is asked whether it is a
 *  header; a line that starts with none of these is not, and is turned down before it is tokenised
 *  (this took 3 s of a 10,000-article build). */
const HEADER_FIRST_WORDS = new Set(Object.keys(HEADER_WORDS).map((p) => p.split(' ')[0]!));
const FIRST_WORD = /^\s*(\S+)/;

function columnFor(label: string, start: number): Column | null {
  const key = label.toLowerCase().replace(/\s+/g, ' ').trim();
  const kind = HEADER_WORDS[key];
  if (!kind) return null;
  const col: Column = { kind, label: label.replace(/\s+/g, ' ').trim(), start };
  if (kind === 'size' && /kb/.test(key)) col.unit = 'KB';
  return col;
}

/** The columns of a boxed row `| a | b |`, with the offset of each cell's text. */
function pipeCells(line: string): Array<{ text: string; start: number }> | null {
  const trimmed = line.trimEnd();
  const first = trimmed.search(/\S/);
  if (first < 0 || trimmed[first] !== '|') return null;
  const cells: Array<{ text: string; start: number }> = [];
  let cellStart = first + 1;
  for (let i = first + 1; i <= trimmed.length; i++) {
    if (i === trimmed.length || trimmed[i] === '|') {
      const raw = trimmed.slice(cellStart, i);
      const lead = raw.length - raw.trimStart().length;
      cells.push({ text: raw.trim(), start: cellStart + lead });
      cellStart = i + 1;
    }
  }
  // `| a | b |` ends with an empty cell after the last bar.
  if (cells.length > 1 && cells[cells.length - 1]!.text === '' && trimmed.endsWith('|')) cells.pop();
  return cells;
}

/** Reads a header line into columns, or null when it is not made only of column names. */
function parseHeader(line: string): { columns: Column[]; boxed: boolean } | null {
  const cells = pipeCells(line);
  if (cells) {
    const columns: Column[] = [];
    for (const cell of cells) {
      const col = columnFor(cell.text, cell.start);
      if (!col) return null;
      columns.push(col);
    }
    return { columns, boxed: true };
  }
  const first = FIRST_WORD.exec(line);
  if (!first || !HEADER_FIRST_WORDS.has(first[1]!.toLowerCase())) return null;
  const tokens = [...line.matchAll(/\S+/g)].map((m) => ({ text: m[0], start: m.index }));
  if (tokens.length === 0 || tokens.length > 16) return null;
  // Where the author left wide gaps, they separate the columns: "File   Version   Size" is a
  // name, a version and a size, although "File Version" is also a column name.
  const byGaps = headerFromCells(line);
  if (byGaps && isFileTableHeader(byGaps)) return { columns: byGaps, boxed: false };
  const columns: Column[] = [];
  for (let i = 0; i < tokens.length; ) {
    let taken = 0;
    for (let n = Math.min(LONGEST_HEADER_PHRASE, tokens.length - i); n >= 1; n--) {
      const phrase = tokens.slice(i, i + n).map((t) => t.text).join(' ');
      const col = columnFor(phrase, tokens[i]!.start);
      if (col) {
        columns.push(col);
        taken = n;
        break;
      }
    }
    if (!taken) return byGaps ? { columns: byGaps, boxed: false } : null;
    i += taken;
  }
  return { columns, boxed: false };
}

/** The header read cell by cell, cells being separated by two or more spaces. */
function headerFromCells(line: string): Column[] | null {
  const columns: Column[] = [];
  for (const m of line.matchAll(/\S+(?: \S+)*/g)) {
    const col = columnFor(m[0], m.index);
    if (!col) return null;
    columns.push(col);
  }
  return columns.length > 1 ? columns : null;
}

/** A file table names its files and says at least two things about them, one a date or size:
 *  `File name | Version` alone is a version list, not a file table. */
function isFileTableHeader(columns: Column[]): boolean {
  const kinds = new Set(columns.map((c) => c.kind));
  if (columns.filter((c) => c.kind === 'name').length !== 1) return false;
  const facts = (kinds.has('date') ? 1 : 0) + (kinds.has('time') ? 1 : 0) + (kinds.has('datetime') ? 2 : 0) + (kinds.has('version') ? 1 : 0) + (kinds.has('size') ? 1 : 0);
  return facts >= 2 && (kinds.has('date') || kinds.has('datetime') || kinds.has('size'));
}

// ---------------------------------------------------------------------------------------------
// Values. Each reader looks at the tokens at index i and, when they read as its kind of value,
// says how many it takes and what they mean; null when they are no such value.

interface Token {
  text: string;
  start: number;
}

const tokenize = (text: string, offset = 0): Token[] => [...text.matchAll(/\S+/g)].map((m) => ({ text: m[0], start: offset + m.index }));
const joinTokens = (ts: Token[]): string => ts.map((t) => t.text).join(' ');

interface DraftRow {
  name: string;
  version: string | null;
  size: number | null;
  sizeLabel?: string;
  date: string | null;
  time: string | null;
  platform: string | null;
  extra: Record<string, string>;
  /** How many typed values (date, time, version, size) the row had: 0 means it is not a row. */
  typed: number;
  /** Where each text field starts in the line, for attaching wrapped continuation lines. */
  starts: Array<{ field: string; start: number }>;
  /** Values that are there but unreadable; kept as warnings, the row still counts. */
  problems: string[];
}

function emptyRow(): DraftRow {
  return { name: '', version: null, size: null, date: null, time: null, platform: null, extra: {}, typed: 0, starts: [], problems: [] };
}

const RE_NONE = /^(n\/a|na|none|-+|\?+)$/i;
const RE_UNIT = /^(kb|k|mb|bytes|b)$/i;

// Dates --------------------------------------------------------------------------------------

const RE_DATE_NUMERIC = /^(\d{1,2})[/\\-](\d{1,2})[/\\-](\d{2}|\d{4})$/;
const RE_DATE_DAY_MONTH = /^(\d{1,2})-([A-Za-z]{3,9})-(\d{2}|\d{4})$/;
const RE_DATE_MONTH_DAY = /^([A-Za-z]{3,9})-(\d{1,2})-(\d{2}|\d{4})$/;
const RE_DATE_ISO = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})$/;
/** Shaped like a date but not one (`6/12/200`): the row is still a row, its date is unknown. */
const RE_DATE_SHAPE = /^\d{1,4}[-/\\]\d{1,4}[-/\\]\d{1,4}$/;
const RE_DATE_PLACEHOLDER = /^x{1,4}[-/]x{1,4}[-/]x{1,4}$/i;
const RE_WEEKDAY = /^(mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?$/i;

function fullYear(y: string): number {
  const n = Number(y);
  if (y.length === 4) return n;
  return n < 50 ? 2000 + n : 1900 + n; // the corpus runs from the 1980s to the 2000s
}

const month = (word: string): number | null => monthNumber(word.replace(/[.,]$/, ''));

interface Read<T> {
  value: T;
  used: number;
  problem?: string;
}

/** A date at tokens[i]: one token (`09/27/2001`, `27-Sep-2001`, `Sep-27-2001`, `2001-09-27`) or
 *  words (`Sep 27, 2001`, `Thu, May 9, 1996`, `27 September 2001`). */
function readDateAt(tokens: Token[], i: number): Read<string | null> | null {
  const t = tokens[i]?.text;
  if (t === undefined) return null;
  const bad = (used: number): Read<null> => ({ value: null, used, problem: `unreadable date "${joinTokens(tokens.slice(i, i + used))}"` });
  const ok = (value: string | null, used: number): Read<string | null> => (value ? { value, used } : bad(used));
  let m = RE_DATE_NUMERIC.exec(t);
  if (m) {
    let mo = Number(m[1]);
    let day = Number(m[2]);
    // US order, unless only day-first makes sense (27/09/2001).
    if (mo > 12 && day <= 12) [mo, day] = [day, mo];
    return ok(isoDate(fullYear(m[3]!), mo, day), 1);
  }
  if ((m = RE_DATE_DAY_MONTH.exec(t)) && month(m[2]!)) return ok(isoDate(fullYear(m[3]!), month(m[2]!)!, Number(m[1])), 1);
  if ((m = RE_DATE_MONTH_DAY.exec(t)) && month(m[1]!)) return ok(isoDate(fullYear(m[3]!), month(m[1]!)!, Number(m[2])), 1);
  if ((m = RE_DATE_ISO.exec(t))) return ok(isoDate(Number(m[1]), Number(m[2]), Number(m[3])), 1);
  if (RE_DATE_PLACEHOLDER.test(t)) return { value: null, used: 1 };
  if (RE_DATE_SHAPE.test(t)) return bad(1);
  let j = i;
  if (RE_WEEKDAY.test(t)) j++;
  const [a, b, c] = [tokens[j]?.text, tokens[j + 1]?.text, tokens[j + 2]?.text];
  if (a && b && c && /^\d{4}\.?$/.test(c)) {
    const year = Number(c.replace(/\.$/, ''));
    if (month(a) && /^\d{1,2},?$/.test(b)) return ok(isoDate(year, month(a)!, parseInt(b, 10)), j + 3 - i);
    if (/^\d{1,2}$/.test(a) && month(b)) return ok(isoDate(year, month(b)!, Number(a)), j + 3 - i);
  }
  return null;
}

// Times --------------------------------------------------------------------------------------

const RE_TIME = /^(\d{1,2}):(\d{2})(?::(\d{2}))?([ap]\.?(?:m\.?)?)?$/i;
/** `22.36`, `11.31am`: a dot instead of a colon, read only where a time is due. */
const RE_TIME_DOT = /^(\d{1,2})\.(\d{2})([ap]\.?(?:m\.?)?)?$/i;
const RE_TIME_PLACEHOLDER = /^x{1,2}:x{2}$/i;
const RE_TIME_SUFFIX = /^([ap]\.?m\.?|midnight|noon)$/i;
/** Attribute flags a cabinet listing prints after the time (`----`, `A---`). */
const RE_ATTRIBUTES = /^(?=.*-)[-ARHSC]{4}$/;

function clock(hourText: string, minuteText: string, suffix: string): string | null {
  let hour = Number(hourText);
  const minute = Number(minuteText);
  const s = suffix.toLowerCase();
  if (minute > 59) return null;
  if (s === 'midnight') hour = 0;
  else if (s === 'noon') hour = 12;
  else if (s && hour >= 1 && hour <= 12) {
    if (s.startsWith('p') && hour !== 12) hour += 12;
    if (s.startsWith('a') && hour === 12) hour = 0;
  }
  // "13:09p" is a 24-hour time with a stray suffix; "0:30am" is half past midnight.
  if (hour > 23) return null;
  return `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`;
}

function readTimeAt(tokens: Token[], i: number): Read<string | null> | null {
  const t = tokens[i]?.text;
  if (t === undefined) return null;
  const next = tokens[i + 1]?.text;
  if (RE_TIME_PLACEHOLDER.test(t)) return { value: null, used: 1 };
  let m = RE_TIME.exec(t);
  let dotted = false;
  if (!m) {
    m = RE_TIME_DOT.exec(t);
    // A dotted time only where it cannot be the version: it has am/pm, or a version follows.
    if (!m || !(m[3] || (next && (RE_TIME_SUFFIX.test(next) || isVersionText(next))))) return null;
    dotted = true;
  }
  const glued = dotted ? m[3] : m[4];
  const suffixWord = !glued && next && RE_TIME_SUFFIX.test(next) ? next : undefined;
  const used = suffixWord ? 2 : 1;
  const value = clock(m[1]!, m[2]!, glued ?? suffixWord ?? '');
  return value ? { value, used } : { value: null, used, problem: `unreadable time "${joinTokens(tokens.slice(i, i + used))}"` };
}

// Versions -----------------------------------------------------------------------------------

const RE_VERSION = /^(?:v\.?)?\d+(?:[.:]\d+)*\.\d+(?:[.:]\d+)*[a-z]?$/i;
const RE_VERSION_BUILD = /^v?\d+(?:\.\d+)+\(/i; // 1.2(build 786), 1.2(786)
const RE_EURO_BYTES = /^\d{1,3}(?:\.\d{3})+$/; // 1.135.104, 185.760
const PLATFORM_WORDS = /^\(?(x86|x64|ia-?64|i386|intel|alpha|mips|ppc|amd64|itanium|arm|arm64)\)?$/i;

function isVersionText(t: string): boolean {
  return RE_VERSION.test(t) || RE_VERSION_BUILD.test(t);
}

function readVersionAt(tokens: Token[], i: number): Read<string | null> | null {
  const t = tokens[i]?.text;
  if (t === undefined) return null;
  const next = tokens[i + 1]?.text;
  if (RE_NONE.test(t)) return { value: null, used: 1 };
  if (/^not$/i.test(t) && next && /^applicable$/i.test(next)) return { value: null, used: 2 };
  // "1, 0, 0, 72"
  if (/^\d+,$/.test(t)) {
    let j = i + 1;
    while (j < tokens.length && /^\d+,$/.test(tokens[j]!.text)) j++;
    if (j < tokens.length && /^\d+$/.test(tokens[j]!.text) && j - i >= 2) return { value: joinTokens(tokens.slice(i, j + 1)), used: j + 1 - i };
    return null;
  }
  if (!isVersionText(t)) return null;
  if (next !== undefined && RE_UNIT.test(next)) return null; // "1.32 MB" is a size
  if (RE_EURO_BYTES.test(t) && !(next !== undefined && startsSize(tokens, i + 1))) return null;
  let j = i + 1;
  if (RE_VERSION_BUILD.test(t) && !t.endsWith(')')) {
    while (j < tokens.length && !tokens[j - 1]!.text.endsWith(')') && j - i < 4) j++;
  }
  // "05.00.4319 (SP2)", "7.0.2600.15 (xpclnt_qfe.010827-1803)": a note on the build.
  const note = tokens[j]?.text;
  if (note && /^\(.*\)$/.test(note) && !PLATFORM_WORDS.test(note)) j++;
  return { value: joinTokens(tokens.slice(i, j)), used: j - i };
}

// Sizes --------------------------------------------------------------------------------------

const RE_BYTES = /^(?:\d{1,3}(?:,\d{3})+|\d+)$/;

function startsSize(tokens: Token[], i: number): boolean {
  const r = readSizeAt(tokens, i, undefined);
  return r !== null && r.problem === undefined && !RE_NONE.test(tokens[i]!.text);
}

function readSizeAt(tokens: Token[], i: number, unit: Column['unit']): Read<{ size: number | null; label?: string }> | null {
  const t = tokens[i]?.text;
  if (t === undefined) return null;
  const next = tokens[i + 1]?.text;
  const bytes = (text: string): number => Number(text.replace(/[,.]/g, ''));
  if (t.toUpperCase() === '<DIR>') return { value: { size: null, label: '<DIR>' }, used: 1 };
  if (RE_NONE.test(t)) return { value: { size: null }, used: 1 };
  if (/^not$/i.test(t) && next && /^applicable$/i.test(next)) return { value: { size: null }, used: 2 };
  if (/^(varies|various|unknown)$/i.test(t)) return { value: { size: null, label: t }, used: 1 };
  let m = /^(\d{1,3}(?:,\d{3})+|\d+)(b?)$/i.exec(t);
  if (m && !(next !== undefined && RE_UNIT.test(next))) {
    if (unit === 'KB') return { value: { size: null, label: `${m[1]} KB` }, used: 1 };
    return { value: { size: bytes(m[1]!) }, used: 1 };
  }
  if (RE_EURO_BYTES.test(t) && !(next !== undefined && RE_UNIT.test(next))) return { value: { size: bytes(t) }, used: 1 };
  // An amount with a unit, glued or not, perhaps followed by the exact count: "144KB (147,728 bytes)".
  let amount: string | undefined;
  let unitWord: string | undefined;
  let used = 0;
  if ((m = /^(\d[\d,]*(?:\.\d+)?)(kb|k|mb|bytes)$/i.exec(t))) [amount, unitWord, used] = [m[1], m[2], 1];
  else if (/^\d[\d,]*(?:\.\d+)?$/.test(t) && next !== undefined && RE_UNIT.test(next)) [amount, unitWord, used] = [t, next, 2];
  if (amount !== undefined && unitWord !== undefined) {
    const exact = /^\((\d{1,3}(?:,\d{3})+|\d+)$/.exec(tokens[i + used]?.text ?? '');
    if (exact && /^bytes\)$/i.test(tokens[i + used + 1]?.text ?? '')) return { value: { size: bytes(exact[1]!) }, used: used + 2 };
    if (/^(bytes|b)$/i.test(unitWord) && RE_BYTES.test(amount)) return { value: { size: bytes(amount) }, used };
    const u = /^k$/i.test(unitWord) ? 'KB' : unitWord.toUpperCase();
    return { value: { size: null, label: `${amount} ${u}` }, used };
  }
  // "8,1012", "2,538,44": a misprinted byte count; keep it as published.
  if (/^\d[\d,.]*\d$/.test(t) && !RE_VERSION.test(t)) {
    return { value: { size: null, label: t }, used: 1, problem: `size "${t}" is not a byte count` };
  }
  return null;
}

// Rows ---------------------------------------------------------------------------------------
//
// Authors did not line columns up, left values out, and now and then printed a value the header
// has no column for, so an aligned row is read by search: each column offers the ways it could
// take the next tokens (a value of its kind, nothing, or a looser reading at a small cost), and
// the reading with the most values, the fewest costs and nothing left over wins. A reading whose
// file name starts with a number or a unit is no reading at all.

const isTyped = (col: Column): boolean => col.kind === 'date' || col.kind === 'datetime' || col.kind === 'time' || col.kind === 'version' || col.kind === 'size';

interface Option {
  used: number;
  cost: number;
  apply: (row: DraftRow) => void;
}

/** The ways a typed column can read the tokens at i (not including "nothing"). */
function typedOptions(col: Column, tokens: Token[], i: number, hasTimeColumn: boolean, last: boolean): Option[] {
  const out: Option[] = [];
  const note = (row: DraftRow, problem: string | undefined): void => {
    if (problem) row.problems.push(problem);
  };
  switch (col.kind) {
    case 'date':
    case 'datetime': {
      const d = readDateAt(tokens, i);
      if (!d) break;
      // "1/07/99 06:04pm" under a Date heading, or a Date/Time column: the time comes along.
      const t = col.kind === 'datetime' || !hasTimeColumn ? readTimeAt(tokens, i + d.used) : null;
      out.push({
        used: d.used + (t?.used ?? 0),
        cost: d.problem ? 1 : 0,
        apply: (row) => {
          row.date = d.value;
          note(row, d.problem);
          if (t) {
            row.time = t.value;
            note(row, t.problem);
          }
          row.typed++;
        },
      });
      break;
    }
    case 'time': {
      const text = tokens[i]?.text ?? '';
      const hhmm = /^([01]\d|2[0-3])([0-5]\d)$/.exec(text);
      // "1436": a 24-hour time printed without its colon.
      if (hhmm) out.push({ used: 1, cost: 1, apply: (row) => ((row.time = `${hhmm[1]}:${hhmm[2]}`), row.typed++) });
      const t = readTimeAt(tokens, i);
      // "22.36" with nothing to tell it from a version: a time, if the reading works out.
      const dotted = !t && /^([01]?\d|2[0-3])\.([0-5]\d)$/.exec(text);
      if (dotted) out.push({ used: 1, cost: 1, apply: (row) => ((row.time = `${dotted[1]!.padStart(2, '0')}:${dotted[2]}`), row.typed++) });
      if (!t) break;
      const attrs = RE_ATTRIBUTES.test(tokens[i + t.used]?.text ?? '') ? 1 : 0;
      out.push({
        used: t.used + attrs,
        cost: t.problem ? 1 : 0,
        apply: (row) => {
          row.time = t.value;
          note(row, t.problem);
          row.typed++;
        },
      });
      break;
    }
    case 'version': {
      const v = readVersionAt(tokens, i);
      const t = tokens[i]?.text;
      if (v) out.push({ used: v.used, cost: 0, apply: (row) => ((row.version = v.value), row.typed++) });
      // A bare build number ("786") where a version is due.
      else if (t && /^\d{1,5}$/.test(t)) out.push({ used: 1, cost: 1, apply: (row) => ((row.version = t), row.typed++) });
      // The last column takes whatever is printed there ("Version: 2.0.0.", "R.5.03.63.2.38").
      if (last && i < tokens.length) {
        const rest = joinTokens(tokens.slice(i));
        out.push({ used: tokens.length - i, cost: 1, apply: (row) => ((row.version = rest), row.typed++) });
      }
      break;
    }
    case 'size': {
      const s = readSizeAt(tokens, i, col.unit);
      const t = tokens[i]?.text;
      if (s) {
        out.push({
          used: s.used,
          cost: s.problem ? 2 : 0,
          apply: (row) => {
            row.size = s.value.size;
            if (s.value.label !== undefined) row.sizeLabel = s.value.label;
            note(row, s.problem);
            row.typed++;
          },
        });
      } else if (t && /^\d+\.\d+$/.test(t)) {
        // "94.5" under Size: no unit printed, no byte count; keep it as published.
        out.push({ used: 1, cost: 1, apply: (row) => ((row.size = null), (row.sizeLabel = t), row.typed++) });
      }
      break;
    }
    default:
      break;
  }
  return out;
}

/** Would a value of this column start at i? (Where a name or a text column can end.) */
function startsValue(col: Column, tokens: Token[], i: number, hasTimeColumn: boolean): boolean {
  const t = tokens[i]?.text;
  if (t === undefined || RE_NONE.test(t) || /^[a-z]/i.test(t) && !/^(v\.?\d|not$)/i.test(t) && col.kind !== 'date' && col.kind !== 'datetime') return false;
  return typedOptions(col, tokens, i, hasTimeColumn, false).length > 0;
}

function setText(row: DraftRow, col: Column, text: string, start: number): void {
  const value = text.trim();
  if (col.kind === 'name') {
    row.name = value;
    row.starts.push({ field: 'name', start });
  } else if (col.kind === 'platform') {
    // "(x86)", "<alpha>" in a Platform column.
    const inner = /^[(<](.*)[)>]$/.exec(value)?.[1] ?? value;
    row.platform = inner === '' || RE_NONE.test(inner) || /^not applicable$/i.test(inner) ? null : inner;
    row.starts.push({ field: 'platform', start });
  } else if (value !== '') {
    row.extra[col.label] = value;
    row.starts.push({ field: `extra:${col.label}`, start });
  }
}

/** Runs of tokens separated by two or more spaces (how authors separate columns). */
function segments(tokens: Token[]): Token[][] {
  const out: Token[][] = [];
  for (const t of tokens) {
    const last = out[out.length - 1];
    const prev = last?.[last.length - 1];
    if (last && prev && t.start - (prev.start + prev.text.length) < 2) last.push(t);
    else out.push([t]);
  }
  return out;
}

/** The ways a text column (the name, a platform, a folder) can take the tokens at i. */
function textOptions(columns: Column[], k: number, tokens: Token[], i: number, hasTimeColumn: boolean): Option[] {
  const col = columns[k]!;
  const rest = columns.slice(k + 1);
  const take = (end: number, cost = 0): Option => {
    const ts = tokens.slice(i, end);
    return { used: end - i, cost, apply: (row) => setText(row, col, joinTokens(ts), ts[0]!.start) };
  };
  if (i >= tokens.length) return [];
  const segs = segments(tokens.slice(i));
  const firstSeg = i + segs[0]!.length;
  const next = rest[0];
  // A text column before another text column ends at a two-space gap, or after one word when
  // the gaps are too few ("Pollinv.exe (Intel)").
  if (next && !isTyped(next)) {
    const out = [take(firstSeg)];
    if (segs[0]!.length > 1 && rest.every((c) => !isTyped(c)) && segs.length < rest.length + 1) out.push(take(i + 1));
    // "Common Dialog Control COMDLG32.OCX": a text column before the name, one space apart.
    if (next.kind === 'name') for (let j = i + 1; j < firstSeg; j++) out.push(take(j, 1));
    // An empty cell before the name: the row continues the group above it.
    if (next.kind === 'name' && col.kind !== 'name') out.push({ used: 0, cost: 1, apply: () => undefined });
    return out;
  }
  // Before typed columns: up to where one of their values starts (the first few such places).
  const typedAfter = rest.filter(isTyped);
  if (typedAfter.length === 0) return [take(tokens.length)];
  const out: Option[] = [];
  // An empty cell: the next column's value is already here.
  if (col.kind !== 'name' && typedAfter.some((c) => startsValue(c, tokens, i, hasTimeColumn))) out.push({ used: 0, cost: 0, apply: () => undefined });
  for (let j = i + 1; j <= tokens.length && out.length < 4; j++) {
    if (j === tokens.length || typedAfter.some((c) => startsValue(c, tokens, j, hasTimeColumn))) out.push(take(j, out.length));
  }
  return out;
}

/** "163", "1,234", "KB": what a file name never starts with. */
function isPlausibleName(name: string): boolean {
  if (name === '.' || name === '..') return true; // directory listings
  const words = name.split(/\s+/);
  const first = words[0] ?? '';
  // A byte count or a date inside the name: the columns were misread.
  if (words.some((w, i) => /^\d{1,3}(,\d{3})+$/.test(w) || readDateAt(words.map((text) => ({ text, start: 0 })), i)?.problem === undefined && RE_DATE_NUMERIC.test(w))) return false;
  return /[A-Za-z_$~]/.test(first) && !RE_UNIT.test(first) && !/^\d[\d,.]*(kb|mb|k|b)?$/i.test(first) && !RE_NONE.test(first);
}

interface Reading {
  row: DraftRow;
  score: number;
}

/** More values, fewer costs, nothing left over; file names rarely have spaces. */
function scoreOf(row: DraftRow, cost: number, leftover: number): number {
  const nameWords = row.name.split(/\s+/).length - 1;
  return row.typed * 4 - cost * 2 - leftover * 5 - nameWords;
}

/** The best reading of the tokens against the columns, or null when none has a plausible name. */
function bestReading(columns: Column[], tokens: Token[], extraCost: number): Reading | null {
  const hasTime = columns.some((c) => c.kind === 'time');
  let best: Reading | null = null;
  let budget = 400; // readings tried per row; real rows need a handful
  const walk = (k: number, i: number, steps: Option[], cost: number): void => {
    if (--budget < 0) return;
    if (k === columns.length) {
      const row = emptyRow();
      for (const s of steps) s.apply(row);
      if (!row.name || !isPlausibleName(row.name)) return;
      const leftover = tokens.length - i;
      if (leftover > 0) {
        const left = tokens.slice(i);
        row.extra['Notes'] = joinTokens(left);
        row.starts.push({ field: 'extra:Notes', start: left[0]!.start });
      }
      const score = scoreOf(row, cost + extraCost, leftover);
      if (!best || score > best.score) best = { row, score };
      return;
    }
    const col = columns[k]!;
    if (isTyped(col)) {
      for (const o of typedOptions(col, tokens, i, hasTime, k === columns.length - 1)) walk(k + 1, i + o.used, [...steps, o], cost + o.cost);
      walk(k + 1, i, steps, cost); // the row has no value for this column
      return;
    }
    const options = textOptions(columns, k, tokens, i, hasTime);
    if (options.length === 0 && col.kind !== 'name') walk(k + 1, i, steps, cost);
    for (const o of options) walk(k + 1, i + o.used, [...steps, o], cost + o.cost);
  };
  walk(0, 0, [], 0);
  return best;
}

/** The header with a column it forgot: rows that print a version (or size) the header lacks. */
function headerVariants(columns: Column[]): Column[][] {
  const out: Column[][] = [columns];
  const nameAt = columns.findIndex((c) => c.kind === 'name');
  const has = (kind: ColumnKind): boolean => columns.some((c) => c.kind === kind);
  const sizeAt = columns.findIndex((c) => c.kind === 'size');
  if (!has('version') && sizeAt >= 0 && sizeAt < nameAt) {
    out.push([...columns.slice(0, sizeAt), { kind: 'version', label: 'Version', start: -1 }, ...columns.slice(sizeAt)]);
  }
  if (!has('size') && nameAt > 0) {
    out.push([...columns.slice(0, nameAt), { kind: 'size', label: 'Size', start: -1 }, ...columns.slice(nameAt)]);
  }
  return out;
}

/** Reads one whitespace-aligned row; null when no reading has a plausible file name. */
function readAlignedRow(line: string, columns: Column[]): DraftRow | null {
  const tokens = tokenize(line);
  if (tokens.length === 0 || tokens.length > 24) return null;
  let best: Reading | null = null;
  headerVariants(columns).forEach((variant, n) => {
    const r = bestReading(variant, tokens, n === 0 ? 0 : 2);
    if (r && (!best || r.score > best.score)) best = r;
  });
  return (best as Reading | null)?.row ?? null;
}

/** Reads one boxed row `| a | b |`; null when its cells do not match the header. Cells are
 *  unambiguous, so each is read on its own; a version cell keeps whatever text it holds. */
function readBoxedRow(line: string, columns: Column[]): DraftRow | null {
  const cells = pipeCells(line);
  if (!cells || cells.length !== columns.length) return null;
  const row = emptyRow();
  const hasTime = columns.some((col) => col.kind === 'time');
  let filled = 0;
  for (let k = 0; k < columns.length; k++) {
    const col = columns[k]!;
    const cell = cells[k]!;
    if (cell.text !== '') filled++;
    if (!isTyped(col)) {
      setText(row, col, cell.text, cell.start);
      continue;
    }
    if (cell.text === '') continue;
    const tokens = tokenize(cell.text, cell.start);
    const whole = typedOptions(col, tokens, 0, hasTime, col.kind === 'version').find((o) => o.used === tokens.length);
    if (whole) whole.apply(row);
    else if (RE_NONE.test(cell.text) || /^not applicable$/i.test(cell.text)) row.typed++;
    else return null;
  }
  // In a box, a row with empty cells is still a row: the values are simply not given.
  if (!row.name || filled === 0) return null;
  row.typed = Math.max(row.typed, 1);
  return row;
}

/** A token sequence the parser reads as some kind of value: rows have them, prose rarely. */
function hasValueToken(line: string): boolean {
  const tokens = tokenize(line);
  return tokens.some((t, i) => readDateAt(tokens, i) !== null || RE_TIME.test(t.text) || /^\d{1,3}(,\d{3})+$/.test(t.text) || RE_VERSION.test(t.text));
}

/** "the quick brown fox": most of the words lower-case, as in running text. */
function isProse(line: string): boolean {
  const tokens = tokenize(line);
  const words = tokens.filter((t) => /^[a-z][a-z']*[,.;:]?$/.test(t.text)).length;
  return tokens.length >= 5 && words / tokens.length >= 0.5;
}

/** Lines that are never rows: notes and the legacy keyword trailer. */
const RE_NOT_A_ROW = /^\s*(note|notes|additional query words|keywords)\b/i;
/** "-or-" between the rows of two alternatives. */
const RE_OR = /^\s*-*\s*(or|and)\s*-*\s*$/i;

/** "1 file(s)  1,716,224 bytes", "2 Files  824,320 bytes": the footer of a directory listing. */
const RE_LISTING_FOOTER = /^\s*\d+\s+(files?|file\(s\)|dirs?|dir\(s\))\b/i;

function appendText(row: DraftRow, field: string, text: string): void {
  if (field === 'name') {
    // A long file name wraps anywhere inside it ("..._6.0.6002.23012_none_" / "a8d8.manifest");
    // only a name made of words ("Microsoft Visual FoxPro") wraps at a space.
    row.name = row.name.includes(' ') ? `${row.name} ${text}` : row.name + text;
  } else if (field === 'platform') row.platform = row.platform ? `${row.platform} ${text}` : text;
  else {
    const key = field.slice('extra:'.length);
    row.extra[key] = row.extra[key] ? `${row.extra[key]} ${text}` : text;
  }
}

/** Attaches a wrapped line (text only, indented under a text column) to the previous row. */
function continueAligned(line: string, prev: DraftRow): boolean {
  const tokens = tokenize(line);
  if (tokens.length === 0 || prev.starts.length === 0) return false;
  if (tokens.some((t, i) => readDateAt(tokens, i) !== null || RE_TIME.test(t.text) || /^\d{1,3}(,\d{3})+$/.test(t.text))) return false;
  const firstField = Math.min(...prev.starts.map((s) => s.start));
  if (tokens[0]!.start < firstField - 1) return false;
  // Each run of words goes to the text column whose start is nearest at or before it
  // ("31bf3856ad364e35.manifest" under the name, "x86" under the platform).
  const parts: Array<{ field: string; text: string }> = [];
  for (const seg of segments(tokens)) {
    let target: { field: string; start: number } | undefined;
    for (const s of prev.starts) if (s.start <= seg[0]!.start + 2 && (!target || s.start >= target.start)) target = s;
    if (!target) return false;
    if (target.field === 'name' && seg.length > 2) return false;
    const last = parts[parts.length - 1];
    if (last && last.field === target.field) last.text += ` ${joinTokens(seg)}`;
    else parts.push({ field: target.field, text: joinTokens(seg) });
  }
  for (const p of parts) appendText(prev, p.field, p.text);
  return true;
}

function continueBoxed(line: string, columns: Column[], prev: DraftRow): boolean {
  const cells = pipeCells(line);
  if (!cells || cells.length !== columns.length) return false;
  if (cells.some((cell, k) => cell.text !== '' && isTyped(columns[k]!)) || cells.every((cell) => cell.text === '')) return false;
  cells.forEach((cell, k) => {
    const col = columns[k]!;
    if (!cell.text) return;
    appendText(prev, col.kind === 'name' ? 'name' : col.kind === 'platform' ? 'platform' : `extra:${col.label}`, cell.text);
  });
  return true;
}

/** `ACMSETUP EXE` in an MS-DOS directory listing is `ACMSETUP.EXE`. */
function dosName(name: string): string {
  const m = /^([A-Z0-9_~$!#%&'@^-]{1,8})\s+([A-Z0-9_~$]{1,3})$/.exec(name);
  return m ? `${m[1]}.${m[2]}` : name;
}

function toFileRow(d: DraftRow, labelPlatform: Platform | null, hasPlatformColumn: boolean): FileRow {
  // "CANONIII  DRV": a listing with the extension in a column of its own.
  const extension = d.extra['Extension'] ?? d.extra['Ext'];
  if (extension && /^\w{1,4}$/.test(extension) && !d.name.includes('.')) {
    d.name = `${d.name}.${extension}`;
    delete d.extra['Extension'];
    delete d.extra['Ext'];
  }
  // "Net.exe  n/a": the "none" of a column the header does not have.
  let name = dosName(d.name.split(/\s+/).filter((w, i) => i === 0 || !RE_NONE.test(w)).join(' '));
  let platform = d.platform;
  const extra = { ...d.extra };
  // "Pollinv.exe (Intel)", "compver.ini Intel": a platform after the name; "External.exe (MS-DOS)":
  // a remark on the file, kept beside it.
  const after = /^(\S+\.\w+)\s+(\(([^)]+)\)|\S+)$/.exec(name);
  if (after && platform === null && PLATFORM_WORDS.test(after[2]!)) {
    name = after[1]!;
    platform = after[3] ?? after[2]!;
  } else if (after && after[3] !== undefined && extra['Notes'] === undefined) {
    name = after[1]!;
    extra['Notes'] = after[3];
  }
  if (platform === null && !hasPlatformColumn) platform = labelPlatform;
  const row: FileRow = { name, version: d.version, size: d.size, date: d.date, time: d.time, platform };
  if (d.sizeLabel !== undefined) row.sizeLabel = d.sizeLabel;
  if (Object.keys(extra).length > 0) row.extra = extra;
  return row;
}

// ---------------------------------------------------------------------------------------------
// Blocks

const RE_RULE = /^\s*[-=_+|:\s]*[-=_]{3,}[-=_+|:\s]*$/;
const isBlank = (l: string | undefined): boolean => l === undefined || l.trim() === '';

/** Platform named by a label: "x86", "Itanium-based versions", "Windows NT 4.0 (Intel)"; null
 *  when it names none, or several ("Intel and Alpha"). */
function platformOfLabel(label: string): Platform | null {
  const found = new Set<string>();
  for (const m of label.matchAll(/(?:^|[^\w-])(x86|i386|intel|x64|amd64|x86-64|ia-?64|itanium|arm64|arm|alpha|mips|ppc|powerpc)(?![\w])/gi)) {
    const word = m[1]!.toLowerCase();
    found.add(word === 'intel' ? 'x86' : (canonicalPlatform(word) ?? word));
  }
  if (found.size !== 1) return null;
  return canonicalPlatform([...found][0]!);
}

/** The platform every row agrees on, if they do. */
function platformOfRows(rows: FileRow[]): Platform | null {
  const each = new Set(rows.map((r) => (r.platform ? platformOfLabel(r.platform) : null)));
  return each.size === 1 ? ([...each][0] ?? null) : null;
}

/** A short single-line paragraph just above the table, or an underlined title, is its label. */
function findLabel(lines: string[], header: number): { text: string; from: number } | null {
  let i = header - 1;
  if (isBlank(lines[i])) i--;
  if (i < 0 || isBlank(lines[i])) return null;
  let underlined = false;
  if (/^\s*[-~]{3,}\s*$/.test(lines[i]!)) {
    underlined = true;
    i--;
  } else if (/^\s*=+\s*$/.test(lines[i]!)) return null; // a section heading ("RESOLUTION") is no caption
  const text = lines[i]?.trim() ?? '';
  if (!text || (!underlined && !isBlank(lines[i - 1]))) return null;
  if (text.length > 90 || /[.,;!?]$/.test(text) || /^(note|important|warning|caution)\b/i.test(text)) return null;
  if (/\b(following|follows|attributes|should|listed|below|above|contains|installs|this (fix|hotfix|update))\b/i.test(text)) return null;
  if (parseHeader(text) || /^[|+]/.test(text) || hasValueToken(text) && !/^[\w .()/-]+:?$/.test(text)) return null;
  return { text: text.replace(/:$/, '').trim(), from: i };
}

interface Group {
  label: string | null;
  rows: DraftRow[];
}

interface Block {
  /** First line of the block in the text (the label, when one was used). */
  from: number;
  /** Line after the block. */
  to: number;
  tables: Array<Omit<FileTable, 'id'>>;
  failure?: string;
  warnings: string[];
}

function isBorder(line: string): boolean {
  return RE_RULE.test(line) || /^\s*\+[-=+]+\+?\s*$/.test(line);
}

function readBlock(lines: string[], h: number, header: { columns: Column[]; boxed: boolean }): Block {
  const { columns, boxed } = header;
  const readRowAt = (j: number): DraftRow | null => {
    const row = readRow(lines[j]!);
    if (!row || (!boxed && /^\s*[-=~]{3,}\s*$/.test(lines[j + 1] ?? ''))) return null; // an underlined title
    // A row with a date or a byte count is a row even just above the next table.
    return (row.typed >= 2 && (row.date !== null || row.size !== null)) || !introducesNext(lines, j, boxed) ? row : null;
  };
  const readRow = (line: string): DraftRow | null => {
    if (RE_LISTING_FOOTER.test(line) || RE_NOT_A_ROW.test(line)) return null;
    const row = boxed ? readBoxedRow(line, columns) : readAlignedRow(line, columns);
    if (!row || !row.name) return null;
    // Running text with a number in it is not a row; a row with a long location still is.
    if (!boxed && row.typed < 2 && isProse(line)) return null;
    return row.typed > 0 || isBareName(line, columns) ? row : null;
  };
  let i = h + 1;
  while (i < lines.length && isBorder(lines[i]!)) i++;

  const groups: Group[] = [{ label: null, rows: [] }];
  const current = (): Group => groups[groups.length - 1]!;
  let end = i;
  let failure: string | undefined;
  let rowIndent = -1;
  for (; i < lines.length; i++) {
    const line = lines[i]!;
    const rowsSoFar = groups.reduce((n, g) => n + g.rows.length, 0);
    if (isBlank(line)) {
      // A blank line inside a table is fine when a row (or a group label and a row) follows it.
      let j = i;
      while (j < lines.length && isBlank(lines[j]) && j - i < 2) j++;
      const next = lines[j];
      if (next !== undefined && !isBlank(next) && !parseHeader(next) && (readRowAt(j) || (rowsSoFar > 0 && isGroupLabel(lines, j, readRow)))) {
        i = j - 1;
        continue;
      }
      break;
    }
    if (isBorder(line) || RE_OR.test(line)) {
      if (rowsSoFar > 0 || current().label) end = i + 1;
      continue;
    }
    if (parseHeader(line) || RE_LISTING_FOOTER.test(line)) break;
    const row = readRowAt(i);
    const prev = current().rows[current().rows.length - 1];
    // A line far to the right of the rows that also reads as a row ("Second Edition") is more
    // likely the wrapped end of the row above it.
    const wrapped = !!prev && !boxed && line.search(/\S/) > rowIndent + 8 && continueAligned(line, prev);
    if (row && !wrapped) {
      current().rows.push(row);
      if (rowIndent < 0) rowIndent = line.search(/\S/);
      end = i + 1;
      continue;
    }
    if (wrapped || (prev && (boxed ? continueBoxed(line, columns, prev) : continueAligned(line, prev)))) {
      end = i + 1;
      continue;
    }
    if ((rowIndent < 0 || line.search(/\S/) <= rowIndent + 2) && isGroupLabel(lines, i, readRow)) {
      groups.push({ label: line.trim().replace(/:$/, ''), rows: [] });
      continue;
    }
    // Text after the table (no values in it, or running prose) ends it; a line with values that
    // does not read as a row means this parser does not understand the table: it stays text.
    if (rowsSoFar > 0 && (!hasValueToken(line) || isProse(line) || line.search(/\S/) < rowIndent)) break;
    failure = `row "${line.trim()}" could not be read`;
    break;
  }
  const filled = groups.filter((g) => g.rows.length > 0);
  if (!failure && filled.length === 0) failure = 'no rows under the header';
  if (failure) return { from: h, to: Math.max(end, h + 1), tables: [], failure, warnings: [] };

  // A boxed header's top border belongs to the table; a label sits above it.
  const top = boxed && isBorder(lines[h - 1] ?? '') ? h - 1 : h;
  const label = findLabel(lines, top);
  const hasPlatformColumn = columns.some((c) => c.kind === 'platform');
  const tables = filled.map((g) => {
    const caption = label && g.label ? `${label.text}: ${g.label}` : (g.label ?? label?.text ?? 'File information');
    const labelPlatform = (g.label ? platformOfLabel(g.label) : null) ?? (label ? platformOfLabel(label.text) : null);
    const rows = g.rows.map((d) => toFileRow(d, labelPlatform, hasPlatformColumn));
    return { caption, platform: labelPlatform ?? platformOfRows(rows), kind: 'files' as const, rows };
  });
  const warnings = filled.flatMap((g) => g.rows.flatMap((d) => d.problems.map((p) => `${p} in the row for ${d.name}`)));
  return { from: label ? label.from : top, to: end, tables, warnings };
}

/** A heading of what follows (underlined, or just above the next table's header) is no row:
 *  "Windows 95 with Microsoft Plus!:" between two tables. */
function introducesNext(lines: string[], j: number, boxed: boolean): boolean {
  if (/:\s*$/.test(lines[j]!)) return true;
  const next = lines[j + 1];
  if (!boxed && next !== undefined && /^\s*[-=~]{3,}\s*$/.test(next)) return true;
  const after = isBlank(next) ? lines[j + 2] : next;
  const header = after === undefined ? null : parseHeader(after);
  return header !== null && isFileTableHeader(header.columns);
}

/** A row that is only a file name ("Wappc32.dll" under "File Name  Date  Time", values to follow). */
function isBareName(line: string, columns: Column[]): boolean {
  return columns[0]?.kind === 'name' && /^\s*[\w$~-]+(\.[\w$~-]+)*\.\w{1,4}\s*$/.test(line);
}

/** A short text line inside a table, followed by rows, titles the rows under it ("Pan-Chinese"). */
function isGroupLabel(lines: string[], i: number, readRow: (l: string) => DraftRow | null): boolean {
  const text = lines[i]!.trim();
  if (text.length > 60 || text.split(/\s+/).length > 6 || hasValueToken(text) && !/^[\w .()/-]+:?$/.test(text) || /^[|+]/.test(text)) return false;
  let j = i + 1;
  if (isBlank(lines[j])) j++;
  return lines[j] !== undefined && !isBlank(lines[j]) && readRow(lines[j]!) !== null;
}

/** Whether a header line is followed by something table-like: a rule, or a line with values. */
function looksLikeTable(lines: string[], h: number): boolean {
  let i = h + 1;
  if (isBorder(lines[i] ?? '')) return true;
  if (isBlank(lines[i])) i++;
  const next = lines[i];
  return next !== undefined && !isBlank(next) && (hasValueToken(next) || /\d/.test(next));
}

/** Finds the file tables in a de-indented legacy body, replaces each parsed one (with its label
 *  line) by a `[[file-table:<id>]]` line and returns them. Ids are `files`, `files-x86`,
 *  `files-ia-64` …, made unique in the article with `-2`, `-3` …; warnings name the line (1-based,
 *  in `text`) of the table's header. */
export function extractTextFileTables(text: string): TextFileTablesResult {
  const lines = text.split('\n');
  const out: string[] = [];
  const tables: FileTable[] = [];
  const warnings: string[] = [];
  const used = new Set<string>();
  let unparsed = 0;
  let copied = 0; // lines before this index are already in `out`

  for (let h = 0; h < lines.length; h++) {
    const header = parseHeader(lines[h]!);
    if (!header || !isFileTableHeader(header.columns) || !looksLikeTable(lines, h)) continue;
    const block = readBlock(lines, h, header);
    if (block.tables.length === 0) {
      unparsed++;
      warnings.push(`line ${h + 1}: a file table was left as text: ${block.failure}`);
      h = block.to - 1;
      continue;
    }
    for (const w of block.warnings) warnings.push(`line ${h + 1}: ${w}`);
    out.push(...lines.slice(copied, Math.max(block.from, copied)));
    for (const table of block.tables) {
      const id = uniqueId(`files${table.platform ? `-${table.platform.toLowerCase()}` : ''}`, used);
      tables.push({ id, ...table });
      out.push(`[[file-table:${id}]]`);
    }
    copied = block.to;
    h = block.to - 1;
  }
  out.push(...lines.slice(copied));
  return { text: out.join('\n'), tables, unparsed, warnings };
}
