/**
 * The rebuild as a writer lives it in watch mode (`kb build --watch`, also what `kb serve` runs):
 * the process is started on an already built site, then an article is saved several times, and
 * each save is timed from the write to the moment kb reports a rebuild whose page carries the edit.
 */
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { editArticle } from './corpus.ts';

export interface WatchMeasurement {
  /** From start to "watching" (an incremental build with nothing changed, plus the watcher set-up). */
  startMs: number;
  /** Each save → rebuilt with the edit in its page, in ms. */
  savesMs: number[];
  /** Peak resident memory of the watching process (VmHWM), in bytes. */
  peakRssBytes: number;
}

/**
 * How long the bench waits after a rebuild before the next save. A writer reads the page before
 * saving again. A watching process writes its state and parse cache once no save has come for 2 s
 * (src/build/watch.ts), so a save 2.5 s after the last rebuild comes while it does: the moment that
 * keeps a save waiting longest.
 */
const WRITER_PAUSE_MS = 2500;

export async function measureWatch(
  nodeArgs: string[],
  options: { cwd: string; logFile: string; contentDir: string; file: string; saves: number; editFound: (id: string | null, marker: string) => Promise<boolean> },
): Promise<WatchMeasurement> {
  const log = createWriteStream(options.logFile, { flags: 'a' });
  log.write(`\n$ node ${nodeArgs.join(' ')}\n`);
  const child = spawn(process.execPath, nodeArgs, { cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, CI: 'true' } });
  let out = '';
  let wake: (() => void) | null = null;
  const onData = (data: Buffer) => {
    out += data.toString();
    log.write(data);
    wake?.();
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  let exited = false;
  child.once('exit', () => {
    exited = true;
    wake?.();
  });

  /** Waits for `pattern` in the output printed after `from`; returns the index after the match. */
  const waitFor = async (pattern: RegExp, from: number): Promise<number> => {
    const deadline = Date.now() + 60 * 60_000;
    for (;;) {
      const match = pattern.exec(out.slice(from));
      if (match) return from + match.index + match[0].length;
      if (exited) throw new Error(`kb build --watch exited before printing ${pattern}:\n${out.slice(-2000)}`);
      if (Date.now() > deadline) throw new Error(`kb build --watch printed no ${pattern} within an hour`);
      await new Promise<void>((resolve) => {
        wake = resolve;
        setTimeout(resolve, 1000);
      });
    }
  };

  try {
    const started = performance.now();
    let at = await waitFor(/watching .* for changes/, 0);
    const startMs = performance.now() - started;
    const savesMs: number[] = [];
    for (let i = 0; i < options.saves; i++) {
      await new Promise((resolve) => setTimeout(resolve, WRITER_PAUSE_MS));
      const marker = `kbwatch${i}x${Date.now().toString(36)}`;
      const saved = performance.now();
      const edit = await editArticle(options.contentDir, options.file, marker);
      // A save can be reported as several events; the first rebuild may not have the edit yet.
      for (;;) {
        at = await waitFor(/\[kb\] (updated|built) [^\n]*\n/, at);
        if (await options.editFound(edit.id, marker)) break;
      }
      savesMs.push(performance.now() - saved);
    }
    const peakRssBytes = await peakRss(child.pid!);
    return { startMs, savesMs, peakRssBytes };
  } finally {
    if (!exited) {
      const gone = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGINT');
      await gone;
    }
    log.end();
  }
}

async function peakRss(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
  const kb = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0);
  return kb * 1024;
}
