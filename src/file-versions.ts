/**
 * File-version tables of hotfix articles: the model, validation of authored file data
 * (`files.yaml` beside an article), numeric version comparison and display formatting.
 * Pure: no I/O, no Eleventy.
 *
 * ## The `files.yaml` format (what authors write)
 *
 * ```yaml
 * # content/kb/2792165/files.yaml
 * branches:                  # optional: the Version / Product / SR_Level / Service branch table
 *   - { version: 6.0.6001.22xxx, product: Windows Server 2008, srLevel: SP1, branch: LDR }
 * tables:                    # required: one entry per published table, in the order shown
 *   - platform: x86          # x86 | x64 | IA-64 | ARM | ARM64 (any case; amd64, ia64, itanium,
 *                            #   i386, aarch64 are accepted and stored canonically); optional
 *     id: files-x86          # optional: the table's anchor, referred to by a body line
 *                            #   `[[file-table:files-x86]]`; derived when absent (see below)
 *     source: legacy         # optional: rows copied from a legacy plain-text article (see below)
 *     kind: files            # files (default) | additional (the manifest/MUM file tables)
 *     caption: For all supported x86-based versions of Windows Server 2008
 *     files:                 # required, at least one row
 *       - name: Ntfs.sys            # required
 *         version: 6.0.6002.23012   # required: four-part version, or n/a / Not Applicable
 *         size: 1082728             # required: bytes; "1,082,728" is accepted too (quote it
 *                                   #   inside { }, where a bare comma separates fields); a size
 *                                   #   published only in KB/MB (`701 KB`) is kept as that label;
 *                                   #   n/a when the source gives none
 *         sizeLabel: <DIR>          # optional, only with size: n/a: the size as published
 *         date: 2013-01-03          # required: 2013-01-03 or 03-Jan-2013; n/a when unknown
 *         time: "04:33"             # optional: 24-hour HH:MM; n/a → none
 *         platform: x86             # optional: defaults to the table's platform; n/a → none
 *         extra: { Language: German }  # optional: further columns of the table, as text
 * ```
 *
 * A table's id is derived unless written: `files-x86`, `additional-files-x64`, `files` when a
 * table has no platform, with `-2`, `-3` … appended when two tables would share an id (written
 * ids are taken first). Unknown keys are reported (a misspelt `sise:` must not silently drop the
 * size). "Not there" is always said explicitly (`n/a`): a missing required key stays an error.
 *
 * `source: legacy` marks a table converted from a kbarchive article by `kb import`: such tables
 * printed versions like `2.5b` or `Gen 1.35` and platforms like `Alpha` or `Intel`, so in them a
 * row's `version` and `platform` are kept as published (any text) instead of being checked
 * against the four-part / known-platform formats. Every other check still applies.
 */
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node as YamlNode, type YAMLMap } from 'yaml';
import type { Problem } from './errors.ts';
import { closestName } from './did-you-mean.ts';

/** Known platforms, in the order tables are shown. */
export const PLATFORMS = ['x86', 'x64', 'IA-64', 'ARM', 'ARM64'] as const;
export type Platform = (typeof PLATFORMS)[number];

export interface FileRow {
  /** File name as published, e.g. `Ntfs.sys`. */
  name: string;
  /** Four-part version like `6.0.6002.23012`; null where the source says "Not Applicable". */
  version: string | null;
  /** Size in bytes; null when the source gives no exact byte count. */
  size: number | null;
  /** The size as the source states it when it is not exact bytes, e.g. `701 KB`. */
  sizeLabel?: string;
  /** ISO date, YYYY-MM-DD. */
  date: string | null;
  /** 24-hour time, HH:MM. */
  time: string | null;
  /** Platform column of the row; null where the source says "Not Applicable". */
  platform: string | null;
  /** Further columns of a legacy table, by their header, e.g. `{ Language: 'German' }`. */
  extra?: Record<string, string>;
  /** Stable in-page anchor of the row, e.g. `file-ntfs.sys-x64`; set by `assignRowAnchors`. */
  anchor?: string;
}

export interface FileTable {
  /** Stable anchor for the table, e.g. `files-x64` or `additional-files-x86`. */
  id: string;
  /** Caption shown above the table, e.g. "For all supported x64-based versions of Windows Server 2008". */
  caption: string;
  /** Platform the table is grouped under; null when the source does not say. */
  platform: Platform | null;
  /** `files`: the hotfix files; `additional`: manifest/MUM files listed separately. */
  kind: 'files' | 'additional';
  rows: FileRow[];
}

/** A row of the version/branch table (Version, Product, SR_Level, Service branch). */
export interface BranchRow {
  /** Version pattern such as `6.0.6002.22xxx`. */
  version: string;
  product: string;
  srLevel: string;
  branch: string;
}

export interface FileData {
  branches: BranchRow[];
  tables: FileTable[];
}

// ---------------------------------------------------------------------------------------------
// Small domain helpers, shared with the legacy text-table parser.

const PLATFORM_ALIASES: Record<string, Platform> = {
  x86: 'x86',
  i386: 'x86',
  'x86-32': 'x86',
  x64: 'x64',
  amd64: 'x64',
  'x86-64': 'x64',
  x86_64: 'x64',
  'ia-64': 'IA-64',
  ia64: 'IA-64',
  itanium: 'IA-64',
  arm: 'ARM',
  arm64: 'ARM64',
  aarch64: 'ARM64',
};

/** `amd64` → `x64`, `Itanium` → `IA-64`; null for anything that is not a known platform. */
export function canonicalPlatform(value: string): Platform | null {
  return PLATFORM_ALIASES[value.trim().toLowerCase()] ?? null;
}

/** "n/a", "N/A", "Not Applicable", "not applicable": the sources' ways of saying "none". */
export function isNotApplicable(value: string): boolean {
  return /^(n\/a|not\s+applicable)$/i.test(value.trim());
}

export function isFourPartVersion(v: string): boolean {
  return /^\d+\.\d+\.\d+\.\d+$/.test(v);
}

/** Numeric per-part comparison: 6.0.6002.9 < 6.0.6002.23012; negative/0/positive.
 *  Missing parts count as 0 (6.0 = 6.0.0.0); a branch pattern part such as `22xxx` counts as its
 *  lowest value (22000), after which it sorts before the exact 22000; other text compares as text. */
export function compareVersions(a: string, b: string): number {
  const pa = a.trim().split('.');
  const pb = b.trim().split('.');
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i] ?? '0';
    const y = pb[i] ?? '0';
    if (/^\d+x*$/i.test(x) && /^\d+x*$/i.test(y)) {
      // BigInt: parts are small in practice, but a comparison must never lose digits.
      const d = BigInt(x.replace(/x/gi, '0')) - BigInt(y.replace(/x/gi, '0'));
      if (d !== 0n) return d < 0n ? -1 : 1;
      const wx = /x/i.test(x);
      if (wx !== /x/i.test(y)) return wx ? -1 : 1;
    } else if (x !== y) {
      return x < y ? -1 : 1;
    }
  }
  return 0;
}

/** 1082728 → "1,082,728" (en-US grouping, deterministic, no Intl locale dependence). */
export function formatSize(bytes: number): string {
  if (!Number.isSafeInteger(bytes)) throw new RangeError(`formatSize expects a whole number of bytes (got ${bytes})`);
  const digits = String(Math.abs(bytes));
  const grouped = digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return bytes < 0 ? `-${grouped}` : grouped;
}

const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];

/** Y-M-D → ISO when it is a real calendar date, else null. */
export function isoDate(year: number, month: number, day: number): string | null {
  if (!Number.isInteger(year) || !Number.isInteger(month) || !Number.isInteger(day)) return null;
  if (year < 1000 || year > 9999 || month < 1 || month > 12 || day < 1) return null;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day > daysInMonth) return null;
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** Month name or abbreviation of three letters or more (`Sep`, `Sept`, `September`) → 1..12;
 *  null for anything else ("Mayday", "Ma"). */
export function monthNumber(name: string): number | null {
  const lower = name.toLowerCase();
  if (lower.length < 3) return null;
  const i = MONTHS.findIndex((m) => m.startsWith(lower));
  return i < 0 ? null : i + 1;
}

/** The two spellings authors use: `2013-01-03` and `03-Jan-2013`. */
function parseAuthoredDate(text: string): string | null {
  let m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (m) return isoDate(Number(m[1]), Number(m[2]), Number(m[3]));
  m = /^(\d{1,2})-([A-Za-z]{3})-(\d{4})$/.exec(text);
  if (m) {
    const month = monthNumber(m[2]!);
    return month ? isoDate(Number(m[3]), month, Number(m[1])) : null;
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// files.yaml validation

/** Keys each level accepts; anything else is reported so a typo cannot silently drop data. */
const TOP_KEYS = ['branches', 'tables'];
const BRANCH_KEYS = ['version', 'product', 'srLevel', 'branch'];
const TABLE_KEYS = ['platform', 'kind', 'caption', 'files'];
const ROW_KEYS = ['name', 'version', 'size', 'date', 'time', 'platform'];
/** Keys mostly written by `kb import` for legacy tables: accepted (and suggested for near-misses)
 *  but not listed in the "known fields" hint, which names what an author usually types. */
const MORE_TABLE_KEYS = ['id', 'source'];
const MORE_ROW_KEYS = ['sizeLabel', 'extra'];

/** A size published in kilo/megabytes without an exact byte count: `701 KB`, `1.2 MB`, `272KB`. */
const SIZE_LABEL = /^\d+(?:[.,]\d+)?\s*(?:KB|MB|GB)$/i;

/** Text of a scalar, '' for anything else (a list, a mapping, nothing). */
function scalarText(c: Collector, node: YamlNode | null | undefined): string {
  return node && isScalar(node) && node.value !== null ? c.raw(node).trim() : '';
}

const PLATFORM_LIST = PLATFORMS.join(', ');

class Collector {
  readonly problems: Problem[] = [];
  constructor(
    private readonly file: string,
    private readonly source: string,
    private readonly lines: LineCounter,
  ) {}

  lineOf(node: YamlNode | null | undefined): number | undefined {
    const start = node?.range?.[0];
    return start === undefined ? undefined : this.lines.linePos(start).line;
  }

  add(node: YamlNode | null | undefined, field: string | undefined, message: string): void {
    const problem: Problem = { file: this.file, message };
    const line = this.lineOf(node);
    if (line !== undefined) problem.line = line;
    if (field !== undefined) problem.field = field;
    this.problems.push(problem);
  }

  /** The scalar as the author typed it: `6.0` stays "6.0" although YAML reads the number 6. */
  raw(node: YamlNode): string {
    if (isScalar(node) && typeof node.value === 'string') return node.value;
    const range = node.range;
    return range ? this.source.slice(range[0], range[1]).trim() : String(isScalar(node) ? node.value : '');
  }
}

/** How a value is quoted back to the author in "(got …)". */
function shown(c: Collector, node: YamlNode): string {
  if (isScalar(node)) {
    if (node.value === null) return 'nothing';
    if (typeof node.value === 'string') return JSON.stringify(node.value);
    return c.raw(node);
  }
  if (isSeq(node)) return node.items.length === 0 ? 'an empty list' : 'a list';
  if (isMap(node)) return 'a mapping';
  return JSON.stringify(c.raw(node));
}

/** Checks the keys of a mapping; returns key → value node for the known ones. */
function fieldsOf(c: Collector, map: YAMLMap, path: string, allowed: string[], more: string[] = []): Map<string, YamlNode | null> {
  const out = new Map<string, YamlNode | null>();
  for (const pair of map.items) {
    const keyNode = pair.key as YamlNode | null;
    const key = keyNode && isScalar(keyNode) ? c.raw(keyNode) : String(keyNode);
    const at = path ? `${path}.${key}` : key;
    if (!allowed.includes(key) && !more.includes(key)) {
      let hint = `use one of ${allowed.join(', ')}`;
      const near = closestName(key, [...allowed, ...more]);
      if (near) hint = `did you mean "${near}"? (known fields: ${allowed.join(', ')})`;
      if (/^\d+$/.test(key)) {
        hint = `a size with thousands separators inside { } must be quoted, e.g. size: "1,082,728"`;
      }
      c.add(keyNode, at, `${at} is not a known field: ${hint}`);
      continue;
    }
    out.set(key, (pair.value as YamlNode | null) ?? null);
  }
  return out;
}

/** A required, non-empty, single-line text field. */
function requiredText(c: Collector, owner: YamlNode, fields: Map<string, YamlNode | null>, key: string, path: string, example: string): string | null {
  const at = `${path}.${key}`;
  const node = fields.get(key);
  if (!fields.has(key)) {
    c.add(owner, at, `${at} is missing: add it, e.g. ${key}: ${example}`);
    return null;
  }
  if (!node || !isScalar(node) || node.value === null || c.raw(node).trim() === '') {
    c.add(node ?? owner, at, `${at} must be text like ${example} (got ${node ? shown(c, node) : 'nothing'})`);
    return null;
  }
  return c.raw(node).trim();
}

function parsePlatform(c: Collector, node: YamlNode, at: string): Platform | null | undefined {
  const text = isScalar(node) && node.value !== null ? c.raw(node).trim() : '';
  const p = canonicalPlatform(text);
  if (!p) {
    c.add(node, at, `${at} must be one of ${PLATFORM_LIST} (got ${shown(c, node)})`);
    return undefined;
  }
  return p;
}

function parseRow(c: Collector, node: YamlNode | null, path: string, tablePlatform: Platform | null, legacy: boolean): FileRow | null {
  if (!node || !isMap(node)) {
    c.add(node, path, `${path} must be a mapping like { name: Ntfs.sys, version: 6.0.6002.23012, size: 1082728, date: 2013-01-03, time: "04:33" } (got ${node ? shown(c, node) : 'nothing'})`);
    return null;
  }
  const before = c.problems.length;
  const f = fieldsOf(c, node, path, ROW_KEYS, MORE_ROW_KEYS);

  const name = requiredText(c, node, f, 'name', path, 'Ntfs.sys');

  let version: string | null = null;
  const vNode = f.get('version');
  if (!f.has('version')) c.add(node, `${path}.version`, `${path}.version is missing: add it, e.g. version: 6.0.6002.23012 (or version: n/a)`);
  else if (vNode) {
    const text = isScalar(vNode) && vNode.value !== null ? c.raw(vNode).trim() : '';
    if (isNotApplicable(text)) version = null;
    else if (isFourPartVersion(text) || (legacy && text !== '')) version = text;
    else c.add(vNode, `${path}.version`, `${path}.version must be a four-part version like 6.0.6002.23012 (got ${shown(c, vNode)})`);
  } else c.add(node, `${path}.version`, `${path}.version must be a four-part version like 6.0.6002.23012 (got nothing)`);

  let size: number | null = null;
  let sizeLabel: string | undefined;
  let sizeNotApplicable = false;
  const sNode = f.get('size');
  if (!f.has('size')) c.add(node, `${path}.size`, `${path}.size is missing: add the size in bytes, e.g. size: 1082728`);
  else {
    const v = sNode && isScalar(sNode) ? sNode.value : undefined;
    if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) size = v;
    else if (typeof v === 'string' && /^(\d{1,3}(,\d{3})+|\d+)$/.test(v.trim())) size = Number(v.trim().replace(/,/g, ''));
    else if (typeof v === 'string' && isNotApplicable(v)) sizeNotApplicable = true;
    else if (typeof v === 'string' && SIZE_LABEL.test(v.trim())) sizeLabel = v.trim();
    else c.add(sNode ?? node, `${path}.size`, `${path}.size must be a whole number of bytes like 1082728 (got ${sNode ? shown(c, sNode) : 'nothing'})`);
  }
  const lNode = f.get('sizeLabel');
  if (f.has('sizeLabel')) {
    const text = scalarText(c, lNode);
    if (!sizeNotApplicable) c.add(lNode ?? node, `${path}.sizeLabel`, `${path}.sizeLabel is only for a size published without a byte count: write size: n/a beside it`);
    else if (text === '' || !isScalar(lNode)) c.add(lNode ?? node, `${path}.sizeLabel`, `${path}.sizeLabel must be the size as published, like "<DIR>" (got ${lNode ? shown(c, lNode) : 'nothing'})`);
    else sizeLabel = text;
  }

  let date: string | null = null;
  const dNode = f.get('date');
  if (!f.has('date')) c.add(node, `${path}.date`, `${path}.date is missing: add it, e.g. date: 2013-01-03`);
  else {
    const text = dNode && isScalar(dNode) && dNode.value !== null ? c.raw(dNode).trim() : '';
    date = parseAuthoredDate(text);
    if (!date && !isNotApplicable(text)) c.add(dNode ?? node, `${path}.date`, `${path}.date must be a real date like 2013-01-03 (got ${dNode ? shown(c, dNode) : 'nothing'})`);
  }

  let time: string | null = null;
  const tNode = f.get('time');
  if (tNode) {
    const text = isScalar(tNode) && tNode.value !== null ? c.raw(tNode).trim() : '';
    const m = /^([01]?\d|2[0-3]):([0-5]\d)$/.exec(text);
    if (m) time = `${m[1]!.padStart(2, '0')}:${m[2]}`;
    else if (!isNotApplicable(text)) c.add(tNode, `${path}.time`, `${path}.time must be a 24-hour time like 04:33 (got ${shown(c, tNode)})`);
  }

  let platform: string | null = tablePlatform;
  const pNode = f.get('platform');
  if (pNode) {
    const text = isScalar(pNode) && pNode.value !== null ? c.raw(pNode).trim() : '';
    if (isNotApplicable(text)) platform = null;
    else if (legacy && text !== '') platform = text;
    else {
      const p = canonicalPlatform(text);
      if (p) platform = p;
      else c.add(pNode, `${path}.platform`, `${path}.platform must be one of ${PLATFORM_LIST}, or n/a (got ${shown(c, pNode)})`);
    }
  }

  let extra: Record<string, string> | undefined;
  const xNode = f.get('extra');
  if (f.has('extra')) {
    if (!xNode || !isMap(xNode) || xNode.items.length === 0) {
      c.add(xNode ?? node, `${path}.extra`, `${path}.extra must be a mapping of column to text, like { Language: German } (got ${xNode ? shown(c, xNode) : 'nothing'})`);
    } else {
      extra = {};
      for (const pair of xNode.items) {
        const key = scalarText(c, pair.key as YamlNode | null);
        const value = scalarText(c, pair.value as YamlNode | null);
        if (key === '' || value === '' || !isScalar(pair.value)) {
          c.add((pair.value as YamlNode | null) ?? xNode, `${path}.extra`, `${path}.extra must be a mapping of column to text, like { Language: German } (got ${JSON.stringify(key)} without a text value)`);
        } else extra[key] = value;
      }
    }
  }

  if (c.problems.length > before || name === null) return null;
  const row: FileRow = { name, version, size, date, time, platform };
  if (sizeLabel !== undefined) row.sizeLabel = sizeLabel;
  if (extra !== undefined) row.extra = extra;
  return row;
}

type ParsedTable = Omit<FileTable, 'id'> & { id?: string };

function parseTable(c: Collector, node: YamlNode | null, path: string): ParsedTable | null {
  if (!node || !isMap(node)) {
    c.add(node, path, `${path} must be a mapping with platform, caption and files (got ${node ? shown(c, node) : 'nothing'})`);
    return null;
  }
  const before = c.problems.length;
  const f = fieldsOf(c, node, path, TABLE_KEYS, MORE_TABLE_KEYS);

  let platform: Platform | null = null;
  const pNode = f.get('platform');
  if (pNode) platform = parsePlatform(c, pNode, `${path}.platform`) ?? null;

  let kind: FileTable['kind'] = 'files';
  const kNode = f.get('kind');
  if (kNode) {
    const text = isScalar(kNode) && kNode.value !== null ? c.raw(kNode).trim().toLowerCase() : '';
    if (text === 'files' || text === 'additional') kind = text;
    else c.add(kNode, `${path}.kind`, `${path}.kind must be files or additional (got ${shown(c, kNode)})`);
  }

  const caption = requiredText(c, node, f, 'caption', path, 'For all supported x86-based versions of Windows Server 2008');

  let id: string | undefined;
  const iNode = f.get('id');
  if (f.has('id')) {
    const text = scalarText(c, iNode);
    // The characters the body's `[[file-table:<id>]]` placeholder allows (src/article/render.ts).
    if (/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(text) && isScalar(iNode)) id = text;
    else c.add(iNode ?? node, `${path}.id`, `${path}.id must be letters, digits, dots, dashes and underscores, like files-x86 (got ${iNode ? shown(c, iNode) : 'nothing'})`);
  }

  let legacy = false;
  const srcNode = f.get('source');
  if (f.has('source')) {
    if (scalarText(c, srcNode) === 'legacy') legacy = true;
    else c.add(srcNode ?? node, `${path}.source`, `${path}.source must be legacy, or left out (got ${srcNode ? shown(c, srcNode) : 'nothing'})`);
  }

  const rows: FileRow[] = [];
  const filesNode = f.get('files');
  if (!f.has('files')) {
    c.add(node, `${path}.files`, `${path}.files is missing: list the table's files, e.g. files: [{ name: Ntfs.sys, version: 6.0.6002.23012, size: 1082728, date: 2013-01-03, time: "04:33" }]`);
  } else if (!filesNode || !isSeq(filesNode) || filesNode.items.length === 0) {
    c.add(filesNode ?? node, `${path}.files`, `${path}.files must be a list of at least one file (got ${filesNode ? shown(c, filesNode) : 'nothing'})`);
  } else {
    filesNode.items.forEach((item, i) => {
      const row = parseRow(c, item as YamlNode | null, `${path}.files[${i}]`, platform, legacy);
      if (row) rows.push(row);
    });
  }

  if (c.problems.length > before || caption === null) return null;
  const table: ParsedTable = { caption, platform, kind, rows };
  if (id !== undefined) table.id = id;
  return table;
}

function parseBranch(c: Collector, node: YamlNode | null, path: string): BranchRow | null {
  if (!node || !isMap(node)) {
    c.add(node, path, `${path} must be a mapping like { version: 6.0.6002.22xxx, product: Windows Server 2008, srLevel: SP2, branch: LDR } (got ${node ? shown(c, node) : 'nothing'})`);
    return null;
  }
  const before = c.problems.length;
  const f = fieldsOf(c, node, path, BRANCH_KEYS);
  const version = requiredText(c, node, f, 'version', path, '6.0.6002.22xxx');
  if (version !== null && !/^\d+\.\d+\.\d+\.[\dx]+$/i.test(version)) {
    c.add(f.get('version'), `${path}.version`, `${path}.version must be a version pattern like 6.0.6002.22xxx (got ${JSON.stringify(version)})`);
  }
  const product = requiredText(c, node, f, 'product', path, 'Windows Server 2008');
  const srLevel = requiredText(c, node, f, 'srLevel', path, 'SP2');
  const branch = requiredText(c, node, f, 'branch', path, 'LDR');
  if (c.problems.length > before || version === null || product === null || srLevel === null || branch === null) return null;
  return { version, product, srLevel, branch };
}

/** Written ids as written; derived ones `files-x86`, `additional-files-ia-64`, `files`, with
 *  `-2`, `-3` … on a collision (with each other or with a written id). */
function tableIds(tables: Array<Pick<FileTable, 'platform' | 'kind'> & { id?: string }>): string[] {
  const used = new Set(tables.flatMap((t) => (t.id === undefined ? [] : [t.id])));
  return tables.map((t) => {
    if (t.id !== undefined) return t.id;
    const base = (t.kind === 'additional' ? 'additional-files' : 'files') + (t.platform ? `-${t.platform.toLowerCase()}` : '');
    return uniqueId(base, used);
  });
}

/** `base`, else `base-2`, `base-3` …; records the id it returns in `used`. */
export function uniqueId(base: string, used: Set<string>): string {
  let id = base;
  for (let n = 2; used.has(id); n++) id = `${base}-${n}`;
  used.add(id);
  return id;
}

/** Parse and validate files.yaml text. `file` is the path used in messages. Returns the data, or
 *  every problem found (file, 1-based line, dotted field path, and a message saying what was
 *  found, what is expected and how to fix it). */
export function parseFileData(yamlText: string, file: string): { data: FileData; problems: [] } | { data: null; problems: Problem[] } {
  const lines = new LineCounter();
  // prettyErrors off: the message stays one line and the line number comes from our own counter.
  const doc = parseDocument(yamlText, { lineCounter: lines, prettyErrors: false });
  if (doc.errors.length > 0) {
    const err = doc.errors[0]!;
    const reason = err.message.split('\n')[0]!.replace(/\.$/, '');
    return {
      data: null,
      problems: [{ file, line: lines.linePos(err.pos[0]).line, message: `is not valid YAML: ${reason} (check the indentation and quoting on this line)` }],
    };
  }

  const c = new Collector(file, yamlText, lines);
  const root = doc.contents as YamlNode | null;
  if (!root || !isMap(root)) {
    c.add(root, undefined, `must be a mapping with a "tables" list (and optionally "branches") (got ${root ? shown(c, root) : 'an empty file'})`);
    return { data: null, problems: c.problems };
  }
  const top = fieldsOf(c, root, '', TOP_KEYS);

  const branches: BranchRow[] = [];
  const bNode = top.get('branches');
  if (top.has('branches')) {
    if (!bNode || !isSeq(bNode)) c.add(bNode ?? root, 'branches', `branches must be a list of { version, product, srLevel, branch } rows (got ${bNode ? shown(c, bNode) : 'nothing'})`);
    else
      bNode.items.forEach((item, i) => {
        const b = parseBranch(c, item as YamlNode | null, `branches[${i}]`);
        if (b) branches.push(b);
      });
  }

  const tables: ParsedTable[] = [];
  const tNode = top.get('tables');
  if (!top.has('tables')) c.add(root, 'tables', `tables is missing: add a "tables:" list with one entry per file table`);
  else if (!tNode || !isSeq(tNode) || tNode.items.length === 0) c.add(tNode ?? root, 'tables', `tables must be a list of at least one table (got ${tNode ? shown(c, tNode) : 'nothing'})`);
  else
    tNode.items.forEach((item, i) => {
      const t = parseTable(c, item as YamlNode | null, `tables[${i}]`);
      if (!t) return;
      const first = t.id === undefined ? -1 : tables.findIndex((other) => other.id === t.id);
      if (first >= 0) c.add((item as YAMLMap).get('id', true) as YamlNode, `tables[${i}].id`, `tables[${i}].id "${t.id}" is already the id of an earlier table; give each table its own id`);
      else tables.push(t);
    });

  // In file order, as an author fixes them (the sort is stable: same-line problems keep theirs).
  if (c.problems.length > 0) return { data: null, problems: [...c.problems].sort((a, b) => (a.line ?? 0) - (b.line ?? 0)) };
  const ids = tableIds(tables);
  return { data: { branches, tables: tables.map(({ id: _written, ...t }, i) => ({ id: ids[i]!, ...t })) }, problems: [] };
}

// ---------------------------------------------------------------------------------------------
// Views of the data

/** Rows of all tables flattened with their table's platform/kind, for the per-file index. */
export function allFileRows(data: FileData): Array<FileRow & { tableId: string; tablePlatform: Platform | null; kind: 'files' | 'additional' }> {
  return data.tables.flatMap((t) => t.rows.map((r) => ({ ...r, tableId: t.id, tablePlatform: t.platform, kind: t.kind })));
}

/** JSON download of an article's file data: `{ article, branches, tables }`, two-space indented. */
export function fileDataToJson(articleId: number, data: FileData): string {
  return `${JSON.stringify({ article: articleId, branches: data.branches, tables: data.tables }, null, 2)}\n`;
}

/** One CSV cell: RFC 4180 quoting, and a leading `'` on text a spreadsheet would run as a formula
 *  (https://owasp.org/www-community/attacks/CSV_Injection). */
function csvCell(value: string | number | null): string {
  if (value === null) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** CSV download: header `table,kind,platform,name,version,size,date,time`, CRLF line ends, sizes
 *  in plain bytes, empty cells for "not applicable". A size known only as a label (`701 KB`) is
 *  written as that label. */
export function fileDataToCsv(data: FileData): string {
  const lines = ['table,kind,platform,name,version,size,date,time'];
  for (const r of allFileRows(data)) {
    const size = r.size ?? r.sizeLabel ?? null;
    lines.push([r.tableId, r.kind, r.platform, r.name, r.version, size, r.date, r.time].map(csvCell).join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}

/**
 * Row anchors that a support ticket can link to: `file-<file name>-<platform>`, e.g.
 * `#file-ntfs.sys-x64`. They depend only on the file name and the table's platform, so they survive
 * edits to versions and sizes; a second row with the same name and platform gets `-2`, and so on.
 */
export function assignRowAnchors(tables: FileTable[]): void {
  const used = new Map<string, number>();
  for (const table of tables) {
    for (const row of table.rows) {
      const platform = table.platform ?? row.platform ?? 'any';
      const base = `file-${anchorPart(row.name)}-${anchorPart(platform)}`;
      const n = (used.get(base) ?? 0) + 1;
      used.set(base, n);
      row.anchor = n === 1 ? base : `${base}-${n}`;
    }
  }
}

function anchorPart(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^[-.]+|-+$/g, '') || 'x';
}
