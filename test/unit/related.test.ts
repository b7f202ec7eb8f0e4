import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Article } from '../../src/article/model.ts';
import { changedRelated, collectBacklinks, collectRelated, relatedLineOf, relatedStandIn } from '../../src/related.ts';
import { referencedIds } from '../../src/article/references.ts';
import { assignRowAnchors, type FileTable } from '../../src/file-versions.ts';
import { article } from '../support/articles.ts';

test('referencedIds finds Q/KB mentions, support.microsoft.com URLs and site links once each', () => {
  assert.deepEqual(referencedIds('See Q243852, KB 2792165 and Q243852 again; https://support.microsoft.com/kb/314058 and [x](/kb/5000101/#cause).'), [243852, 2792165, 314058, 5000101]);
});

test('backlinks list the articles that mention an article, newest first, never the article itself or missing ones', () => {
  const a = article(100001, { body: 'I am Q100001.' });
  const b = article(100002, { body: 'See Q100001 and Q999999.', published: '2019-01-01' });
  const c = article(100003, { body: 'Related: KB100001', published: '2021-01-01' });
  const backlinks = collectBacklinks([a, b, c]);
  assert.deepEqual(backlinks.get(100001)!.map((x) => x.id), [100003, 100002]);
  assert.equal(backlinks.has(999999), false);
});

test('related articles rank a shared stop code above a shared file above a shared product, with the reasons', () => {
  const table = (name: string): FileTable => ({ id: 'files-x64', caption: '', platform: 'x64', kind: 'files', rows: [{ name, version: '1.0.0.0', size: 1, date: null, time: null, platform: 'x64' }] });
  const base = article(1, { stopCodes: ['0x00000024'], products: ['Windows'], fileData: { branches: [], tables: [table('Ntfs.sys')] } as Article['fileData'] });
  const byStop = article(2, { stopCodes: ['0x00000024'] });
  const byFile = article(3, { fileData: { branches: [], tables: [table('ntfs.sys')] } as Article['fileData'] });
  const byProduct = article(4, { products: ['Windows'] });
  const unrelated = article(5, { products: ['Office'] });
  const related = collectRelated([base, byStop, byFile, byProduct, unrelated]).get(1)!;
  assert.deepEqual(related.map((r) => [r.article.id, r.reasons]), [[2, ['Stop 0x00000024']], [3, ['Ntfs.sys']], [4, ['Windows']]]);
});

test('a product shared by thousands of articles relates only its nearest KB numbers (no quadratic blow-up)', () => {
  const many = Array.from({ length: 5000 }, (_, i) => article(200000 + i, { products: ['Windows 2000'] }));
  const related = collectRelated(many).get(202500)!;
  assert.deepEqual(related.map((r) => r.article.id).sort(), [202497, 202498, 202499, 202501, 202502, 202503]);
});

test('row anchors are file name and platform, numbered when a name repeats on a platform', () => {
  const rows = (...names: string[]) => names.map((name) => ({ name, version: null, size: null, date: null, time: null, platform: null }));
  const tables: FileTable[] = [
    { id: 'files-x64', caption: '', platform: 'x64', kind: 'files', rows: rows('Ntfs.sys', 'Ntfs.sys') },
    { id: 'files-ia-64', caption: '', platform: 'IA-64', kind: 'files', rows: rows('Ntfs.sys') },
  ];
  assignRowAnchors(tables);
  assert.deepEqual(tables.flatMap((t) => t.rows.map((r) => r.anchor)), ['file-ntfs.sys-x64', 'file-ntfs.sys-x64-2', 'file-ntfs.sys-ia-64']);
});

test('articles an author lists under related: come first, marked "See also"', () => {
  const a = article(1, { related: [3], stopCodes: ['0x00000024'] });
  const related = collectRelated([a, article(2, { stopCodes: ['0x00000024'] }), article(3)]).get(1)!;
  assert.deepEqual(related.map((r) => [r.article.id, r.reasons]), [[3, ['See also']], [2, ['Stop 0x00000024']]]);
});

/** A related list as an article page shows it. */
const shown = (list: ReturnType<typeof collectRelated> extends Map<number, infer L> ? L | undefined : never) => JSON.stringify((list ?? []).map((r) => [r.article.id, r.article.title, r.reasons]));

test('after an edit of products, changedRelated gives exactly the related lists that differ, as collectRelated has them', () => {
  const table = (name: string): FileTable => ({ id: 'files-x64', caption: '', platform: 'x64', kind: 'files', rows: [{ name, version: '1.0.0.0', size: 1, date: null, time: null, platform: 'x64' }] });
  // A product of 600 articles (nearest neighbours only), one of 30 (every pair), stop codes, files and a chosen list.
  const site: Article[] = [];
  for (let i = 0; i < 600; i++) site.push(article(10_000 + i * 3, { products: ['Windows 2000'], stopCodes: i % 50 === 0 ? ['0x00000024'] : [] }));
  for (let i = 0; i < 30; i++) site.push(article(20_000 + i, { products: ['Exchange'], fileData: i % 10 === 0 ? ({ branches: [], tables: [table('Store.exe')] } as Article['fileData']) : null }));
  site.push(article(30_000, { products: ['Office'], related: [10_300, 20_005], stopCodes: ['0x00000024'] }));
  const moves: Array<Array<[id: number, products: string[]]>> = [
    [[10_300, ['Exchange']]], // from the large product to the small one
    [[20_010, ['Windows 2000']]], // the other way, with a file
    [[30_000, ['Contoso']]], // to a new product (no other list changes: Office had no other article)
    [[10_600, ['Windows 2000', 'Exchange']], [20_000, ['Office']]], // two at once
    [[20_011, ['Office']]], // the list of 20,010 changes, which also reads the group of its file
  ];
  for (const move of moves) {
    const products = new Map(move);
    const after = site.map((a) => (products.has(a.id) ? { ...a, products: products.get(a.id)! } : a));
    const [listsBefore, listsAfter] = [collectRelated(site), collectRelated(after)];
    const changed = changedRelated(site, after, new Set(products.keys()));
    const differ = site.filter((a) => shown(listsBefore.get(a.id)) !== shown(listsAfter.get(a.id))).map((a) => a.id);
    if (!products.has(30_000)) assert.ok(differ.length > products.size, `${JSON.stringify(move)} changes other articles' lists`);
    assert.deepEqual([...changed.keys()].sort(), differ.sort(), `${JSON.stringify(move)}: the lists that differ`);
    for (const [id, list] of changed) assert.equal(shown(list), shown(listsAfter.get(id)), `${JSON.stringify(move)}: the list of ${id}`);
  }
});

test('an article as its related line describes it has the related list of the article', () => {
  const table: FileTable = { id: 'files-x64', caption: '', platform: 'x64', kind: 'files', rows: [{ name: 'Ntfs.sys', version: '1.0.0.0', size: 1, date: null, time: null, platform: 'x64' }, { name: 'ntfs.sys', version: '1.0.0.1', size: 1, date: null, time: null, platform: 'x64' }] };
  const site = [
    article(1, { title: 'One <b>', stopCodes: ['0x00000024'], products: ['Windows'], fileData: { branches: [], tables: [table] } as Article['fileData'], related: [4] }),
    article(2, { stopCodes: ['0x00000024'] }),
    article(3, { fileData: { branches: [], tables: [{ ...table, rows: table.rows.slice(1) }] } as Article['fileData'] }),
    article(4, { products: ['Windows'], title: 'Four' }),
  ];
  const standIns = site.map((a) => relatedStandIn(JSON.parse(JSON.stringify(relatedLineOf(a)))));
  const [real, stood] = [collectRelated(site), collectRelated(standIns)];
  for (const a of site) assert.equal(shown(stood.get(a.id)), shown(real.get(a.id)), `article ${a.id}`);
  assert.deepEqual(real.get(1)!.map((r) => r.article.id), [4, 2, 3], 'chosen, stop code, file');
});
