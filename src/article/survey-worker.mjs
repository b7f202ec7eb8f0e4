// A thread of src/article/survey.ts: lists the Markdown and files.yaml files below a folder with
// their sizes and modification times. Plain JavaScript that imports nothing of kbsite's, so the
// thread starts in milliseconds (a thread that loads TypeScript has to register tsx first).
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';

const files = [];
const sizes = [];
const mtimes = [];
for (const entry of readdirSync(workerData.dir, { recursive: true, withFileTypes: true })) {
  if (!entry.isFile() || !(entry.name.endsWith('.md') || entry.name === 'files.yaml')) continue;
  const file = path.join(entry.parentPath, entry.name);
  const st = statSync(file, { throwIfNoEntry: false });
  if (!st) continue; // removed since it was listed
  files.push(file);
  sizes.push(st.size);
  mtimes.push(st.mtimeMs);
}
parentPort.postMessage({ files, sizes, mtimes });
