/**
 * The Pagefind service must exit by itself, after its writes, before a build goes on (see
 * src/search/pagefind-service.ts: killing it right after `writeFiles` left an empty
 * pagefind-worker.js in a CI build). These tests watch the service process the API starts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import childProcess, { type ChildProcess } from 'node:child_process';
import { getEventListeners } from 'node:events';
import { readFile, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { SERVICES, withPagefindIndex } from '../../src/search/pagefind-service.ts';
import { tempDir } from '../support/build.ts';

/** Runs `fn` and returns the processes spawned meanwhile. */
async function watchingSpawn<T>(fn: () => Promise<T>): Promise<{ result: T; spawned: ChildProcess[] }> {
  const spawn = childProcess.spawn;
  const spawned: ChildProcess[] = [];
  (childProcess as { spawn: unknown }).spawn = function (this: unknown, ...args: unknown[]) {
    const child = (spawn as (...a: unknown[]) => ChildProcess).apply(this, args);
    spawned.push(child);
    return child;
  };
  try {
    return { result: await fn(), spawned };
  } finally {
    (childProcess as { spawn: unknown }).spawn = spawn;
  }
}

const record = (n: number) => ({ url: `/kb/${n}/`, content: `article ${n} about ntfs.sys and stop 0x00000024`, language: 'en' });

test('a session ends only after the Pagefind service exited by itself (code 0, not killed)', async () => {
  const out = await tempDir('pagefind-service');
  try {
    const { result, spawned } = await watchingSpawn(() =>
      withPagefindIndex(async (index) => {
        for (let n = 1; n <= 20; n++) assert.deepEqual((await index.addCustomRecord(record(n))).errors, []);
        assert.deepEqual((await index.writeFiles({ outputPath: out })).errors, []);
        return 'done';
      }),
    );
    assert.equal(result, 'done');
    assert.equal(spawned.length, 1, 'one service per session');
    const [service] = spawned;
    assert.equal(service!.signalCode, null, 'the service was not killed');
    assert.equal(service!.exitCode, 0, 'the service had exited when the session ended');
    const worker = await readFile(path.join(out, 'pagefind-worker.js'), 'utf8');
    assert.match(worker, /^const pagefind_version="[\d.]+";/, 'pagefind-worker.js is complete from its first bytes');
    assert.ok((await readdir(path.join(out, 'fragment'))).length === 20, 'one fragment per record');
  } finally {
    await rm(out, { recursive: true, force: true });
  }
});

test(`sessions started together run ${SERVICES} at a time, each with its own service and index; the next waits for one to end`, async () => {
  assert.equal(SERVICES, 2, 'this test is written for two services');
  const dirs = [await tempDir('pagefind-a'), await tempDir('pagefind-b'), await tempDir('pagefind-c')];
  try {
    const order: string[] = [];
    let started = 0;
    let bothStarted!: () => void;
    const together = new Promise<void>((resolve) => (bothStarted = resolve));
    const session = (name: string, dir: string, records: number, wait: boolean) =>
      withPagefindIndex(async (index) => {
        order.push(`${name} start`);
        if (++started === 2) bothStarted();
        // a and b only end once both have started: a pool that ran one session at a time would time out here.
        if (wait) await Promise.race([together, new Promise((_, reject) => setTimeout(() => reject(new Error(`${name} ran alone`)), 10_000).unref())]);
        for (let n = 1; n <= records; n++) await index.addCustomRecord(record(n));
        await index.writeFiles({ outputPath: dir });
        order.push(`${name} end`);
      });
    const { spawned } = await watchingSpawn(() => Promise.all([session('a', dirs[0]!, 3, true), session('b', dirs[1]!, 5, true), session('c', dirs[2]!, 4, false)]));
    assert.deepEqual(order.slice(0, 2), ['a start', 'b start']);
    assert.ok(order.indexOf('c start') > Math.min(order.indexOf('a end'), order.indexOf('b end')), `c waited for a service: ${order.join(', ')}`);
    assert.equal(spawned.length, 3, 'a service per session');
    assert.ok(spawned.every((s) => s.exitCode === 0 && s.signalCode === null), 'every service exited by itself');
    assert.deepEqual(await Promise.all(dirs.map(async (d) => (await readdir(path.join(d, 'fragment'))).length)), [3, 5, 4]);
  } finally {
    await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
  }
});

test('a failing session still stops its service, and the next session works', async () => {
  const { spawned } = await watchingSpawn(async () => {
    await assert.rejects(withPagefindIndex(async () => Promise.reject(new Error('indexing failed'))), /indexing failed/);
    return withPagefindIndex(async (index) => (await index.addCustomRecord(record(1))).errors);
  });
  assert.equal(spawned.length, 2);
  assert.ok(spawned.every((s) => s.exitCode === 0), 'the failed session did not leave its service running');
});

test('a session whose signal aborts ends at once with the reason, while its work still waits, and its service is stopped', { timeout: 30_000 }, async () => {
  const stop = new AbortController();
  let session!: Promise<unknown>;
  const { spawned } = await watchingSpawn(async () => {
    session = withPagefindIndex(async (index) => {
      await index.addCustomRecord(record(1));
      stop.abort(new Error('the build failed'));
      await new Promise(() => {}); // work that would never end by itself
    }, stop.signal);
    await assert.rejects(session, /the build failed/);
  });
  assert.equal(spawned.length, 1);
  const [service] = spawned;
  assert.ok(service!.exitCode !== null || service!.signalCode !== null, 'the service has ended');
  // An aborted signal stops a session before it starts.
  await assert.rejects(withPagefindIndex(async () => 'never', stop.signal), /the build failed/);
  // A build's signal outlives its sessions (one per shard, a dozen at 60,000 articles): each ends its listening.
  const build = new AbortController();
  for (let n = 0; n < 3; n++) assert.equal(await withPagefindIndex(async (index) => (await index.addCustomRecord(record(n))).errors.length, build.signal), 0);
  assert.equal(getEventListeners(build.signal, 'abort').length, 0);
});
