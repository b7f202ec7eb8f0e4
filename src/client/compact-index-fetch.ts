/**
 * Pagefind loads the search index's meta file and chunks from their compact forms
 * (src/search/compact-meta.ts, compact-chunks.ts): at 60,000 articles the meta file is under a
 * third of its size, and a chunk under half (its numbers coded with learnt odds: src/search/adaptive-coder.ts).
 *
 * Pagefind has no option to read its files from anywhere else, so `fetch` answers Pagefind's
 * requests: for `pagefind.<hash>.pf_meta` it loads `pagefind.<hash>.kb_meta` and expands it to the
 * very bytes of the meta file; for `index/<hash>.pf_index`, when that compact meta file said the
 * chunks have compact forms, it loads `index/<hash>.kb_index` and expands it to a chunk that
 * Pagefind searches exactly like the original (compact-chunks.ts says what differs). Every other
 * request passes through untouched, and if a compact file cannot be loaded or read, the file itself
 * is fetched: slower, never wrong.
 *
 * It runs where Pagefind fetches: in Pagefind's web worker, whose script the build writes with this
 * in front (src/search/worker-script.ts), and on the search page, for when Pagefind runs without
 * its worker.
 */
import { COMPACT_META_EXTENSION, compactChunksExtension, expandCompactMeta } from '../search/compact-meta.ts';
import { expandCompactChunk } from '../search/compact-chunks.ts';
import { isGzipped } from '../search/compact-bytes.ts';

const META_FILE = /\/pagefind\.([^/?#]+)\.pf_meta(?:[?#].*)?$/;
const CHUNK_FILE = /\/index\/([^/?#]+)\.pf_index(?:[?#].*)?$/;

export function loadSearchIndexCompactly(): void {
  if (typeof DecompressionStream === 'undefined') return;
  const fetchFile = globalThis.fetch.bind(globalThis);
  /** Bundle folder URL → the extension of its chunks' compact forms. */
  const compactChunks = new Map<string, string>();
  /** The next chunk's first place (compact-chunks.ts): every page list of the session has its own. */
  let nextPlace = 0;

  const loadCompact = async (url: string): Promise<Uint8Array> => {
    const response = await fetchFile(url);
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    const bytes = new Uint8Array(await response.arrayBuffer());
    // Plain bytes (a chunk that gzip did not make smaller, or bytes a host decoded on the way) are used as they are.
    if (!isGzipped(bytes)) return bytes;
    return new Uint8Array(await new Response(new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'))).arrayBuffer());
  };

  /** The response to Pagefind's request, from the compact file at `compactUrl`; the request itself if that fails. */
  const answer = async (input: RequestInfo | URL, init: RequestInit | undefined, url: string, compactUrl: string, expand: (bytes: Uint8Array) => Uint8Array<ArrayBuffer>): Promise<Response> => {
    try {
      return new Response(expand(await loadCompact(compactUrl)));
    } catch (error) {
      console.warn(`kbsite: ${compactUrl} could not be used (${String(error)}); loading ${url}`);
      return fetchFile(input, init);
    }
  };

  globalThis.fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const meta = META_FILE.exec(url);
    if (meta) {
      const bundle = url.slice(0, meta.index);
      return answer(input, init, url, `${bundle}/pagefind.${meta[1]}.${COMPACT_META_EXTENSION}`, (compact) => {
        const expanded = expandCompactMeta(compact);
        const extension = compactChunksExtension(compact);
        if (extension) compactChunks.set(bundle, extension);
        return expanded;
      });
    }
    const chunk = CHUNK_FILE.exec(url);
    const extension = chunk && compactChunks.get(url.slice(0, chunk.index));
    if (!chunk || !extension) return fetchFile(input, init);
    return answer(input, init, url, `${url.slice(0, chunk.index)}/index/${chunk[1]}.${extension}`, (compact) => {
      const { chunk: expanded, places } = expandCompactChunk(compact, nextPlace);
      nextPlace += places;
      return expanded;
    });
  };
}
