import { test } from 'node:test';
import assert from 'node:assert/strict';
import { extractTextFileTables } from '../../src/article/text-file-tables.ts';

// Every fixture here is written for these tests (Contoso names, made-up versions); none is taken
// from the kbarchive corpus. Each mirrors one way the legacy articles print file tables.

const lines = (...ls: string[]): string => ls.join('\n');

test('a Date Time Version Size File name table becomes one table and a placeholder line', () => {
  const text = lines(
    'The English version of this fix should have the following file attributes or',
    'later:',
    '',
    '   Date        Time   Version           Size     File name',
    '   -------------------------------------------------------',
    '   09/27/2001  20:17  4.0.1381.33478    701,712  Contoso.dll',
    '   09/27/2001  20:17  4.0.1381.33478    108,816  Contosvc.exe',
    '',
    'STATUS',
  );
  const r = extractTextFileTables(text);
  assert.equal(r.unparsed, 0);
  assert.deepEqual(r.warnings, []);
  assert.equal(
    r.text,
    lines('The English version of this fix should have the following file attributes or', 'later:', '', '[[file-table:files]]', '', 'STATUS'),
  );
  assert.deepEqual(r.tables, [
    {
      id: 'files',
      caption: 'File information',
      platform: null,
      kind: 'files',
      rows: [
        { name: 'Contoso.dll', version: '4.0.1381.33478', size: 701712, date: '2001-09-27', time: '20:17', platform: null },
        { name: 'Contosvc.exe', version: '4.0.1381.33478', size: 108816, date: '2001-09-27', time: '20:17', platform: null },
      ],
    },
  ]);
});

test('a Platform column keeps each row platform as printed and gives the table one when they agree', () => {
  const mixed = extractTextFileTables(
    lines(
      '  Date       Time    Version        Size       File name     Platform',
      '  -----------------------------------------------------------------',
      '  02-Mar-01  00:30   2.0.92.9       1,324,075  Contoso.exe   Intel',
      '  02-Mar-01  00:30   2.0.92.9       1,925,798  Contoso.exe   Alpha',
    ),
  );
  assert.equal(mixed.tables[0]!.platform, null);
  assert.deepEqual(
    mixed.tables[0]!.rows.map((r) => [r.date, r.platform]),
    [
      ['2001-03-02', 'Intel'],
      ['2001-03-02', 'Alpha'],
    ],
  );
  const one = extractTextFileTables(
    lines('  Date      Time    Size     File name   Platform', '  --------------------------------------------', '  10/5/98   10:43am  154,704  Contoso.exe (i386)'),
  );
  assert.equal(one.tables[0]!.id, 'files-x86');
  assert.equal(one.tables[0]!.platform, 'x86');
  assert.deepEqual(one.tables[0]!.rows[0], { name: 'Contoso.exe', version: null, size: 154704, date: '1998-10-05', time: '10:43', platform: 'i386' });
});

test('label lines such as "x86" and "Itanium" caption the tables under them and give their rows a platform', () => {
  const r = extractTextFileTables(
    lines(
      'x86',
      '',
      '   Date         Time   Version          Size     File name',
      '   ------------------------------------------------------',
      '   03-Jan-2003  04:33  5.2.3790.1000    682,496  Contoso.sys',
      '',
      'Itanium',
      '',
      '   Date         Time   Version          Size       File name',
      '   --------------------------------------------------------',
      '   03-Jan-2003  04:20  5.2.3790.1000    2,001,920  Contoso.sys',
      '',
      'Windows 2000:',
      '',
      '   Date         Time   Version          Size     File name',
      '   ------------------------------------------------------',
      '   03-Jan-2003  04:10  5.0.2195.6000    512,000  Contoso.sys',
      '',
      'x86',
      '',
      '   Date         Time   Version          Size     File name',
      '   ------------------------------------------------------',
      '   03-Jan-2003  04:11  5.0.2195.6000    512,512  Contoso2.sys',
    ),
  );
  assert.deepEqual(
    r.tables.map((t) => [t.id, t.caption, t.platform, t.rows[0]!.platform]),
    [
      ['files-x86', 'x86', 'x86', 'x86'],
      ['files-ia-64', 'Itanium', 'IA-64', 'IA-64'],
      ['files', 'Windows 2000', null, null],
      ['files-x86-2', 'x86', 'x86', 'x86'],
    ],
  );
  // The label lines are part of the tables they caption.
  assert.equal(r.text, lines('[[file-table:files-x86]]', '', '[[file-table:files-ia-64]]', '', '[[file-table:files]]', '', '[[file-table:files-x86-2]]'));
});

test('sizes in KB keep their label and have no byte count; an exact count in brackets wins', () => {
  const r = extractTextFileTables(
    lines(
      '  Date        Time    Version         Size      File name  Platform',
      '  -----------------------------------------------------------------',
      '  9/17/1999   2:47PM  4.0.1381.32901  152 KB    Contoso.sys  Intel',
      '  9/17/1999   2:53PM  4.0.1381.32901  1.2 MB    Contoso.dll  Intel',
      '  9/17/1999   2:53PM  4.0.1381.32901  272KB     Contoso.cpl  Intel',
      '  9/17/1999   2:53PM  4.0.1381.32901  16,256b   Contoso.exe  Intel',
      '',
      '  Name           Size (KB)   Date',
      '  -------------------------------',
      '  Contoso.hlp    701         5/2/97',
      '',
      '+----------------------------------------------+',
      '| File         | Version     | Size            |',
      '+----------------------------------------------+',
      '| Contoso.ocx  | 2.30.4261.1 | 144KB (147,728 bytes) |',
      '+----------------------------------------------+',
    ),
  );
  assert.equal(r.unparsed, 0);
  assert.deepEqual(
    r.tables.flatMap((t) => t.rows.map((row) => [row.name, row.size, row.sizeLabel ?? null])),
    [
      ['Contoso.sys', null, '152 KB'],
      ['Contoso.dll', null, '1.2 MB'],
      ['Contoso.cpl', null, '272 KB'],
      ['Contoso.exe', 16256, null],
      ['Contoso.hlp', null, '701 KB'],
      ['Contoso.ocx', 147728, null],
    ],
  );
});

test('dates and times in their printed variants all become ISO dates and 24-hour times', () => {
  const r = extractTextFileTables(
    lines(
      '  Date              Time          Size     File name',
      '  ---------------------------------------------------',
      '  27-Sep-2001       20:17         10,000   A.dll',
      '  Sep-27-2001       8:17am        10,000   B.dll',
      '  9/27/01           06:34p        10,000   C.dll',
      '  09-27-2001        12:41:42 PM   10,000   D.dll',
      '  2001-09-27        12:05 a.m.    10,000   E.dll',
      '  Sep 27, 2001      12:00 midnight 10,000  F.dll',
      '  27 September 2001 1436          10,000   G.dll',
      '  Thu, Sep 27, 2001 22.36         10,000   H.dll',
    ),
  );
  assert.equal(r.unparsed, 0, r.warnings.join('\n'));
  assert.deepEqual(
    r.tables[0]!.rows.map((row) => [row.name, row.date, row.time]),
    [
      ['A.dll', '2001-09-27', '20:17'],
      ['B.dll', '2001-09-27', '08:17'],
      ['C.dll', '2001-09-27', '18:34'],
      ['D.dll', '2001-09-27', '12:41'],
      ['E.dll', '2001-09-27', '00:05'],
      ['F.dll', '2001-09-27', '00:00'],
      ['G.dll', '2001-09-27', '14:36'],
      ['H.dll', '2001-09-27', '22:36'],
    ],
  );
});

test('a date that is shaped like one but impossible keeps the row, with no date and a warning', () => {
  const r = extractTextFileTables(
    lines('Date      Time         Version         Size    File name     Platform', '---------------------------------------------------------------', '6/12/200  10:38:53PM   5.0.2195.2096   78,608  Contoso.dll    x86'),
  );
  assert.equal(r.unparsed, 0);
  assert.equal(r.tables[0]!.rows[0]!.date, null);
  assert.equal(r.tables[0]!.rows[0]!.time, '22:38');
  assert.deepEqual(r.warnings, ['line 1: unreadable date "6/12/200" in the row for Contoso.dll']);
});

test('columns in another order are read by what their values look like', () => {
  const r = extractTextFileTables(
    lines(
      '  File name      Version        Date        Time      Size',
      '  --------------------------------------------------------',
      '  Contoso.dll    5.0.2195.4702  29-Nov-2001 15:11     73,296',
      '  Contoso.inf                   29-Nov-2001 15:11      4,096',
      '',
      '  Version    Date              Size           File name',
      '  -----------------------------------------------------',
      '  4.10.1660  1/07/99 06:04pm   43,520 bytes   Contoso.vxd',
    ),
  );
  assert.equal(r.unparsed, 0);
  assert.deepEqual(r.tables[0]!.rows, [
    { name: 'Contoso.dll', version: '5.0.2195.4702', size: 73296, date: '2001-11-29', time: '15:11', platform: null },
    // A data file has no version: the Version column is simply empty.
    { name: 'Contoso.inf', version: null, size: 4096, date: '2001-11-29', time: '15:11', platform: null },
  ]);
  assert.deepEqual(r.tables[1]!.rows, [{ name: 'Contoso.vxd', version: '4.10.1660', size: 43520, date: '1999-01-07', time: '18:04', platform: null }]);
});

test('a boxed table with borders is read cell by cell, and its empty cells are nulls', () => {
  const text = lines(
    'The fix contains:',
    '',
    '+--------------------------------------------------------------------------+',
    '| Name         | Size      | Date      | Time     | Version    | Platform  |',
    '+--------------------------------------------------------------------------+',
    '| Contoso.exe  | 211,968   | 2/3/2000  | 11:28 AM | 06.00.8764 | x86       |',
    '+--------------------------------------------------------------------------+',
    '| Readme.txt   | 5,261     | 2/16/2000 | 11:28 AM | none       | x86       |',
    '+--------------------------------------------------------------------------+',
    '| Pending.dll  |           |           |          |            |           |',
    '+--------------------------------------------------------------------------+',
    '',
    'NOTE: more text.',
  );
  const r = extractTextFileTables(text);
  assert.equal(r.text, lines('The fix contains:', '', '[[file-table:files]]', '', 'NOTE: more text.'));
  assert.deepEqual(r.tables[0]!.rows, [
    { name: 'Contoso.exe', version: '06.00.8764', size: 211968, date: '2000-02-03', time: '11:28', platform: 'x86' },
    { name: 'Readme.txt', version: null, size: 5261, date: '2000-02-16', time: '11:28', platform: 'x86' },
    { name: 'Pending.dll', version: null, size: null, date: null, time: null, platform: null },
  ]);
  assert.equal(r.tables[0]!.platform, null); // one row says nothing, so the rows do not agree
});

test('a long file name and a long platform wrapped onto the next line are joined to their row', () => {
  const r = extractTextFileTables(
    lines(
      '   Date         Time   Version         Size     File name                              Platform',
      '   --------------------------------------------------------------------------------------------',
      '   14-Mar-2003  10:12  6.0.2800.1170   412,160  X86_microsoft-windows-contoso-long_',
      '                                                31bf3856ad364e35.manifest              x86',
      '   14-Mar-2003  10:12  6.0.2800.1170    20,480  Contoso.dll                            Windows 98',
      '                                                                                       Second Edition',
    ),
  );
  assert.equal(r.unparsed, 0);
  assert.deepEqual(
    r.tables[0]!.rows.map((row) => [row.name, row.platform]),
    [
      ['X86_microsoft-windows-contoso-long_31bf3856ad364e35.manifest', 'x86'],
      ['Contoso.dll', 'Windows 98 Second Edition'],
    ],
  );
});

test('free-text columns such as Language and Destination folder are kept in extra', () => {
  const r = extractTextFileTables(
    lines(
      '  File name     Version    Date/Time         Size     Destination folder',
      '  ----------------------------------------------------------------------',
      '  Contoso.dll   4.00.952    4/26/96 9:52am    21,504  Windows\\System',
      '  Contoso.exe              12/11/95 9:51am   375,930  Windows',
      '',
      '  File Name       Size            Date     File Version   Language',
      '  ------------------------------------------------------------------',
      '  Contoso.olb     1,667,123       8/18/99  9.00.00.3216   001033 English (United States)',
    ),
  );
  assert.equal(r.unparsed, 0);
  assert.deepEqual(r.tables[0]!.rows[1], {
    name: 'Contoso.exe',
    version: null,
    size: 375930,
    date: '1995-12-11',
    time: '09:51',
    platform: null,
    extra: { 'Destination folder': 'Windows' },
  });
  assert.deepEqual(r.tables[1]!.rows[0]!.extra, { Language: '001033 English (United States)' });
  assert.equal(r.tables[1]!.rows[0]!.version, '9.00.00.3216');
});

test('a short line inside a table starts a group of its own, captioned by that line', () => {
  const r = extractTextFileTables(
    lines(
      '  Date      Time                 Size    File name     Platform',
      '  -------------------------------------------------------------',
      '  German',
      '  03/18/99  05:08p               69,136 Contoso.dll   (x86)',
      '',
      '  French',
      '  03/18/99  05:08p               64,272 Contoso.dll   (x86)',
    ),
  );
  assert.deepEqual(
    r.tables.map((t) => [t.id, t.caption, t.platform, t.rows.length]),
    [
      ['files-x86', 'German', 'x86', 1],
      ['files-x86-2', 'French', 'x86', 1],
    ],
  );
  assert.equal(r.tables[0]!.rows[0]!.platform, 'x86');
  assert.equal(r.text, lines('[[file-table:files-x86]]', '[[file-table:files-x86-2]]'));
});

test('an MS-DOS directory listing keeps its directories and joins 8.3 names', () => {
  const r = extractTextFileTables(
    lines(
      'Directory of A:\\SETUP',
      '',
      'File Name          Size     Date',
      '------------------------------------',
      '',
      '.              <DIR>        03-02-97',
      'SETUP    EXE       120,832  03-01-97',
      'README   TXT         4,210  03-01-97',
      '        3 file(s)      125,042 bytes',
    ),
  );
  assert.equal(r.tables[0]!.caption, 'Directory of A:\\SETUP');
  assert.deepEqual(
    r.tables[0]!.rows.map((row) => [row.name, row.size, row.sizeLabel ?? null, row.date]),
    [
      ['.', null, '<DIR>', '1997-03-02'],
      ['SETUP.EXE', 120832, null, '1997-03-01'],
      ['README.TXT', 4210, null, '1997-03-01'],
    ],
  );
  // The listing's footer is not a row; it stays as text after the table.
  assert.equal(r.text, lines('[[file-table:files]]', '        3 file(s)      125,042 bytes'));
});

test('a build number the header has no Version column for is read as the version', () => {
  const r = extractTextFileTables(
    lines('  Date      Time    Size     File name     Platform', '  ---------------------------------------------', '  8/11/00   11:37   786  163,840  Contoso.dll   Alpha'),
  );
  assert.equal(r.unparsed, 0);
  assert.deepEqual(r.tables[0]!.rows[0], { name: 'Contoso.dll', version: '786', size: 163840, date: '2000-08-11', time: '11:37', platform: 'Alpha' });
});

test('text straight after the last row ends the table and stays as text', () => {
  const r = extractTextFileTables(
    lines(
      '  Date        Time   Version          Size     File name',
      '  -----------------------------------------------------',
      '  05/10/2001  12:00  5.0.2195.1000    100,000  Contoso.dll',
      'NOTE: Because of file dependencies, the most recent fix may contain more files.',
    ),
  );
  assert.equal(r.tables[0]!.rows.length, 1);
  assert.equal(r.text, lines('[[file-table:files]]', 'NOTE: Because of file dependencies, the most recent fix may contain more files.'));
});

test('a heading between two tables is not read as a row of the first', () => {
  const r = extractTextFileTables(
    lines(
      'File name      Date/Time         Size    Location',
      'Contoso.bin    07-11-95 9:50am   71,287  C:\\ and root of compressed drive',
      '',
      'Windows 95 with Contoso Plus 2:',
      '',
      'File name      Date/Time         Size    Location',
      'Contoso.bin    07-14-95 12:00am  64,135  C:\\ and root of compressed drive',
    ),
  );
  assert.deepEqual(
    r.tables.map((t) => [t.caption, t.rows.map((row) => row.name)]),
    [
      ['File information', ['Contoso.bin']],
      ['Windows 95 with Contoso Plus 2', ['Contoso.bin']],
    ],
  );
  assert.deepEqual(r.tables[0]!.rows[0]!.extra, { Location: 'C:\\ and root of compressed drive' });
});

test('a block with a file-table header whose rows cannot be read stays text and counts as unparsed', () => {
  const text = lines(
    '   Date      Time   Version      Size   File name   Platform',
    '   ---------------------------------------------------------',
    'Contoso 2.0  02/02/99         02.573.3802  136KB  Contoso.dll',
    '',
    'More text.',
  );
  const r = extractTextFileTables(text);
  assert.equal(r.text, text);
  assert.deepEqual(r.tables, []);
  assert.equal(r.unparsed, 1);
  assert.deepEqual(r.warnings, ['line 1: a file table was left as text: row "Contoso 2.0  02/02/99         02.573.3802  136KB  Contoso.dll" could not be read']);
});

test('a list of file names and versions alone is not a file table and is left alone', () => {
  const text = lines('  File name      Version', '  ----------------------', '  Contoso.dll    5.0.2195.1', '  Contoso.exe    5.0.2195.1');
  const r = extractTextFileTables(text);
  assert.deepEqual(r, { text, tables: [], unparsed: 0, warnings: [] });
});

test('prose that mentions a date, a size and a file name is not taken for a table', () => {
  const text = lines(
    'The file date, time, and size are shown by the DIR command. For example, Contoso.dll',
    'dated 09/27/2001 has a size of 701,712 bytes.',
  );
  assert.deepEqual(extractTextFileTables(text), { text, tables: [], unparsed: 0, warnings: [] });
});
