/**
 * `npm run bench`: kbsite against its peer on the same corpus, in one run (issue 5).
 *
 * For each size (the first N articles of the corpus in path order):
 *   - kbsite: `kb build` as a child process (pages + Pagefind index), then one article edited and
 *     the same command run again into the same output ("rebuild after editing one article"; the
 *     edit is looked for in the article's new page so the figure is honest): first a sentence added
 *     to its body (the quick rebuild, src/build/quick-rebuild.ts), then a word added to its title
 *     (shown on other pages too: the quick rebuild of what lists show), then the article moved to a
 *     product of its own (product lists and related lists change);
 *   - peer: stock Eleventy 3 with one plain layout (bench/peer/), then the Pagefind CLI over its
 *     output.
 * Wall time, peak memory (VmRSS summed over the whole process tree, sampled every 100 ms) and the
 * size of `pagefind/` are printed with the ratios kbsite/peer and the goals of the issue. For the
 * largest size, the search page is measured in Chromium (bench/search-transfer.ts).
 *
 * Usage: npm run bench -- [--sizes 10000,30000,60000] [--generated] [--corpus DIR] [--keep]
 *                         [--no-search] [--later 20] [--work DIR]
 * The table goes to stdout, everything to bench/results/latest.json, the tools' own output to
 * bench/results/logs/.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';
import { runMeasured, type Measured } from './lib/measure.ts';
import { editArticle, listArticles, makeSubset, moveToProduct, retitleArticle } from './lib/corpus.ts';
import { bytes, count, mark, perArticle, ratio, seconds, table, times } from './lib/format.ts';
import { generateCorpus } from './generate-corpus.ts';
import { measureSearchTransfer, type SearchTransferResult } from './search-transfer.ts';
import { measureWatch, type WatchMeasurement } from './lib/watch.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const RESULTS = path.join(ROOT, 'bench/results');
const KB_BIN = path.join(ROOT, 'bin/kb.js');
const ELEVENTY_BIN = path.join(ROOT, 'node_modules/@11ty/eleventy/cmd.cjs');
const PAGEFIND_BIN = path.join(ROOT, 'node_modules/.bin/pagefind');
const PEER_CONFIG = path.join(ROOT, 'bench/peer/eleventy.config.js');
const CORPUS_TARBALL = path.resolve(ROOT, '../shared/corpus/kbarchive-kb.tar.gz');

/** The goals of issue 5, checked against every size and summed up for the largest. */
export const GOALS = {
  buildRatio: { limit: 0.4, text: 'goal ≤ 0.4× peer' },
  memoryRatio: { limit: 0.5, text: 'goal ≤ 0.5× peer' },
  rebuildMs: { limit: 5000, text: 'goal ≤ 5 s' },
  firstSearchBytes: { limit: 300 * 1024, text: 'goal ≤ 300 KB' },
  laterSearchBytes: { limit: 30 * 1024, text: 'goal ≤ 30 KB each' },
  laterP95Ms: { limit: 100, text: 'goal p95 ≤ 100 ms' },
};

interface SizeResult {
  articles: number;
  contentBytes: number;
  kbsite: {
    build: Measured;
    indexBytes: number;
    /** After a sentence is added to one article's body (the quick rebuild). */
    rebuild: Measured & { editedFile: string; editedPage: string | null; editFound: boolean };
    /** After the same article's title is edited (the quick rebuild of what lists show). */
    titleRebuild: Measured & { editFound: boolean };
    /** After the same article is moved to a product of its own (product lists and related lists change). */
    productRebuild: Measured & { editFound: boolean };
    /** The same article saved 3 times while `kb build --watch` runs. */
    watch: WatchMeasurement | null;
  };
  peer: {
    eleventy: Measured;
    pagefind: Measured | null;
    wallMs: number;
    peakRssBytes: number;
    indexBytes: number;
    pagesIndexed: number | null;
    ok: boolean;
  };
  ratios: { build: number | null; memory: number | null; index: number | null };
}

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '10000,30000,60000' },
    generated: { type: 'boolean', default: false },
    corpus: { type: 'string' },
    work: { type: 'string' },
    keep: { type: 'boolean', default: false },
    'no-search': { type: 'boolean', default: false },
    later: { type: 'string', default: '20' },
    seed: { type: 'string', default: '5' },
  },
});
const sizes = values.sizes!.split(',').map((s) => Number(s.trim().replace(/_/g, ''))).filter((n) => n > 0).sort((a, b) => a - b);
if (!sizes.length) {
  console.error('bench: --sizes must list article counts, e.g. --sizes 2000 or --sizes 10000,30000,60000');
  process.exit(64);
}
const say = (line: string): void => console.log(`[bench] ${line}`);

await mkdir(path.join(RESULTS, 'logs'), { recursive: true });
const work = values.work ? path.resolve(values.work) : await mkdtemp(path.join(os.tmpdir(), 'kbbench-'));
await mkdir(work, { recursive: true });
const cleanUp = async (): Promise<void> => {
  if (!values.keep) await rm(work, { recursive: true, force: true });
};
process.once('SIGINT', () => {
  console.error(`\n[bench] interrupted; removing ${work}`);
  void cleanUp().then(() => process.exit(130));
});

// ── The corpus ─────────────────────────────────────────────────────────────────────────────────
let corpusDir: string;
let corpusKind: 'legacy' | 'custom' | 'generated';
const legacyDir = path.resolve(values.corpus ?? process.env.KB_CORPUS_DIR ?? '/tmp/kbarchive/kb');
if (values.corpus && !existsSync(legacyDir)) {
  console.error(`bench: --corpus ${values.corpus} does not exist; pass a folder of articles, or --generated`);
  process.exit(64);
}
if (!values.generated && !existsSync(legacyDir) && !values.corpus && existsSync(CORPUS_TARBALL)) {
  say(`unpacking the legacy corpus into ${path.dirname(legacyDir)} …`);
  execFileSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'scripts/unpack-corpus.ts')], { cwd: ROOT, stdio: 'inherit' });
}
if (!values.generated && existsSync(legacyDir)) {
  corpusDir = legacyDir;
  corpusKind = values.corpus ? 'custom' : 'legacy';
} else {
  if (!values.generated) say(`no corpus at ${legacyDir} and no ${CORPUS_TARBALL}: using a generated corpus`);
  corpusDir = path.join(work, 'generated');
  corpusKind = 'generated';
  const started = performance.now();
  say(`generating ${count(sizes.at(-1)!)} articles (seed ${values.seed}) into ${corpusDir} …`);
  await generateCorpus(corpusDir, sizes.at(-1)!, Number(values.seed));
  say(`generated in ${seconds(performance.now() - started)}`);
}
say(`listing articles in ${corpusDir} …`);
const allArticles = await listArticles(corpusDir);
const measured = [...new Set(sizes.map((n) => Math.min(n, allArticles.length)))];
if (measured.at(-1)! < sizes.at(-1)!) say(`only ${count(allArticles.length)} articles in the corpus: the largest size is ${count(measured.at(-1)!)}`);
say(`${count(allArticles.length)} articles (${corpusKind}); sizes ${measured.map(count).join(', ')}; work folder ${work}`);

// ── Each size ──────────────────────────────────────────────────────────────────────────────────
const results: SizeResult[] = [];
let search: SearchTransferResult | null = null;
let searchError: string | null = null;
const loadAtStart = os.loadavg();
const json = () => ({
  date: new Date().toISOString(),
  loadAverage: { atStart: loadAtStart, atEnd: os.loadavg() },
  machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? null, memoryBytes: os.totalmem(), node: process.version, platform: `${os.platform()} ${os.release()}` },
  corpus: { kind: corpusKind, dir: corpusKind === 'generated' ? null : corpusDir, articles: allArticles.length, seed: corpusKind === 'generated' ? Number(values.seed) : null },
  goals: GOALS,
  notes: [
    'peak memory: VmRSS summed over the child process and all its descendants, sampled every 100 ms',
    'peer: stock Eleventy 3 (bench/peer/eleventy.config.js, markdownTemplateEngine false, one plain Nunjucks layout), then the Pagefind CLI; wall time and index are the sum, peak memory the larger of the two steps',
    'search: served uncompressed by test/support/static-server.ts; bytes are response headers + body as received by Chromium; latency is Enter pressed → results in the page',
  ],
  sizes: results,
  search,
  searchError,
});
let failed = false;

try {
  for (const [index, n] of measured.entries()) {
    const dir = path.join(work, String(n));
    const label = `${count(n)} articles`;
    say(`${label}: linking the subset …`);
    const subset = await makeSubset(corpusDir, allArticles, n, path.join(dir, 'content'));
    const logFile = (tool: string) => path.join(RESULTS, 'logs', `${n}-${tool}.log`);
    for (const tool of ['kb-build', 'kb-rebuild', 'kb-rebuild-title', 'kb-watch', 'peer-eleventy', 'peer-pagefind']) await rm(logFile(tool), { force: true });

    // kbsite, full build. Run from the size's own folder, so anything kb writes beside its output
    // or in its working directory (reports, caches) starts empty for each size.
    const kbOut = path.join(dir, 'kb-site');
    const kbArgs = [KB_BIN, 'build', '--content', subset.dir, '--output', kbOut, '--quiet'];
    say(`${label}: kb build …`);
    const build = await runMeasured(process.execPath, kbArgs, { cwd: dir, logFile: logFile('kb-build') });
    if (build.exitCode !== 0) throw new Error(`kb build failed (exit ${build.exitCode ?? build.signal}) on ${label}; its output is in ${logFile('kb-build')}:\n${lastLines(build.outputTail)}`);
    const kbIndex = await dirBytes(path.join(kbOut, 'pagefind'));
    say(`${label}: kb build ${seconds(build.wallMs)} (${perArticle(build.wallMs, n)}, CPU ${seconds(build.cpuMs)}), peak ${bytes(build.peakRssBytes)}, index ${bytes(kbIndex)}`);

    // One article edited, the same command again.
    const edited = subset.articles[Math.floor(n / 2)]!;
    const marker = `kbbench${Date.now().toString(36)}`;
    const edit = await editArticle(subset.dir, edited, marker);
    say(`${label}: rebuild after editing ${edited} …`);
    const rebuild = await runMeasured(process.execPath, kbArgs, { cwd: dir, logFile: logFile('kb-rebuild') });
    if (rebuild.exitCode !== 0) throw new Error(`kb build (rebuild) failed (exit ${rebuild.exitCode ?? rebuild.signal}) on ${label}; its output is in ${logFile('kb-rebuild')}:\n${lastLines(rebuild.outputTail)}`);
    const editedPage = await findEdit(kbOut, edit.id, marker);
    say(`${label}: rebuild ${seconds(rebuild.wallMs)} (CPU ${seconds(rebuild.cpuMs)}), peak ${bytes(rebuild.peakRssBytes)}; ${editedPage ? `the edit is in ${editedPage}` : 'the edit is NOT in the output'}`);
    if (!editedPage) failed = true;

    // The same article's title edited: other pages show it, so this rebuild also renders the pages that list it.
    const titleMarker = `kbtitle${Date.now().toString(36)}`;
    const retitle = await retitleArticle(subset.dir, edited, titleMarker);
    say(`${label}: rebuild after editing the title of ${edited} …`);
    const titleRebuild = await runMeasured(process.execPath, kbArgs, { cwd: dir, logFile: logFile('kb-rebuild-title') });
    if (titleRebuild.exitCode !== 0) throw new Error(`kb build (title rebuild) failed (exit ${titleRebuild.exitCode ?? titleRebuild.signal}) on ${label}; its output is in ${logFile('kb-rebuild-title')}:\n${lastLines(titleRebuild.outputTail)}`);
    const retitledPage = await findEdit(kbOut, retitle.id, titleMarker);
    say(`${label}: title rebuild ${seconds(titleRebuild.wallMs)} (CPU ${seconds(titleRebuild.cpuMs)}), peak ${bytes(titleRebuild.peakRssBytes)}; ${retitledPage ? `the edit is in ${retitledPage}` : 'the edit is NOT in the output'}`);
    if (!retitledPage) failed = true;

    // The same article moved to a product of its own: product pages and related articles change.
    const productMarker = `kbproduct${Date.now().toString(36)}`;
    const moved = await moveToProduct(subset.dir, edited, productMarker);
    say(`${label}: rebuild after moving ${edited} to a new product …`);
    const productRebuild = await runMeasured(process.execPath, kbArgs, { cwd: dir, logFile: logFile('kb-rebuild-product') });
    if (productRebuild.exitCode !== 0) throw new Error(`kb build (product rebuild) failed (exit ${productRebuild.exitCode ?? productRebuild.signal}) on ${label}; its output is in ${logFile('kb-rebuild-product')}:\n${lastLines(productRebuild.outputTail)}`);
    const movedPage = await findEdit(kbOut, moved.id, productMarker);
    say(`${label}: product rebuild ${seconds(productRebuild.wallMs)} (CPU ${seconds(productRebuild.cpuMs)}), peak ${bytes(productRebuild.peakRssBytes)}; ${movedPage ? `the edit is in ${movedPage}` : 'the edit is NOT in the output'}`);
    if (!movedPage) failed = true;

    // Watch mode: the same article saved 3 times while kb build --watch runs on that output.
    say(`${label}: kb build --watch, saving ${edited} 3 times …`);
    let watch: WatchMeasurement | null = null;
    try {
      watch = await measureWatch([KB_BIN, 'build', '--watch', '--content', subset.dir, '--output', kbOut], {
        cwd: dir,
        logFile: logFile('kb-watch'),
        contentDir: subset.dir,
        file: edited,
        saves: 3,
        editFound: async (id, m) => (await findEdit(kbOut, id, m)) !== null,
      });
      say(`${label}: watch mode ready after ${seconds(watch.startMs)}; saves rebuilt in ${watch.savesMs.map((ms) => seconds(ms)).join(', ')}; peak ${bytes(watch.peakRssBytes)}`);
    } catch (error) {
      say(`${label}: kb build --watch FAILED: ${(error as Error).message}`);
      failed = true;
    }

    // The peer: Eleventy, then the Pagefind CLI over its output.
    const peerOut = path.join(dir, 'peer-site');
    say(`${label}: peer eleventy …`);
    const eleventy = await runMeasured(process.execPath, [ELEVENTY_BIN, `--config=${PEER_CONFIG}`, '--quiet'], {
      cwd: dir,
      env: { ...process.env, KB_PEER_INPUT: subset.dir, KB_PEER_OUTPUT: peerOut, KB_PEER_LAYOUTS: subset.layouts.join(',') },
      logFile: logFile('peer-eleventy'),
    });
    let pagefind: Measured | null = null;
    if (eleventy.exitCode !== 0) {
      say(`${label}: peer eleventy FAILED (exit ${eleventy.exitCode ?? eleventy.signal}); see ${logFile('peer-eleventy')}:\n${lastLines(eleventy.outputTail)}`);
    } else {
      say(`${label}: peer eleventy ${seconds(eleventy.wallMs)} (CPU ${seconds(eleventy.cpuMs)}), peak ${bytes(eleventy.peakRssBytes)}; pagefind CLI …`);
      pagefind = await runMeasured(PAGEFIND_BIN, ['--site', peerOut], { cwd: dir, logFile: logFile('peer-pagefind') });
      if (pagefind.exitCode !== 0) say(`${label}: peer pagefind FAILED (exit ${pagefind.exitCode ?? pagefind.signal}); see ${logFile('peer-pagefind')}`);
    }
    const peerOk = eleventy.exitCode === 0 && pagefind?.exitCode === 0;
    const peerIndex = peerOk ? await dirBytes(path.join(peerOut, 'pagefind')) : 0;
    const peerWall = eleventy.wallMs + (pagefind?.wallMs ?? 0);
    const peerPeak = Math.max(eleventy.peakRssBytes, pagefind?.peakRssBytes ?? 0);
    const pagesIndexed = Number(/Indexed (\d+) pages?/.exec(pagefind?.outputTail ?? '')?.[1] ?? NaN);
    if (peerOk) say(`${label}: peer ${seconds(peerWall)} (${perArticle(peerWall, n)}, CPU ${seconds(eleventy.cpuMs + (pagefind?.cpuMs ?? 0))}), peak ${bytes(peerPeak)}, index ${bytes(peerIndex)}`);

    results.push({
      articles: n,
      contentBytes: subset.bytes,
      kbsite: { build, indexBytes: kbIndex, rebuild: { ...rebuild, editedFile: edited, editedPage, editFound: editedPage !== null }, titleRebuild: { ...titleRebuild, editFound: retitledPage !== null }, productRebuild: { ...productRebuild, editFound: movedPage !== null }, watch },
      peer: { eleventy, pagefind, wallMs: peerWall, peakRssBytes: peerPeak, indexBytes: peerIndex, pagesIndexed: Number.isNaN(pagesIndexed) ? null : pagesIndexed, ok: peerOk },
      ratios: peerOk
        ? { build: ratio(build.wallMs, peerWall), memory: ratio(build.peakRssBytes, peerPeak), index: ratio(kbIndex, peerIndex) }
        : { build: null, memory: null, index: null },
    });

    if (index === measured.length - 1 && !values['no-search']) {
      say(`${label}: search page in Chromium (${values.later} later searches) …`);
      try {
        search = await measureSearchTransfer(kbOut, { later: Number(values.later), log: (line) => say(line.trim()) });
      } catch (error) {
        searchError = (error as Error).message;
        say(`search measurement failed: ${searchError}`);
        failed = true;
      }
    }
    await writeFile(path.join(RESULTS, 'latest.json'), JSON.stringify(json(), null, 2) + '\n');
    if (!values.keep) await rm(dir, { recursive: true, force: true });
  }
} catch (error) {
  failed = true;
  console.error(`[bench] ${(error as Error).message}`);
} finally {
  await writeFile(path.join(RESULTS, 'latest.json'), JSON.stringify(json(), null, 2) + '\n');
  await cleanUp();
}

// ── The report ─────────────────────────────────────────────────────────────────────────────────
if (results.length) {
  console.log('');
  console.log(`kbsite vs. peer (stock Eleventy 3 + one plain layout, then the Pagefind CLI) on the ${corpusKind} corpus${corpusKind === 'generated' ? '' : ` ${corpusDir}`}`);
  console.log(`${os.cpus().length} CPUs, ${bytes(os.totalmem())} memory, Node ${process.version}; memory = peak RSS of the whole process tree`);
  // What else ran during the timed builds: their wall times include it, their CPU times hardly.
  const timed = results.flatMap((r) => [r.kbsite.build, r.kbsite.rebuild, r.kbsite.titleRebuild, r.kbsite.productRebuild, r.peer.eleventy, ...(r.peer.pagefind ? [r.peer.pagefind] : [])]);
  const otherMs = timed.reduce((sum, m) => sum + m.otherCpuMs, 0);
  const share = otherMs / (timed.reduce((sum, m) => sum + m.wallMs, 0) * os.cpus().length);
  console.log(`other processes used ${seconds(otherMs)} of CPU during the timed builds (${(share * 100).toFixed(1)}% of the machine)${share > 0.05 ? ': the machine was busy, and wall times are longer than on an idle one; CPU times are less affected' : ''}`);
  console.log('');
  const rows: string[][] = [];
  for (const r of results) {
    const a = count(r.articles);
    const peerWall = r.peer.ok ? `${seconds(r.peer.wallMs)} (${seconds(r.peer.eleventy.wallMs)} + ${seconds(r.peer.pagefind!.wallMs)})` : 'failed';
    rows.push([a, 'full build', seconds(r.kbsite.build.wallMs), perArticle(r.kbsite.build.wallMs, r.articles), peerWall, r.peer.ok ? perArticle(r.peer.wallMs, r.articles) : '', times(r.ratios.build), mark(r.ratios.build, GOALS.buildRatio.limit, GOALS.buildRatio.text)]);
    const peerCpu = r.peer.ok ? r.peer.eleventy.cpuMs + r.peer.pagefind!.cpuMs : NaN;
    rows.push(['', 'CPU time (user + sys)', seconds(r.kbsite.build.cpuMs), perArticle(r.kbsite.build.cpuMs, r.articles), r.peer.ok ? seconds(peerCpu) : 'failed', r.peer.ok ? perArticle(peerCpu, r.articles) : '', times(ratio(r.kbsite.build.cpuMs, peerCpu)), '']);
    rows.push(['', 'peak memory', bytes(r.kbsite.build.peakRssBytes), '', r.peer.ok ? bytes(r.peer.peakRssBytes) : 'failed', '', times(r.ratios.memory), mark(r.ratios.memory, GOALS.memoryRatio.limit, GOALS.memoryRatio.text)]);
    rows.push(['', 'index (pagefind/)', bytes(r.kbsite.indexBytes), '', r.peer.ok ? bytes(r.peer.indexBytes) : 'failed', '', times(r.ratios.index), '']);
    rows.push(['', 'rebuild, 1 article body edited', seconds(r.kbsite.rebuild.wallMs), r.kbsite.rebuild.editFound ? 'edit found' : 'EDIT MISSING', '', '', '', mark(r.kbsite.rebuild.editFound ? r.kbsite.rebuild.wallMs : null, GOALS.rebuildMs.limit, GOALS.rebuildMs.text)]);
    const t = r.kbsite.titleRebuild;
    rows.push(['', '… its title edited', seconds(t.wallMs), t.editFound ? 'edit found' : 'EDIT MISSING', '', '', '', mark(t.editFound ? t.wallMs : null, GOALS.rebuildMs.limit, GOALS.rebuildMs.text)]);
    const m = r.kbsite.productRebuild;
    rows.push(['', '… moved to a new product', seconds(m.wallMs), m.editFound ? 'edit found' : 'EDIT MISSING', '', '', '', mark(m.editFound ? m.wallMs : null, GOALS.rebuildMs.limit, GOALS.rebuildMs.text)]);
    const w = r.kbsite.watch;
    const slowest = w ? Math.max(...w.savesMs) : null;
    rows.push(['', '… in watch mode, 3 saves', w ? w.savesMs.map((ms) => seconds(ms)).join(', ') : 'failed', w ? `ready in ${seconds(w.startMs)}` : '', '', '', '', mark(slowest, GOALS.rebuildMs.limit, GOALS.rebuildMs.text)]);
  }
  for (const line of table(['articles', 'measure', 'kbsite', 'per article', 'peer (11ty + pagefind)', 'per article', 'kbsite/peer', 'goal'], rows)) console.log(line);
  if (results.length > 1) {
    // Fixed start-up costs hide in ms/article at small sizes; the cost of each additional article
    // between two sizes shows whether growth is linear.
    const steps = results.slice(1).map((r, i) => {
      const prev = results[i]!;
      const added = r.articles - prev.articles;
      const kb = (r.kbsite.build.wallMs - prev.kbsite.build.wallMs) / added;
      const peer = r.peer.ok && prev.peer.ok ? `${((r.peer.wallMs - prev.peer.wallMs) / added).toFixed(2)} ms` : 'n/a';
      return `${count(prev.articles)} → ${count(r.articles)}: kbsite ${kb.toFixed(2)} ms, peer ${peer}`;
    });
    console.log('');
    console.log(`Time per additional article: ${steps.join('; ')}`);
  }
  if (search) {
    const s = search;
    console.log('');
    console.log(`Search page, ${count(results.at(-1)!.articles)} articles (served uncompressed; bytes = headers + body as received by Chromium):`);
    const searchRows = [
      ['first search, cold cache', s.cold.map((c) => `"${c.term}" ${bytes(c.bytes)}`).join(', '), mark(s.firstSearchMaxBytes, GOALS.firstSearchBytes.limit, GOALS.firstSearchBytes.text)],
      ['  … from a host that gzips text', s.cold.map((c) => `"${c.term}" ${bytes(c.gzipBytes)}`).join(', '), mark(s.firstSearchMaxGzipBytes, GOALS.firstSearchBytes.limit, GOALS.firstSearchBytes.text)],
      [`later searches (${s.later.length})`, `median ${bytes(s.laterMedianBytes)}, p95 ${bytes(s.laterP95Bytes)}, max ${bytes(s.laterMaxBytes)}`, mark(s.laterMaxBytes, GOALS.laterSearchBytes.limit, GOALS.laterSearchBytes.text)],
      ['later searches, Enter → results', `median ${s.laterMedianMs} ms, p95 ${s.laterP95Ms} ms`, mark(s.laterP95Ms, GOALS.laterP95Ms.limit, GOALS.laterP95Ms.text)],
    ];
    for (const line of table(['search', 'measured', 'goal'], searchRows)) console.log(line);
    const heaviest = [...s.later].sort((a, b) => b.bytes - a.bytes).slice(0, 3);
    console.log(`heaviest later searches: ${heaviest.map((h) => `"${h.term}" ${bytes(h.bytes)} in ${h.requests} requests (${Object.entries(h.byKind).map(([k, v]) => `${k} ${bytes(v)}`).join(', ')})`).join('; ')}`);
  }
  console.log('');
  console.log(`All figures: ${path.relative(ROOT, path.join(RESULTS, 'latest.json'))}; the tools' output: ${path.relative(ROOT, path.join(RESULTS, 'logs'))}/`);
}
process.exitCode = failed ? 1 : 0;

// ── Helpers ────────────────────────────────────────────────────────────────────────────────────
async function dirBytes(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
    const full = path.join(dir, entry.name);
    total += entry.isDirectory() ? await dirBytes(full) : (await stat(full)).size;
  }
  return total;
}

/** The page (relative to the output) that carries the edit: the article's own page, else any page. */
async function findEdit(out: string, id: string | null, marker: string): Promise<string | null> {
  if (id) {
    const page = path.join(out, 'kb', id, 'index.html');
    if ((await readFile(page, 'utf8').catch(() => '')).includes(marker)) return path.relative(out, page);
  }
  const kbDir = path.join(out, 'kb');
  for (const entry of await readdir(kbDir).catch(() => [] as string[])) {
    const page = path.join(kbDir, entry, 'index.html');
    if ((await readFile(page, 'utf8').catch(() => '')).includes(marker)) return path.relative(out, page);
  }
  return null;
}

function lastLines(text: string, n = 15): string {
  return text.trimEnd().split('\n').slice(-n).join('\n');
}
