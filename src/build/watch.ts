/**
 * Watch mode (`kb build --watch`, `kb serve`): one process that builds the site, then rebuilds it
 * each time the content changes, in a few seconds even at 60,000 articles.
 *
 * A one-shot `kb build` after an edit spends most of its time learning again what it knew a moment
 * ago: scanning the content folder, reading the parse cache and the previous build's state back from
 * disk, and collecting the garbage that makes. A watching process keeps all three in memory and
 * learns what changed from the file-system watcher, so a rebuild reads, stats and parses only the
 * files that changed. The edits a one-shot `kb build` rebuilds quickly (an article's text, title,
 * dates, products, stop codes, file versions …) are rebuilt the same way from the state, page and
 * listing contexts the process holds (`quickRebuildWhileWatching`, src/build/quick-rebuild.ts);
 * the others (a new or removed article, an alias …) by modelling the site, rendering the changed
 * pages and the search delta index. Both are the same code as a one-shot rebuild
 * (src/build/pipeline.ts), so the output is the same too.
 *
 * Content problems during a rebuild are printed and the site is left as it was; the next save that
 * fixes them rebuilds again.
 */
import { watch as chokidar, type FSWatcher } from 'chokidar';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { isArticlePath, isSkippedPath, type KnownFiles } from '../article/load.ts';
import { displayPath } from '../display-path.ts';
import { KbError } from '../errors.ts';
import type { BuildState } from './pipeline.ts';
import { keepForRebuilds } from '../memo.ts';

/**
 * The article files of a content folder as a watcher sees them: the list and signatures of the
 * last build, plus the paths the watcher reported since. `known()` turns those reports into the
 * current file list, checking only the reported paths on disk.
 */
export class WatchedFiles {
  private files = new Set<string>();
  private signatures = new Map<string, string>();
  private reported = new Set<string>();
  /** Files changed since the last build that succeeded: a failed build does not make them unchanged. */
  private unsettled = new Set<string>();

  constructor(readonly contentDir: string) {}

  /** A path (absolute, or relative to the content folder) changed, appeared or went away. */
  report(relativePath: string): void {
    this.reported.add(path.resolve(this.contentDir, relativePath));
  }

  get pending(): number {
    return this.reported.size;
  }

  /** Drop the reports: a build that scans the whole folder sees those changes anyway. */
  forgetReports(): void {
    this.reported.clear();
  }

  /** The current article files; every reported path is looked at on disk, nothing else is. */
  async known(): Promise<KnownFiles> {
    for (const reported of this.reported) {
      // files.yaml is part of the signature of the index.md beside it (load.ts).
      const target = path.basename(reported) === 'files.yaml' ? path.join(path.dirname(reported), 'index.md') : reported;
      const st = await stat(target).catch(() => null);
      if (st?.isDirectory()) {
        // A folder appeared or was renamed into place: everything in it is new.
        for (const entry of await readdir(target, { recursive: true, withFileTypes: true })) {
          const file = path.join(entry.parentPath, entry.name);
          if (entry.isFile() && isArticlePath(this.contentDir, file)) this.add(file);
        }
      } else if (st?.isFile()) {
        if (isArticlePath(this.contentDir, target)) this.add(target);
      } else {
        // Gone: a file, or a folder with everything below it.
        const below = target + path.sep;
        for (const file of this.files) if (file === target || file.startsWith(below)) this.files.delete(file);
      }
    }
    this.reported.clear();
    const { signatures, unsettled } = this;
    return {
      files: [...this.files].sort(),
      unchangedSignature: (file) => (unsettled.has(file) ? undefined : signatures.get(file)),
    };
  }

  /** After a build: the files it read and their signatures (`sources`, keyed by display path). */
  remember(files: Iterable<string>, sources: ReadonlyMap<string, string>): void {
    this.files = new Set(files);
    this.unsettled = new Set();
    this.signatures = new Map();
    for (const file of this.files) {
      const signature = sources.get(displayPath(file));
      if (signature !== undefined) this.signatures.set(file, signature);
    }
  }

  private add(file: string): void {
    this.files.add(file);
    this.unsettled.add(file);
  }
}

export interface WatchBuildResult {
  /** Every article file the build read, and its signature by display path. */
  files: string[];
  /** Rebuilt the quick way (src/build/quick-rebuild.ts), without modelling the site: little garbage. */
  quick?: boolean;
  sources: Map<string, string>;
  state: BuildState;
}

export interface WatchOptions {
  contentDir: string;
  /**
   * One build: the first with `known` undefined (scan the folder), later ones with the files the
   * watcher knows and the state the previous build left. Throws to report a failed build. `quiet`
   * for the rehearsal at start-up, which prints nothing.
   */
  build(known: KnownFiles | undefined, remembered: BuildState | null, quiet: boolean): Promise<WatchBuildResult>;
  /** A build failed: say why (the site was left as it was). */
  failed(error: unknown): void;
  /** Called after every build attempt, with its duration; tests and `kb serve`'s live reload listen here. */
  settled?(outcome: { ok: boolean; ms: number }): void;
  /** How long to wait for more changes after the first (an editor's save can be several events). */
  debounceMs?: number;
  /**
   * Keep what a later one-shot `kb build` reads (the last good build's state, the parse cache) on
   * disk. Called once no save has come for `persistAfterMs`, and on close, never while a build runs:
   * at 60,000 articles the state alone is ~17 MB of JSON, which a writer saving again and again
   * should not wait for.
   */
  persist?(state: BuildState): Promise<void>;
  persistAfterMs?: number;
}

export interface WatchSession {
  /** Resolves (never rejects) with the reason when the content can no longer be watched. */
  watchingFailed: Promise<Error>;
  close(): Promise<void>;
}

/**
 * A full garbage collection, at a moment no save is waiting: after the first build, and when saves
 * have stopped coming. A watching process holds 1–2 GB at 60,000 articles (the parse cache, the
 * model, what src/memo.ts keeps); left to itself, V8 marks all of it (about 1.3 s here) in the
 * middle of whichever rebuild crosses its limit, which was the second save after start-up.
 */
function collectGarbage(): void {
  // Exposing gc at run time is what test runners do to find leaks; it changes nothing else.
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

/**
 * Build, then rebuild on every change below `contentDir` until closed.
 *
 * The watcher is chokidar, not Node's own `fs.watch(dir, { recursive: true })`: on Linux, Node 20's
 * recursive mode stops reporting a file once it has been replaced (deleted and written again, as
 * editors and our benchmark save), which we saw lose the third of three saves at 60,000 articles.
 */
export async function watchSite(options: WatchOptions): Promise<WatchSession> {
  keepForRebuilds();
  const files = new WatchedFiles(options.contentDir);
  // The watcher starts before the first build, so an edit made while it runs is not missed.
  // Folders that cannot hold articles (`_drafts`, `.git`) are not watched at all.
  let watcher: FSWatcher | null = chokidar(options.contentDir, { ignoreInitial: true, ignored: (file: string) => isSkippedPath(options.contentDir, file) });
  watcher.on('all', (_event, file) => {
    files.report(file);
    schedule();
  });
  const ready = new Promise<void>((resolve) => watcher!.once('ready', () => resolve()));
  let rescanNeeded = false;
  let broken: (error: Error) => void = () => {};
  const watchingFailed = new Promise<Error>((resolve) => (broken = resolve));
  watcher.on('error', (error: unknown) => {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOSPC' || code === 'EMFILE') {
      // The system will not watch every folder: saves would go unnoticed. Say so and stop.
      broken(new KbError(`cannot watch every folder of ${displayPath(options.contentDir)}: the system's limit on watched folders was reached (${code}). On Linux raise it (sudo sysctl fs.inotify.max_user_watches=524288), or run kb build after each change instead.`));
      return;
    }
    // Events may have been lost: the next build scans the whole folder.
    rescanNeeded = true;
    schedule();
  });

  let remembered: BuildState | null = null;
  let running: Promise<void> = Promise.resolve();
  let timer: NodeJS.Timeout | null = null;
  let closed = false;
  let first = true;
  /** The state of the last good build while it is not yet on disk. */
  let unpersisted: BuildState | null = null;
  let persistTimer: NodeJS.Timeout | null = null;

  const persistNow = async (): Promise<void> => {
    const state = unpersisted;
    unpersisted = null;
    if (state) await options.persist?.(state);
  };
  const cancelPersist = (): void => {
    if (persistTimer) clearTimeout(persistTimer);
    persistTimer = null;
  };
  /** Whether a build that modelled the site ran since the garbage was last collected. */
  let garbageLeft = true;
  /**
   * What is best done while no save waits: the state and the parse cache to disk, then the garbage
   * (1–2 s at 60,000 articles), unless a save came meanwhile, which waits for the writing already.
   * Quick rebuilds leave little garbage: only a build that modelled the site is followed by a collection.
   */
  const settleDown = async (): Promise<void> => {
    cancelPersist();
    await persistNow();
    if (!garbageLeft || timer || closed) return;
    collectGarbage();
    garbageLeft = false;
  };
  const persistLater = (): void => {
    cancelPersist();
    if (!unpersisted || closed) return;
    persistTimer = setTimeout(() => {
      persistTimer = null;
      // Queued behind any build; a build that comes first leaves a newer state to persist.
      running = running.then(() => (timer ? undefined : settleDown()));
    }, options.persistAfterMs ?? 2000);
  };

  const runOnce = async (rehearsal = false): Promise<void> => {
    const started = performance.now();
    let ok = false;
    // Until a build succeeded there is no file list to update: scan. A scan's reports are dropped,
    // so a scan that fails is followed by another.
    const scan = remembered === null || rescanNeeded;
    rescanNeeded = false;
    try {
      if (scan) files.forgetReports();
      const known = scan ? undefined : await files.known();
      const result = await options.build(known, remembered, rehearsal);
      files.remember(result.files, result.sources);
      remembered = result.state;
      if (!result.quick) garbageLeft = true;
      unpersisted = result.state;
      ok = true;
    } catch (error) {
      if (scan) rescanNeeded = true;
      options.failed(error);
    } finally {
      first = false;
    }
    if (!rehearsal) options.settled?.({ ok, ms: performance.now() - started });
    persistLater();
  };

  function schedule(): void {
    if (closed || first) return;
    cancelPersist();
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      running = running.then(() => (closed || (files.pending === 0 && !rescanNeeded) ? undefined : runOnce()));
    }, options.debounceMs ?? 50);
  }

  running = Promise.all([runOnce(), ready]).then(() => {
    // Changes made during the first build. A first build that failed with nothing changed since is
    // not run again: it would only say the same problems twice (the next save rescans the folder).
    if (files.pending) return runOnce();
  });
  await running;
  // Start-up is the moment for what would otherwise hold up a save, before watching is announced:
  // a rehearsal (a quiet rebuild with nothing changed, which writes nothing) runs the code of a save
  // once, then the state goes to disk and the garbage is collected. Without the rehearsal, saves at
  // 60,000 articles took 4.0–4.7 s; with it, 3.2–3.9 s (three runs each, alternating), for 8–11 s
  // more start-up. The profiles show every part of a save faster, garbage collection included,
  // rather than one part: V8's compiled code and heap sizing after one save-shaped run, we think.
  if (!closed && remembered && files.pending === 0) await runOnce(true);
  await settleDown();

  return {
    watchingFailed,
    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      cancelPersist();
      await watcher?.close();
      watcher = null;
      await running;
      await persistNow();
    },
  };
}
