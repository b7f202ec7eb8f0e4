/**
 * Deleting the site a full build replaced, without waiting for it.
 *
 * A full build writes the new site beside the old one and swaps the two with renames
 * (pipeline.ts). The old site is garbage from then on, but deleting it is slow: at 60,000 articles
 * it is 400,000 files and folders, and `kb build --full` over such a site took 280 s while it waited
 * for them to go, 200 s without waiting. It is the disk, not the CPU: removing 200,000 small files
 * took 41 s, 17 s of it CPU time. So the old site is handed to a process of its own, detached from
 * kb, which deletes it while kb reports that the build is done.
 *
 * Such folders are named `<output>.previous-<pid>`; whatever one of them holds is never needed
 * again. One that a deleting process left behind (the machine was switched off) is deleted by the
 * next full build. So is the staging folder (`<output>.building-<pid>`) of a build that did not get
 * to remove its own, by the next build of any kind.
 */
import { spawn } from 'node:child_process';
import { readdir, rm } from 'node:fs/promises';
import path from 'node:path';

/** The folder a full build moves the previous site into, before it is deleted. */
export function discardedSiteOf(outputDir: string): string {
  return `${outputDir}.previous-${process.pid}`;
}

/** Folders next to `outputDir` that earlier full builds discarded and that are still there. */
export async function leftoverDiscards(outputDir: string): Promise<string[]> {
  return (await numberedSiblings(outputDir, 'previous')).map(({ dir }) => dir);
}

/** The folder a build writes into before its files are moved into place (pipeline.ts). */
export function stagingDirOf(outputDir: string): string {
  return `${outputDir}.building-${process.pid}`;
}

/**
 * Staging folders next to `outputDir` whose build is gone: killed, or failed and unable to remove
 * its folder (a failed build's clean-up gives up rather than hide the failure, pipeline.ts). At
 * 60,000 articles such a folder can hold gigabytes, and after a full disk it is the last thing to
 * keep. The folder of a build still running is left alone.
 */
export async function leftoverStagingDirs(outputDir: string): Promise<string[]> {
  return (await numberedSiblings(outputDir, 'building')).filter(({ pid }) => pid !== process.pid && !isRunning(pid)).map(({ dir }) => dir);
}

/** Folders next to `outputDir` named `<output>.<kind>-<process number>`. */
async function numberedSiblings(outputDir: string, kind: string): Promise<Array<{ dir: string; pid: number }>> {
  const parent = path.dirname(path.resolve(outputDir));
  const prefix = `${path.basename(path.resolve(outputDir))}.${kind}-`;
  const names = await readdir(parent).catch(() => [] as string[]);
  return names.filter((name) => name.startsWith(prefix) && /^\d+$/.test(name.slice(prefix.length))).map((name) => ({ dir: path.join(parent, name), pid: Number(name.slice(prefix.length)) }));
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0); // signal 0: only asks whether the process exists
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'; // it exists, as another user's
  }
}

// Run by `node -e`: its arguments follow the script in process.argv, after the executable.
const DELETE_SCRIPT = `for (const dir of process.argv.slice(1)) { try { require('node:fs').rmSync(dir, { recursive: true, force: true, maxRetries: 3 }); } catch {} }`;

/**
 * Delete `dirs` in a detached process and return at once. Should the process not start, they are
 * deleted in this one, in the background (an error there leaves a folder the next full build deletes).
 */
export function discardInBackground(dirs: readonly string[]): void {
  if (!dirs.length) return;
  const inThisProcess = () => {
    for (const dir of dirs) rm(dir, { recursive: true, force: true, maxRetries: 3 }).catch(() => {});
  };
  try {
    const child = spawn(process.execPath, ['-e', DELETE_SCRIPT, ...dirs], { detached: true, stdio: 'ignore', windowsHide: true });
    child.on('error', inThisProcess);
    child.unref();
  } catch {
    inThisProcess();
  }
}
