/** Articles for unit tests that need the model, not a file: every field a plain default. */
import type { Article } from '../../src/article/model.ts';

export function article(id: number, fields: Partial<Article> = {}): Article {
  return {
    id, sourcePath: `content/kb/${id}/index.md`, format: 'modern', title: `Article ${id}`, summary: '', type: 'problem',
    products: [], appliesTo: [], versions: [], operatingSystems: [], keywords: [], queryWords: [], published: '2020-01-01', updated: null,
    stopCodes: [], aliases: [], related: [], body: '', fileData: null, warnings: [], ...fields,
  } as Article;
}
