/**
 * The search page: runs Pagefind in the browser. `/search/?q=…` searches on load, so a search can
 * be pasted into a ticket. A stop code in any spelling (also inside a pasted `!analyze` or
 * event-log line) becomes an exact `stop` filter, so `0x24` never matches `0x240…`.
 * Bundled by esbuild at build time into /assets/search.js.
 */
import { canonicalStopCode, parseStopCodeQuery, stopCodeName } from '../stop-codes.ts';

interface PagefindResultData {
  url: string;
  excerpt: string;
  meta: Record<string, string>;
}
interface Pagefind {
  init(): Promise<void>;
  options(o: Record<string, unknown>): Promise<void>;
  filters(): Promise<Record<string, Record<string, number>>>;
  search(term: string | null, options?: { filters?: Record<string, unknown>; sort?: Record<string, string> }): Promise<{ results: Array<{ id: string; data(): Promise<PagefindResultData> }> }>;
}


async function start(root: HTMLElement): Promise<void> {
  const bundle = root.dataset.bundle ?? '/pagefind/';
  const input = root.querySelector<HTMLInputElement>('input[name=q]')!;
  const status = document.getElementById('kb-status')!;
  const list = document.getElementById('kb-results')!;
  const filtersBox = document.getElementById('kb-filters')!;
  const stopHit = document.getElementById('kb-stop-hit')!;
  const stopBase = root.dataset.stopBase ?? '/stop/';
  const pagefind = (await import(/* @vite-ignore */ `${bundle}pagefind.js`)) as Pagefind;
  // Records hold site-relative URLs; the site's path prefix is added here.
  await pagefind.options({ excerptLength: 30, baseUrl: root.dataset.base ?? '/' });
  await pagefind.init();

  const params = new URLSearchParams(location.search);
  input.value = params.get('q') ?? '';
  const selected: Record<string, string> = {};
  for (const key of FILTER_KEYS) {
    const value = params.get(key);
    if (value) selected[key] = value;
  }
  const available = await pagefind.filters();
  renderFilters(filtersBox, available, selected, () => void run());
  // A lone `0x…` token that is not in the bug-check table (e.g. the old shorthand `0x21A`) still
  // counts as a stop code when some article in this site is about it.
  const siteStopCodes = new Set(Object.keys(available.stop ?? {}));
  const siteStopCode = (q: string): string | null => {
    if (!/^\s*0x[0-9a-f]{1,8}\s*$/i.test(q)) return null;
    const code = canonicalStopCode(q.trim());
    return code && siteStopCodes.has(code) ? code : null;
  };

  let generation = 0;
  async function run(): Promise<void> {
    const mine = ++generation;
    const query = input.value.trim();
    const url = new URL(location.href);
    url.searchParams.set('q', query);
    for (const key of FILTER_KEYS) {
      if (selected[key]) url.searchParams.set(key, selected[key]!);
      else url.searchParams.delete(key);
    }
    history.replaceState(null, '', url);
    const filters: Record<string, string> = { ...selected };
    const stop = parseStopCodeQuery(query) ?? siteStopCode(query) ?? (selected.stop || null);
    if (stop) filters.stop = stop;
    if (!query && !Object.keys(selected).length) {
      list.replaceChildren();
      status.textContent = '';
      stopHit.hidden = true;
      return;
    }
    // With a stop code the filter is the whole query: the rest of a pasted line would only narrow it
    // wrongly. The canonical code is also the search term (every article with that filter has it as an
    // indexed word): a filter-only search makes Pagefind load its whole index, 15 s at 60,000 articles.
    const search = await pagefind.search(stop ?? query, { filters, sort: stop || !query ? { updated: 'desc' } : undefined });
    const data = await Promise.all(search.results.slice(0, 50).map((r) => r.data()));
    if (mine !== generation) return;
    const count = `${search.results.length} ${stop ? 'article' : 'result'}${search.results.length === 1 ? '' : 's'}`;
    if (stop) {
      // The direct hit: the stop code's landing page, above the text results.
      const link = document.createElement('a');
      link.href = `${stopBase}${stop}/`;
      link.textContent = `Stop ${stop}${stopCodeName(stop) ? ` ${stopCodeName(stop)}` : ''} — ${count}`;
      stopHit.replaceChildren(link);
    }
    stopHit.hidden = !stop;
    status.textContent = stop ? count : `${count} for “${query}”`;
    list.replaceChildren(...data.map(renderResult));
  }

  let timer: ReturnType<typeof setTimeout> | undefined;
  input.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(() => void run(), 120);
  });
  root.querySelector('form')!.addEventListener('submit', (event) => {
    event.preventDefault();
    void run();
  });
  await run();
}

function renderResult(data: PagefindResultData): HTMLLIElement {
  const li = document.createElement('li');
  li.className = 'result';
  const a = document.createElement('a');
  a.href = data.url;
  const kb = document.createElement('span');
  kb.className = 'kb-number';
  kb.textContent = `KB${data.meta.kb ?? ''}`;
  a.append(kb, ` ${data.meta.title ?? data.url}`);
  const excerpt = document.createElement('p');
  // Pagefind's excerpt is escaped text with <mark> highlights; keep only those marks.
  excerpt.append(...excerptNodes(data.excerpt));
  li.append(a, excerpt);
  if (data.meta.stopCodes) {
    const codes = document.createElement('p');
    codes.className = 'muted';
    codes.textContent = `Stop codes: ${data.meta.stopCodes}`;
    li.append(codes);
  }
  return li;
}

function excerptNodes(excerpt: string): Node[] {
  const nodes: Node[] = [];
  const parts = excerpt.split(/(<mark>|<\/mark>)/);
  let marked = false;
  for (const part of parts) {
    if (part === '<mark>') marked = true;
    else if (part === '</mark>') marked = false;
    else if (part) {
      const text = document.createTextNode(decodeEntities(part));
      if (marked) {
        const mark = document.createElement('mark');
        mark.append(text);
        nodes.push(mark);
      } else nodes.push(text);
    }
  }
  return nodes;
}

function decodeEntities(text: string): string {
  const area = document.createElement('textarea');
  area.innerHTML = text;
  return area.value;
}

const FILTER_KEYS = ['product', 'type', 'stop', 'year'] as const;
const FILTER_LABELS: Record<string, string> = { product: 'Product ', type: 'Type ', stop: 'Stop code ', year: 'Year ' };

function renderFilters(box: HTMLElement, available: Record<string, Record<string, number>>, selected: Record<string, string>, onChange: () => void): void {
  for (const key of FILTER_KEYS) {
    const values = available[key];
    if (!values || !Object.keys(values).length) continue;
    const label = document.createElement('label');
    label.textContent = FILTER_LABELS[key]!;
    const select = document.createElement('select');
    select.name = key;
    select.append(new Option('All', ''));
    const entries = Object.entries(values).sort(([a], [b]) => (key === 'year' ? b.localeCompare(a) : a.localeCompare(b)));
    for (const [value, count] of entries) select.append(new Option(`${value} (${count})`, value, false, selected[key] === value));
    select.addEventListener('change', () => {
      if (select.value) selected[key] = select.value;
      else delete selected[key];
      onChange();
    });
    label.append(select);
    box.append(label);
  }
}

const root = document.getElementById('kb-search');
if (root) void start(root);
