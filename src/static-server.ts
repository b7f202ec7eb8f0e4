/**
 * A small static file server for a built site: used by `kb links` and the browser tests. It serves
 * the site below its path prefix (as a host would) and answers 404 outside it, so a link that
 * forgets the prefix is caught.
 */
import { createServer, type Server } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.json': 'application/json',
  '.csv': 'text/csv', '.wasm': 'application/wasm', '.xml': 'application/xml', '.svg': 'image/svg+xml',
  '.pf_meta': 'application/octet-stream', '.pf_index': 'application/octet-stream', '.pf_fragment': 'application/octet-stream', '.pf_filter': 'application/octet-stream',
};

export interface RunningServer {
  /** Origin plus path prefix without its final slash, e.g. `http://127.0.0.1:4000/support`. */
  url: string;
  origin: string;
  close(): Promise<void>;
}

/** Site path (below the prefix) of a request path, or null when the request is outside the prefix. */
export function sitePathOf(requestPath: string, pathPrefix: string): string | null {
  if (pathPrefix === '/') return requestPath;
  if (requestPath === pathPrefix.slice(0, -1)) return '/';
  return requestPath.startsWith(pathPrefix) ? requestPath.slice(pathPrefix.length - 1) : null;
}

export async function serveDirectory(root: string, pathPrefix = '/'): Promise<RunningServer> {
  const server: Server = createServer(async (req, res) => {
    let sitePath: string | null;
    try {
      sitePath = sitePathOf(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname), pathPrefix);
    } catch {
      sitePath = null;
    }
    let file = sitePath === null ? null : path.join(root, path.normalize(sitePath).replace(/^(\.\.[/\\])+/, ''));
    if (file && (await stat(file).catch(() => null))?.isDirectory()) file = path.join(file, 'index.html');
    try {
      if (!file) throw new Error('outside the path prefix');
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
      res.end(body);
    } catch {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const origin = `http://127.0.0.1:${port}`;
  return { url: origin + pathPrefix.replace(/\/$/, ''), origin, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
