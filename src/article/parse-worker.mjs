// A thread of src/article/parse-workers.ts: reads, parses and digests the files it is sent.
// JavaScript, because a worker does not inherit the TypeScript loader its process registered. In
// `kb`'s compiled copy of src/ (bin/compiled.js) it sits beside load.js; in src/, beside load.ts,
// which it loads through tsx (tests, `node --import tsx`).
import { existsSync, readFileSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';

const compiled = existsSync(new URL('./load.js', import.meta.url));
if (!compiled) (await import('tsx/esm/api')).register();
const { parseArticleFile } = await import(compiled ? './load.js' : './load.ts');

parentPort.on('message', async ({ start, files, digests }) => {
  const parsed = [];
  for (const file of files) parsed.push(await parseArticleFile(file, readFileSync(file), digests));
  parentPort.postMessage({ start, parsed });
});
