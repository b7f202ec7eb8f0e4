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

/**
 * `kb serve`'s live reload: each page the server sends gets a small script that listens on an
 * event stream and reloads the page when a rebuild finished. Only the development server adds it;
 * built pages never carry it. (A script file, not inline code, so the pages' CSP allows it.)
 */
export class LiveReload {
  private readonly listeners = new Set<() => void>();
  notify(): void {
    for (const listener of this.listeners) listener();
  }
  listen(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

const LIVE_RELOAD_PATH = '/__kb/live-reload.js';
const LIVE_RELOAD_EVENTS = '/__kb/events';
const LIVE_RELOAD_SCRIPT = `new EventSource(new URL('events', document.currentScript.src)).addEventListener('reload', () => location.reload());\n`;

export interface ServeOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  host?: string;
  liveReload?: LiveReload;
}

export async function serveDirectory(root: string, pathPrefix = '/', options: ServeOptions = {}): Promise<RunningServer> {
  const { liveReload } = options;
  const server: Server = createServer(async (req, res) => {
    let sitePath: string | null;
    try {
      sitePath = sitePathOf(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname), pathPrefix);
    } catch {
      sitePath = null;
    }
    if (liveReload && sitePath === LIVE_RELOAD_PATH) {
      res.writeHead(200, { 'content-type': TYPES['.js']!, 'cache-control': 'no-store' });
      res.end(LIVE_RELOAD_SCRIPT);
      return;
    }
    if (liveReload && sitePath === LIVE_RELOAD_EVENTS) {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store' });
      res.write(': connected\n\n');
      const stop = liveReload.listen(() => res.write('event: reload\ndata: rebuilt\n\n'));
      req.on('close', stop);
      return;
    }
    let file = sitePath === null ? null : path.join(root, path.normalize(sitePath).replace(/^(\.\.[/\\])+/, ''));
    if (file && (await stat(file).catch(() => null))?.isDirectory()) file = path.join(file, 'index.html');
    try {
      if (!file) throw new Error('outside the path prefix');
      let body: Buffer | string = await readFile(file);
      const type = TYPES[path.extname(file)] ?? 'application/octet-stream';
      if (liveReload && path.extname(file) === '.html') {
        const script = `<script src="${pathPrefix.replace(/\/$/, '')}${LIVE_RELOAD_PATH}"></script>`;
        const html = body.toString('utf8');
        body = html.includes('</body>') ? html.replace('</body>', `${script}</body>`) : html + script;
      }
      res.writeHead(200, { 'content-type': type, ...(liveReload ? { 'cache-control': 'no-store' } : {}) });
      res.end(body);
    } catch {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found');
    }
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, resolve);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const origin = `http://${host}:${port}`;
  return {
    url: origin + pathPrefix.replace(/\/$/, ''),
    origin,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections(); // live-reload event streams never end by themselves
        server.close(() => resolve());
      }),
  };
}
