/**
 * Windows stop codes (bug check codes): canonical spelling, names from Microsoft's bug check
 * table, detection in article text, recognition in search queries, and the extra spellings the
 * search index and the redirects need.
 *
 * Pure: no I/O, no Node imports, no Eleventy. It is also bundled into the browser search UI.
 *
 * Detection rules were tuned on the legacy KB corpus (60,335 articles) with
 * `bench/stop-code-corpus-stats.ts`; the decisions and the evidence behind them are written next
 * to the code they govern.
 */
import { BUGCHECK_CODES } from './data/bugcheck-codes.ts';

/** Canonical stop code: `0x` + 8 upper-case hex digits, e.g. `0x00000024`. */
export type StopCodeId = string;

export interface StopCodeInfo {
  code: StopCodeId;
  name: string | null;
}

// ---------------------------------------------------------------------------------------------
// The table
// ---------------------------------------------------------------------------------------------

const NAME_BY_CODE: ReadonlyMap<StopCodeId, string> = new Map(BUGCHECK_CODES.map(([code, name]) => [code, name]));
const CODE_BY_NAME: ReadonlyMap<string, StopCodeId> = new Map(BUGCHECK_CODES.map(([code, name]) => [name, code]));

/**
 * Names that are not counted when they stand alone in article text, because the same identifier
 * means something else far more often:
 * - FILE_SYSTEM: in the corpus it only ever occurs as the OS/2 / C runtime file attribute
 *   (`FILE_HIDDEN | FILE_SYSTEM | FILE_READONLY`), never as bug check 0x22.
 * - STATUS_*: these three bug checks are NTSTATUS values; an article naming the status (a failing
 *   API, an event) is not about the stop error. Stop-error articles spell the code (`STOP: c000021a`)
 *   and are found through it.
 * - The rest are plain English phrases or generic constant names (not seen in the corpus; listed so
 *   new content cannot trip over them).
 * They are still recognised when a user types them as a query, and `canonicalStopCode` accepts them.
 */
const AMBIGUOUS_NAMES: ReadonlySet<string> = new Set([
  'FILE_SYSTEM',
  'STATUS_CANNOT_LOAD_REGISTRY_FILE',
  'STATUS_SYSTEM_PROCESS_TERMINATED',
  'STATUS_IMAGE_CHECKSUM_MISMATCH',
  'CACHE_MANAGER',
  'SECURITY_SYSTEM',
  'SETUP_FAILURE',
  'DRIVE_EXTENDER',
  'DRIVER_VIOLATION',
  'LIVE_SYSTEM_DUMP',
]);

// ---------------------------------------------------------------------------------------------
// Canonical form
// ---------------------------------------------------------------------------------------------

/**
 * Hex digits (1–8, no prefix) to the canonical id, or null when the value cannot be a stop code:
 * - 0 is not a bug check code (the table starts at 1; `STOP 0` in the corpus is noise);
 * - 0x80000000–0xBFFFFFFF is where HRESULTs live (`0x80070005`, `0x8007000E`): no bug check uses
 *   that range, so a value there is an error code, not a stop code (unless the table says otherwise).
 */
function canonicalFromHex(hex: string): StopCodeId | null {
  if (!/^[0-9A-Fa-f]{1,8}$/.test(hex)) return null;
  const value = Number.parseInt(hex, 16);
  if (value === 0) return null;
  const code = `0x${hex.toUpperCase().padStart(8, '0')}`;
  if (value >= 0x80000000 && value <= 0xbfffffff && !NAME_BY_CODE.has(code)) return null;
  return code;
}

/**
 * Whether a value found by detection (text or query, not an explicit `canonicalStopCode` call)
 * looks like a real stop code rather than an address that happens to follow the word "stop"
 * (e.g. "start 0x00400000 stop 0x0040FFFF"). Real codes are in the table, or in one of the
 * families stop screens actually show:
 * - 0x1 to 0xFFFF: the classic bug check range (the table is still growing; 0x000000C3 is real);
 * - 0xC0000000–0xCFFFFFFF: NTSTATUS errors shown as a stop (`STOP: c0000143`, `STOP c000026c`);
 * - 0x1000xxxx / 0x4000xxxx: the `_M` variants and their siblings (`0x1000007E`, `0x4000008A`).
 */
function isLikelyStopCode(code: StopCodeId): boolean {
  if (NAME_BY_CODE.has(code)) return true;
  const value = Number.parseInt(code.slice(2), 16);
  if (value <= 0xffff) return true;
  if (value >= 0xc0000000 && value <= 0xcfffffff) return true;
  const high = value >>> 16;
  return high === 0x1000 || high === 0x4000;
}

/** Optional stop/bug-check wording before the code in a single spelling (`Stop: `, `bug check `). */
const SPELLING_PREFIX_RE =
  /^(?:(?:stop|bug[ \t-]?check|bugcheck_code)(?![0-9A-Za-z_])[ \t]*(?:(?:error|code|message|msg)(?![0-9A-Za-z_])[ \t]*)*:?[ \t]*)?/i;

/**
 * Canonicalise ONE spelling: `0x24`, `24`, `0x00000024`, `0X0000007b`, `7B`, `0xC000021A`,
 * `STOP 0x24`, `Stop: 0x0000007b`, `stop 7B`, `bugcheck 0x50`, `bug check 0x50`, or a symbolic
 * name like `NTFS_FILE_SYSTEM` (case-insensitive). Returns null if it is not a stop code: more than
 * 8 hex digits, not hex, an unknown name, 0, or an HRESULT-range value like `0x80070005`.
 * A bare number is read as hex (`24` is 0x24): this function is for input already known to be a
 * stop code spelling; use `parseStopCodeQuery` for free text.
 */
export function canonicalStopCode(input: string): StopCodeId | null {
  const rest = input.trim().replace(SPELLING_PREFIX_RE, '');
  if (rest === '') return null;
  const hex = /^(?:0[xX])?([0-9A-Fa-f]{1,8})$/.exec(rest);
  if (hex) return canonicalFromHex(hex[1]!);
  return CODE_BY_NAME.get(rest.toUpperCase()) ?? null;
}

function canonicalOrThrow(code: StopCodeId): StopCodeId {
  if (NAME_BY_CODE.has(code)) return code; // fast path: canonical and known
  const canonical = canonicalStopCode(code);
  if (canonical === null) throw new RangeError(`not a stop code: ${JSON.stringify(code)}`);
  return canonical;
}

/**
 * Symbolic name from the table, or null if the code is not in the table (such codes are still
 * valid stop codes, e.g. `0xC0000143`). Accepts any spelling `canonicalStopCode` accepts;
 * returns null for input that is not a stop code at all.
 */
export function stopCodeName(code: StopCodeId): string | null {
  const direct = NAME_BY_CODE.get(code);
  if (direct !== undefined) return direct;
  const canonical = canonicalStopCode(code);
  return canonical === null ? null : (NAME_BY_CODE.get(canonical) ?? null);
}

/** Code and name. Throws a RangeError when `code` is not a stop code in any spelling. */
export function stopCodeInfo(code: StopCodeId): StopCodeInfo {
  const canonical = canonicalOrThrow(code);
  return { code: canonical, name: NAME_BY_CODE.get(canonical) ?? null };
}

/** All codes in the table, in table order. */
export function allKnownStopCodes(): StopCodeInfo[] {
  return BUGCHECK_CODES.map(([code, name]) => ({ code, name }));
}

// ---------------------------------------------------------------------------------------------
// Detection in text
// ---------------------------------------------------------------------------------------------

/*
 * Decisions (evidence from the legacy corpus, see bench/stop-code-corpus-stats.ts):
 *
 * 1. A hex number is a stop code only when a stop word introduces it: `STOP 0x24`, `Stop:
 *    0x0000007b`, `STOP Msg: c000021a`, `Stop error code 0x7B`, `bug check 0x50`, `Bugcheck
 *    0000001E`, `The bugcheck was: 0x0000000a`, `Fatal System Error: 0x0000006b`,
 *    `BUGCHECK_CODE: 24`. Bare `0x0000007B`-looking numbers without a stop word are, in the
 *    corpus, almost always something else: registry DWORDs (`0x00000001`), #define values
 *    (`STOCKPROP_FONT 0x00000004`), "The instruction at 0x00000023 referenced memory at
 *    0x00000008", `Trap 0x0000000E`. So they do not count on their own; when one sits next to its
 *    name (`0x0000007B INACCESSIBLE_BOOT_DEVICE`) the name catches it (rule 5).
 * 2. Between the stop word and the code only punctuation (`:`, quotes, `&quot;`, `*`, `-`,
 *    backticks, an opening `(`/`[`: "STOP message (0x0000000A)") and the words error(s)/code(s)/
 *    message(s)/msg/screen/was/number/of may stand. Not `,`, `;` or `.`: "Stop, 1 = Reboot",
 *    "STOP; 2=NOTE". Not "is"/"will be": "the second dword of the stop code is 0xC0000005" names a
 *    parameter.
 * 3. Which token shapes may follow the stop word:
 *    - `0x` + 1–8 hex digits: always (`STOP 0xA`).
 *    - 8 bare hex digits: always (`STOP: 0000001E`, `STOP c000021a`).
 *    - 2–3 bare hex characters with at least one digit: `Stop 7B`, `stop 1e`, `Bugcheck 93`. If they
 *      are all decimal (`Stop 82`) the context must say error: a bug check word, an error/code/
 *      message word between, or error/message right after (`"Stop 82" Error Message`). Otherwise
 *      "stop 50 percent" would be a stop code. One bare character is never enough ("Stop: A New
 *      Message", "ALERT STOP 1"), nor 4–7 (`stop 4102 4202` are event IDs).
 *    - After `blue screen` only the `0x` form (`blue screen: f1c2cf0f 00000002` are parameters).
 *    - Debugger output is explicit hex: `BUGCHECK_CODE: 24`, `BugCheck 24, {...}` take any 1–8.
 *    The code must end there: not followed by a letter, digit or `_`, so `0x24` never matches
 *    `0x240…` and a 9-digit `0x00000000a` is rejected whole (the corpus has ~10 such typos,
 *    `STOP 0x000000050`; the rule "more than 8 digits is not a stop code" wins over recall); nor by
 *    `:hex` (`0001:9A03` is a segment:offset) or `.digit`.
 * 4. The parameters are never codes: `STOP 0x00000024 (0x00190201, 0xfc5136a4, …)`,
 *    `STOP 0000003b 00000000 00000000 …`, `Stop 0x0000001E, C0000005, A304EDE8`. Nothing
 *    introduces them with a stop word, so rule 1 skips them. A list of codes is followed though,
 *    when it is a list: `Stop 0x0000000A or 0x0000001E`, `STOP 0x0A, 0x01E, and 0x50`,
 *    `Stop 0x00000050/0x00000019` — items joined by and/or/`/`; comma items only when the list
 *    ends in and/or, so parameter lists (`Stop 0x4,0x1,0,0`) are not lists.
 * 5. A symbolic name from the table counts on its own (`IRQL_NOT_LESS_OR_EQUAL`), as a whole
 *    identifier not preceded by `\`, `/`, `.`, `$` or `%` (a registry path
 *    `Session Manager\Memory_Management` is not bug check 0x1A). Names with one underscore must be
 *    upper-case (`MEMORY_MANAGEMENT`); longer ones match in any case (`Inaccessible_Boot_Device`
 *    occurs in titles). AMBIGUOUS_NAMES never count alone.
 * 6. A `0x` code right before "bug check"/"bugcheck"/"blue screen"/"stop error|message|code" on
 *    the same line counts: "may issue a 0x7F bug check", "0x0000000A Blue Screen", "can cause a
 *    0x0000001E stop error".
 * 7. Values are also checked by isLikelyStopCode (no HRESULTs, no addresses: `STOP: FAILED
 *    (0x80070057)` and `STOP 0xffffffff` are not stop codes). Values are taken as written:
 *    `STOP 21a`, a common legacy shorthand for c000021a, stays 0x0000021A.
 */

const NOT_WORD_BEFORE = '(?<![0-9A-Za-z_])';
const NOT_WORD_AFTER = '(?![0-9A-Za-z_])';
/** A code token ends here: not a longer word/number, not `0001:9A03`, not `1.5`. */
const TOKEN_END = '(?![0-9A-Za-z_]|[:.][0-9A-Za-z])';
const CONNECTOR_WORD = `(?:errors?|codes?|messages?|msg|screen|was|number|of)${NOT_WORD_AFTER}`;
/** The connector words that say "error" (enough to read a bare decimal `Stop error 50` as hex). */
const ERROR_CONNECTOR_RE = /(?<![0-9A-Za-z_])(?:errors?|codes?|messages?|msg)(?![0-9A-Za-z_])/i;
const CONNECTOR = `(?:[\\s:*\`"'([\\u201C\\u201D\\u2018\\u2019\\-]|&quot;|${CONNECTOR_WORD})*`;

/** Anchor, connector, token. Groups: 1 anchor, 2 connector, 3 `0x` token, 4 bare token. */
const ANCHORED_RE = new RegExp(
  `${NOT_WORD_BEFORE}(stop|bug[ \\t-]?check|bugcheck_code|bugcheck_str|blue[ \\t-]?screen|fatal system error)${NOT_WORD_AFTER}` +
    `(${CONNECTOR})` +
    `(?:0[xX]([0-9A-Fa-f]{1,8})|([0-9A-Fa-f]{1,8}))${TOKEN_END}`,
  'gi',
);

/** What may follow a bare decimal token for it to count after plain "stop": `"Stop 82" Error`. */
const ERROR_WORD_AFTER_RE = /^\s*(?:["'\u201D\u2019]|&quot;)?\s*(?:errors?|messages?|msg)(?![0-9A-Za-z_])/i;
/** WinDbg's `BugCheck 24, {params}` line. */
const DEBUGGER_ARGS_AFTER_RE = /^,\s*\{/;

/** One list item after a code: optional params of the previous code, a joiner, another code. */
const LIST_ITEM_RE = new RegExp(
  `\\s*(?:\\([^()]{0,200}\\)|\\{[^{}]{0,200}\\})?` +
    `\\s*(,\\s*(?:or|and)${NOT_WORD_AFTER}|,|or${NOT_WORD_AFTER}|and${NOT_WORD_AFTER}|/)` +
    `\\s*(?:stop${NOT_WORD_AFTER}\\s*:?\\s*)?` +
    `(?:0[xX]([0-9A-Fa-f]{1,8})|([0-9A-Fa-f]{8}))${TOKEN_END}`,
  'y',
);

const CODE_BEFORE_ANCHOR_RE = new RegExp(
  `${NOT_WORD_BEFORE}0[xX]([0-9A-Fa-f]{1,8})${NOT_WORD_AFTER}[ \\t]+` +
    `(?:bug[ \\t-]?check|blue[ \\t-]?screen|stop[ \\t]+(?:errors?|messages?|codes?))${NOT_WORD_AFTER}`,
  'gi',
);

/** Identifier with at least one underscore; the lookbehind keeps out paths and variables. */
const NAME_RE = /(?<![0-9A-Za-z_\\/.$%])[A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)+(?![0-9A-Za-z_])/g;

interface Hit {
  /** Where the evidence starts (the stop word, the code, or the name). */
  index: number;
  /** Where it ends. */
  end: number;
  code: StopCodeId;
}

/** One piece of evidence for a stop code in a text, for diagnostics (see bench/). */
export interface StopCodeMention {
  code: StopCodeId;
  /** Offset of the evidence in the text: the stop word, list item, code or name. */
  index: number;
  /** The matched text, e.g. `STOP: 0x0000007B` or `IRQL_NOT_LESS_OR_EQUAL`. */
  match: string;
}

type AnchorKind = 'stop' | 'bugcheck' | 'debugger' | 'bluescreen' | 'fatal';

function anchorKind(anchor: string): AnchorKind {
  const a = anchor.toLowerCase();
  if (a === 'stop') return 'stop';
  if (a.startsWith('bugcheck_')) return 'debugger';
  if (a.startsWith('blue')) return 'bluescreen';
  if (a.startsWith('fatal')) return 'fatal';
  return 'bugcheck';
}

/** Rule 3: whether the token may follow this anchor. `after` is the text after the token. */
function tokenAllowed(kind: AnchorKind, connector: string, prefixed: boolean, digits: string, after: string): boolean {
  if (prefixed) return true;
  if (kind === 'bluescreen') return false;
  if (kind === 'debugger') return true;
  if (digits.length === 8) return true;
  if (kind === 'fatal') return false;
  if (kind === 'bugcheck' && DEBUGGER_ARGS_AFTER_RE.test(after)) return true;
  if (digits.length < 2 || digits.length > 3 || !/[0-9]/.test(digits)) return false;
  if (/[A-Fa-f]/.test(digits) || kind === 'bugcheck') return true;
  return ERROR_CONNECTOR_RE.test(connector) || ERROR_WORD_AFTER_RE.test(after);
}

function collectAnchored(text: string, hits: Hit[], relaxBare: (match: RegExpExecArray) => boolean): void {
  ANCHORED_RE.lastIndex = 0;
  for (let m = ANCHORED_RE.exec(text); m !== null; m = ANCHORED_RE.exec(text)) {
    const [, anchor = '', connector = '', prefixedDigits, bareDigits] = m;
    const digits = prefixedDigits ?? bareDigits ?? '';
    const end = m.index + m[0].length;
    const after = text.slice(end, end + 40);
    const allowed =
      tokenAllowed(anchorKind(anchor), connector, prefixedDigits !== undefined, digits, after) || relaxBare(m);
    const code = allowed ? canonicalFromHex(digits) : null;
    if (code === null || !isLikelyStopCode(code)) {
      // Let the scan resume just after the anchor word: the connector may hold another anchor
      // ("STOP Msg: STOP 0x0000000A").
      ANCHORED_RE.lastIndex = m.index + anchor.length;
      continue;
    }
    hits.push({ index: m.index, end, code });
    ANCHORED_RE.lastIndex = collectList(text, end, hits);
  }
}

/** Rule 4: follow `or`/`and`/`/`/`,` joined codes; returns where scanning should resume. */
function collectList(text: string, from: number, hits: Hit[]): number {
  const items: Array<Hit & { joiner: string }> = [];
  let pos = from;
  for (;;) {
    LIST_ITEM_RE.lastIndex = pos;
    const m = LIST_ITEM_RE.exec(text);
    if (m === null) break;
    const digits = m[2] ?? m[3] ?? '';
    const code = canonicalFromHex(digits);
    if (code === null || !isLikelyStopCode(code)) break;
    const start = m.index + m[0].length - m[0].trimStart().length;
    pos = m.index + m[0].length;
    items.push({ index: start, end: pos, code, joiner: m[1] ?? '' });
  }
  // Keep items up to the last one joined by and/or/slash; trailing comma-only items are parameters.
  let last = -1;
  items.forEach((item, i) => {
    if (item.joiner !== ',') last = i;
  });
  const kept = items.slice(0, last + 1);
  for (const item of kept) hits.push({ index: item.index, end: item.end, code: item.code });
  return kept.length > 0 ? kept[kept.length - 1]!.end : from;
}

function collectCodeBeforeAnchor(text: string, hits: Hit[]): void {
  CODE_BEFORE_ANCHOR_RE.lastIndex = 0;
  for (let m = CODE_BEFORE_ANCHOR_RE.exec(text); m !== null; m = CODE_BEFORE_ANCHOR_RE.exec(text)) {
    const code = canonicalFromHex(m[1]!);
    if (code !== null && isLikelyStopCode(code)) hits.push({ index: m.index, end: m.index + m[0].length, code });
  }
}

function collectNames(text: string, hits: Hit[], mode: 'text' | 'query'): void {
  NAME_RE.lastIndex = 0;
  for (let m = NAME_RE.exec(text); m !== null; m = NAME_RE.exec(text)) {
    const word = m[0];
    const upper = word.toUpperCase();
    const code = CODE_BY_NAME.get(upper);
    if (code === undefined) continue;
    if (mode === 'text') {
      if (AMBIGUOUS_NAMES.has(upper)) continue;
      if (word !== upper && upper.split('_').length < 3) continue;
    }
    hits.push({ index: m.index, end: m.index + word.length, code });
  }
}

function uniqueInOrder(hits: Hit[]): StopCodeId[] {
  hits.sort((a, b) => a.index - b.index);
  return [...new Set(hits.map((h) => h.code))];
}

function textHits(text: string): Hit[] {
  if (!MAYBE_RE.test(text)) return [];
  const hits: Hit[] = [];
  collectAnchored(text, hits, () => false);
  collectCodeBeforeAnchor(text, hits);
  collectNames(text, hits, 'text');
  return hits;
}

/** Cheap pre-check: nearly all articles mention none of the anchors nor an underscore name. */
const MAYBE_RE = /stop|bug|blue|fatal|_/i;

/**
 * Stop codes mentioned in an article body (Markdown or legacy plain text), canonical, unique, in
 * order of first appearance. See the rules above.
 */
export function findStopCodesInText(text: string): StopCodeId[] {
  return uniqueInOrder(textHits(text));
}

/**
 * Every piece of evidence `findStopCodesInText` uses, in text order (a code may appear several
 * times). For diagnostics and tuning; `findStopCodesInText` is the API for content.
 */
export function findStopCodeMentions(text: string): StopCodeMention[] {
  return textHits(text)
    .sort((a, b) => a.index - b.index)
    .map((h) => ({ code: h.code, index: h.index, match: text.slice(h.index, h.end) }));
}

// ---------------------------------------------------------------------------------------------
// Queries
// ---------------------------------------------------------------------------------------------

/** Words a user may add around `stop 24` without making the bare number less of a stop code. */
const QUERY_FILLER_WORDS: ReadonlySet<string> = new Set([
  ...['stop', 'bugcheck', 'bug', 'check', 'error', 'errors', 'code', 'message', 'msg', 'the'],
  ...['blue', 'screen', 'bsod', 'crash', 'windows', 'server', 'nt', 'xp', 'vista'],
]);

const MAX_QUERY_LENGTH = 4000;

/**
 * Query side: recognise a stop code in what a user typed or pasted into a search box, also inside a
 * longer pasted line (`!analyze -v` output like `BUGCHECK_CODE:  24`, `BugCheck 24, {...}`,
 * `Bugcheck code 0000007B`, or an event-log line like `The computer has rebooted from a bugcheck.
 * The bugcheck was: 0x00000024 (0x..., ...)`). Returns null when the query is not about a stop code
 * (`ntfs.sys`, a year `2013`, a KB number `2792165`, an HRESULT `0x80070005`).
 *
 * In order of precedence (the earliest match in the query wins within each step):
 * 1. A stop word with a code, by the text rules, plus: a short query that is only a stop word and
 *    a bare number (`stop 7B`, `stop 24`, `bugcheck a`, `stop error 24`) takes the number as hex.
 * 2. A symbolic name, any case, anywhere (`ntfs_file_system`), ambiguous names included.
 * 3. A single `0x` token (`0x24`, `0X0000007b`) when its code is in the table and it is the only hex
 *    number in the query: `0xc0000005` (an exception code) or an address is not a stop code query,
 *    and a pasted "instruction at 0x00000023 referenced memory at 0x00000008" is not either.
 *    Bare `24`/`7B` without a stop word are never codes.
 */
export function parseStopCodeQuery(query: string): StopCodeId | null {
  const q = query.slice(0, MAX_QUERY_LENGTH).trim();
  if (q === '') return null;

  const anchored: Hit[] = [];
  collectAnchored(q, anchored, (m) => {
    // Relaxation for a query that is nothing but stop words and the number.
    const rest = (q.slice(0, m.index) + ' ' + q.slice(m.index + m[0].length)).toLowerCase();
    const words = [...(m[1] ?? '').toLowerCase().split(/[^a-z]+/), ...rest.split(/[^0-9a-z]+/)].filter((w) => w !== '');
    // Plain numbers may stand around it too (`stop 24 windows 10`).
    return words.every((w) => QUERY_FILLER_WORDS.has(w) || /^[0-9]+$/.test(w));
  });
  collectCodeBeforeAnchor(q, anchored);
  const fromAnchor = uniqueInOrder(anchored)[0];
  if (fromAnchor !== undefined) return fromAnchor;

  const named: Hit[] = [];
  collectNames(q, named, 'query');
  const fromName = uniqueInOrder(named)[0];
  if (fromName !== undefined) return fromName;

  // Competing numbers: other `0x` tokens and bare 8-digit hex words (addresses, parameters).
  // Plain decimal words (`windows 10`) do not compete.
  const prefixed = q.match(/(?<![0-9A-Za-z_])0[xX][0-9A-Fa-f]+(?![0-9A-Za-z_])/g) ?? [];
  const bareEight = q.match(/(?<![0-9A-Za-z_])[0-9A-Fa-f]{8}(?![0-9A-Za-z_])/g) ?? [];
  if (prefixed.length !== 1 || bareEight.length > 0) return null;
  const code = canonicalFromHex(prefixed[0]!.slice(2));
  return code !== null && NAME_BY_CODE.has(code) ? code : null;
}

// ---------------------------------------------------------------------------------------------
// Spellings for the search index and for redirects
// ---------------------------------------------------------------------------------------------

/** Hex digits without leading zeros, upper-case: `0x0000007B` → `7B`. */
function shortHex(code: StopCodeId): string {
  return code.slice(2).replace(/^0+(?=.)/, '');
}

/**
 * Words to add to a search index for an article about this code, so every common spelling matches
 * as a whole word (search tokenisers split on spaces/punctuation and may be case-sensitive):
 * - `0x0000007B`: the canonical form, as Stop screens since Windows 2000 and most articles print it;
 * - `0x7B`: the short form used in titles and by people ("Stop 0x7B");
 * - `0x0000007b`, `0x7b`: the same in lower-case hex, for case-sensitive matchers (the corpus has
 *   both `0x0000007B` and `0x0000007b`); only when the code has hex letters;
 * - `0000007B` (and `0000007b`): the bare 8 digits of NT 4.0 stop screens (`STOP: 0000007B`) and
 *   debugger output (`Bugcheck 0000007B`);
 * - `INACCESSIBLE_BOOT_DEVICE`: the symbolic name, when the table has one.
 * The bare short form (`7B`, `24`) is deliberately left out: as an index word `24` would match every
 * search for the number 24. `parseStopCodeQuery` turns `stop 24` into the canonical code instead.
 * Throws a RangeError when `code` is not a stop code.
 */
export function stopCodeSearchTerms(code: StopCodeId): string[] {
  const canonical = canonicalOrThrow(code);
  const eight = canonical.slice(2);
  const short = shortHex(canonical);
  const terms = [canonical, `0x${short}`, canonical.toLowerCase(), `0x${short.toLowerCase()}`, eight, eight.toLowerCase()];
  const name = NAME_BY_CODE.get(canonical);
  if (name !== undefined) terms.push(name);
  return [...new Set(terms)];
}

/**
 * Short spellings for redirects, e.g. `0x00000024` → `['0x24', '24']`, `0x0000007B` →
 * `['0x7b', '0x7B', '7b', '7B', '0x0000007b']`: the short form with and without `0x`, in lower and
 * upper case, and the lower-case 8-digit form. The canonical form itself is excluded. Note that the
 * case variants differ only in case, so they collide on case-insensitive file systems.
 * Throws a RangeError when `code` is not a stop code.
 */
export function stopCodeShortSpellings(code: StopCodeId): string[] {
  const canonical = canonicalOrThrow(code);
  const short = shortHex(canonical);
  const spellings = [
    `0x${short.toLowerCase()}`,
    `0x${short}`,
    short.toLowerCase(),
    short,
    canonical.toLowerCase(),
  ];
  return [...new Set(spellings)].filter((s) => s !== canonical);
}
