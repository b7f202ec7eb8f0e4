/**
 * The Pagefind service must exit by itself, after its writes, before a build goes on (see
 * src/search/pagefind-service.ts: killing it right after `writeFiles` left an empty
 * pagefind-worker.js in a CI build). These tests watch the service process the API starts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import childProcess, { type ChildProcess } from 'node:child_process';
import { readFile, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { withPagefindIndex } from '../../src/search/pagefind-service.ts';
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

test('sessions started together run one after another, each with its own service and index', async () => {
  const [a, b] = [await tempDir('pagefind-a'), await tempDir('pagefind-b')];
  try {
    const order: string[] = [];
    const session = (name: string, dir: string, records: number) =>
      withPagefindIndex(async (index) => {
        order.push(`${name} start`);
        for (let n = 1; n <= records; n++) await index.addCustomRecord(record(n));
        await index.writeFiles({ outputPath: dir });
        order.push(`${name} end`);
      });
    const { spawned } = await watchingSpawn(() => Promise.all([session('a', a, 3), session('b', b, 5)]));
    assert.deepEqual(order, ['a start', 'a end', 'b start', 'b end']);
    assert.equal(spawned.length, 2);
    assert.ok(spawned.every((s) => s.exitCode === 0 && s.signalCode === null), 'both services exited by themselves');
    assert.equal((await readdir(path.join(a, 'fragment'))).length, 3);
    assert.equal((await readdir(path.join(b, 'fragment'))).length, 5);
  } finally {
    await Promise.all([a, b].map((d) => rm(d, { recursive: true, force: true })));
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
