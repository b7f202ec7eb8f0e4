// The thread of `writeFilesOnThread` (src/write-files.ts): writes the files it is sent below
// workerData.root, synchronously, creating each folder once, and answers each batch with the
// number written. After a failure it writes nothing more and answers every batch with the error,
// which names the file. Plain JavaScript that imports nothing of kbsite's, so the thread starts in
// milliseconds.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';

const { root } = workerData;
const made = new Set();
let failure = null;

parentPort.on('message', (files) => {
  if (!failure) {
    let file = root;
    try {
      for (let i = 0; i < files.length; i += 2) {
        file = path.join(root, files[i]);
        const dir = path.dirname(file);
        if (!made.has(dir)) {
          mkdirSync(dir, { recursive: true });
          made.add(dir);
        }
        writeFileSync(file, files[i + 1]);
      }
    } catch (error) {
      failure = { message: `could not write ${file}: ${error.message}`, code: error.code };
    }
  }
  parentPort.postMessage(failure ? { failure } : { written: files.length / 2 });
});
