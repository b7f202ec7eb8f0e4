/**
 * Replacing a file whole, for what a build keeps for the next one (its state, the parse cache, the
 * page and listing contexts): written to a temporary file beside it, then renamed over it, so that a
 * reader finds the old file or the new one, never part of one. Should the write fail (a full disk),
 * the temporary file is removed rather than left to hold the space.
 */
import { rename, rm, writeFile } from 'node:fs/promises';

export async function replaceFile(file: string, data: string | NodeJS.ArrayBufferView): Promise<void> {
  // The process number keeps two processes (a watching kb and a one-shot one) off each other's file.
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    await writeFile(temporary, data);
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}
