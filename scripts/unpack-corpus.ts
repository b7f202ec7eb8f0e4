/**
 * Unpack the shared legacy corpus (../shared/corpus/kbarchive-kb.tar.gz) to $KB_CORPUS_DIR's
 * parent, default /tmp/kbarchive, once. Corpus tests and benchmarks read it from there; nothing
 * of it is ever copied into the repository. Without ../shared (a user's clone) it says so and
 * the corpus tests skip with that reason.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import path from 'node:path';

const tarball = path.resolve(process.env.KB_CORPUS_TARBALL ?? '../shared/corpus/kbarchive-kb.tar.gz');
const target = process.env.KB_CORPUS_DIR ?? '/tmp/kbarchive/kb';

if (existsSync(target)) {
  console.log(`corpus: using ${target}`);
} else if (!existsSync(tarball)) {
  console.log(`corpus: ${tarball} not found; corpus tests will be skipped`);
} else {
  const parent = path.dirname(target);
  mkdirSync(parent, { recursive: true });
  console.log(`corpus: unpacking ${tarball} into ${parent} …`);
  execFileSync('tar', ['-xzf', tarball, '-C', parent], { stdio: 'inherit' });
}
