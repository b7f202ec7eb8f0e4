/**
 * The legacy importer over the whole kbarchive corpus (60,335 articles), read in place from
 * $KB_CORPUS_DIR or /tmp/kbarchive/kb (unpack ../shared/corpus/kbarchive-kb.tar.gz there).
 *
 *   node --import tsx --test test/corpus/legacy-corpus.test.ts
 *
 * Not every article states every field: 3,349 say `Product(s): See article` and 21,562 have no
 * keywords in either the header or the trailing block. So products and keywords are measured
 * against the articles whose source states them (found here with plain regular expressions,
 * independently of the importer), and the absolute shares must not fall below today's.
 *
 * The files are split over worker threads (this file is also the worker): most of the time goes
 * to the file-table parser, and one thread takes about 35 s on the corpus.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import matter from 'gray-matter';
import { parseLegacyArticle, type LegacyArticle } from '../../src/article/legacy.ts';

const dir = process.env.KB_CORPUS_DIR ?? '/tmp/kbarchive/kb';

interface Share {
  name: string;
  /** Articles that got the field. */
  got: number;
  /** Articles whose source states the field. */
  stated: number;
}

interface CorpusRun {
  articles: number;
  failures: Array<{ file: string; error: string }>;
  shares: Share[];
  ms: number;
}

function files(root: string): string[] {
  const out: string[] = [];
  for (const group of readdirSync(root).sort()) {
    const groupDir = join(root, group);
    let entries: string[];
    try {
      entries = readdirSync(groupDir).sort();
    } catch {
      continue;
    }
    for (const article of entries) out.push(join(groupDir, article, 'README.md'));
  }
  return out.filter((f) => existsSync(f));
}

const HAS_PRODUCT = /^\tProduct\(s\):[ \t]*(?!See article\b)\S/m;
const HAS_KEYWORDS = /^\t(?:Keyword\(s\):|Keywords\s+:)[ \t]*\S/m;
const HAS_LAST_MODIFIED = /^\tLast Modified:[ \t]*\S/m;

const CHECKS: Array<[string, RegExp, (a: LegacyArticle) => boolean]> = [
  ['products', HAS_PRODUCT, (a) => a.products.length > 0],
  ['keywords', HAS_KEYWORDS, (a) => a.keywords.length > 0],
  ['lastModified', HAS_LAST_MODIFIED, (a) => a.lastModified !== null],
];

/** Parse some corpus files; what one worker does. */
function parseFiles(list: string[]): CorpusRun {
  const shares: Share[] = CHECKS.map(([name]) => ({ name, got: 0, stated: 0 }));
  const result: CorpusRun = { articles: 0, failures: [], shares, ms: 0 };
  for (const file of list) {
    const text = readFileSync(file, 'utf8');
    result.articles++;
    CHECKS.forEach(([, stated], k) => {
      if (stated.test(text)) shares[k]!.stated++;
    });
    try {
      const parsed = matter(text, {});
      const article = parseLegacyArticle({ frontMatter: parsed.data as Record<string, unknown>, body: parsed.content, sourcePath: file });
      CHECKS.forEach(([, , got], k) => {
        if (got(article)) shares[k]!.got++;
      });
    } catch (error) {
      result.failures.push({ file, error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
    }
  }
  return result;
}

async function run(root: string): Promise<CorpusRun> {
  const started = performance.now();
  const all = files(root);
  const threads = Math.max(1, Math.min(4, availableParallelism()));
  const parts = Array.from({ length: threads }, (_, k) => all.filter((_, i) => i % threads === k));
  // Node 20 workers do not apply `--import tsx` before loading a .ts entry, so each worker
  // registers tsx itself and then imports this file.
  const tsxApi = import.meta.resolve('tsx/esm/api');
  const bootstrap = `import(${JSON.stringify(tsxApi)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(import.meta.url)}); })`;
  const results = await Promise.all(
    parts.map(
      (part) =>
        new Promise<CorpusRun>((resolve, reject) => {
          const worker = new Worker(bootstrap, { eval: true, workerData: part });
          worker.once('message', resolve);
          worker.once('error', reject);
          worker.once('exit', (code) => code !== 0 && reject(new Error(`corpus worker exited with code ${code}`)));
        }),
    ),
  );
  const total: CorpusRun = { articles: 0, failures: [], shares: CHECKS.map(([name]) => ({ name, got: 0, stated: 0 })), ms: 0 };
  for (const r of results) {
    total.articles += r.articles;
    total.failures.push(...r.failures);
    r.shares.forEach((s, k) => {
      total.shares[k]!.got += s.got;
      total.shares[k]!.stated += s.stated;
    });
  }
  total.ms = performance.now() - started;
  return total;
}

const pct = (n: number, d: number): string => `${((100 * n) / Math.max(d, 1)).toFixed(2)}%`;

if (!isMainThread) {
  parentPort!.postMessage(parseFiles(workerData as string[]));
} else if (!existsSync(dir)) {
  const reason = `corpus not found at ${dir}; unpack ../shared/corpus/kbarchive-kb.tar.gz there`;
  console.log(`skipped: ${reason}`);
  test('the legacy importer handles the whole kbarchive corpus', { skip: reason }, () => {});
} else {
  test('the legacy importer handles the whole kbarchive corpus', async (t) => {
    const r = await run(dir);
    console.log(`${r.articles} articles parsed in ${(r.ms / 1000).toFixed(1)} s`);
    for (const s of r.shares) {
      console.log(`  ${s.name}: ${pct(s.got, r.articles)} of all articles; ${pct(s.got, s.stated)} of the ${s.stated} whose source states it`);
    }
    const share = (name: string): Share => r.shares.find((s) => s.name === name)!;

    await t.test('the corpus is there (more than 60,000 articles)', () => {
      assert.ok(r.articles > 60_000, `only ${r.articles} articles under ${dir}`);
    });

    await t.test('no article makes the importer throw', () => {
      assert.deepEqual(r.failures.slice(0, 5), []);
    });

    await t.test('at least 99% of articles get a Last Modified date', () => {
      const s = share('lastModified');
      assert.ok(s.got >= 0.99 * r.articles, pct(s.got, r.articles));
    });

    await t.test('at least 99% of articles that name a product or keywords get them', () => {
      for (const name of ['products', 'keywords']) {
        const s = share(name);
        assert.ok(s.got >= 0.99 * s.stated, `${name}: ${s.got} of ${s.stated}`);
      }
    });

    await t.test('products and keywords reach at least 94% and 64% of all articles, their share in the source', () => {
      assert.ok(share('products').got >= 0.94 * r.articles, pct(share('products').got, r.articles));
      assert.ok(share('keywords').got >= 0.64 * r.articles, pct(share('keywords').got, r.articles));
    });
  });
}
