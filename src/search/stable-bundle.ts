/**
 * Makes a Pagefind bundle byte-identical from build to build.
 *
 * Pagefind 1.5.2 writes the values of each search filter, and the list of filters in its meta file,
 * in Rust hash-map order, which changes from run to run
 * (https://github.com/Pagefind/pagefind/issues/638); the files are named by a hash of their bytes,
 * so the names change too, and with them the meta file and `pagefind-entry.json` that name them.
 * Everything else Pagefind writes (index chunks, fragments, WebAssembly, scripts) is stable.
 *
 * So after `writeFiles` we put those lists in a fixed order and name the rewritten files by a hash
 * of their new content. The search reads them exactly as before: the filter files are
 * `[filter, [[value, [page, …]], …]]` and the meta file lists `[filter, file hash]` pairs, each in
 * CBOR behind a `pagefind_dcd` signature and gzipped.
 */
import { createHash } from 'node:crypto';
import { readFile, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { decode, encode } from 'cborg';
import { KbError } from '../errors.ts';

const SIGNATURE = 'pagefind_dcd';

interface Entry {
  version: string;
  languages: Record<string, { hash: string; wasm: string | null; page_count: number }>;
  [other: string]: unknown;
}

export function decodePagefindFile(gzipped: Uint8Array, file: string): unknown {
  const raw = gunzipSync(gzipped);
  if (raw.subarray(0, SIGNATURE.length).toString() !== SIGNATURE) throw new KbError(`search index: ${file} is not in the Pagefind format kbsite knows (Pagefind was upgraded?)`);
  return decode(raw.subarray(SIGNATURE.length));
}

export function encodePagefindFile(value: unknown): Buffer {
  // Node's gzip writes no time stamp or file name, so equal input gives equal bytes.
  return gzipSync(Buffer.concat([Buffer.from(SIGNATURE), encode(value)]), { level: 9 });
}

/** A name like Pagefind's own (`en_` + hex), from the content instead of the run. */
function contentName(language: string, bytes: Uint8Array, length: number): string {
  return `${language}_${createHash('sha256').update(bytes).digest('hex').slice(0, length)}`;
}

const byName = (a: unknown, b: unknown) => {
  const [x, y] = [(a as [string])[0], (b as [string])[0]];
  return x < y ? -1 : x > y ? 1 : 0;
};

/** Rewrites the filter files, meta files and entry of the bundle in `bundleDir` in a fixed order. */
export async function stabilizeBundle(bundleDir: string): Promise<void> {
  const entryFile = path.join(bundleDir, 'pagefind-entry.json');
  const entry = JSON.parse(await readFile(entryFile, 'utf8')) as Entry;
  const filterDir = path.join(bundleDir, 'filter');
  const filterFiles = await readdir(filterDir).catch(() => [] as string[]);
  const renamed = new Map<string, string>();
  const rewritten: Array<{ file: string; newHash: string; bytes: Buffer }> = [];
  for (const file of filterFiles) {
    if (!file.endsWith('.pf_filter')) continue;
    const [filter, values] = decodePagefindFile(await readFile(path.join(filterDir, file)), file) as [string, Array<[string, number[]]>];
    const bytes = encodePagefindFile([filter, [...values].sort(byName)]);
    const oldHash = file.slice(0, -'.pf_filter'.length);
    const newHash = contentName(oldHash.split('_')[0]!, bytes, 7);
    renamed.set(oldHash, newHash);
    rewritten.push({ file, newHash, bytes });
  }
  // Every file is read before any is written, so a new name can never overwrite an unread file.
  for (const { file } of rewritten) await rm(path.join(filterDir, file));
  for (const { newHash, bytes } of rewritten) await writeFile(path.join(filterDir, `${newHash}.pf_filter`), bytes);
  for (const [language, info] of Object.entries(entry.languages)) {
    const metaFile = path.join(bundleDir, `pagefind.${info.hash}.pf_meta`);
    const meta = decodePagefindFile(await readFile(metaFile), metaFile) as unknown[];
    // [version, pages, index chunks, filters: [[name, hash]], sorts]; only the filters are unstable.
    const filters = meta[3];
    if (!Array.isArray(filters)) throw new KbError(`search index: ${metaFile} is not in the Pagefind format kbsite knows (Pagefind was upgraded?)`);
    meta[3] = filters.map(([name, hash]: [string, string]) => [name, renamed.get(hash) ?? hash]).sort(byName);
    const bytes = encodePagefindFile(meta);
    const newHash = contentName(language, bytes, 10);
    if (newHash !== info.hash) {
      await writeFile(path.join(bundleDir, `pagefind.${newHash}.pf_meta`), bytes);
      await rm(metaFile);
      info.hash = newHash;
    }
  }
  await writeFile(entryFile, JSON.stringify(entry));
}
