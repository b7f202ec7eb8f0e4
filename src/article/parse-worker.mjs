// A thread of src/article/parse-workers.ts: reads, parses and digests the files it is sent.
// JavaScript, because a worker does not inherit the TypeScript loader its process registered
// (bin/kb.js, or `node --import tsx`), so it registers its own.
import { readFileSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const { loadArticleFile } = await import('./load.ts');
const { articleDigest } = await import('../build/fingerprints.ts');

parentPort.on('message', async ({ start, files, digests }) => {
  const parsed = [];
  for (const file of files) {
    const result = await loadArticleFile(file, readFileSync(file));
    parsed.push({ result, digest: digests && result.article ? articleDigest(result.article) : undefined });
  }
  parentPort.postMessage({ start, parsed });
});
