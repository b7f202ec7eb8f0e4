/**
 * Links between articles, derived from the whole site before any page is rendered:
 * - backlinks: "Articles that reference this one" (by Q/KB mention or link in the body);
 * - related: articles that share a stop code, a shipped file or a product with this one.
 * Linear in the number of articles (groups are built once), so it runs at 60,000.
 *
 * A watching process (src/build/watch.ts) models the site again after every save, with the same
 * Article objects for every file that did not change. So both lists remember what they computed
 * last time: an article whose own data and whose groups are the same objects as then keeps its
 * result, the same array, and only the articles an edit touched are scored again. The result is
 * always what a fresh computation gives; it relies on Article objects not being changed once
 * loaded, which holds everywhere (the loader builds a new object for a file that changed).
 */
import type { Article } from './article/model.ts';
import { articleReferencedIds } from './article/references.ts';
import { byRecency, fileSlug } from './site-model.ts';
import { keepsForRebuilds, ObjectMemo, sameItems } from './memo.ts';

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
  for (const [id, list] of backlinks) {
    list.sort(byRecency);
    const before = lastBacklinks.get(id);
    if (before && sameItems(before, list)) backlinks.set(id, before);
  }
  if (keepsForRebuilds()) lastBacklinks = backlinks;
  return backlinks;
}

let lastBacklinks = new Map<number, Article[]>();

const shipped = new ObjectMemo<Article, Map<string, string>>();

/** File names an article ships (not the manifests listed as additional files), by slug. */
function shippedFiles(a: Article): Map<string, string> {
  return shipped.get(a, '', () => {
    const files = new Map<string, string>();
    for (const table of a.fileData?.tables ?? []) {
      if (table.kind !== 'files') continue;
      for (const row of table.rows) files.set(fileSlug(row.name), row.name);
    }
    return files;
  });
}

// Very large groups ("Windows 2000": 20,000 articles) relate everything to everything; scoring all
// pairs would be quadratic, so such groups only contribute nearest neighbours by KB number.
const PAIRWISE_GROUP_LIMIT = 400;
const NEIGHBOURS = 3;

/** Last call's groups, so that groups an edit did not touch keep their arrays (see the header). */
const lastGroups: Partial<Omit<RelatedGroups, 'byId'>> = {};

/** What an article's related list was computed from, and the list. */
interface RelatedMemo {
  inputs: Article[][];
  related: RelatedArticle[] | undefined;
}
const relatedMemo = new WeakMap<Article, RelatedMemo>();

export function collectRelated(articles: Article[]): Map<number, RelatedArticle[]> {
  const groups = relatedGroupsOf(articles, lastGroups);
  if (keepsForRebuilds()) Object.assign(lastGroups, { byStop: groups.byStop, byFile: groups.byFile, byProduct: groups.byProduct });

  const related = new Map<number, RelatedArticle[]>();
  for (const a of articles) {
    const inputs = relatedInputs(a, groups);
    const memo = relatedMemo.get(a);
    let result: RelatedArticle[] | undefined;
    if (memo && memo.inputs.length === inputs.length && memo.inputs.every((list, i) => sameItems(list, inputs[i]!))) result = memo.related;
    else {
      result = scoreRelated(a, inputs);
      if (keepsForRebuilds()) relatedMemo.set(a, { inputs, related: result });
    }
    if (result) related.set(a.id, result);
  }
  return related;
}

/** The site's articles by number and by every key that relates them. */
interface RelatedGroups {
  byId: Map<number, Article>;
  byStop: GroupIndex;
  byFile: GroupIndex;
  byProduct: GroupIndex;
}

/** The groups of `articles`; a group with the same articles as in `previous` keeps its array. */
function relatedGroupsOf(articles: Article[], previous: Partial<Omit<RelatedGroups, 'byId'>> = {}): RelatedGroups {
  return {
    byId: new Map(articles.map((a) => [a.id, a])),
    byStop: new GroupIndex(articles, (a) => a.stopCodes, previous.byStop),
    byFile: new GroupIndex(articles, (a) => shippedFiles(a).keys(), previous.byFile),
    byProduct: new GroupIndex(articles, (a) => a.products, previous.byProduct),
  };
}

/** Every list the score of `a` reads, in order (chosen, stop codes, files, products); with the
 *  article's own fields they determine its related list. */
function relatedInputs(a: Article, { byId, byStop, byFile, byProduct }: RelatedGroups): Article[][] {
  const chosen = a.related.map((id) => byId.get(id)).filter((x): x is Article => x !== undefined);
  return [chosen, ...a.stopCodes.map((code) => byStop.near(code, a)), ...[...shippedFiles(a).keys()].map((slug) => byFile.near(slug, a)), ...a.products.map((product) => byProduct.near(product, a))];
}

/**
 * What an article's related list is worked out from (its chosen articles, stop codes, shipped files
 * by slug, products), with the title the lists of others show. The last build keeps one per
 * article (src/build/listing-contexts.ts), so that an edit of an article's products, stop codes or
 * chosen articles re-scores the lists it touches without loading the site (src/build/quick-rebuild.ts).
 */
export type RelatedLine = [id: number, title: string, chosen: number[], stopCodes: string[], files: Array<[slug: string, name: string]>, products: string[]];

export function relatedLineOf(a: Article): RelatedLine {
  return [a.id, a.title, a.related, a.stopCodes, [...shippedFiles(a)], a.products];
}

/** An article as its related line describes it: what `collectRelated` reads of it, and no more. */
export function relatedStandIn([id, title, related, stopCodes, files, products]: RelatedLine): Article {
  const rows = files.map(([, name]) => ({ name }));
  return { id, title, related, stopCodes, products, fileData: { branches: [], tables: [{ kind: 'files', rows }] } } as unknown as Article;
}

/**
 * The related lists that differ once `before` became `after` (the same articles in the same order,
 * those in `changed` edited), as they are now: KB number → the list (undefined for none).
 * An article's list is a function of its own fields and of the lists it reads (`relatedInputs`),
 * so only the changed articles and the members of the groups they left or joined can differ, and
 * of those only the ones whose inputs differ are scored, before and after. A product group of
 * 20,000 articles that loses one re-scores the few whose neighbours by KB number moved; one of
 * 400 re-scores its members, of which the lists of a few change.
 */
export function changedRelated(before: Article[], after: Article[], changed: ReadonlySet<number>): Map<number, RelatedArticle[] | undefined> {
  const [then, now] = [relatedGroupsOf(before), relatedGroupsOf(after)];
  const candidates = new Set<number>(changed);
  for (const id of changed) {
    for (const [groups, a] of [[then, then.byId.get(id)!], [now, now.byId.get(id)!]] as const) {
      for (const code of a.stopCodes) for (const member of groups.byStop.members(code)) candidates.add(member.id);
      for (const slug of shippedFiles(a).keys()) for (const member of groups.byFile.members(slug)) candidates.add(member.id);
      for (const product of a.products) for (const member of groups.byProduct.members(product)) candidates.add(member.id);
    }
  }
  const ids = (list: Article[]) => list.map((a) => a.id);
  /** What an article page shows of a related list (src/build/fingerprints.ts). */
  const shown = (list: RelatedArticle[] | undefined) => JSON.stringify((list ?? []).map((r) => [r.article.id, r.article.title, r.reasons]));
  const result = new Map<number, RelatedArticle[] | undefined>();
  for (const id of candidates) {
    const [a, was] = [now.byId.get(id)!, then.byId.get(id)!];
    const [inputs, inputsBefore] = [relatedInputs(a, now), relatedInputs(was, then)];
    if (!changed.has(id) && inputsBefore.length === inputs.length && inputsBefore.every((list, i) => sameItems(ids(list), ids(inputs[i]!)))) continue;
    const related = scoreRelated(a, inputs);
    if (shown(related) !== shown(scoreRelated(was, inputsBefore))) result.set(id, related);
  }
  return result;
}

/** The best-scored articles for `a`, from the lists `collectRelated` gathered (chosen first, then stop codes, files, products). */
function scoreRelated(a: Article, [chosen, ...groups]: Article[][]): RelatedArticle[] | undefined {
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
  add(chosen!, WEIGHT.chosen, 'See also');
  let next = 0;
  for (const code of a.stopCodes) add(groups[next++]!, WEIGHT.stop, `Stop ${code}`);
  for (const name of shippedFiles(a).values()) add(groups[next++]!, WEIGHT.file, name);
  for (const product of a.products) add(groups[next++]!, WEIGHT.product, product);
  const ranked = [...scores]
    .sort(([x, sx], [y, sy]) => sy.score - sx.score || Math.abs(x.id - a.id) - Math.abs(y.id - a.id) || x.id - y.id)
    .slice(0, Math.max(RELATED_LIMIT, chosen!.length))
    .map(([article, { reasons }]) => ({ article, reasons }));
  return ranked.length ? ranked : undefined;
}

/** Articles grouped by a key, each group in KB-number order, with every article's place in it. */
class GroupIndex {
  private readonly groups = new Map<string, Article[]>();
  private readonly positions = new Map<string, Map<number, number>>();
  /** With `previous`, a group with the same articles as there keeps its array and positions. */
  constructor(articles: Article[], keysOf: (a: Article) => Iterable<string>, previous?: GroupIndex) {
    for (const a of articles) {
      for (const key of new Set(keysOf(a))) {
        const list = this.groups.get(key);
        if (list) list.push(a);
        else this.groups.set(key, [a]);
      }
    }
    for (const [key, list] of this.groups) {
      list.sort((x, y) => x.id - y.id);
      const before = previous?.groups.get(key);
      if (before && sameItems(before, list)) {
        this.groups.set(key, before);
        const positions = previous!.positions.get(key);
        if (positions) this.positions.set(key, positions);
      }
    }
  }
  /** Every article of the group. */
  members(key: string): readonly Article[] {
    return this.groups.get(key) ?? [];
  }
  /** The whole group when small; otherwise the articles closest to `a` in KB number. */
  near(key: string, a: Article): Article[] {
    const list = this.groups.get(key) ?? [];
    if (list.length <= PAIRWISE_GROUP_LIMIT) return list;
    let positions = this.positions.get(key);
    // Worked out for the large groups only, when first needed.
    if (!positions) this.positions.set(key, (positions = new Map(list.map((x, i) => [x.id, i]))));
    const at = positions.get(a.id)!;
    return list.slice(Math.max(0, at - NEIGHBOURS), at + NEIGHBOURS + 1);
  }
}
