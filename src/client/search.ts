/**
 * The search page: runs Pagefind in the browser. `/search/?q=…` searches on load, so a search can
 * be pasted into a ticket. A stop code in any spelling (also inside a pasted `!analyze` or
 * event-log line) becomes an exact `stop` filter, so `0x24` never matches `0x240…`.
 * Bundled by esbuild at build time into /assets/search.js.
 *
 * What a search transfers is kept small for a 60,000-article index (measured with
 * bench/search-transfer.ts):
 * - A result's title and excerpt come from its Pagefind fragment (1–3 KB, one request each). Only the
 *   results on screen are loaded: the first PAGE_SIZE, in parallel, then PAGE_SIZE more per
 *   "Show more results". Loading 50 per search cost 50–160 KB and most of the latency. The first
 *   FIRST_BATCH of a new search are shown before the rest of its page is loaded.
 * - The filter lists come from Pagefind's filter index (every page of every value: 60 KB at 10,000
 *   articles), loaded only when the reader opens the filters or arrives with a filter in the URL.
 * - The same search is never run twice in a row (Enter, then the typing pause, would).
 * - After a rebuild, the full index's stale copies of changed articles (search-delta.ts) are
 *   skipped as the pages of results are loaded, not by loading every result first; until the last
 *   page is loaded, the count may include stale copies further down (at most one per changed
 *   article that matches).
 * - The index's meta file (every page's name and word count, the chunk and filter lists: 222 KB at
 *   60,000 articles) is loaded in a compact form of 77 KB (compact-index-fetch.ts).
 * - Nothing is preloaded per keystroke: each prefix lands in a different index chunk (`p`, `pr`,
 *   `pri`, `printer`: four chunks, 135 KB, where the search itself needs one, 42 KB).
 * - Words in most articles ("windows", "the") are left out of a search with other words, and the
 *   page says so with a link that searches every word (src/search/common-words.ts).
 * - The index keeps one location per word and page (src/search/index-chunks.ts), and its chunks are
 *   loaded in a compact form without most of them (src/search/compact-chunks.ts), so a quoted phrase is
 *   searched as its words and checked in each result's text, and the excerpt is cut and marked here
 *   (src/client/result-text.ts).
 */
import { canonicalStopCode, parseStopCodeQuery, stopCodeName } from '../stop-codes.ts';
import { isSuperseded, mergeDeltaIndex, type DeltaIndex } from './search-delta.ts';
import { newestFirst } from '../search/page-names.ts';
import { loadSearchIndexCompactly } from './compact-index-fetch.ts';
import { PREFETCH_OPTION } from './fragment-prefetch.ts';
import { FIRST_WINDOW, resultListOf, searchInWindows, type ResultList } from './result-window.ts';
import { counted } from '../counted.ts';
import { phraseExcerpt, phraseWordsQuery, quotedPhrase, termMatcher, termsExcerpt, type Segment } from './result-text.ts';
import { COMMON_WORDS_FILE, leaveOutCommonWords, type CommonWords, type LeftOut } from '../search/common-words.ts';
import { stem } from 'porter2';

interface PagefindResultData {
  url: string;
  /** The article's text as indexed (the excerpt is cut from it, and a quoted phrase checked in it). */
  content: string;
  meta: Record<string, string>;
}

/** A result ready to show: its fragment and the excerpt to show with it. */
interface LoadedResult {
  data: PagefindResultData;
  excerpt: Segment[];
}
interface PagefindResult {
  id: string;
  data(): Promise<PagefindResultData>;
}
interface Pagefind {
  init(): Promise<void>;
  options(o: Record<string, unknown>): Promise<void>;
  filters(): Promise<Record<string, Record<string, number>>>;
  mergeIndex(url: string, options?: Record<string, unknown>): Promise<void>;
  search(term: string | null, options?: Record<string, unknown>): Promise<{ results: PagefindResult[] }>;
}

/** Results shown at once, and added by each "Show more results". */
const PAGE_SIZE = 10;
/**
 * A new search shows its first results as soon as this many are loaded, and the rest of the page
 * right after. Each result is one fragment request; in Chromium on 2 cores, 10 requests in
 * parallel took 60–190 ms against 7–16 ms for one, and a browser opens at most 6 connections
 * to a host, so 5 come back in one round.
 */
const FIRST_BATCH = 5;
/** Searching as you type waits for a pause this long, so a word is not searched letter by letter. */
const TYPING_PAUSE_MS = 250;
/**
 * A quoted phrase is searched as its words, and each result's text is checked for the phrase
 * (src/client/result-text.ts). Loading results to show `count` of them checks at most this many
 * times `count` articles, so a rare phrase in common words does not load hundreds of fragments
 * at once; "Show more" checks further.
 */
const PHRASE_CHECKS_PER_RESULT = 5;

/** The result list on screen: every match of the search, how far it is loaded, and what is shown. */
interface Shown {
  /** Handed over from Pagefind's worker as they are wanted (result-window.ts). */
  results: ResultList<PagefindResult>;
  /** Results before this one are loaded. */
  next: number;
  /** Loaded results not shown: stale copies of articles in the delta index, and articles without a quoted phrase. */
  hidden: number;
  shown: number;
  stop: string | null;
  query: string;
  /** The words of a quoted phrase, which each result is checked for; null for other queries. */
  phrase: string[] | null;
  /** Which searched word a word of a result's text is (result-text.ts), for its excerpt. */
  matchOf: (word: string) => number;
}

function start(root: HTMLElement): void {
  const bundle = root.dataset.bundle ?? '/pagefind/';
  const stopBase = root.dataset.stopBase ?? '/stop/';
  const form = root.querySelector('form')!;
  const input = root.querySelector<HTMLInputElement>('input[name=q]')!;
  const status = document.getElementById('kb-status')!;
  const list = document.getElementById('kb-results')!;
  const more = document.getElementById('kb-more') as HTMLButtonElement | null;
  const filterPanel = document.getElementById('kb-filter-panel') as HTMLDetailsElement | null;
  const filtersBox = document.getElementById('kb-filters')!;
  const stopHit = document.getElementById('kb-stop-hit')!;
  const leftOutNote = document.getElementById('kb-left-out');
  const siteBase = root.dataset.base ?? '/';
  // How many results Pagefind's worker hands over at a time (result-window.ts); a page may set fewer (the browser tests do).
  const resultWindow = Number(root.dataset.resultWindow) || FIRST_WINDOW;
  // The index's common words, left out of searches that have other words (src/search/common-words.ts).
  // Fetched while Pagefind loads; without them every word is searched.
  const commonWords: Promise<CommonWords | null> = fetch(`${bundle}${COMMON_WORDS_FILE}`).then(
    (response) => (response.ok ? (response.json() as Promise<CommonWords>) : null),
    () => null,
  );
  let delta: DeltaIndex | null = null;
  // The listeners below are in place at once, and searches wait for Pagefind: what is typed or
  // submitted while it loads is searched when it is ready.
  const ready = (async () => {
    // Pagefind searches in its web worker, whose script loads the compact meta file
    // (src/search/worker-script.ts); should the worker fail, Pagefind runs here, and this does.
    loadSearchIndexCompactly();
    const pagefind = (await import(/* @vite-ignore */ `${bundle}pagefind.js`)) as Pagefind;
    // Records hold site-relative URLs; the site's path prefix is added here.
    await pagefind.options({ baseUrl: siteBase });
    // After a rebuild the articles changed since the full index are in a second one; its manifest is
    // fetched while Pagefind starts. Should merging fail, the full index is still searched.
    // The build says whether there is one (data-delta), so a site without it makes no request for it.
    const merged = root.dataset.delta === 'yes' ? mergeDeltaIndex(pagefind, siteBase).catch((error: unknown) => (console.error(error), null)) : Promise.resolve(null);
    await pagefind.init();
    delta = await merged;
    return pagefind;
  })();

  const params = new URLSearchParams(location.search);
  input.value = params.get('q') ?? '';
  /** `words=all` in the URL: search every word, common ones too (the note's link sets it; a new query clears it). */
  let everyWord = params.get('words') === 'all';
  const selected: Record<string, string> = {};
  for (const key of FILTER_KEYS) {
    const value = params.get(key);
    if (value) selected[key] = value;
  }

  // The filter lists, loaded once, when first wanted.
  let available: Promise<Record<string, Record<string, number>>> | null = null;
  const loadFilters = (): void => {
    if (available) return;
    filtersBox.textContent = 'Loading filters…';
    available = ready.then((pagefind) => pagefind.filters());
    available.then(
      (values) => {
        filtersBox.replaceChildren();
        renderFilters(filtersBox, values, selected, () => void run());
      },
      (error: unknown) => {
        available = null; // opening the filters again tries again
        filtersBox.textContent = 'The filters could not be loaded.';
        console.error(error);
      },
    );
  };
  if (filterPanel) {
    filterPanel.hidden = false;
    filterPanel.addEventListener('toggle', () => {
      if (filterPanel.open) loadFilters();
    });
    if (Object.keys(selected).length) filterPanel.open = true;
  } else {
    loadFilters();
  }

  // A lone `0x…` token that is not in the bug-check table (e.g. the old shorthand `0x21A`) still
  // counts as a stop code when some article in this site is about it. Every article with a `stop`
  // filter value has the canonical code as an indexed word, so a search for the code with that
  // filter finds one exactly when the site has the code (and loads only the `stop` filter).
  const siteStopCode = async (q: string): Promise<string | null> => {
    if (!/^\s*0x[0-9a-f]{1,8}\s*$/i.test(q)) return null;
    const code = canonicalStopCode(q.trim());
    if (!code) return null;
    const lists = available && (await available.catch(() => null));
    if (lists) return code in (lists.stop ?? {}) ? code : null;
    return (await (await ready).search(code, { filters: { stop: code } })).results.length ? code : null;
  };

  let generation = 0;
  /** What the last search was for: searching it again (Enter, then the typing pause) would change nothing. */
  let lastKey: string | null = null;
  let shown: Shown | null = null;

  /**
   * Loads the next `count` results to show, in parallel, skipping stale copies (rarely another
   * round) and, for a quoted phrase, articles without it (checking at most PHRASE_CHECKS_PER_RESULT
   * times `count`).
   */
  async function nextPage(page: Shown, count = PAGE_SIZE): Promise<LoadedResult[]> {
    const shown: LoadedResult[] = [];
    const lastToCheck = page.phrase ? page.next + count * PHRASE_CHECKS_PER_RESULT : Infinity;
    while (shown.length < count && page.next < Math.min(page.results.total, lastToCheck)) {
      const batch = await page.results.slice(page.next, Math.min(page.next + count - shown.length, lastToCheck));
      const loaded = await Promise.all(batch.map((r) => r.data()));
      page.next += batch.length;
      for (const data of loaded) {
        const excerpt = isSuperseded(data, delta, siteBase) ? null : page.phrase ? phraseExcerpt(data.content, page.phrase) : termsExcerpt(data.content, page.matchOf);
        if (excerpt) shown.push({ data, excerpt });
        else page.hidden++;
      }
    }
    page.shown += shown.length;
    return shown;
  }

  /**
   * The result count in the status, the direct hit and the "Show more" button. A new search always
   * writes the status (it is announced, and the bench times it); more results of the same search
   * rewrite it only if stale copies changed the count.
   */
  function showCounts(page: Shown | null, newSearch: boolean): void {
    if (page) {
      const total = page.results.total - page.hidden;
      const count = counted(total, page.stop ? 'article' : 'result');
      if (page.stop) {
        // The direct hit: the stop code's landing page, above the text results.
        const link = document.createElement('a');
        link.href = `${stopBase}${page.stop}/`;
        link.textContent = `Stop ${page.stop}${stopCodeName(page.stop) ? ` ${stopCodeName(page.stop)}` : ''} — ${count}`;
        stopHit.replaceChildren(link);
      }
      stopHit.hidden = !page.stop;
      // A phrase's count is known once every article with its words is checked.
      const checking = page.phrase !== null && page.next < page.results.total;
      const text = page.stop
        ? count
        : checking
          ? `${counted(page.shown, 'result')} so far for “${page.query}” (${page.next} of ${page.results.total} articles with its words checked)`
          : `${count} for “${page.query}”`;
      if (newSearch || status.textContent !== text) status.textContent = text;
      if (more) more.textContent = checking ? `Check more articles (${page.next} of ${page.results.total} checked)` : `Show more results (${page.shown} of ${total} shown)`;
    }
    if (more) more.hidden = !page || page.next >= page.results.total;
  }

  async function run(): Promise<void> {
    const query = input.value.trim();
    const url = new URL(location.href);
    if (query !== url.searchParams.get('q')) everyWord = false;
    url.searchParams.set('q', query);
    if (everyWord) url.searchParams.set('words', 'all');
    else url.searchParams.delete('words');
    for (const key of FILTER_KEYS) {
      if (selected[key]) url.searchParams.set(key, selected[key]!);
      else url.searchParams.delete(key);
    }
    history.replaceState(null, '', url);
    const key = JSON.stringify([query, selected, everyWord]);
    if (key === lastKey) return;
    lastKey = key;
    const mine = ++generation;
    if (!query && !Object.keys(selected).length) return showNoSearch('');
    list.setAttribute('aria-busy', 'true');
    try {
      const filters: Record<string, string> = { ...selected };
      const stop = parseStopCodeQuery(query) ?? (await siteStopCode(query)) ?? (selected.stop || null);
      if (mine !== generation) return;
      if (!stop && !query) {
        // A product, type or year alone: Pagefind would load its whole index to list them (15 s at
        // 60,000 articles), and "0 results for “”" would be wrong. Say what to do instead.
        return showNoSearch('Type words, a KB number or a stop code to search within the filters. The home page lists articles by product, stop code and date.');
      }
      if (stop) filters.stop = stop;
      // With a stop code the filter is the whole query: the rest of a pasted line would only narrow it
      // wrongly. The canonical code is also the search term (every article with that filter has it as an
      // indexed word): a filter-only search makes Pagefind load its whole index, 15 s at 60,000 articles.
      // A quoted phrase is searched as its words; nextPage keeps the articles that have the phrase.
      const phrase = stop ? null : quotedPhrase(query);
      const words = phrase ? phraseWordsQuery(phrase) : query;
      const common = stop || everyWord ? null : await commonWords;
      const { query: searched, leftOut } = common ? leaveOutCommonWords(words, common, stem) : { query: words, leftOut: [] };
      const term = stop ?? searched;
      // A stop code or a filter alone lists articles newest first, so the page needs every result.
      // Words list by relevance, in Pagefind's order: its worker hands the results over as they are
      // shown (result-window.ts) and fetches the first batch's fragments meanwhile.
      const pagefind = await ready;
      const results = stop || !query
        ? resultListOf(newestFirst((await pagefind.search(term, { filters })).results))
        : await searchInWindows(pagefind.search.bind(pagefind), term, { filters, [PREFETCH_OPTION]: FIRST_BATCH }, resultWindow);
      if (mine !== generation) return;
      // A phrase is checked with every word: nothing is left out of what is found.
      showLeftOut(phrase ? [] : leftOut);
      const page: Shown = { results, next: 0, hidden: 0, shown: 0, stop, query, phrase, matchOf: termMatcher(term, stem) };
      const first = await nextPage(page, FIRST_BATCH);
      if (mine !== generation) return;
      // The status is written in the same task as the first results (bench/search-transfer.ts times it).
      showCounts(page, true);
      list.replaceChildren(...first.map(renderResult));
      shown = page;
      // The rest of the first page; the list stays aria-busy (and "Show more" waits) until it is in.
      const rest = await nextPage(page, PAGE_SIZE - first.length);
      if (mine !== generation) return;
      list.append(...rest.map(renderResult));
      showCounts(page, false);
      list.removeAttribute('aria-busy');
    } catch (error) {
      if (mine !== generation) return;
      lastKey = null; // Enter tries again
      list.removeAttribute('aria-busy');
      status.textContent = 'The search failed. Press Enter to try again.';
      console.error(error);
    }
  }

  /** Nothing searched: no results, counts, direct hit or note; the status says `text`. */
  function showNoSearch(text: string): void {
    shown = null;
    showCounts(null, true);
    list.replaceChildren();
    list.removeAttribute('aria-busy');
    stopHit.hidden = true;
    showLeftOut([]);
    status.textContent = text;
  }

  /** Says which common words a search left out, with a link that searches every word. */
  function showLeftOut(leftOut: readonly LeftOut[]): void {
    if (!leftOutNote) return;
    leftOutNote.hidden = !leftOut.length;
    if (!leftOut.length) return leftOutNote.replaceChildren();
    const words = leftOut.map(({ word, share }) => `“${word}” (in ${Math.round(share * 100)}% of articles)`).join(', ');
    const link = document.createElement('a');
    const url = new URL(location.href);
    url.searchParams.set('words', 'all');
    link.href = url.href;
    link.textContent = 'Search every word';
    link.addEventListener('click', (event) => {
      event.preventDefault();
      everyWord = true;
      void run();
    });
    leftOutNote.replaceChildren(`Left out as too common to narrow the search: ${words}. `, link);
  }

  more?.addEventListener('click', () => {
    const page = shown;
    if (!page || list.getAttribute('aria-busy') === 'true') return;
    const mine = generation;
    list.setAttribute('aria-busy', 'true');
    void nextPage(page).then(
      (data) => {
        if (mine !== generation || shown !== page) return;
        const items = data.map(renderResult);
        list.append(...items);
        list.removeAttribute('aria-busy');
        showCounts(page, false);
        // Keyboard and screen-reader users continue at the first new result.
        items[0]?.querySelector('a')?.focus();
      },
      (error: unknown) => {
        if (mine === generation) list.removeAttribute('aria-busy');
        console.error(error);
      },
    );
  });

  let timer: ReturnType<typeof setTimeout> | undefined;
  input.addEventListener('input', () => {
    clearTimeout(timer);
    // One letter matches too much to be worth a search as you type; Enter still searches it.
    if (input.value.trim().length === 1) return;
    timer = setTimeout(() => void run(), TYPING_PAUSE_MS);
  });
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    clearTimeout(timer);
    void run();
  });
  void run();
}

function renderResult({ data, excerpt: segments }: LoadedResult): HTMLLIElement {
  const li = document.createElement('li');
  li.className = 'result';
  const a = document.createElement('a');
  a.href = data.url;
  const kb = document.createElement('span');
  kb.className = 'kb-number';
  kb.textContent = `KB${data.meta.kb ?? ''}`;
  a.append(kb, ` ${data.meta.title ?? data.url}`);
  const excerpt = document.createElement('p');
  // Text nodes only, and <mark> around the marked words: nothing of an article is parsed as HTML.
  excerpt.append(...segments.map(({ text, marked }) => (marked ? Object.assign(document.createElement('mark'), { textContent: text }) : document.createTextNode(text))));
  li.append(a, excerpt);
  if (data.meta.stopCodes) {
    const codes = document.createElement('p');
    codes.className = 'muted';
    codes.textContent = `Stop codes: ${data.meta.stopCodes}`;
    li.append(codes);
  }
  return li;
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
if (root) start(root);
