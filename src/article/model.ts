/**
 * The one typed Article model every feature reads: modern (front matter) and legacy (kbarchive)
 * articles are both normalised into it. Pure types, no I/O.
 */
import type { FileData } from '../file-versions.ts';

/** Canonical stop code: `0x` + 8 upper-case hex digits, e.g. `0x00000024`. */
export type StopCodeId = string;

export type ArticleFormat = 'modern' | 'legacy';

/** Article kinds shown in filters. Legacy "Issue type" values (kbprb, kbbug, …) map onto these. */
export const ARTICLE_TYPES = ['hotfix', 'problem', 'bug', 'how-to', 'information', 'troubleshooting', 'reference'] as const;
export type ArticleType = (typeof ARTICLE_TYPES)[number];

export interface Article {
  /** KB number, digits only; the canonical page is `/kb/<id>/`. */
  id: number;
  /** Source file, relative to the working directory, for messages. */
  sourcePath: string;
  format: ArticleFormat;
  title: string;
  /** One or two plain-text sentences for listings, search results and link previews. */
  summary: string;
  type: ArticleType;
  products: string[];
  /** Exact product editions and versions the article applies to. */
  appliesTo: string[];
  versions: string[];
  operatingSystems: string[];
  keywords: string[];
  /** Legacy "Additional query words": indexed for search, not shown as tags. */
  queryWords: string[];
  /** ISO date (YYYY-MM-DD) or null when unknown. */
  published: string | null;
  /** ISO date (YYYY-MM-DD); for legacy articles the "Last Modified" date. */
  updated: string | null;
  stopCodes: StopCodeId[];
  /** Extra paths (e.g. `/kb/243/Q243852/`) that redirect to the canonical page. */
  aliases: string[];
  /** KB numbers the author lists under "see also" (front matter `related`); empty for legacy articles. */
  related: number[];
  /** Markdown body (legacy bodies are converted to Markdown by the legacy importer). */
  body: string;
  fileData: FileData | null;
  /** Non-fatal observations (unknown header fields, unparsed tables, …) for the build report. */
  warnings: string[];
  /** 1-based line of each front-matter field in the source file, for problems found across
   *  articles (a duplicate number, an alias conflict); absent when not known. */
  fieldLines?: Record<string, number>;
}
