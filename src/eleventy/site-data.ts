/**
 * Loading the whole site (articles + config → SiteModel) with every problem collected, shared by
 * the CLI (which validates before Eleventy starts, for clean messages) and the Eleventy plugin.
 */
import { ContentError } from '../errors.ts';
import { loadArticles } from '../article/load.ts';
import { buildSiteModel, type SiteModel } from '../site-model.ts';
import type { SiteConfig } from '../site-config.ts';

export async function loadSite(contentDir: string, config: SiteConfig): Promise<SiteModel> {
  const { articles, problems } = await loadArticles(contentDir);
  const { site, problems: siteProblems } = buildSiteModel(articles, config);
  const all = [...problems, ...siteProblems];
  if (all.length) throw new ContentError(all);
  return site;
}

/**
 * The site handed to Eleventy as global data. A class instance, not a plain object, so Eleventy's
 * data cascade passes it by reference instead of deep-merging 60,000 articles into every template.
 */
export class KbSiteData {
  constructor(readonly site: SiteModel) {}
  get articles() {
    return this.site.articles;
  }
  get redirects() {
    return this.site.redirects;
  }
  get withFileData() {
    return this.site.withFileData;
  }
  get config() {
    return this.site.config;
  }
  get products() {
    return this.site.products;
  }
  get stopCodes() {
    return this.site.stopCodes;
  }
  get productPages() {
    return this.site.productPages;
  }
  get files() {
    return this.site.files;
  }
  get recent() {
    return this.site.recent;
  }
}
