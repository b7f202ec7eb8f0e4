/**
 * Watch mode (`kb build --watch`, `kb serve`): the real CLI as a child process on a copy of the demo
 * content, edited while it runs. What it writes must match a full build of the same content.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cp, mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { deserialize } from 'node:v8';
import { stateFileOf } from '../../src/build/pipeline.ts';
import { cacheDirOf } from '../../src/build/cache-dir.ts';
import { PAGE_CONTEXT_SHARDS } from '../../src/build/page-contexts.ts';
import { WatchedFiles } from '../../src/build/watch.ts';
import { displayPath } from '../../src/display-path.ts';
import { assertSameSite, comparableSiteFiles, runKb, tempDir } from '../support/build.ts';

async function assertSameAsFullBuild(content: string, site: string, dir: string): Promise<void> {
  const full = path.join(dir, `_full-${Math.random().toString(36).slice(2)}`);
  const run = await runKb(['build', '--content', content, '--output', full, '--full']);
  assert.equal(run.exitCode, 0, run.stderr);
  await assertSameSite(site, full);
}

/** A running `kb` child process whose output can be waited for. */
class Kb {
  readonly child: ChildProcess;
  private out = '';
  private err = '';
  private waiters: Array<() => void> = [];

  constructor(args: string[]) {
    this.child = spawn(process.execPath, [path.resolve('bin/kb.js'), ...args, '--debug'], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, CI: 'true' } });
    this.child.stdout!.on('data', (d: Buffer) => this.append('out', d));
    this.child.stderr!.on('data', (d: Buffer) => this.append('err', d));
  }

  private append(stream: 'out' | 'err', data: Buffer): void {
    if (stream === 'out') this.out += data.toString();
    else this.err += data.toString();
    for (const wake of this.waiters.splice(0)) wake();
  }

  /** Output printed from now on; `until` waits for a match in it (a stuck process fails the test after 120 s, no timing is asserted). */
  mark(): { until(pattern: RegExp, stream?: 'out' | 'err'): Promise<string> } {
    const from = { out: this.out.length, err: this.err.length };
    return {
      until: async (pattern, stream = 'out') => {
        const deadline = Date.now() + 120_000;
        for (;;) {
          const text = (stream === 'out' ? this.out : this.err).slice(from[stream]);
          if (pattern.test(text)) return text;
          if (this.child.exitCode !== null) throw new Error(`kb exited (${this.child.exitCode}) before printing ${pattern}:\n${this.out}\n${this.err}`);
          if (Date.now() > deadline) throw new Error(`no ${pattern} within 120 s:\n${this.out}\n${this.err}`);
          await new Promise<void>((resolve) => {
            this.waiters.push(resolve);
            setTimeout(resolve, 500);
          });
        }
      },
    };
  }

  async stop(): Promise<number | null> {
    if (this.child.exitCode !== null) return this.child.exitCode;
    const exited = new Promise<number | null>((resolve) => this.child.once('exit', (code) => resolve(code)));
    this.child.kill('SIGINT');
    // One that does not stop on Ctrl+C fails the test instead of hanging it.
    const stuck = setTimeout(() => this.child.kill('SIGKILL'), 60_000);
    try {
      return await exited;
    } finally {
      clearTimeout(stuck);
    }
  }
}

async function copyDemo(prefix: string): Promise<{ dir: string; content: string; site: string }> {
  const dir = await tempDir(prefix);
  const content = path.join(dir, 'content');
  await cp(path.resolve('content'), content, { recursive: true });
  return { dir, content, site: path.join(dir, '_site') };
}

test('WatchedFiles turns watcher reports into the current article files, looking only at what was reported', async () => {
  const { content } = await copyDemo('watched-files');
  const initial = ['kb/243/index.md', 'kb/5000101/index.md', 'kb/5000103/index.md'].map((f) => path.join(content, f));
  const files = new WatchedFiles(content);
  files.remember(initial, new Map(initial.map((f) => [displayPath(f), 'sig'])));

  await mkdir(path.join(content, 'kb/5000200/notes'), { recursive: true });
  await writeFile(path.join(content, 'kb/5000200/index.md'), 'new');
  await writeFile(path.join(content, 'kb/5000200/notes/_draft.md'), 'a draft');
  await writeFile(path.join(content, 'kb/5000200/image.png'), 'not an article');
  await rm(path.join(content, 'kb/5000103'), { recursive: true });
  files.report('kb/5000200'); // a new folder: everything in it
  files.report('kb/5000103/index.md'); // gone
  files.report('kb/5000101/files.yaml'); // part of the index.md beside it
  files.report('kb/5000200/image.png'); // not an article file
  const known = await files.known();

  assert.deepEqual(known.files.map((f) => path.relative(content, f)), ['kb/243/index.md', 'kb/5000101/index.md', 'kb/5000200/index.md']);
  assert.equal(known.unchangedSignature(path.join(content, 'kb/243/index.md')), 'sig', 'not reported: known unchanged');
  assert.equal(known.unchangedSignature(path.join(content, 'kb/5000101/index.md')), undefined, 'its files.yaml changed');
  assert.equal(known.unchangedSignature(path.join(content, 'kb/5000200/index.md')), undefined, 'new');
  assert.equal(files.pending, 0, 'reports are used once');
});

test('kb build --watch rebuilds after an edit, a new article, a broken save and its fix, and a deletion; each time the same as a full build', async () => {
  const { dir, content, site } = await copyDemo('watch');
  const kb = new Kb(['build', '--watch', '--content', content, '--output', site]);
  try {
    const startup = await kb.mark().until(/watching .* for changes/);
    // One build is reported; the rehearsal of a save that follows it (watch.ts) prints nothing.
    assert.deepEqual(startup.match(/\[kb\] (built|updated) [^\n]*/g)?.map((line) => line.replace(/ in [\d.]+ s$/, '')), [`[kb] built 5 articles into ${site}`]);

    // An edit.
    let next = kb.mark();
    const file = path.join(content, 'kb/5000101/index.md');
    await writeFile(file, (await readFile(file, 'utf8')).replace("title: 'Computer stops", "title: 'Server stops"));
    assert.match(await next.until(/\[kb\] updated \d+ pages?/), /updated 8 pages and 3 data files, 1 article in the search delta index/);
    assert.match(await readFile(path.join(site, 'kb/5000101/index.html'), 'utf8'), /<h1>Server stops with Stop 0x0000000A/);
    assert.deepEqual(JSON.parse(await readFile(path.join(site, 'pagefind-delta/delta.json'), 'utf8')), { replaced: ['/kb/5000101/'] });
    await assertSameAsFullBuild(content, site, dir);

    // A new article, its folder moved into place in one step (as a checkout or an unzip would).
    next = kb.mark();
    const staged = path.join(dir, 'staged-5000150');
    await mkdir(staged);
    await writeFile(path.join(staged, 'index.md'), (await readFile(file, 'utf8')).replace(/^id: .*$/m, 'id: 5000150'));
    await rename(staged, path.join(content, 'kb/5000150'));
    const added = path.join(content, 'kb/5000150/index.md');
    assert.match(await next.until(/\[kb\] updated/), /6 articles read .*\(1 parsed, 5 unchanged/);
    await stat(path.join(site, 'kb/5000150/index.html'));
    await assertSameAsFullBuild(content, site, dir);

    // A broken save: the error is printed with its line, the site stays as it was.
    const before = await comparableSiteFiles(site);
    next = kb.mark();
    const good = await readFile(added, 'utf8');
    await writeFile(added, good.replace(/^published: .*$/m, 'published: 2015-13-02'));
    const error = await next.until(/still watching/, 'err');
    assert.match(error, /kb\/5000150\/index\.md:\d+: "published" must be a date like 2013-01-03 \(got "2015-13-02"\)/);
    assert.deepEqual(await comparableSiteFiles(site), before, 'the site is left as it was');

    // The fix.
    next = kb.mark();
    await writeFile(added, good);
    await next.until(/\[kb\] updated/);
    await assertSameAsFullBuild(content, site, dir);

    // A deletion: the page, its redirects and their folders go.
    next = kb.mark();
    await rm(path.dirname(added), { recursive: true });
    await next.until(/\[kb\] updated/);
    for (const gone of ['kb/5000150', 'kb/Q5000150', 'kb/5000150.json']) await assert.rejects(stat(path.join(site, gone)), `${gone} is removed`);
    await assertSameAsFullBuild(content, site, dir);
  } finally {
    assert.equal(await kb.stop(), 0, 'Ctrl+C ends it with exit code 0');
  }
});

test('kb build --watch rebuilds body and title edits quickly from what it holds, models the site for a new alias, and puts its state back when a quick rebuild fails; each time the same as a full build', async () => {
  const { dir, content, site } = await copyDemo('watch-quick');
  const kb = new Kb(['build', '--watch', '--content', content, '--output', site]);
  const edit = async (relative: string, from: string | RegExp, to: string) => {
    const file = path.join(content, relative);
    const text = await readFile(file, 'utf8');
    assert.notEqual(text.replace(from, to), text, `${relative} has ${from}`);
    await writeFile(file, text.replace(from, to));
  };
  try {
    await kb.mark().until(/watching .* for changes/);

    // A body edit: only the article's page, data files and search record, from what the process holds.
    let next = kb.mark();
    await edit('kb/5000102/index.md', 'is the most useful piece of evidence', 'is the best evidence there is');
    let printed = await next.until(/\[kb\] updated \d+ pages?/);
    assert.match(printed, /1 article changed only in what its own page shows: its page, data files and search record are rebuilt, nothing else/);
    assert.match(printed, /updated 1 page and 1 data file, 1 article in the search delta index/);
    assert.doesNotMatch(printed, /modelled again/);
    assert.match(await readFile(path.join(site, 'kb/5000102/index.html'), 'utf8'), /is the best evidence there is/);
    await assertSameAsFullBuild(content, site, dir);

    // A title edit: the pages that list the article are rendered again too, from the listing and page contexts held.
    next = kb.mark();
    await edit('kb/5000101/index.md', "title: 'Computer stops", "title: 'Server stops");
    printed = await next.until(/\[kb\] updated \d+ pages?/);
    assert.match(printed, /1 article changed only in what its own page shows and in what lists show of it/);
    assert.match(printed, /updated 8 pages and 3 data files, 2 articles in the search delta index/);
    assert.doesNotMatch(printed, /modelled again/);
    await assertSameAsFullBuild(content, site, dir);

    // The same title edited again: the contexts the last quick rebuild changed are those it holds now.
    next = kb.mark();
    await edit('kb/5000101/index.md', "title: 'Server stops", "title: 'Servers stop");
    printed = await next.until(/\[kb\] updated \d+ pages?/);
    assert.match(printed, /in what lists show of it/);
    assert.match(await readFile(path.join(site, 'index.html'), 'utf8'), /Servers stop with Stop 0x0000000A/);
    await assertSameAsFullBuild(content, site, dir);

    // A body edit of an article whose page lists that one: rendered from the context the title edits left.
    next = kb.mark();
    await edit('kb/5000103/index.md', 'No restart is required', 'No restart is needed');
    printed = await next.until(/\[kb\] updated \d+ pages?/);
    assert.match(printed, /1 article changed only in what its own page shows: /);
    assert.match(await readFile(path.join(site, 'kb/5000103/index.html'), 'utf8'), /Servers stop with Stop 0x0000000A/);
    await assertSameAsFullBuild(content, site, dir);

    // A new alias: another page (its redirect stub) shows it, so the site is modelled again, and it says why.
    next = kb.mark();
    await edit('kb/5000101/index.md', /^type: problem$/m, 'type: problem\naliases: [/legacy/stop-0x0a-driver/]');
    printed = await next.until(/\[kb\] updated \d+ pages?/);
    assert.match(printed, /the whole site is modelled again: an article changed in what other pages show of it/);
    await stat(path.join(site, 'legacy/stop-0x0a-driver/index.html'));
    await assertSameAsFullBuild(content, site, dir);

    // A quick rebuild that fails (the page's folder is a file, so it cannot be moved into place): the
    // site and what the process holds stay as they were. The next save, of another article, must
    // then rebuild this one too; had its new signature been kept, its page would stay stale.
    const pageDir = path.join(site, 'kb/5000101');
    await rename(pageDir, `${pageDir}.away`);
    await writeFile(pageDir, 'in the way');
    next = kb.mark();
    await edit('kb/5000101/index.md', /^## Cause$/m, '## Cause of the stop');
    await next.until(/still watching/, 'err');
    await rm(pageDir);
    await rename(`${pageDir}.away`, pageDir);
    assert.doesNotMatch(await readFile(path.join(pageDir, 'index.html'), 'utf8'), /Cause of the stop/, 'the site was left as it was');
    next = kb.mark();
    await edit('kb/5000102/index.md', 'the best evidence there is', 'the best evidence of all');
    printed = await next.until(/\[kb\] updated \d+ pages?/);
    assert.match(printed, /2 articles changed only in what their own pages show/);
    assert.match(await readFile(path.join(pageDir, 'index.html'), 'utf8'), /Cause of the stop/);
    await assertSameAsFullBuild(content, site, dir);
  } finally {
    assert.equal(await kb.stop(), 0);
  }
  // What the process saved on the way out is the state of its last (quick) build: a one-shot build has nothing to do.
  const run = await runKb(['build', '--content', content, '--output', site]);
  assert.equal(run.exitCode, 0, run.stderr);
  assert.match(run.stdout, /updated 0 pages and 0 data files/);
  await assertSameAsFullBuild(content, site, dir);
});

test('kb build --watch saves only the page-context shards its quick rebuilds changed, and a later one-shot quick rebuild renders from them', async () => {
  const { dir, content, site } = await copyDemo('watch-shards');
  const shardsDir = path.join(cacheDirOf(site), 'pages');
  /** Each shard file and its inode: a shard written again is a new file renamed into place. */
  const shardInodes = async () => new Map(await Promise.all((await readdir(shardsDir)).map(async (name) => [name, (await stat(path.join(shardsDir, name))).ino] as const)));
  const articleShards = new Set((await readdir(path.join(content, 'kb'))).map(Number).filter(Number.isInteger).map((id) => `${id % PAGE_CONTEXT_SHARDS}.v8`));
  const kb = new Kb(['build', '--watch', '--content', content, '--output', site]);
  let before: Map<string, number>;
  try {
    // Start-up saves the state of a build that modelled the site: every shard, as a set of its own.
    await kb.mark().until(/watching .* for changes/);
    before = await shardInodes();
    assert.equal(before.size, PAGE_CONTEXT_SHARDS);
    // A title edit, rebuilt quickly: the pages that list the article get new contexts.
    const next = kb.mark();
    const file = path.join(content, 'kb/5000101/index.md');
    await writeFile(file, (await readFile(file, 'utf8')).replace("title: 'Computer stops", "title: 'Server stops"));
    assert.match(await next.until(/\[kb\] updated \d+ pages?/), /in what lists show of it/);
  } finally {
    assert.equal(await kb.stop(), 0);
  }
  // On the way out the state was saved: a few shards written again, in the same set, none without an article.
  const after = await shardInodes();
  const rewritten = [...after].filter(([name, ino]) => before.get(name) !== ino).map(([name]) => name);
  assert.ok(rewritten.length > 0, 'the changed contexts are saved');
  assert.deepEqual(rewritten.filter((name) => !articleShards.has(name)), [], 'shards without a changed article are left as they were');
  // A one-shot body edit of an article whose page lists the retitled one renders from the saved context.
  const related = path.join(content, 'kb/5000103/index.md');
  await writeFile(related, (await readFile(related, 'utf8')).replace('No restart is required', 'No restart is needed'));
  const run = await runKb(['build', '--content', content, '--output', site]);
  assert.equal(run.exitCode, 0, run.stderr);
  assert.match(run.stdout, /1 article changed only in what its own page shows: /);
  assert.match(await readFile(path.join(site, 'kb/5000103/index.html'), 'utf8'), /Server stops with Stop 0x0000000A/);
  await assertSameAsFullBuild(content, site, dir);
});

test('kb build --watch keeps its build state and parse cache on disk once saves stop coming, and when stopped, so a later kb build is incremental', async () => {
  const { content, site } = await copyDemo('watch-state');
  const kb = new Kb(['build', '--watch', '--content', content, '--output', site]);
  const stateFile = stateFileOf(site);
  const stateMatchesSite = async () => {
    const state = await readFile(stateFile).then((bytes) => deserialize(bytes) as { buildId: string }, () => null);
    return state !== null && state.buildId === (await readFile(path.join(site, '.kbsite-build'), 'utf8')).trim();
  };
  const file = path.join(content, 'kb/5000101/index.md');
  try {
    await kb.mark().until(/watching .* for changes/);
    let next = kb.mark();
    await writeFile(file, (await readFile(file, 'utf8')).replace("title: 'Computer stops", "title: 'Server stops"));
    await next.until(/\[kb\] updated/);
    // Written once no save has come for a while (polled; a state that never matches fails after 120 s).
    const deadline = Date.now() + 120_000;
    while (!(await stateMatchesSite())) {
      assert.ok(Date.now() < deadline, 'the state of the last build is saved while watching');
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    // A save, then Ctrl+C at once: the state is saved on the way out.
    next = kb.mark();
    await writeFile(file, (await readFile(file, 'utf8')).replace("title: 'Server stops", "title: 'Servers stop"));
    await next.until(/\[kb\] updated/);
  } finally {
    assert.equal(await kb.stop(), 0);
  }
  assert.ok(await stateMatchesSite(), 'the state on disk is that of the last build');
  const run = await runKb(['build', '--content', content, '--output', site]);
  assert.equal(run.exitCode, 0, run.stderr);
  assert.match(run.stdout, /\(0 parsed, \d+ unchanged since the last build\)/, 'the parse cache was saved too');
  assert.match(run.stdout, /updated 0 pages and 0 data files/);
});

test('kb serve serves the site with live reload: pages get the reload script, which hears of each rebuild', async () => {
  const { content, site } = await copyDemo('serve');
  const kb = new Kb(['serve', '--content', content, '--output', site, '--port', '0']);
  try {
    const url = /\[kb\] serving (\S+)\//.exec(await kb.mark().until(/\[kb\] serving \S+/))![1]!;
    const page = await (await fetch(`${url}/kb/5000101/`)).text();
    assert.match(page, /<script src="\/__kb\/live-reload\.js"><\/script><\/body>/);
    assert.doesNotMatch(await readFile(path.join(site, 'kb/5000101/index.html'), 'utf8'), /live-reload/, 'the built page itself has no reload script');
    assert.match(await (await fetch(`${url}/__kb/live-reload.js`)).text(), /EventSource/);

    const events = await fetch(`${url}/__kb/events`);
    const reader = events.body!.getReader();
    const heard = (async () => {
      let text = '';
      while (!/event: reload/.test(text)) {
        const { value, done } = await reader.read();
        if (done) break;
        text += new TextDecoder().decode(value);
      }
      return text;
    })();
    const file = path.join(content, 'kb/5000101/index.md');
    await writeFile(file, (await readFile(file, 'utf8')).replace("title: 'Computer stops", "title: 'Server stops"));
    assert.match(await heard, /event: reload/);
    assert.match(await (await fetch(`${url}/kb/5000101/`)).text(), /<h1>Server stops with Stop 0x0000000A/);
    await reader.cancel();
  } finally {
    assert.equal(await kb.stop(), 0);
  }
});

test('kb build --watch started on broken content says what to fix once, keeps watching, and builds the whole site once it is fixed', async () => {
  const { dir, content, site } = await copyDemo('watch-broken');
  const file = path.join(content, 'kb/5000102/index.md');
  const good = await readFile(file, 'utf8');
  await writeFile(file, good.replace(/^published: .*$/m, 'published: 2015-13-02'));
  const kb = new Kb(['build', '--watch', '--content', content, '--output', site]);
  try {
    const start = kb.mark();
    assert.match(await start.until(/still watching/, 'err'), /kb\/5000102\/index\.md:\d+: "published" must be a date/);
    await start.until(/watching .* for changes/);
    const reported = await start.until(/still watching/, 'err');
    assert.equal(reported.match(/the build stopped; fix these/g)?.length, 1, `said once at start-up, not again by a second build of the same content:\n${reported}`);
    await assert.rejects(stat(site), 'no site was written');
    const next = kb.mark();
    await writeFile(file, good);
    assert.match(await next.until(/\[kb\] (built|updated) [^\n]*\n/), /built 5 articles/);
    await assertSameAsFullBuild(content, site, dir);
  } finally {
    assert.equal(await kb.stop(), 0);
  }
});

test('kb serve on a port that is in use says so at once, builds nothing and exits 64', async () => {
  const blocker = createServer();
  await new Promise<void>((resolve) => blocker.listen(0, 'localhost', resolve));
  try {
    const port = (blocker.address() as AddressInfo).port;
    const { content, site } = await copyDemo('serve-port');
    const run = await runKb(['serve', '--content', content, '--output', site, '--port', String(port)]);
    assert.equal(run.exitCode, 64, run.stderr);
    assert.match(run.stderr, new RegExp(`port ${port} is in use; pass another with --port`));
    await assert.rejects(stat(site), 'nothing was built');
  } finally {
    blocker.close();
  }
});
