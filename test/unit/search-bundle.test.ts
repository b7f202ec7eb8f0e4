/**
 * The search index as the build finishes it (src/search/stable-bundle.ts, src/search/page-names.ts):
 * pages renamed to names that carry their date, no Pagefind sort, and every name still pointing at
 * the fragment of the article it names.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gunzipSync } from 'node:zlib';
import { dateKey, dateOfPageName, inIndexOrder, newestFirst, pageNames } from '../../src/search/page-names.ts';
import { decodePagefindFile, readShard, type BundleFile, type IndexedPage } from '../../src/search/stable-bundle.ts';
import { mergeShards } from '../../src/search/merge-shards.ts';
import { withPagefindIndex } from '../../src/search/pagefind-service.ts';

test('page names carry the date, number the pages of one date, and read back', () => {
  const names = pageNames('en', '01k3x', ['2020-01-02', '2020-01-02', '2019-12-31', '']);
  assert.deepEqual(names, ['en_01k3x202001020', 'en_01k3x202001021', 'en_01k3x201912310', 'en_01k3x000000000']);
  assert.deepEqual(names.map(dateOfPageName), ['20200102', '20200102', '20191231', '00000000']);
  assert.equal(dateOfPageName('en_4ba4f7d'), '00000000', 'a name that is not ours sorts last');
  assert.equal(dateKey('2002-08-18'), '20020818');
  // 37 pages of one date: the number goes on in base 36, and every name is different.
  const many = pageNames('en', '00abc', Array.from({ length: 37 }, () => '2001-01-01'));
  assert.equal(new Set(many).size, 37);
  assert.equal(many[36], 'en_00abc20010101' + '10');
});

test('results are put newest first by the date in their names; equal dates keep their order', () => {
  const ids = ['en_00aaa200101010', 'en_01aaa202001010', 'en_00zzz200101011', 'en_00aaa000000000', 'en_02bbb201506060'];
  assert.deepEqual(newestFirst(ids.map((id) => ({ id }))).map((r) => r.id), ['en_01aaa202001010', 'en_02bbb201506060', 'en_00aaa200101010', 'en_00zzz200101011', 'en_00aaa000000000']);
  const articles = [{ id: 1, date: '2001-01-01' }, { id: 2, date: '' }, { id: 3, date: '2010-05-05' }, { id: 4, date: '2001-01-01' }];
  assert.deepEqual(inIndexOrder(articles, (a) => a.date).map((a) => a.id), [3, 1, 4, 2]);
});

/** A small Pagefind bundle of these pages, added in this order, straight from Pagefind's API. */
async function bundleOf(pages: IndexedPage[]): Promise<BundleFile[]> {
  return withPagefindIndex(async (index) => {
    for (const [i, page] of pages.entries()) {
      const added = await index.addCustomRecord({ url: page.url, content: `page ${i} shared words ${'more '.repeat(i * 7)}`, language: 'en', meta: { title: page.url }, filters: { year: [page.date.slice(0, 4)] } });
      assert.deepEqual(added.errors, []);
    }
    const { files, errors } = await index.getFiles();
    assert.deepEqual(errors, []);
    return files;
  });
}

function fragmentUrl(file: BundleFile): string {
  return (JSON.parse(gunzipSync(file.content).subarray('pagefind_dcd'.length).toString()) as { url: string }).url;
}

test('the finished bundle names every page by its date, keeps no sort, and each name opens its own article', async () => {
  const pages: IndexedPage[] = [
    { url: '/kb/30/', date: '2020-03-01' },
    { url: '/kb/10/', date: '2020-03-01' },
    { url: '/kb/20/', date: '2011-07-15' },
    { url: '/kb/40/', date: '' },
  ];
  const shard = readShard(await bundleOf(pages), pages, 0);
  const files = [...shard.assets, ...shard.fragments, ...(await mergeShards([shard.index!], shard.pageNames, shard.entry))];
  const entry = JSON.parse(Buffer.from(files.find((f) => f.path === 'pagefind-entry.json')!.content).toString()) as { languages: { en: { hash: string } } };
  const metaFile = files.find((f) => f.path === `pagefind.${entry.languages.en.hash}.pf_meta`);
  assert.ok(metaFile, 'the entry names the rewritten meta file');
  assert.equal(files.filter((f) => f.path.endsWith('.pf_meta')).length, 1, 'the old meta file is gone');
  const [, pageList, , filters, sorts] = decodePagefindFile(metaFile.content, metaFile.path) as [string, Array<[string, number]>, unknown, Array<[string, string]>, unknown[]];
  assert.deepEqual(sorts, []);
  assert.deepEqual(pageList.map(([name]) => dateOfPageName(name)), ['20200301', '20200301', '20110715', '00000000']);
  for (const [i, [name]] of pageList.entries()) {
    const fragment = files.find((f) => f.path === `fragment/${name}.pf_fragment`);
    assert.ok(fragment, `fragment of ${name}`);
    assert.equal(fragmentUrl(fragment), pages[i]!.url);
  }
  assert.equal(files.filter((f) => f.path.startsWith('fragment/')).length, pages.length, 'no fragment is left under its old name');
  for (const [, hash] of filters) assert.ok(files.some((f) => f.path === `filter/${hash}.pf_filter`), `filter file ${hash}`);
});

test('a bundle whose pages are not in the order they were said to be added is refused, naming the page', async () => {
  const pages: IndexedPage[] = [
    { url: '/kb/1/', date: '2020-01-01' },
    { url: '/kb/2/', date: '2010-01-01' },
  ];
  const files = await bundleOf(pages);
  assert.throws(() => readShard(files, [...pages].reverse(), 0), /Pagefind's page 0 is \/kb\/1\/, but \/kb\/2\/ was added there/);
  assert.throws(() => readShard(files, pages.slice(0, 1), 0), /Pagefind indexed 2 pages of the 1 added/);
});
