/**
 * The kbsite Eleventy plugin: wires the article pipeline into Eleventy. Pages are virtual
 * templates paginated over the loaded articles and rendered through `layouts/`; after Eleventy has
 * written the pages, the search index and the search UI script are added to the output.
 */
import path from 'node:path';
import { build as esbuild } from 'esbuild';
import type { Article } from '../article/model.ts';
import { renderBody, type RenderedBody } from '../article/render.ts';
import { formatSize, type FileTable } from '../file-versions.ts';
import { stopCodeName } from '../stop-codes.ts';
import { buildSiteModel, canonicalPath, filePath, productPath, stopCodePath, type FileEntry, type ProductPage, type SiteModel, type StopCodeEntry } from '../site-model.ts';
import { loadSiteConfig, siteUrls, type SiteConfig } from '../site-config.ts';
import { writeSearchIndex } from '../search/index.ts';
import { writeFiles } from '../write-files.ts';
import { KbSiteData, loadSite, type RenderSelection } from './site-data.ts';
import { PACKAGE_ROOT } from '../package-root.ts';

export interface KbPluginOptions {
  /** Folder of articles; default `content`, or $KB_CONTENT_DIR. */
  contentDir?: string;
  config?: SiteConfig;
  /** A site already loaded and validated (by the CLI), used for the first build. */
  preloaded?: SiteModel;
  /** Log lines (index counts) go here; default console.log. */
  log?: (line: string) => void;
  /**
   * Set by `kb build`, which writes the search index and the data outputs itself (in parallel with
   * Eleventy, and only what changed) and chooses which pages Eleventy renders. Without it (kb serve,
   * a plain `eleventy` run) the plugin does everything on every build.
   */
  managedBuild?: boolean;
  /** Which paginated pages to render (kb build's rebuilds); default all. */
  render?: RenderSelection;
  /** The build writes (or keeps) a search delta index, which the search page must merge. */
  hasSearchDelta?: boolean;
  /** Called with the number of pages written so far (for progress). */
  onPageWritten?: (count: number) => void;
}

// Eleventy's config API is untyped JavaScript; this is the part of it we use.
interface EleventyConfig {
  addGlobalData(name: string, value: unknown): void;
  addTemplate(path: string, content: unknown, data?: Record<string, unknown>): void;
  addFilter(name: string, fn: (...args: any[]) => unknown): void;
  addPassthroughCopy(copy: Record<string, string>): void;
  addWatchTarget(target: string): void;
  setLibrary(name: string, lib: unknown): void;
  on(event: string, fn: (arg: any) => unknown): void;
  addTransform(name: string, fn: (content: string) => string | Promise<string>): void;
  setQuietMode(quiet: boolean): void;
  benchmarkManager: { getAll(): Record<string, { setIsVerbose(verbose: boolean): void }> };
}

const rel = (p: string) => path.relative(process.cwd(), p) || '.';

/** Options the CLI sets before Eleventy loads `.eleventy.js`, which adds the plugin without options. */
const pluginDefaults: KbPluginOptions = {};
export function setPluginDefaults(options: KbPluginOptions): void {
  Object.assign(pluginDefaults, options);
}

/**
 * The build being configured. Filters and templates read it through this module-level variable, not
 * through closures: Eleventy can keep compiled Nunjucks templates (with the filters of an earlier
 * Eleventy instance) within one process, and tests build several sites in one process.
 */
let current: { config: SiteConfig; urls: ReturnType<typeof siteUrls>; data: KbSiteData; rendered: WeakMap<Article, RenderedBody> };

export default function kbsitePlugin(eleventyConfig: EleventyConfig, explicit: KbPluginOptions = {}): void {
  const options = { ...pluginDefaults, ...explicit };
  const contentDir = options.contentDir ?? process.env.KB_CONTENT_DIR ?? 'content';
  const config = options.config ?? loadSiteConfig();
  const log = options.log ?? ((line: string) => console.log(line));
  const data = new KbSiteData(options.preloaded ?? emptySite(config), options.render);
  data.hasSearchDelta = options.hasSearchDelta ?? false;
  let preloaded = Boolean(options.preloaded);
  current = { config, urls: siteUrls(config), data, rendered: new WeakMap<Article, RenderedBody>() };

  eleventyConfig.addGlobalData('kbsite', data);
  eleventyConfig.addWatchTarget(contentDir);
  // kb prints its own progress. Eleventy's notes on slow parts ("Benchmark 51ms 9% 5× (Configuration)
  // "renderArticle" Nunjucks Filter") come from groups made before its quiet mode reaches them.
  if (options.managedBuild) for (const group of Object.values(eleventyConfig.benchmarkManager.getAll())) group.setIsVerbose(false);
  // A large build renders its articles in several Eleventy runs; the site's own pages and assets come with the first.
  const sitePages = options.render?.sitePages ?? true;
  if (sitePages) eleventyConfig.addPassthroughCopy({ [rel(path.join(PACKAGE_ROOT, 'public'))]: '/' });

  if (options.onPageWritten) {
    let written = 0;
    const report = options.onPageWritten;
    eleventyConfig.addTransform('kb-progress', async (content: string) => {
      report(++written);
      // Give the event loop a turn now and then. Eleventy renders a run's pages in one long chain of
      // promises, during which Node reads no pipe: the Pagefind processes indexing beside it
      // (src/search/index.ts) could not hand over their bundles and waited, 26 s instead of 10 s
      // for two shards of a 20,000-article build.
      if (written % 8 === 0) await new Promise<void>((resolve) => setImmediate(resolve));
      return content;
    });
  }

  eleventyConfig.on('eleventy.before', async () => {
    if (preloaded) {
      preloaded = false;
      return;
    }
    data.replace((await loadSite(contentDir, config)).site);
  });

  if (!options.managedBuild) {
    eleventyConfig.on('eleventy.after', async ({ directories }: { directories: { output: string } }) => {
      const { plannedDirectOutputs } = await import('../build/direct-outputs.ts');
      await writeFiles(directories.output, plannedDirectOutputs(data, href, absolute));
      const count = await writeSearchIndex(data.articles, directories.output);
      log(`[kb] search index: ${count} articles indexed`);
    });
  }

  eleventyConfig.on('eleventy.after', async ({ directories }: { directories: { output: string } }) => {
    if (!sitePages) return;
    const output = directories.output;
    await esbuild({
      entryPoints: { search: path.join(PACKAGE_ROOT, 'src/client/search.ts'), 'file-page': path.join(PACKAGE_ROOT, 'src/client/file-page.ts'), article: path.join(PACKAGE_ROOT, 'src/client/article.ts') },
      bundle: true,
      minify: true,
      format: 'esm',
      target: 'es2020',
      outdir: path.join(output, 'assets'),
      logLevel: 'silent',
    });
  });

  // --- filters used by the layouts ------------------------------------------------------------
  const href = (p: string) => current.urls.href(p);
  const absolute = (p: string) => current.urls.absolute(p);
  eleventyConfig.addFilter('href', href);
  eleventyConfig.addFilter('absoluteUrl', absolute);
  eleventyConfig.addFilter('articlePath', (id: number) => canonicalPath(id));
  eleventyConfig.addFilter('stopPath', (code: string) => stopCodePath(code));
  eleventyConfig.addFilter('productPath', (slug: string, page?: number) => productPath(slug, page));
  eleventyConfig.addFilter('filePath', (name: string) => filePath(name));
  eleventyConfig.addFilter('renderArticle', (article: Article) => {
    let result = current.rendered.get(article);
    if (!result) {
      result = renderBody(article.body, {
        hasArticle: (id) => current.data.byId.has(id),
        articleUrl: (id) => href(canonicalPath(id)),
      }, {
        // Legacy bodies are escaped text by construction; skipping the sanitiser saves ~0.2 ms each.
        rawHtml: article.format === 'modern',
      });
      current.rendered.set(article, result);
    }
    return result;
  });
  eleventyConfig.addFilter('fileTable', (article: Article, id: string): FileTable | undefined => article.fileData?.tables.find((t) => t.id === id));
  eleventyConfig.addFilter('unplacedTables', (article: Article, placed: string[]) =>
    (article.fileData?.tables ?? []).filter((t) => !placed.includes(t.id)),
  );
  eleventyConfig.addFilter('formatSize', (bytes: number | null) => (bytes === null ? '' : formatSize(bytes)));
  eleventyConfig.addFilter('backlinks', (article: Article) => current.data.links.backlinks.get(article.id) ?? []);
  eleventyConfig.addFilter('related', (article: Article) => current.data.links.related.get(article.id) ?? []);
  eleventyConfig.addFilter('stopName', (code: string) => stopCodeName(code) ?? '');
  // JSON for <script type="application/ld+json">: `<` is escaped so no value can close the script.
  eleventyConfig.addFilter('jsonScript', (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c'));

  // --- pages ------------------------------------------------------------------------------------
  eleventyConfig.addTemplate('kb-article.11ty.js', {
    data: {
      layout: 'article.njk',
      pagination: { data: 'kbsite.render.articles', size: 1, alias: 'article', addAllPagesToCollections: false },
      permalink: (d: { article: Article }) => canonicalPath(d.article.id),
      eleventyComputed: {
        title: (d: { article: Article }) => `KB${d.article.id}: ${d.article.title}`,
        description: (d: { article: Article }) => d.article.summary,
        canonicalPath: (d: { article: Article }) => canonicalPath(d.article.id),
        jsonLd: (d: { article: Article }) => articleJsonLd(d.article, current.config, absolute),
      },
    },
    render: () => '',
  });
  eleventyConfig.addTemplate('kb-stop.11ty.js', {
    data: {
      layout: 'stop-code.njk',
      pagination: { data: 'kbsite.render.stopCodes', size: 1, alias: 'stop' },
      permalink: (d: { stop: StopCodeEntry }) => stopCodePath(d.stop.code),
      eleventyComputed: { title: (d: { stop: StopCodeEntry }) => `Stop ${d.stop.code}${d.stop.name ? ` ${d.stop.name}` : ''}` },
    },
    render: () => '',
  });
  eleventyConfig.addTemplate('kb-product.11ty.js', {
    data: {
      layout: 'product.njk',
      pagination: { data: 'kbsite.render.productPages', size: 1, alias: 'productPage' },
      permalink: (d: { productPage: ProductPage }) => d.productPage.path,
      eleventyComputed: { title: (d: { productPage: ProductPage }) => `${d.productPage.product.name}${d.productPage.page > 1 ? ` (page ${d.productPage.page})` : ''}` },
    },
    render: () => '',
  });
  eleventyConfig.addTemplate('kb-file.11ty.js', {
    data: {
      layout: 'file.njk',
      pagination: { data: 'kbsite.render.files', size: 1, alias: 'file' },
      permalink: (d: { file: FileEntry }) => filePath(d.file.name),
      eleventyComputed: { title: (d: { file: FileEntry }) => `${d.file.name}: every version` },
    },
    render: () => '',
  });
  if (sitePages) addSitePages(eleventyConfig);
  else {
    if (options.render?.searchPage) addSearchPage(eleventyConfig);
    if (options.render?.homePage) addHomePage(eleventyConfig);
    if (options.render?.productsPage) addProductsPage(eleventyConfig);
    if (options.render?.stopIndexPage) addStopIndexPage(eleventyConfig);
    if (options.render?.filesIndexPage) addFilesIndexPage(eleventyConfig);
  }
}

/** The pages of the site itself: home, search and the indexes of stop codes, products and files. */
function addSitePages(eleventyConfig: EleventyConfig): void {
  addStopIndexPage(eleventyConfig);
  addProductsPage(eleventyConfig);
  addFilesIndexPage(eleventyConfig);
  addHomePage(eleventyConfig);
  addSearchPage(eleventyConfig);
}

/** The home page shows the newest articles, the products and the most-referenced stop codes (layouts/listing.njk). */
function addHomePage(eleventyConfig: EleventyConfig): void {
  eleventyConfig.addTemplate('kb-home.11ty.js', { data: { layout: 'listing.njk', permalink: '/', title: 'Home' }, render: () => '' });
}

/** Every stop code, with its name and how many articles it has (layouts/stop-index.njk). */
function addStopIndexPage(eleventyConfig: EleventyConfig): void {
  eleventyConfig.addTemplate('kb-stop-index.11ty.js', { data: { layout: 'stop-index.njk', permalink: '/stop/', title: 'Stop codes' }, render: () => '' });
}

/** Every file, with how many versions the site lists (layouts/files.njk). */
function addFilesIndexPage(eleventyConfig: EleventyConfig): void {
  eleventyConfig.addTemplate('kb-files.11ty.js', { data: { layout: 'files.njk', permalink: '/files/', title: 'Files' }, render: () => '' });
}

/** Every product, with how many articles it has (layouts/products.njk). */
function addProductsPage(eleventyConfig: EleventyConfig): void {
  eleventyConfig.addTemplate('kb-products.11ty.js', { data: { layout: 'products.njk', permalink: '/products/', title: 'Products' }, render: () => '' });
}

/** The search page shows only the config and whether there is a search delta index (site-data.ts). */
function addSearchPage(eleventyConfig: EleventyConfig): void {
  eleventyConfig.addTemplate('kb-search.11ty.js', { data: { layout: 'search.njk', permalink: '/search/', title: 'Search' }, render: () => '' });
}

/** schema.org TechArticle, so chat tools and ticket systems unfurl a pasted link with number, title and summary. */
function articleJsonLd(article: Article, config: SiteConfig, absolute: (p: string) => string): Record<string, unknown> {
  return {
    '@context': 'https://schema.org',
    '@type': 'TechArticle',
    headline: `KB${article.id}: ${article.title}`,
    description: article.summary,
    identifier: `KB${article.id}`,
    url: absolute(canonicalPath(article.id)),
    ...(article.published ? { datePublished: article.published } : {}),
    ...(article.updated ? { dateModified: article.updated } : {}),
    ...(article.products.length ? { about: article.products.map((name) => ({ '@type': 'Product', name })) } : {}),
    ...(article.keywords.length ? { keywords: article.keywords.join(', ') } : {}),
    publisher: { '@type': 'Organization', name: config.name },
  };
}

function emptySite(config: SiteConfig): SiteModel {
  return buildSiteModel([], config).site;
}


/** Eleventy directory settings: no template files of our own; layouts come from the package. */
export function eleventyDirectories(outputDir: string) {
  const input = rel(path.join(PACKAGE_ROOT, 'src/eleventy'));
  return {
    input,
    includes: path.relative(input, path.join(PACKAGE_ROOT, 'layouts')),
    layouts: path.relative(input, path.join(PACKAGE_ROOT, 'layouts')),
    data: '_no_global_data_files',
    output: outputDir,
  };
}
