/**
 * Links between articles, derived from the whole site before any page is rendered:
 * - backlinks: "Articles that reference this one" (by Q/KB mention or link in the body);
 * - related: articles that share a stop code, a shipped file or a product with this one.
 * Pure and linear in the number of articles (groups are built once), so it runs at 60,000.
 */
import type { Article } from './article/model.ts';
import { articleReferencedIds } from './article/references.ts';
import { byRecency, fileSlug } from './site-model.ts';

export interface RelatedArticle {
  article: Article;
  /** Why it is related, for the reader: e.g. `Stop 0x00000024`, `Ntfs.sys`, `Windows 2000`. */
  reasons: string[];
}

export interface ArticleLinks {
  /** Articles whose body mentions or links this one, newest first. */
  backlinks: Map<number, Article[]>;
  related: Map<number, RelatedArticle[]>;
}

export const RELATED_LIMIT = 6;

// An author's "related:" list comes first; a shared stop code says more about two articles than a
// shared file, and a file more than a product.
const WEIGHT = { chosen: 1000, stop: 4, file: 3, product: 1 } as const;

export function linkArticles(articles: Article[]): ArticleLinks {
  return { backlinks: collectBacklinks(articles), related: collectRelated(articles) };
}

export function collectBacklinks(articles: Article[]): Map<number, Article[]> {
  const ids = new Set(articles.map((a) => a.id));
  const backlinks = new Map<number, Article[]>();
  for (const a of articles) {
    for (const id of articleReferencedIds(a)) {
      if (id === a.id || !ids.has(id)) continue;
      const list = backlinks.get(id);
      if (list) list.push(a);
      else backlinks.set(id, [a]);
    }
  }
  for (const list of backlinks.values()) list.sort(byRecency);
  return backlinks;
}

/** File names an article ships (not the manifests listed as additional files). */
function shippedFiles(a: Article): Map<string, string> {
  const files = new Map<string, string>();
  for (const table of a.fileData?.tables ?? []) {
    if (table.kind !== 'files') continue;
    for (const row of table.rows) files.set(fileSlug(row.name), row.name);
  }
  return files;
}

// Very large groups ("Windows 2000": 20,000 articles) relate everything to everything; scoring all
// pairs would be quadratic, so such groups only contribute nearest neighbours by KB number.
const PAIRWISE_GROUP_LIMIT = 400;
const NEIGHBOURS = 3;

export function collectRelated(articles: Article[]): Map<number, RelatedArticle[]> {
  const files = new Map(articles.map((a) => [a.id, shippedFiles(a)]));
  const byStop = new GroupIndex(articles, (a) => a.stopCodes);
  const byFile = new GroupIndex(articles, (a) => files.get(a.id)!.keys());
  const byProduct = new GroupIndex(articles, (a) => a.products);

  const byId = new Map(articles.map((a) => [a.id, a]));
  const related = new Map<number, RelatedArticle[]>();
  for (const a of articles) {
    const scores = new Map<Article, { score: number; reasons: string[] }>();
    const add = (others: Article[], weight: number, reason: string) => {
      for (const other of others) {
        if (other === a) continue;
        const entry = scores.get(other) ?? { score: 0, reasons: [] };
        entry.score += weight;
        if (!entry.reasons.includes(reason)) entry.reasons.push(reason);
        scores.set(other, entry);
      }
    };
    const chosen = a.related.map((id) => byId.get(id)).filter((x): x is Article => x !== undefined);
    add(chosen, WEIGHT.chosen, 'See also');
    for (const code of a.stopCodes) add(byStop.near(code, a), WEIGHT.stop, `Stop ${code}`);
    for (const [slug, name] of files.get(a.id)!) add(byFile.near(slug, a), WEIGHT.file, name);
    for (const product of a.products) add(byProduct.near(product, a), WEIGHT.product, product);
    const ranked = [...scores]
      .sort(([x, sx], [y, sy]) => sy.score - sx.score || Math.abs(x.id - a.id) - Math.abs(y.id - a.id) || x.id - y.id)
      .slice(0, Math.max(RELATED_LIMIT, chosen.length))
      .map(([article, { reasons }]) => ({ article, reasons }));
    if (ranked.length) related.set(a.id, ranked);
  }
  return related;
}

/** Articles grouped by a key, each group in KB-number order, with every article's place in it. */
class GroupIndex {
  private readonly groups = new Map<string, Article[]>();
  private readonly positions = new Map<string, Map<number, number>>();
  constructor(articles: Article[], keysOf: (a: Article) => Iterable<string>) {
    for (const a of articles) {
      for (const key of new Set(keysOf(a))) {
        const list = this.groups.get(key);
        if (list) list.push(a);
        else this.groups.set(key, [a]);
      }
    }
    for (const [key, list] of this.groups) {
      list.sort((x, y) => x.id - y.id);
      this.positions.set(key, new Map(list.map((a, i) => [a.id, i])));
    }
  }
  /** The whole group when small; otherwise the articles closest to `a` in KB number. */
  near(key: string, a: Article): Article[] {
    const list = this.groups.get(key) ?? [];
    if (list.length <= PAIRWISE_GROUP_LIMIT) return list;
    const at = this.positions.get(key)!.get(a.id)!;
    return list.slice(Math.max(0, at - NEIGHBOURS), at + NEIGHBOURS + 1);
  }
}
