// A thread of src/article/survey.ts: lists the Markdown and files.yaml files below a folder with
// their sizes and modification times. Plain JavaScript that imports nothing of kbsite's, so the
// thread starts in milliseconds (a thread that loads TypeScript has to register tsx first).
//
// With a listing file (workerData.listing), a folder whose status is unchanged since the last
// survey is not read again: its entries are taken from that survey. Adding, removing or renaming an
// entry changes a folder's modification and change times, and nothing sets a change time back, so a
// stat of the folder (6 µs) says what reading it (24 µs; 60,335 folders at 60,000 articles) would.
// As in git's index, a listing is trusted only if the folder had not changed for RACY_MS before it
// was read: file-system clocks tick coarsely, and an entry added in the same tick would go unseen.
import { mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { deserialize, serialize } from 'node:v8';
import { parentPort, workerData } from 'node:worker_threads';

const RACY_MS = 2000;
const FORMAT = 2;
const { dir: root, listing } = workerData;

/**
 * Folder → [ctimeMs, mtimeMs, subfolder names, file names (only .md and files.yaml)]. Saved flat, as
 * three arrays (folders; their entries, each one string; their times), which V8 reads back 7 times
 * faster than 60,000 nested arrays.
 */
let previous = new Map();
if (listing) {
  try {
    const saved = deserialize(readFileSync(listing));
    if (saved.format === FORMAT && saved.root === root) {
      const { folders, entries, times } = saved;
      for (let i = 0; i < folders.length; i++) {
        const [subfolders, names] = entries[i].split('\n');
        previous.set(folders[i], [times[2 * i], times[2 * i + 1], subfolders ? subfolders.split('/') : [], names ? names.split('/') : []]);
      }
    }
  } catch {
    // No listing yet, or an unreadable one: every folder is read.
  }
}

const startedMs = Date.now();
const folders = new Map();
const files = [];
const sizes = [];
const mtimes = [];
if (!statSync(root).isDirectory()) throw new Error(`${root} is not a folder`);
const pending = [root];
while (pending.length) {
  const folder = pending.pop();
  const st = statSync(folder, { throwIfNoEntry: false });
  if (!st?.isDirectory()) continue; // removed (or replaced) since its parent was listed
  let entry = previous.get(folder);
  if (!entry || entry[0] !== st.ctimeMs || entry[1] !== st.mtimeMs) {
    const subfolders = [];
    const names = [];
    for (const dirent of readdirSync(folder, { withFileTypes: true })) {
      if (dirent.isDirectory()) subfolders.push(dirent.name);
      else if (dirent.isFile() && (dirent.name.endsWith('.md') || dirent.name === 'files.yaml')) names.push(dirent.name);
    }
    entry = [st.ctimeMs, st.mtimeMs, subfolders, names];
  }
  // Kept for the next survey only if it cannot have missed an entry (see the header).
  if (startedMs - Math.max(st.ctimeMs, st.mtimeMs) > RACY_MS) folders.set(folder, entry);
  for (const name of entry[3]) {
    const file = path.join(folder, name);
    const fileStat = statSync(file, { throwIfNoEntry: false });
    if (!fileStat) continue; // removed since it was listed
    files.push(file);
    sizes.push(fileStat.size);
    mtimes.push(fileStat.mtimeMs);
  }
  for (let i = entry[2].length - 1; i >= 0; i--) pending.push(path.join(folder, entry[2][i]));
}
parentPort.postMessage({ files, sizes, mtimes });

if (listing) {
  try {
    mkdirSync(path.dirname(listing), { recursive: true });
    const times = new Float64Array(2 * folders.size);
    const savedFolders = [];
    const entries = [];
    let i = 0;
    for (const [folder, [ctimeMs, mtimeMs, subfolders, names]] of folders) {
      if (subfolders.some((n) => n.includes('\n')) || names.some((n) => n.includes('\n'))) continue; // read every time
      savedFolders.push(folder);
      times[i++] = ctimeMs;
      times[i++] = mtimeMs;
      entries.push(`${subfolders.join('/')}\n${names.join('/')}`); // names never hold a slash
    }
    writeFileSync(`${listing}.${process.pid}.tmp`, serialize({ format: FORMAT, root, folders: savedFolders, entries, times: times.slice(0, i) }));
    renameSync(`${listing}.${process.pid}.tmp`, listing);
  } catch {
    // Only the next survey is slower.
  }
}
