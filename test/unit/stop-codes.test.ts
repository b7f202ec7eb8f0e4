import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  allKnownStopCodes,
  canonicalStopCode,
  findStopCodeMentions,
  findStopCodesInText,
  parseStopCodeQuery,
  stopCodeInfo,
  stopCodeName,
  stopCodeSearchTerms,
  stopCodeShortSpellings,
} from '../../src/stop-codes.ts';
import { BUGCHECK_CODES } from '../../src/data/bugcheck-codes.ts';

// --- canonical form ------------------------------------------------------------------------------

test('0x24, 24 and 0x00000024 all canonicalise to 0x00000024', () => {
  for (const s of ['0x24', '24', '0x00000024', '00000024', ' 0x24 ']) assert.equal(canonicalStopCode(s), '0x00000024', s);
});

test('canonical form is 0x plus 8 upper-case hex digits with a lower-case x', () => {
  assert.equal(canonicalStopCode('0X0000007b'), '0x0000007B');
  assert.equal(canonicalStopCode('7B'), '0x0000007B');
  assert.equal(canonicalStopCode('7b'), '0x0000007B');
  assert.equal(canonicalStopCode('0xc000021a'), '0xC000021A');
  assert.equal(canonicalStopCode('0xA'), '0x0000000A');
});

test('stop and bug check wording before the code is accepted in one spelling', () => {
  const cases: Array<[string, string]> = [
    ['STOP 0x24', '0x00000024'],
    ['Stop: 0x0000007b', '0x0000007B'],
    ['stop 7B', '0x0000007B'],
    ['STOP: c000021a', '0xC000021A'],
    ['bugcheck 0x50', '0x00000050'],
    ['bug check 0x50', '0x00000050'],
    ['Bug-Check 0x50', '0x00000050'],
    ['Stop error 0x7B', '0x0000007B'],
    ['Stop error code 0x0000007B', '0x0000007B'],
  ];
  for (const [input, expected] of cases) assert.equal(canonicalStopCode(input), expected, input);
});

test('a symbolic name canonicalises to its code, case-insensitively', () => {
  assert.equal(canonicalStopCode('NTFS_FILE_SYSTEM'), '0x00000024');
  assert.equal(canonicalStopCode('irql_not_less_or_equal'), '0x0000000A');
  assert.equal(canonicalStopCode('Inaccessible_Boot_Device'), '0x0000007B');
});

test('more than 8 hex digits, non-hex, unknown names, 0 and HRESULTs are not stop codes', () => {
  for (const s of ['0x000000024', '0x1000000000', 'C0000021A', '0xG1', 'xyz', '', '0x', 'stop', 'NOT_A_BUG_CHECK', '0', '0x00000000', '0x80070005', '0x8007000E', '24 25', 'stop0x24']) {
    assert.equal(canonicalStopCode(s), null, s);
  }
});

test('codes above 0x7FFFFFFF outside the HRESULT range are still stop codes', () => {
  assert.equal(canonicalStopCode('0xDEADDEAD'), '0xDEADDEAD');
  assert.equal(canonicalStopCode('0xC0000143'), '0xC0000143');
  assert.equal(canonicalStopCode('0xFFFFFFFF'), '0xFFFFFFFF');
});

// --- the table -----------------------------------------------------------------------------------

test('the table has 405 codes, all canonical, with unique codes and names', () => {
  assert.equal(BUGCHECK_CODES.length, 405);
  assert.equal(new Set(BUGCHECK_CODES.map(([c]) => c)).size, 405);
  assert.equal(new Set(BUGCHECK_CODES.map(([, n]) => n)).size, 405);
  for (const [code, name] of BUGCHECK_CODES) {
    assert.match(code, /^0x[0-9A-F]{8}$/);
    assert.equal(canonicalStopCode(code), code);
    assert.equal(canonicalStopCode(name), code, name);
  }
});

test('stopCodeName gives the table name, or null for valid codes not in the table', () => {
  assert.equal(stopCodeName('0x00000024'), 'NTFS_FILE_SYSTEM');
  assert.equal(stopCodeName('0xC000021A'), 'STATUS_SYSTEM_PROCESS_TERMINATED');
  assert.equal(stopCodeName('0xC0000218'), 'STATUS_CANNOT_LOAD_REGISTRY_FILE');
  assert.equal(stopCodeName('0xC0000143'), null);
  assert.equal(stopCodeName('0x7b'), 'INACCESSIBLE_BOOT_DEVICE');
  assert.equal(stopCodeName('not a code'), null);
});

test('stopCodeInfo returns the canonical code with its name and throws on non-codes', () => {
  assert.deepEqual(stopCodeInfo('0x0000007B'), { code: '0x0000007B', name: 'INACCESSIBLE_BOOT_DEVICE' });
  assert.deepEqual(stopCodeInfo('0xc0000143'), { code: '0xC0000143', name: null });
  assert.throws(() => stopCodeInfo('0x80070005'), RangeError);
});

test('allKnownStopCodes lists the table in table order as fresh objects', () => {
  const all = allKnownStopCodes();
  assert.equal(all.length, 405);
  assert.deepEqual(all[0], { code: '0x00000001', name: 'APC_INDEX_MISMATCH' });
  assert.deepEqual(all.at(-1), { code: '0xDEADDEAD', name: 'MANUALLY_INITIATED_CRASH1' });
  all[0]!.name = 'CHANGED';
  assert.equal(allKnownStopCodes()[0]!.name, 'APC_INDEX_MISMATCH');
});

// --- detection in text ---------------------------------------------------------------------------

test('the four parameters in parentheses after a stop code are not stop codes', () => {
  assert.deepEqual(findStopCodesInText('STOP 0x00000024 (0x00190201,0xfc5136a4,0xfc5134e0,0x8021ea12)'), ['0x00000024']);
  assert.deepEqual(findStopCodesInText('Stop 0x00000024 (Parameter1, Parameter2, Parameter3, Parameter4)'), ['0x00000024']);
  assert.deepEqual(findStopCodesInText('STOP 0x4d(0x0000000B, 0x2010,0x0, 0x4594)'), ['0x0000004D']);
});

test('parameters written without parentheses are not stop codes either', () => {
  assert.deepEqual(findStopCodesInText('STOP 0000003b 00000000 00000000 00000000 00000000'), ['0x0000003B']);
  assert.deepEqual(findStopCodesInText('Bugcheck 00000024 : 00190146 fc99fc64 fc99faa0 80139150'), ['0x00000024']);
  assert.deepEqual(findStopCodesInText('Stop 0x0000001E, C0000005, A304EDE8,00000000, 000002c3'), ['0x0000001E']);
  assert.deepEqual(findStopCodesInText('STOP 0x4,0x1,0,0 on DEC ALPHA'), ['0x00000004']);
});

test('the usual ways articles introduce a stop code are all recognised', () => {
  const cases: Array<[string, string]> = [
    ['Stop 0x0000000A', '0x0000000A'],
    ['STOP: 0x0000001E', '0x0000001E'],
    ['Stop error 0x7B', '0x0000007B'],
    ['Stop error code 0x0000007B', '0x0000007B'],
    ['bug check 0x50', '0x00000050'],
    ['Bug Check 0xD1', '0x000000D1'],
    ['bugcheck 0x9F', '0x0000009F'],
    ['Stop 0x24', '0x00000024'],
    ['STOP 0xA', '0x0000000A'],
    ['STOP error message 0x0000001E', '0x0000001E'],
    ['STOP Msg: c000021a Logging on', '0xC000021A'],
    ['Stop Msg: &quot;c000021a &quot;- Using', '0xC000021A'],
    ['STOP: 0000007B', '0x0000007B'],
    ['STOP 1E in win32k.sys', '0x0000001E'],
    ['The bugcheck was: 0x0000000a (0x00000000, 0x00000002)', '0x0000000A'],
    ['Fatal System Error: 0x0000006b with the message', '0x0000006B'],
    ['a STOP message (0x0000000A) may occur', '0x0000000A'],
    ['**Stop 0x0000007B** error', '0x0000007B'],
    ['You receive a "Stop 0x50" error message', '0x00000050'],
    ['"Stop 82" Error Message on a Blue Screen', '0x00000082'],
    ['Bugcheck 93 in the RDR', '0x00000093'],
    ['may issue a 0x7F bug check upon receiving', '0x0000007F'],
    ['0x0000000A Blue Screen on Alpha AXP', '0x0000000A'],
    ['STOP\n\t0x0000001E', '0x0000001E'],
  ];
  for (const [text, expected] of cases) assert.deepEqual(findStopCodesInText(text), [expected], text);
});

test('lists of codes joined by or, and or a slash are all stop codes', () => {
  assert.deepEqual(findStopCodesInText('STOP Msg: 0x0000000A or 0X0000001E Dis/Reconnecting'), ['0x0000000A', '0x0000001E']);
  assert.deepEqual(findStopCodesInText('STOP 0x0A, 0x01E, and 0x50 Errors'), ['0x0000000A', '0x0000001E', '0x00000050']);
  assert.deepEqual(findStopCodesInText('Stop 0x00000050/0x00000019 Printing'), ['0x00000050', '0x00000019']);
  assert.deepEqual(findStopCodesInText('STOP: C0000143 or 0x0000001E Caused by'), ['0xC0000143', '0x0000001E']);
  assert.deepEqual(findStopCodesInText('STOP 0x0000000A (1, 2, 0, 0) or 0x0000001E'), ['0x0000000A', '0x0000001E']);
  assert.deepEqual(findStopCodesInText('Stop 0x24 or Stop 0xA'), ['0x00000024', '0x0000000A']);
});

test('"or" followed by something other than a code does not extend the list', () => {
  assert.deepEqual(findStopCodesInText('STOP Msg: 0x0000007B or "0x4,0,0,0 Error" in Setup'), ['0x0000007B']);
  assert.deepEqual(findStopCodesInText('STOP 0x0000000A or Difficulty Recognizing IDE'), ['0x0000000A']);
});

test('codes are unique and in order of first appearance', () => {
  const text = 'Stop 0x50 here. Later STOP 0x0000000A, then again Stop 0x00000050 and IRQL_NOT_LESS_OR_EQUAL and NTFS_FILE_SYSTEM.';
  assert.deepEqual(findStopCodesInText(text), ['0x00000050', '0x0000000A', '0x00000024']);
});

test('a bare symbolic name with an underscore counts, as a whole word only', () => {
  assert.deepEqual(findStopCodesInText('The computer shows IRQL_NOT_LESS_OR_EQUAL on a blue screen.'), ['0x0000000A']);
  assert.deepEqual(findStopCodesInText('NTFS_FILE_SYSTEM'), ['0x00000024']);
  assert.deepEqual(findStopCodesInText('DRIVER_IRQL_NOT_LESS_OR_EQUAL'), ['0x000000D1']);
  assert.deepEqual(findStopCodesInText('MY_IRQL_NOT_LESS_OR_EQUAL_FLAG and IRQL_NOT_LESS_OR_EQUALS'), []);
  assert.deepEqual(findStopCodesInText('0x0000007B INACCESSIBLE_BOOT_DEVICE'), ['0x0000007B']);
});

test('names that are also ordinary identifiers do not count on their own', () => {
  // FILE_SYSTEM is a file attribute constant in the corpus; registry paths are not bug checks.
  assert.deepEqual(findStopCodesInText('newattr = (attr | FILE_HIDDEN | FILE_SYSTEM | FILE_READONLY)'), []);
  assert.deepEqual(findStopCodesInText('HKLM\\System\\CurrentControlSet\\Control\\Session Manager\\Memory_Management'), []);
  assert.deepEqual(findStopCodesInText('The call returns STATUS_IMAGE_CHECKSUM_MISMATCH.'), []);
  // One-underscore names must be upper-case; longer ones may be in any case.
  assert.deepEqual(findStopCodesInText('Memory_Management'), []);
  assert.deepEqual(findStopCodesInText('STOP 0x0000007B Inaccessible_Boot_Device'), ['0x0000007B']);
  assert.deepEqual(findStopCodesInText('Unexpected_Kernel_Mode_Trap'), ['0x0000007F']);
});

test('a bare hex number with no stop word near it is not a stop code', () => {
  const texts = [
    'MaintainServerList = Yes:     0x00000002',
    '#define STOCKPROP_FONT          0x00000004',
    'The instruction at "0x00000023" referenced memory at "0x00000008".',
    'Set the data value to 0x0000007B',
    'Error 0x80070005: Access is denied.',
    'Trap 0x0000000E Page Fault at linear address',
    'HRESULT 0x8007000E E_OUTOFMEMORY',
    'Windows NT 4.0 0x0000001E',
  ];
  for (const t of texts) assert.deepEqual(findStopCodesInText(t), [], t);
});

test('stop used as an ordinary word does not make the next number a stop code', () => {
  const texts = [
    'Stop Bits: 1',
    'ON ERROR ALERT STOP 1 STR(ERROR())',
    'Stop, 1 = Reboot',
    'STOP; 2=NOTE.',
    'Stop: A New Message Could Not Be Created',
    'stop a service',
    'STOP Error -3 UnCompressing File',
    'Additional query words: wins 4224 replication stop 4102 4202 4260 4261',
    'Explorer may stop responding for 10 seconds',
    'The tab stop 24 is ignored',
    'stop 50 percent of the requests',
    'Stop: Common Dialog Error 0x00A',
    'STOP:FAILED (0x80070057 - WINERR)',
    'net stop w3svc',
    'Stop number 24',
    'Stop Msg: 0001:9A03 When 16-bit App Calls TASKFINDHANDLE',
  ];
  for (const t of texts) assert.deepEqual(findStopCodesInText(t), [], t);
});

test('0x24 is never read as a prefix of a longer number', () => {
  assert.deepEqual(findStopCodesInText('STOP 0x240'), ['0x00000240']);
  assert.deepEqual(findStopCodesInText('Stop 0x24_ABC'), []);
  assert.deepEqual(findStopCodesInText('Stop 0x24.5'), []);
  assert.equal(parseStopCodeQuery('0x2400'), null);
});

test('codes with more than 8 hex digits, HRESULTs and addresses after stop are not stop codes', () => {
  assert.deepEqual(findStopCodesInText('STOP 0x000000050 in Win32k.sys'), []);
  assert.deepEqual(findStopCodesInText('STOP Msg: 0x00000000a (6194ea98,00000002)'), []);
  assert.deepEqual(findStopCodesInText('Stop 0x80070005'), []);
  assert.deepEqual(findStopCodesInText('STOP 0x00400000'), []);
  assert.deepEqual(findStopCodesInText('STOP 0x100000000'), []);
  assert.deepEqual(findStopCodesInText('STOP 0 in the log'), []);
});

test('mentions report the matched evidence for diagnostics', () => {
  const mentions = findStopCodeMentions('x STOP: 0x0000007B (0x1, 0x2) INACCESSIBLE_BOOT_DEVICE');
  assert.deepEqual(
    mentions.map((m) => [m.code, m.match]),
    [
      ['0x0000007B', 'STOP: 0x0000007B'],
      ['0x0000007B', 'INACCESSIBLE_BOOT_DEVICE'],
    ],
  );
  assert.equal(mentions[0]!.index, 2);
});

test('text without any stop word or name yields nothing', () => {
  assert.deepEqual(findStopCodesInText(''), []);
  assert.deepEqual(findStopCodesInText('Error 0x00000024 in 2013, see KB 2792165.'), []);
});

// --- queries -------------------------------------------------------------------------------------

test('a query that is a 0x code from the table is a stop code query', () => {
  assert.equal(parseStopCodeQuery('0x24'), '0x00000024');
  assert.equal(parseStopCodeQuery('0X0000007b'), '0x0000007B');
  assert.equal(parseStopCodeQuery('  0xc000021a '), '0xC000021A');
  assert.equal(parseStopCodeQuery('0x7B windows 10'), '0x0000007B');
});

test('a bare short number is a stop code only with a stop or bug check word', () => {
  assert.equal(parseStopCodeQuery('7B'), null);
  assert.equal(parseStopCodeQuery('24'), null);
  assert.equal(parseStopCodeQuery('stop 7B'), '0x0000007B');
  assert.equal(parseStopCodeQuery('stop 24'), '0x00000024');
  assert.equal(parseStopCodeQuery('STOP: 0000007B'), '0x0000007B');
  assert.equal(parseStopCodeQuery('bugcheck a'), '0x0000000A');
  assert.equal(parseStopCodeQuery('stop error 50'), '0x00000050');
  assert.equal(parseStopCodeQuery('bug check 0x50'), '0x00000050');
  assert.equal(parseStopCodeQuery('how to stop 2 services'), null);
});

test('a bare symbolic name is a stop code query in any case', () => {
  assert.equal(parseStopCodeQuery('NTFS_FILE_SYSTEM'), '0x00000024');
  assert.equal(parseStopCodeQuery('irql_not_less_or_equal'), '0x0000000A');
  assert.equal(parseStopCodeQuery('FILE_SYSTEM'), '0x00000022');
  assert.equal(parseStopCodeQuery('inaccessible_boot_device after upgrade'), '0x0000007B');
});

test('debugger and event log lines pasted into the search box give their stop code', () => {
  assert.equal(parseStopCodeQuery('BUGCHECK_CODE:  24'), '0x00000024');
  assert.equal(parseStopCodeQuery('BugCheck 24, {1904fb, ffffd000216c6ba8, ffffd000216c63b0, fffff80002a0b0e8}'), '0x00000024');
  assert.equal(parseStopCodeQuery('BugCheck A, {0, 2, 0, fffff80002e8a2d3}'), '0x0000000A');
  assert.equal(parseStopCodeQuery('Bugcheck code 0000007B'), '0x0000007B');
  assert.equal(
    parseStopCodeQuery(
      'The computer has rebooted from a bugcheck.  The bugcheck was: 0x00000024 (0x00000000001904fb, 0xffffd000216c6ba8, 0xffffd000216c63b0, 0xfffff80002a0b0e8).',
    ),
    '0x00000024',
  );
  assert.equal(parseStopCodeQuery('BUGCHECK_STR:  0x7E'), '0x0000007E');
  assert.equal(parseStopCodeQuery('BUGCHECK_P1: ffffffffc0000005'), null);
  assert.equal(parseStopCodeQuery('KMODE_EXCEPTION_NOT_HANDLED (1e)'), '0x0000001E');
});

test('queries that are not about a stop code give null', () => {
  const queries = [
    '',
    '   ',
    'ntfs.sys',
    '2013',
    '2792165',
    'KB2792165',
    '0x80070005',
    'error 0x80070005 windows update',
    'exception code 0xc0000005',
    'The instruction at 0x00000023 referenced memory at 0x00000008',
    '0x0001316e',
    'blue screen',
    'stop',
    'net stop spooler',
    '00000024',
    'c000021a',
    'DEADBEEF',
  ];
  for (const q of queries) assert.equal(parseStopCodeQuery(q), null, q);
});

// --- spellings -----------------------------------------------------------------------------------

test('search terms for 0x00000024 include the canonical, short and bare forms and the name', () => {
  assert.deepEqual(stopCodeSearchTerms('0x00000024'), ['0x00000024', '0x24', '00000024', 'NTFS_FILE_SYSTEM']);
});

test('search terms for codes with hex letters include lower-case variants', () => {
  assert.deepEqual(stopCodeSearchTerms('0x0000007B'), [
    '0x0000007B',
    '0x7B',
    '0x0000007b',
    '0x7b',
    '0000007B',
    '0000007b',
    'INACCESSIBLE_BOOT_DEVICE',
  ]);
  assert.deepEqual(stopCodeSearchTerms('0xC0000143'), ['0xC0000143', '0xc0000143', 'C0000143', 'c0000143']);
});

test('every search term of every known code canonicalises back to that code', () => {
  for (const { code } of allKnownStopCodes()) {
    for (const term of stopCodeSearchTerms(code)) assert.equal(canonicalStopCode(term), code, `${code} ${term}`);
  }
});

test('short spellings for redirects exclude the canonical form and cover both cases', () => {
  assert.deepEqual(stopCodeShortSpellings('0x00000024'), ['0x24', '24']);
  assert.deepEqual(stopCodeShortSpellings('0x0000007B'), ['0x7b', '0x7B', '7b', '7B', '0x0000007b']);
  assert.deepEqual(stopCodeShortSpellings('0xC000021A'), ['0xc000021a', 'c000021a', 'C000021A']);
  assert.deepEqual(stopCodeShortSpellings('0x1000007E'), ['0x1000007e', '1000007e', '1000007E']);
});

test('every short spelling of every known code canonicalises back to that code and is a URL-safe segment', () => {
  for (const { code } of allKnownStopCodes()) {
    const spellings = stopCodeShortSpellings(code);
    assert.ok(!spellings.includes(code));
    assert.equal(new Set(spellings).size, spellings.length);
    for (const s of spellings) {
      assert.match(s, /^[0-9A-Za-z]+$/);
      assert.equal(canonicalStopCode(s), code, `${code} ${s}`);
    }
  }
});
