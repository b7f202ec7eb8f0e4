/**
 * Reproducible builds: the same content gives the same site, byte for byte, so a deploy diff shows
 * only what an author changed and a cache is never invalidated by a rebuild. Dates in the output
 * come from the content (published/updated), never from the clock.
 *
 * One known exception, outside kbsite: Pagefind 1.5.2 writes the values of each search filter in
 * hash-map order, which changes from run to run (https://github.com/Pagefind/pagefind/issues/638:
 * fragments are stable since 1.3, "filter/metadata indexes" not). So `pagefind/filter/*.pf_filter`,
 * the `.pf_meta` naming them and `pagefind-entry.json` naming that may differ in bytes and names;
 * for them this test proves the same content instead: the same filters, values and pages.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, readdir, rm } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import path from 'node:path';
import { runKb, tempDir } from '../support/build.ts';

async function filesBelow(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => path.relative(dir, path.join(e.parentPath, e.name))).sort();
}

/** Pagefind's filter index and the files that name it by hash. */
const PAGEFIND_UNSTABLE = /^pagefind\/(?:filter\/.*\.pf_filter|pagefind\..*\.pf_meta|pagefind-entry\.json)$/;

/** The little CBOR Pagefind writes (unsigned integers, text, arrays) → JSON values. */
function decodeCbor(bytes: Uint8Array): unknown {
  let at = 0;
  const length = (info: number): number => {
    if (info < 24) return info;
    const size = 1 << (info - 24);
    let n = 0;
    for (let i = 0; i < size; i++) n = n * 256 + bytes[at++]!;
    return n;
  };
  const item = (): unknown => {
    const head = bytes[at++]!;
    const [major, n] = [head >> 5, length(head & 31)];
    if (major === 0) return n;
    if (major === 3) return new TextDecoder().decode(bytes.subarray(at, (at += n)));
    if (major === 4) return Array.from({ length: n }, item);
    throw new Error(`unexpected CBOR major type ${major} at byte ${at - 1}`);
  };
  return item();
}

/** A filter file as `[name, [[value, pages], …]]` with the values sorted: its content, not its order. */
function filterContent(gzipped: Buffer): string {
  const raw = gunzipSync(gzipped);
  const prefix = 'pagefind_dcd';
  assert.equal(raw.subarray(0, prefix.length).toString(), prefix, 'Pagefind filter format');
  const [name, values] = decodeCbor(raw.subarray(prefix.length)) as [string, Array<[string, number[]]>];
  return JSON.stringify([name, [...values].sort((a, b) => (a[0] < b[0] ? -1 : 1))]);
}

/** Lists of named entries (`[[name, …], …]`) sorted by name, and the given file hashes masked. */
function canonical(value: unknown, hashes: Set<string>): unknown {
  if (typeof value === 'string') return hashes.has(value) ? 'en_#######' : value;
  if (!Array.isArray(value)) return value;
  const items = value.map((v) => canonical(v, hashes));
  const named = items.length > 0 && items.every((v) => Array.isArray(v) && typeof v[0] === 'string');
  return named ? items.sort((x, y) => ((x as string[])[0]! < (y as string[])[0]! ? -1 : 1)) : items;
}

test('building the demo content twice gives byte-identical sites (Pagefind filters: identical content)', async () => {
  const root = await tempDir('reproducible');
  const [first, second] = [path.join(root, 'first'), path.join(root, 'second')];
  try {
    for (const out of [first, second]) {
      const run = await runKb(['build', '--content', 'content', '--output', out, '--quiet']);
      assert.equal(run.exitCode, 0, run.stderr);
    }
    const [a, b] = await Promise.all([filesBelow(first), filesBelow(second)]);
    const stable = (files: string[]) => files.filter((f) => !PAGEFIND_UNSTABLE.test(f));
    assert.deepEqual(stable(b), stable(a), 'both builds write the same files');
    assert.ok(a.length > 20, `a whole site was written (${a.length} files)`);

    const differing: string[] = [];
    for (const file of stable(a)) {
      const [x, y] = await Promise.all([readFile(path.join(first, file)), readFile(path.join(second, file))]);
      if (!x.equals(y)) differing.push(file);
    }
    assert.deepEqual(differing, [], `files that differ between two builds of the same content: ${differing.join(', ')}`);

    const filters = async (dir: string, files: string[]) =>
      (await Promise.all(files.filter((f) => f.startsWith('pagefind/filter/')).map(async (f) => filterContent(await readFile(path.join(dir, f)))))).sort();
    const [fa, fb] = await Promise.all([filters(first, a), filters(second, b)]);
    assert.ok(fa.length >= 4, 'product, type, stop and year filters');
    assert.deepEqual(fb, fa, 'the search filters hold the same values and pages');

    // The meta and entry files differ only in the order of the filters and the names (hashes) of files.
    const meta = async (dir: string, files: string[]) => {
      const raw = gunzipSync(await readFile(path.join(dir, files.find((f) => f.endsWith('.pf_meta'))!)));
      const hashes = new Set(files.filter((f) => f.startsWith('pagefind/filter/')).map((f) => path.basename(f, '.pf_filter')));
      const entry = await readFile(path.join(dir, 'pagefind/pagefind-entry.json'), 'utf8');
      return { meta: canonical(decodeCbor(raw.subarray('pagefind_dcd'.length)), hashes), entry: entry.replace(/en_[0-9a-f]{10}/g, 'en_##########') };
    };
    assert.deepEqual(await meta(second, b), await meta(first, a), 'the search metadata is the same but for order and file names');
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});
