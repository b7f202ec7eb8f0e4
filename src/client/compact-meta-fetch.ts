/**
 * Pagefind loads the search index's meta file from its compact form (src/search/compact-meta.ts),
 * which at 60,000 articles is under a third of its size.
 *
 * Pagefind has no option to read its meta file from anywhere else, so `fetch` answers Pagefind's
 * request for `pagefind.<hash>.pf_meta` by loading `pagefind.<hash>.kb_meta` and expanding it to the
 * very bytes of the meta file. Every other request passes through untouched, and if the compact
 * file cannot be loaded or read, the meta file itself is fetched: slower, never wrong.
 *
 * It runs where Pagefind fetches: in Pagefind's web worker, whose script the build writes with this
 * in front (src/search/worker-script.ts), and on the search page, for when Pagefind runs without
 * its worker.
 */
import { COMPACT_META_EXTENSION, expandCompactMeta } from '../search/compact-meta.ts';

const META_FILE = /\/pagefind\.([^/?#]+)\.pf_meta(?:[?#].*)?$/;

export function loadSearchMetaCompactly(): void {
  if (typeof DecompressionStream === 'undefined') return;
  const fetchFile = globalThis.fetch.bind(globalThis);
  globalThis.fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const meta = META_FILE.exec(url);
    if (!meta) return fetchFile(input, init);
    const compactUrl = `${url.slice(0, meta.index)}/pagefind.${meta[1]}.${COMPACT_META_EXTENSION}`;
    try {
      const response = await fetchFile(compactUrl);
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      let bytes = new Uint8Array(await response.arrayBuffer());
      // Gzipped as written; a host that decoded it on the way already gave the plain bytes.
      if (bytes[0] === 0x1f && bytes[1] === 0x8b) bytes = new Uint8Array(await new Response(new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'))).arrayBuffer());
      return new Response(expandCompactMeta(bytes));
    } catch (error) {
      console.warn(`kbsite: ${compactUrl} could not be used (${String(error)}); loading ${url}`);
      return fetchFile(input, init);
    }
  };
}
