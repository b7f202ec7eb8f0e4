// A thread of src/article/parse-workers.ts: reads, parses and digests the files it is sent.
// JavaScript, because a worker does not inherit the TypeScript loader its process registered
// (bin/kb.js, or `node --import tsx`), so it registers its own.
import { readFileSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const { parseArticleFile } = await import('./load.ts');

parentPort.on('message', async ({ start, files, digests }) => {
  const parsed = [];
  for (const file of files) parsed.push(await parseArticleFile(file, readFileSync(file), digests));
  parentPort.postMessage({ start, parsed });
});
