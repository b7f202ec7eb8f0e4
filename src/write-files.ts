/**
 * Writing many small files: the data outputs (src/build/direct-outputs.ts) and the search bundle,
 * 300,000 files at 60,000 articles.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Write files below `outputDir`, creating each folder once. Synchronously, in slices that give the
 * event loop a turn (Pagefind's answers, progress): for small files the promise API costs 3–5 times
 * the CPU (40,000 files of 700 bytes: 1.7 s user + 3.9–6.3 s system against 0.3–0.5 s + 1.4–4.3 s).
 */
export async function writeFiles(outputDir: string, outputs: ReadonlyArray<{ path: string; render: () => string | Uint8Array }>, onProgress?: (done: number) => void): Promise<void> {
  const made = new Set<string>();
  for (let done = 0; done < outputs.length; ) {
    const end = Math.min(done + 500, outputs.length);
    for (; done < end; done++) {
      const out = outputs[done]!;
      const file = path.join(outputDir, out.path);
      const dir = path.dirname(file);
      if (!made.has(dir)) {
        mkdirSync(dir, { recursive: true });
        made.add(dir);
      }
      writeFileSync(file, out.render());
    }
    onProgress?.(done);
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}
