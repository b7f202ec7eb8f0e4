/**
 * The front-matter schema of a modern article, and the friendly messages for its failures.
 * Front matter is read with YAML's failsafe schema (every scalar is a string), so what the author
 * typed reaches these checks unchanged: `0x24` stays `0x24` (not the number 36) and dates stay
 * dates as written (no time-zone shifts).
 */
import { z } from 'zod';
import { ARTICLE_TYPES } from './model.ts';
import { canonicalStopCode } from '../stop-codes.ts';
import { closestName } from '../did-you-mean.ts';

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True for a real calendar date written YYYY-MM-DD. */
export function isRealIsoDate(text: string): boolean {
  const m = ISO_DATE.exec(text);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

const text = (field: string, example: string) =>
  z.string({ error: `"${field}" must be text like ${example}` }).trim().min(1, `"${field}" must not be empty (e.g. ${example})`);

const list = (field: string, example: string) =>
  z
    .union([z.string(), z.array(z.string({ error: `each entry of "${field}" must be text like ${example}` }))], {
      error: `"${field}" must be a list like [${example}]`,
    })
    .transform((v) => (Array.isArray(v) ? v : [v]).map((s) => s.trim()).filter(Boolean));

const isoDate = (field: string) =>
  z.string({ error: `"${field}" must be a date like 2013-01-03` }).refine(isRealIsoDate, {
    error: (issue) => `"${field}" must be a date like 2013-01-03 (got ${JSON.stringify(issue.input)})`,
  });

/** A stop-code entry: `0x24` adds a code, `-0x24` suppresses one detected in the body. */
const stopCodeEntry = z.string().refine((s) => canonicalStopCode(s.replace(/^[-!]\s*/, '')) !== null, {
  error: (issue) =>
    `"stopCodes" entries must be stop codes like 0x00000024 or NTFS_FILE_SYSTEM, or -0x00000024 to suppress a detected one (got ${JSON.stringify(issue.input)})`,
});

export const frontMatterSchema = z
  .object({
    /** KB number, digits only: the article lives at /kb/<id>/ forever. */
    id: z
      .string({ error: '"id" must be the KB number, digits only, like 2792165' })
      .regex(/^\d{1,9}$/, { error: (i) => `"id" must be the KB number, digits only, like 2792165 (got ${JSON.stringify(i.input)})` })
      .transform(Number),
    /** Title as shown on the page and in search results. */
    title: text('title', '"Stop error when …"'),
    /** One or two sentences for listings, search results and link previews. */
    summary: text('summary', '"Fixes a Stop 0x00000024 error that occurs when …"'),
    /** Kind of article, used as a search filter. */
    type: z.enum(ARTICLE_TYPES, {
      error: (i) => `"type" must be one of ${ARTICLE_TYPES.join(', ')} (got ${JSON.stringify(i.input)})`,
    }),
    /** Product families, e.g. Windows Server 2008. */
    products: list('products', 'Windows Server 2008').refine((v) => v.length > 0, '"products" must name at least one product'),
    /** Exact editions the article applies to. */
    appliesTo: list('appliesTo', 'Windows Server 2008 Service Pack 2').optional(),
    /** First publication date. */
    published: isoDate('published'),
    /** Last substantive update; defaults to `published`. */
    updated: isoDate('updated').optional(),
    keywords: list('keywords', 'ntfs, unmount').optional(),
    /** Stop codes in addition to those found in the body; `-0x…` suppresses a detected one. */
    stopCodes: z.array(stopCodeEntry, { error: '"stopCodes" must be a list like [0x00000024]' }).optional(),
    /** Extra URLs or names (Q243852, KB243852, /old/path/) that redirect to this article. */
    aliases: list('aliases', 'KB2792165').optional(),
    /** KB numbers of articles to read next ("see also"); each must be an article of the site. */
    related: list('related', '5000101, 5000102')
      .pipe(z.array(z.string().regex(/^\d{1,9}$/, { error: (i) => `"related" entries must be KB numbers, digits only, like 5000101 (got ${JSON.stringify(i.input)})` }).transform(Number)))
      .optional(),
  })
  .strict()
  .superRefine((fm, ctx) => {
    if (fm.updated && fm.updated < fm.published) {
      ctx.addIssue({ code: 'custom', path: ['updated'], message: `"updated" (${fm.updated}) must not be before "published" (${fm.published})` });
    }
  });

export type FrontMatter = z.output<typeof frontMatterSchema>;

export interface FieldProblem {
  field: string;
  message: string;
}

const FIELDS = Object.keys(frontMatterSchema.shape);

/** Validate front matter; on failure, one message per problem, written for a person. */
export function validateFrontMatter(data: unknown): { ok: true; value: FrontMatter } | { ok: false; problems: FieldProblem[] } {
  const result = frontMatterSchema.safeParse(data);
  if (result.success) return { ok: true, value: result.data };
  const problems: FieldProblem[] = [];
  for (const issue of result.error.issues) {
    const field = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        const near = closestName(key, FIELDS);
        problems.push({ field: key, message: `unknown field "${key}"; known fields are ${FIELDS.join(', ')}${near ? `; did you mean "${near}"?` : ''}` });
      }
      continue;
    }
    // Zod leaves the input out of finished issues, so "missing" is read from the data itself:
    // `title: [a]` is a wrong type with its own message, not a missing title.
    const isMissing = issue.path.length === 1 && (data as Record<string, unknown>)[field] === undefined;
    problems.push({ field, message: isMissing ? `"${field}" is required` : issue.message });
  }
  return { ok: false, problems };
}
