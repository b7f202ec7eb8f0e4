/**
 * Article page contexts kept between builds: for every article, its source file and what its page
 * shows of the rest of the site (articlePageContext in fingerprints.ts). A quick rebuild
 * (quick-rebuild.ts) renders an edited article's page from them.
 *
 * They live beside the build state, in `<output>.cache/pages/<n>.v8`, sharded by KB number, not in
 * the state file: at 60,000 articles they are ~38 MB, and a quick rebuild needs the shards of a few
 * articles, while the usual build needs none. Every shard names the set it belongs to (`setId`,
 * kept in the state); a shard of another set (a build that stopped while writing them) is not used.
 *
 * A quick rebuild after a title edit changes the contexts of the pages that show the title, and
 * writes their shards again in the same set. That is safe because the state is written after them:
 * until it is, the output's build marker names a build the state file does not describe, so a build
 * in between reads no contexts at all (pipeline.ts, readState).
 */
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { deserialize, serialize } from 'node:v8';
import type { Article } from '../article/model.ts';
import { replaceFile } from '../replace-file.ts';
import type { FileEntry, SiteModel } from '../site-model.ts';
import type { SiteConfig } from '../site-config.ts';
import type { PageContext } from './fingerprints.ts';
import type { HomeLists } from './listing-contexts.ts';

/** KB number → [source file as shown in messages, page context]. */
export type PageContexts = Map<number, [source: string, context: string]>;

/** A title or product edit changes the contexts of a few dozen pages, spread over the KB numbers:
 *  with 16 shards it read and wrote them all (38 MB at 60,000 articles), with 256 about as many
 *  as pages, 150 KB each. */
export const PAGE_CONTEXT_SHARDS = 256;

interface ContextShard {
  setId: string;
  contexts: PageContexts;
}

function shardFile(cacheDir: string, shard: number): string {
  return path.join(cacheDir, 'pages', `${shard}.v8`);
}

/**
 * Write the shards of a set (each to a temporary file, then renamed): every shard, or with `only`,
 * the shards of those articles, whose contexts must then all be in `contexts` (as readPageContexts
 * gives them).
 */
export async function writePageContexts(cacheDir: string, setId: string, contexts: PageContexts, only?: Iterable<number>): Promise<void> {
  const shards = Array.from({ length: PAGE_CONTEXT_SHARDS }, (): PageContexts => new Map());
  for (const [id, entry] of contexts) shards[id % PAGE_CONTEXT_SHARDS]!.set(id, entry);
  const written = only ? new Set([...only].map((id) => id % PAGE_CONTEXT_SHARDS)) : null;
  await mkdir(path.join(cacheDir, 'pages'), { recursive: true });
  await Promise.all(
    shards.map(async (shard, n) => {
      if (written && !written.has(n)) return;
      await replaceFile(shardFile(cacheDir, n), serialize({ setId, contexts: shard } satisfies ContextShard));
    }),
  );
}

/** The contexts of `ids` from the set `setId`, or null if a shard is missing, unreadable or of another set. */
export async function readPageContexts(cacheDir: string, setId: string, ids: Iterable<number>): Promise<PageContexts | null> {
  const wanted = new Set([...ids].map((id) => id % PAGE_CONTEXT_SHARDS));
  const found: PageContexts = new Map();
  const complete = await Promise.all(
    [...wanted].map(async (n) => {
      try {
        const shard = deserialize(await readFile(shardFile(cacheDir, n))) as ContextShard;
        if (shard.setId !== setId || !(shard.contexts instanceof Map)) return false;
        for (const [id, entry] of shard.contexts) found.set(id, entry);
        return true;
      } catch {
        return false;
      }
    }),
  );
  return complete.every(Boolean) ? found : null;
}

/**
 * The site as some articles' pages see it (a quick rebuild's edited articles, a batch rendered on
 * a thread of its own: render-pages.ts): the articles themselves, and what their contexts
 * say of the rest (related articles and backlinks by number and title, the references that resolve).
 * The layouts read nothing else of other articles (layouts/article.njk); the tests compare such
 * pages with those of a full build, byte for byte.
 */
export function pageSite(config: SiteConfig, articles: Article[], contexts: Map<number, PageContext>, home: HomeLists | null, files: FileEntry[]): SiteModel {
  const shown = (id: number, title: string) => ({ id, title }) as Article;
  const byId = new Map<number, Article>(articles.map((a) => [a.id, a]));
  const related: SiteModel['links']['related'] = new Map();
  const backlinks: SiteModel['links']['backlinks'] = new Map();
  for (const a of articles) {
    const [relatedTo, linkedFrom, resolved] = contexts.get(a.id)!;
    for (const id of resolved) if (!byId.has(id)) byId.set(id, shown(id, ''));
    if (relatedTo.length) related.set(a.id, relatedTo.map(([id, title, reasons]) => ({ article: shown(id, title), reasons })));
    if (linkedFrom.length) backlinks.set(a.id, linkedFrom.map(([id, title]) => shown(id, title)));
  }
  const { recent, newest, products, stopCodes } = home ?? { recent: [], newest: [], products: [], stopCodes: [] };
  return { config, articles, byId, redirects: [], products, recent, newest, links: { related, backlinks }, withFileData: [], stopCodes, productPages: [], files };
}
