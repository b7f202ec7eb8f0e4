/**
 * The site config: one optional file, `kbsite.yaml` in the working directory.
 *   name: Contoso Support KB          # site name in titles and the header
 *   baseUrl: https://kb.example.com   # absolute URL the site is served from (for link previews)
 *   pathPrefix: /                     # set to /some/prefix/ when served below a path
 * and one environment variable, SOURCE_DATE_EPOCH (https://reproducible-builds.org/specs/source-date-epoch/).
 */
import { readFileSync } from 'node:fs';
import YAML from 'yaml';
import { ContentError, UsageError } from './errors.ts';

export interface SiteConfig {
  name: string;
  baseUrl: string;
  /** Always starts and ends with `/`. */
  pathPrefix: string;
  /**
   * From SOURCE_DATE_EPOCH (YYYY-MM-DD, UTC): the date of a site whose content has none, where one
   * is needed (the feed's `updated`). Output dates otherwise come from the articles, never the clock.
   */
  sourceDate?: string;
}

/** A site path (`/kb/243852/`) as a link on the site (`href`, path prefix included) and as a full URL (`absolute`). */
export function siteUrls(config: SiteConfig): { href: (sitePath: string) => string; absolute: (sitePath: string) => string } {
  const prefix = config.pathPrefix.replace(/\/$/, '');
  return { href: (p) => prefix + p, absolute: (p) => config.baseUrl + prefix + p };
}

export const DEFAULT_CONFIG: SiteConfig = { name: 'kbsite Knowledge Base', baseUrl: 'http://localhost:8080', pathPrefix: '/' };

export function normalisePathPrefix(prefix: string): string {
  const trimmed = prefix.replace(/^\/+|\/+$/g, '');
  return trimmed ? `/${trimmed}/` : '/';
}

/** SOURCE_DATE_EPOCH (seconds since 1970, UTC) as a date, or undefined when it is not set. */
export function sourceDateFromEnv(value: string | undefined): string | undefined {
  if (value === undefined || value === '') return undefined;
  if (!/^\d{1,12}$/.test(value)) throw new UsageError(`SOURCE_DATE_EPOCH must be a whole number of seconds since 1970-01-01 UTC, like 1700000000 (got ${JSON.stringify(value)})`);
  return new Date(Number(value) * 1000).toISOString().slice(0, 10);
}

export function loadSiteConfig(file = 'kbsite.yaml', overrides: Partial<SiteConfig> = {}, env: NodeJS.ProcessEnv = process.env): SiteConfig {
  let fromFile: Partial<SiteConfig> = {};
  let text: string | null = null;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    /* no config file: defaults */
  }
  if (text !== null) {
    const data = YAML.parse(text, { schema: 'failsafe' }) ?? {};
    for (const key of Object.keys(data)) {
      if (!(key in DEFAULT_CONFIG)) throw new ContentError([{ file, field: key, message: `unknown setting "${key}"; known settings are name, baseUrl, pathPrefix` }]);
    }
    fromFile = data as Partial<SiteConfig>;
  }
  const merged = { ...DEFAULT_CONFIG, ...fromFile, ...Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined)) };
  if (!/^https?:\/\/[^/\s]+/.test(merged.baseUrl)) {
    throw new ContentError([{ file, field: 'baseUrl', message: `"baseUrl" must be an absolute http(s) URL like https://kb.example.com (got ${JSON.stringify(merged.baseUrl)})` }]);
  }
  const sourceDate = sourceDateFromEnv(env.SOURCE_DATE_EPOCH);
  return { name: merged.name, baseUrl: merged.baseUrl.replace(/\/+$/, ''), pathPrefix: normalisePathPrefix(merged.pathPrefix), ...(sourceDate ? { sourceDate } : {}) };
}
