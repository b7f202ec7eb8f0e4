/**
 * Stop-code detection over the legacy KB corpus: how many articles mention a stop code, which
 * codes are most frequent, and a sample of the raw matched contexts for spot checks.
 *
 *   node --import tsx bench/stop-code-corpus-stats.ts [corpusDir] [--sample N] [--seed S] [--misses N]
 *
 * corpusDir defaults to /tmp/kbarchive/kb and holds one `<3 digits>/Q<number>/README.md` per
 * article. `--misses N` also prints N contexts where a stop word is followed by a hex-looking
 * number that detection did NOT take, to review recall.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findStopCodeMentions, stopCodeName, type StopCodeId, type StopCodeMention } from '../src/stop-codes.ts';
import { seededRandom } from './lib/random.ts';

interface Options {
  dir: string;
  sample: number;
  seed: number;
  misses: number;
}

function parseArgs(argv: string[]): Options {
  const options: Options = { dir: '/tmp/kbarchive/kb', sample: 30, seed: 1, misses: 0 };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const value = (): number => {
      const n = Number(argv[++i]);
      if (!Number.isInteger(n) || n < 0) throw new Error(`${arg} needs a whole number`);
      return n;
    };
    if (arg === '--sample') options.sample = value();
    else if (arg === '--seed') options.seed = value();
    else if (arg === '--misses') options.misses = value();
    else if (arg.startsWith('--')) throw new Error(`unknown option ${arg}`);
    else options.dir = arg;
  }
  return options;
}

/** Article files, sorted so runs are reproducible. */
function articleFiles(dir: string): string[] {
  const files: string[] = [];
  for (const bucket of readdirSync(dir).sort()) {
    if (!/^\d{3}$/.test(bucket)) continue;
    for (const article of readdirSync(join(dir, bucket)).sort()) {
      files.push(join(dir, bucket, article, 'README.md'));
    }
  }
  return files;
}

const random = seededRandom;

function oneLine(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

function context(text: string, index: number, length: number, radius = 50): string {
  const before = oneLine(text.slice(Math.max(0, index - radius), index));
  const match = oneLine(text.slice(index, index + length));
  const after = oneLine(text.slice(index + length, index + length + radius));
  return `…${before} [${match}] ${after}…`;
}

/** Stop word followed by something hex-looking: candidates detection may have missed. */
const CANDIDATE_RE = /(?<![0-9A-Za-z_])(?:stop|bug[ \t-]?check)(?![0-9A-Za-z_])[^\n.,;]{0,30}?(?<![0-9A-Za-z_])(?:0x)?[0-9a-f]*[0-9][0-9a-f]*(?![0-9A-Za-z_])/gi;

interface Sampled {
  file: string;
  text: string;
  mention: StopCodeMention;
}

function main(): void {
  const options = parseArgs(process.argv.slice(2));
  const started = performance.now();
  const files = articleFiles(options.dir);
  const articlesByCode = new Map<StopCodeId, number>();
  const rng = random(options.seed);
  const sample: Sampled[] = [];
  const misses: string[] = [];
  let withCodes = 0;
  let mentions = 0;
  let detectMs = 0;

  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    const t0 = performance.now();
    const found = findStopCodeMentions(text);
    detectMs += performance.now() - t0;
    const codes = new Set(found.map((m) => m.code));
    if (codes.size > 0) withCodes++;
    for (const code of codes) articlesByCode.set(code, (articlesByCode.get(code) ?? 0) + 1);
    // Reservoir sample over all mentions.
    for (const mention of found) {
      mentions++;
      if (sample.length < options.sample) sample.push({ file, text, mention });
      else {
        const j = Math.floor(rng() * mentions);
        if (j < options.sample) sample[j] = { file, text, mention };
      }
    }
    if (options.misses > 0) {
      for (const m of text.matchAll(CANDIDATE_RE)) {
        const start = m.index;
        const end = start + m[0].length;
        if (found.some((f) => f.index <= end && f.index + f.match.length >= start)) continue;
        misses.push(`${file.slice(options.dir.length + 1)}: ${context(text, start, m[0].length, 40)}`);
      }
    }
  }

  const out: string[] = [];
  out.push(`corpus: ${options.dir}`);
  out.push(`articles scanned: ${files.length}`);
  out.push(`articles with >= 1 stop code: ${withCodes}`);
  out.push(`distinct codes: ${articlesByCode.size}, mentions: ${mentions}`);
  out.push(`time: ${((performance.now() - started) / 1000).toFixed(1)} s total, ${(detectMs / 1000).toFixed(2)} s in detection`);
  out.push('');
  out.push('top 20 codes (articles):');
  const top = [...articlesByCode].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, 20);
  top.forEach(([code, n], i) => {
    out.push(`${String(i + 1).padStart(3)}. ${code}  ${String(n).padStart(5)}  ${stopCodeName(code) ?? '(not in table)'}`);
  });
  out.push('');
  out.push(`sample of ${sample.length} matched contexts (seed ${options.seed}):`);
  sample
    .sort((a, b) => a.file.localeCompare(b.file) || a.mention.index - b.mention.index)
    .forEach(({ file, text, mention }) => {
      out.push(`${mention.code}  ${file.slice(options.dir.length + 1)}`);
      out.push(`    ${context(text, mention.index, mention.match.length)}`);
    });
  if (options.misses > 0) {
    out.push('');
    out.push(`stop word + number NOT detected: ${misses.length} (showing ${Math.min(options.misses, misses.length)}):`);
    const step = Math.max(1, Math.floor(misses.length / options.misses));
    for (let i = 0; i < misses.length && i / step < options.misses; i += step) out.push(`  ${misses[i]}`);
  }
  process.stdout.write(out.join('\n') + '\n');
}

main();
