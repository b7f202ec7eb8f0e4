/**
 * What Pagefind's index files are made of, for code that runs in Node (the shard merge,
 * src/search/index-chunks.ts and stable-bundle.ts) and in the browser (the compact meta file,
 * src/search/compact-meta.ts): the signature a file starts with once gunzipped, and CBOR heads.
 */

/** What Pagefind's files start with once decompressed. */
export const SIGNATURE = 'pagefind_dcd';

/** A CBOR head's bytes: major type and argument in the shortest form, as Pagefind's encoder (minicbor) writes it. */
export function cborHeadBytes(major: number, value: number): number[] {
  const type = major << 5;
  if (value < 24) return [type | value];
  if (value < 0x100) return [type | 24, value];
  if (value < 0x10000) return [type | 25, value >> 8, value & 0xff];
  const length = value < 0x100000000 ? 4 : 8;
  const bytes = [type | (length === 4 ? 26 : 27)];
  for (let i = length - 1; i >= 0; i--) bytes.push(Math.floor(value / 2 ** (8 * i)) % 256);
  return bytes;
}
