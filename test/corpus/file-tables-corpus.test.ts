import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { collectFileTableStats } from '../../bench/file-table-stats.ts';

// Runs over the unpacked kbarchive corpus when it is there (KB_CORPUS_DIR, else /tmp/kbarchive/kb);
// the corpus is read in place and never copied into the repository.
const dir = process.env['KB_CORPUS_DIR'] ?? '/tmp/kbarchive/kb';
const missing = existsSync(dir) ? false : `no kbarchive corpus at ${dir} (unpack it there or set KB_CORPUS_DIR)`;
if (missing) console.log(`Skipping the file-table corpus test: ${missing}`);

test('at least 95% of the file tables detected in the legacy corpus are parsed', { skip: missing, timeout: 60_000 }, () => {
  const s = collectFileTableStats(dir, 5);
  console.log(
    `file tables in ${dir}: ${s.articlesWithTables} of ${s.articles} articles have them; ` +
      `${s.detected} detected, ${s.parsed} parsed (${s.rows} rows), ${s.unparsed} left as text; ` +
      `${(s.share * 100).toFixed(1)}% parsed`,
  );
  assert.ok(s.detected > 0, 'no file tables found: is this the kbarchive kb directory?');
  assert.ok(s.share >= 0.95, `only ${(s.share * 100).toFixed(1)}% parsed; first unparsed blocks:\n${s.examples.map((e) => `${e.file}\n${e.warning}`).join('\n')}`);
});
