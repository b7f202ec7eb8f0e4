/** Build a content folder with the real CLI entry point, capturing what it prints. */
import { rmSync } from 'node:fs';
import { createHash } from 'node:crypto';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { main } from '../../src/cli/main.ts';

export interface BuildRun {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export async function runKb(args: string[]): Promise<BuildRun> {
  const out: string[] = [];
  const err: string[] = [];
  const log = console.log;
  const error = console.error;
  console.log = (...a: unknown[]) => void out.push(a.join(' '));
  console.error = (...a: unknown[]) => void err.push(a.join(' '));
  try {
    const exitCode = await main(args);
    return { exitCode, stdout: out.join('\n'), stderr: err.join('\n') };
  } finally {
    console.log = log;
    console.error = error;
  }
}

/** Temporary folders made by this test process, removed when it exits. */
const made = new Set<string>();

/**
 * A new folder under the system temp folder. It is removed when the test process exits, also when
 * a test fails before its own clean-up. Put a build's output *inside* it: a build also writes
 * `<output>.cache` and `<output>-report.json` next to its output folder.
 */
export async function tempDir(prefix: string): Promise<string> {
  if (!made.size) process.once('exit', () => made.forEach((dir) => rmSync(dir, { recursive: true, force: true })));
  const dir = await mkdtemp(path.join(tmpdir(), `kbsite-${prefix}-`));
  made.add(dir);
  return dir;
}

/** Every file and folder below `dir` → the SHA-256 of its bytes ('dir' for a folder). */
export async function snapshot(dir: string): Promise<Map<string, string>> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const files = new Map<string, string>();
  for (const e of entries) {
    const full = path.join(e.parentPath, e.name);
    files.set(path.relative(dir, full), e.isDirectory() ? 'dir' : createHash('sha256').update(await readFile(full)).digest('hex'));
  }
  return new Map([...files].sort(([a], [b]) => a.localeCompare(b)));
}

/** Every file below `dir`, as paths relative to it, sorted. */
export async function filesBelow(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => path.relative(dir, path.join(e.parentPath, e.name))).sort();
}

/** A site's files and their text, as a rebuild and a full build must agree on them: the search
 *  bundles are a delta by design, and the search page says whether there is one to merge. */
export async function comparableSiteFiles(root: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const rel of await filesBelow(root)) {
    if (/^pagefind(-delta)?\//.test(rel) || rel === '.kbsite-build') continue;
    out.set(rel, (await readFile(path.join(root, rel), 'utf8')).replace(/data-delta="(yes|no)"/, 'data-delta=""'));
  }
  return out;
}

export async function assertSameSite(actual: string, expected: string): Promise<void> {
  const [a, e] = await Promise.all([comparableSiteFiles(actual), comparableSiteFiles(expected)]);
  assert.deepEqual([...a.keys()].sort(), [...e.keys()].sort(), 'the same files');
  assert.deepEqual([...e.keys()].filter((k) => a.get(k) !== e.get(k)), [], 'the same bytes');
}
