/**
 * The parse cache: what each article file gave the last time it was read, so that a rebuild after
 * one edit parses one file instead of 60,000 (parsing a legacy article costs about 2 ms; reading
 * its cached result back costs a few µs).
 *
 * An entry is used only when its file's signature (size and modification time of the Markdown and
 * of its files.yaml, see `sourceSignature` in load.ts) is unchanged and the cache was written by the
 * same kbsite code from the same working directory (messages name files relative to it). Anything
 * else, including a cache file that cannot be read, means "parse again": the cache can make a build
 * faster, never different.
 *
 * It lives beside the output (`<output>.cache/parsed/`), in shards, so that a rebuild rewrites only
 * the shards holding the files that changed. Each shard is written to a temporary file and renamed.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, readdir, rm } from 'node:fs/promises';
import { replaceFile } from '../replace-file.ts';
import path from 'node:path';
import { deserialize, serialize } from 'node:v8';
import type { FileResult } from './load.ts';

const SHARDS = 32;
const FORMAT = 1;

export interface CachedParse {
  signature: string;
  result: FileResult;
  /** The article's digest (src/build/fingerprints.ts), so a rebuild does not hash unchanged articles again. */
  digest?: string;
}

interface ShardFile {
  format: number;
  version: string;
  entries: Array<[file: string, entry: CachedParse]>;
}

export class ParseCache {
  private readonly entries = new Map<string, CachedParse>();
  private readonly dirty = new Set<number>();
  /** The shards read, when only some were (readShardsOf); null when the cache holds every shard. */
  private loaded: Set<number> | null = null;

  constructor(
    /** Folder of the shard files, or null for a cache kept only in memory (tests). */
    readonly dir: string | null,
    /** kbsite code version and working directory: a cache written by other code is not used. */
    readonly version: string,
  ) {}

  /** The cached entry for `file`, if it was cached with this signature. */
  get(file: string, signature: string): CachedParse | undefined {
    const entry = this.entries.get(file);
    return entry && entry.signature === signature ? entry : undefined;
  }

  set(file: string, entry: CachedParse): void {
    // Writing a shard that was never read would drop its other entries.
    if (this.loaded && !this.loaded.has(shardOf(file))) throw new Error(`parse cache: the shard of ${file} was not read`);
    this.entries.set(file, entry);
    this.dirty.add(shardOf(file));
  }

  /** Forget files that are no longer in the content folder. */
  keepOnly(files: Iterable<string>): void {
    if (this.loaded) throw new Error('parse cache: keepOnly needs every shard');
    const keep = new Set(files);
    for (const file of this.entries.keys()) {
      if (keep.has(file)) continue;
      this.entries.delete(file);
      this.dirty.add(shardOf(file));
    }
  }

  get size(): number {
    return this.entries.size;
  }

  /** Shards that changed since they were read. */
  get dirtyShards(): number {
    return this.dirty.size;
  }

  static async read(dir: string, version: string): Promise<ParseCache> {
    const cache = new ParseCache(dir, version);
    const names = await readdir(dir).catch(() => [] as string[]);
    await cache.readShards(names.filter((name) => /^\d+\.v8$/.test(name)));
    return cache;
  }

  /**
   * Only the shards holding `files`: a quick rebuild (src/build/quick-rebuild.ts) needs a few entries,
   * and reading all 32 shards (180 MB at 60,000 articles) would cost it seconds. Only entries of
   * these shards can be set, so writing the cache back keeps every other entry.
   */
  static async readShardsOf(dir: string, version: string, files: Iterable<string>): Promise<ParseCache> {
    const cache = new ParseCache(dir, version);
    cache.loaded = new Set();
    await cache.include(files);
    return cache;
  }

  /** Read the shards of `files` that a cache made by readShardsOf has not read yet. */
  async include(files: Iterable<string>): Promise<void> {
    if (!this.loaded) return; // it has every shard
    const more = new Set([...files].map(shardOf).filter((shard) => !this.loaded!.has(shard)));
    for (const shard of more) this.loaded.add(shard);
    await this.readShards([...more].map((shard) => `${shard}.v8`));
  }

  private async readShards(names: string[]): Promise<void> {
    const dir = this.dir!;
    await Promise.all(
      names.map(async (name) => {
        try {
          const shard = deserialize(await readFile(path.join(dir, name))) as ShardFile;
          if (shard.format !== FORMAT || shard.version !== this.version) return;
          for (const [file, entry] of shard.entries) this.entries.set(file, entry);
        } catch {
          // An unreadable shard only means those files are parsed again.
        }
      }),
    );
  }

  /** Write the shards that changed. */
  async write(): Promise<void> {
    if (!this.dir || this.dirty.size === 0) return;
    await mkdir(this.dir, { recursive: true });
    const shards = new Map<number, ShardFile['entries']>();
    for (const shard of this.dirty) shards.set(shard, []);
    for (const [file, entry] of this.entries) shards.get(shardOf(file))?.push([file, entry]);
    for (const [shard, entries] of shards) {
      const target = path.join(this.dir, `${shard}.v8`);
      if (entries.length === 0) {
        await rm(target, { force: true });
        continue;
      }
      await replaceFile(target, serialize({ format: FORMAT, version: this.version, entries } satisfies ShardFile));
    }
    this.dirty.clear();
  }
}

const shards = new Map<string, number>();

/** The shard of a file: a hash of its path, remembered because every write sorts all entries into shards. */
function shardOf(file: string): number {
  let shard = shards.get(file);
  if (shard === undefined) shards.set(file, (shard = createHash('sha1').update(file).digest().readUInt32BE(0) % SHARDS));
  return shard;
}
