import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import {
  allFileRows,
  compareVersions,
  fileDataToCsv,
  fileDataToJson,
  formatSize,
  isFourPartVersion,
  parseFileData,
  type FileData,
} from '../../src/file-versions.ts';

const FILE = 'content/kb/1/files.yaml';
const yaml = (...lines: string[]): string => `${lines.join('\n')}\n`;

/** Problems as `line: message`, the way a person reads them. */
function problemsOf(text: string): string[] {
  const r = parseFileData(text, FILE);
  assert.equal(r.data, null, 'expected the file to be rejected');
  return r.problems.map((p) => {
    assert.equal(p.file, FILE);
    return `${p.line ?? '-'}: ${p.message}`;
  });
}

// --- valid files.yaml ----------------------------------------------------------------------------

test('a valid files.yaml gives branches, tables with derived ids, canonical platforms and ISO values', () => {
  const r = parseFileData(
    yaml(
      'branches:',
      '  - { version: 6.0.6001.22xxx, product: Contoso Server 2008, srLevel: SP1, branch: LDR }',
      'tables:',
      '  - platform: amd64',
      '    caption: For all supported x64-based versions of Contoso Server',
      '    files:',
      '      - { name: Contoso.sys, version: 6.0.6002.23012, size: 1082728, date: 03-Jan-2013, time: "4:33" }',
      '      - name: Contoso.dll',
      '        version: n/a',
      '        size: 1,082,728',
      '        date: 2013-01-03',
      '        platform: Not Applicable',
      '  - platform: x64',
      '    kind: additional',
      '    caption: Additional files for all supported x64-based versions of Contoso Server',
      '    files:',
      '      - { name: Amd64_contoso.manifest, version: Not Applicable, size: 692, date: 2013-01-03, time: "04:37" }',
      '  - platform: X64',
      '    caption: Again for x64',
      '    files:',
      '      - { name: Contoso.cpl, version: 6.0.6002.23012, size: 1, date: 2013-01-03, platform: ia64 }',
      '  - caption: No platform',
      '    files:',
      '      - { name: Readme.txt, version: n/a, size: 0, date: 2013-01-03 }',
    ),
    FILE,
  );
  assert.deepEqual(r.problems, []);
  assert.deepEqual(r.data, {
    branches: [{ version: '6.0.6001.22xxx', product: 'Contoso Server 2008', srLevel: 'SP1', branch: 'LDR' }],
    tables: [
      {
        id: 'files-x64',
        caption: 'For all supported x64-based versions of Contoso Server',
        platform: 'x64',
        kind: 'files',
        rows: [
          { name: 'Contoso.sys', version: '6.0.6002.23012', size: 1082728, date: '2013-01-03', time: '04:33', platform: 'x64' },
          { name: 'Contoso.dll', version: null, size: 1082728, date: '2013-01-03', time: null, platform: null },
        ],
      },
      {
        id: 'additional-files-x64',
        caption: 'Additional files for all supported x64-based versions of Contoso Server',
        platform: 'x64',
        kind: 'additional',
        rows: [{ name: 'Amd64_contoso.manifest', version: null, size: 692, date: '2013-01-03', time: '04:37', platform: 'x64' }],
      },
      {
        id: 'files-x64-2',
        caption: 'Again for x64',
        platform: 'x64',
        kind: 'files',
        rows: [{ name: 'Contoso.cpl', version: '6.0.6002.23012', size: 1, date: '2013-01-03', time: null, platform: 'IA-64' }],
      },
      {
        id: 'files',
        caption: 'No platform',
        platform: null,
        kind: 'files',
        rows: [{ name: 'Readme.txt', version: null, size: 0, date: '2013-01-03', time: null, platform: null }],
      },
    ],
  });
});

test('the real files.yaml of KB 2792165 has the three Ntfs.sys rows, both branches and six tables', () => {
  const path = 'content/kb/2792165/files.yaml';
  const r = parseFileData(readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8'), path);
  assert.deepEqual(r.problems, []);
  const data = r.data!;
  assert.deepEqual(data.branches, [
    { version: '6.0.6001.22xxx', product: 'Windows Server 2008', srLevel: 'SP1', branch: 'LDR' },
    { version: '6.0.6002.22xxx', product: 'Windows Server 2008', srLevel: 'SP2', branch: 'LDR' },
  ]);
  assert.deepEqual(
    data.tables.map((t) => t.id),
    ['files-x86', 'files-x64', 'files-ia-64', 'additional-files-x86', 'additional-files-x64', 'additional-files-ia-64'],
  );
  const ntfs = allFileRows(data).filter((r) => r.name === 'Ntfs.sys');
  assert.deepEqual(
    ntfs.map(({ tableId, version, size, date, time, platform }) => ({ tableId, version, size, date, time, platform })),
    [
      { tableId: 'files-x86', version: '6.0.6002.23012', size: 1082728, date: '2013-01-03', time: '04:33', platform: 'x86' },
      { tableId: 'files-x64', version: '6.0.6002.23012', size: 1501048, date: '2013-01-03', time: '04:30', platform: 'x64' },
      { tableId: 'files-ia-64', version: '6.0.6002.23012', size: 3285352, date: '2013-01-03', time: '04:20', platform: 'IA-64' },
    ],
  );
  const manifests = allFileRows(data).filter((r) => r.kind === 'additional');
  assert.deepEqual(
    manifests.map((r) => [r.size, r.version, r.platform, r.time]),
    [
      [692, null, null, '04:37'],
      [16841, null, null, '04:37'],
      [696, null, null, '04:37'],
      [17104, null, null, '04:37'],
      [694, null, null, '04:37'],
      [17096, null, null, '04:37'],
    ],
  );
  assert.equal(manifests[1]!.name, 'X86_microsoft-windows-ntfs_31bf3856ad364e35_6.0.6002.23012_none_a8d8561c3335f10f.manifest');
});

// --- invalid files.yaml: every problem at once, with its line ------------------------------------

test('every problem in a files.yaml is reported at once, in file order, with its line and field', () => {
  const text = yaml(
    'tables:',
    '  - platform: sparc',
    '    caption: For all supported x86-based versions of Contoso Server',
    '    files:',
    '      - { name: Contoso.sys, version: 6.0.6002, size: "1,08x", date: 2013-02-30, time: "25:10" }',
    '      - name: Contoso.dll',
    '        version: 6.0',
    '        sise: 1024',
    '        date: 03-Jan-2013',
    '  - platform: x64',
    '    kind: extra',
    '    files: []',
  );
  assert.deepEqual(problemsOf(text), [
    '2: tables[0].platform must be one of x86, x64, IA-64, ARM, ARM64 (got "sparc")',
    '5: tables[0].files[0].version must be a four-part version like 6.0.6002.23012 (got "6.0.6002")',
    '5: tables[0].files[0].size must be a whole number of bytes like 1082728 (got "1,08x")',
    '5: tables[0].files[0].date must be a real date like 2013-01-03 (got "2013-02-30")',
    '5: tables[0].files[0].time must be a 24-hour time like 04:33 (got "25:10")',
    '6: tables[0].files[1].size is missing: add the size in bytes, e.g. size: 1082728',
    '7: tables[0].files[1].version must be a four-part version like 6.0.6002.23012 (got 6.0)',
    '8: tables[0].files[1].sise is not a known field: did you mean "size"? (known fields: name, version, size, date, time, platform)',
    '10: tables[1].caption is missing: add it, e.g. caption: For all supported x86-based versions of Windows Server 2008',
    '11: tables[1].kind must be files or additional (got "extra")',
    '12: tables[1].files must be a list of at least one file (got an empty list)',
  ]);
  const fields = parseFileData(text, FILE).problems.map((p) => p.field);
  assert.deepEqual(fields.slice(0, 3), ['tables[0].platform', 'tables[0].files[0].version', 'tables[0].files[0].size']);
});

test('an unquoted size with thousands separators inside { } is explained, not just rejected', () => {
  assert.deepEqual(
    problemsOf(yaml('tables:', '  - platform: x86', '    caption: c', '    files:', '      - { name: a.dll, version: n/a, size: 1,082, date: 2013-01-03 }')),
    ['5: tables[0].files[0].082 is not a known field: a size with thousands separators inside { } must be quoted, e.g. size: "1,082,728"'],
  );
});

test('malformed YAML is one problem on the line the YAML parser names', () => {
  assert.deepEqual(problemsOf(yaml('tables:', '  - platform: x86', '    caption: "unterminated', '    files: []')), [
    '5: is not valid YAML: Missing closing "quote (check the indentation and quoting on this line)',
  ]);
  assert.deepEqual(problemsOf(yaml('tables:', '  - a: 1', '    a: 2')), ['3: is not valid YAML: Map keys must be unique (check the indentation and quoting on this line)']);
});

test('an empty file, a missing tables list and a bad branch row are reported in words', () => {
  assert.deepEqual(problemsOf(''), ['-: must be a mapping with a "tables" list (and optionally "branches") (got an empty file)']);
  assert.deepEqual(problemsOf(yaml('branches:', '  - { version: 6.0.6002, product: Contoso, srLevel: SP2 }', 'tabels: []')), [
    '1: tables is missing: add a "tables:" list with one entry per file table',
    '2: branches[0].version must be a version pattern like 6.0.6002.22xxx (got "6.0.6002")',
    '2: branches[0].branch is missing: add it, e.g. branch: LDR',
    '3: tabels is not a known field: did you mean "tables"? (known fields: branches, tables)',
  ]);
});

// --- versions and sizes --------------------------------------------------------------------------

test('versions compare part by part as numbers, not as text', () => {
  assert.ok(compareVersions('6.0.6002.9', '6.0.6002.23012') < 0);
  assert.ok(compareVersions('6.0.6002.23012', '6.0.6002.9') > 0);
  assert.equal(compareVersions('6.0.6002.23012', '6.0.6002.23012'), 0);
  assert.ok(compareVersions('6.1.0.0', '6.0.9999.99999') > 0);
  assert.equal(compareVersions('6.0', '6.0.0.0'), 0);
  assert.ok(compareVersions('10.0.0.0', '9.9.9.9') > 0);
  const sorted = ['6.0.6002.23012', '6.0.6001.18000', '6.0.6002.9', '6.0.6002.22xxx'].sort(compareVersions);
  assert.deepEqual(sorted, ['6.0.6001.18000', '6.0.6002.9', '6.0.6002.22xxx', '6.0.6002.23012']);
});

test('a four-part version is four groups of digits', () => {
  assert.equal(isFourPartVersion('6.0.6002.23012'), true);
  for (const v of ['6.0.6002', '6.0.6002.23012.1', '6.0.6002.22xxx', 'v6.0.6002.1', '']) assert.equal(isFourPartVersion(v), false, v);
});

test('sizes are formatted with en-US thousands separators', () => {
  assert.equal(formatSize(1082728), '1,082,728');
  assert.equal(formatSize(692), '692');
  assert.equal(formatSize(0), '0');
  assert.equal(formatSize(1000), '1,000');
  assert.equal(formatSize(123456789012), '123,456,789,012');
  assert.throws(() => formatSize(1.5), /whole number of bytes/);
});

// --- downloads -----------------------------------------------------------------------------------

const download: FileData = {
  branches: [],
  tables: [
    {
      id: 'files-x86',
      caption: 'x86',
      platform: 'x86',
      kind: 'files',
      rows: [
        { name: 'Contoso.sys', version: '6.0.6002.23012', size: 1082728, date: '2013-01-03', time: '04:33', platform: 'x86' },
        { name: 'Contoso, "Pro".dll', version: null, size: null, sizeLabel: '701 KB', date: null, time: null, platform: null },
        { name: '=HYPERLINK("http://example.invalid")', version: null, size: 1, date: '2013-01-03', time: null, platform: null },
        { name: '+1+2', version: null, size: 2, date: '2013-01-03', time: null, platform: null },
        { name: '-Contoso.dll', version: null, size: 3, date: '2013-01-03', time: null, platform: null },
        { name: '@SUM(A1)', version: null, size: 4, date: '2013-01-03', time: null, platform: null },
        { name: 'Line\nbreak.dll', version: null, size: 5, date: '2013-01-03', time: null, platform: null },
      ],
    },
  ],
};

test('the CSV download quotes fields as RFC 4180 says and writes CRLF line ends', () => {
  const csv = fileDataToCsv(download);
  const lines = csv.split('\r\n');
  assert.equal(lines[0], 'table,kind,platform,name,version,size,date,time');
  assert.equal(lines[1], 'files-x86,files,x86,Contoso.sys,6.0.6002.23012,1082728,2013-01-03,04:33');
  assert.equal(lines[2], 'files-x86,files,,"Contoso, ""Pro"".dll",,701 KB,,');
  assert.ok(csv.endsWith('\r\n'));
  assert.ok(csv.includes('"Line\nbreak.dll"'));
});

test('CSV cells a spreadsheet would run as a formula are neutralised with a leading apostrophe', () => {
  const lines = fileDataToCsv(download).split('\r\n');
  assert.equal(lines[3], `files-x86,files,,"'=HYPERLINK(""http://example.invalid"")",,1,2013-01-03,`);
  assert.equal(lines[4], "files-x86,files,,'+1+2,,2,2013-01-03,");
  assert.equal(lines[5], "files-x86,files,,'-Contoso.dll,,3,2013-01-03,");
  assert.equal(lines[6], "files-x86,files,,'@SUM(A1),,4,2013-01-03,");
});

test('the JSON download names the article and carries branches and tables as they are', () => {
  const json = fileDataToJson(2792165, download);
  assert.ok(json.endsWith('\n'));
  assert.deepEqual(JSON.parse(json), { article: 2792165, branches: [], tables: download.tables });
});
