import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatSummary, type BuildSummary } from '../../src/build-report.ts';

const summary = (over: Partial<BuildSummary>): BuildSummary => ({
  articles: 1, modern: 1, legacy: 0, withProducts: 1, withKeywords: 0, withDate: 1, withStopCodes: 0,
  fileTables: 0, tablesLeftAsText: 0, warnings: 0, articlesWithWarnings: 0, ...over,
});

test('the end-of-build summary counts one article in the singular and more in the plural', () => {
  const one = formatSummary(summary({ withStopCodes: 1, warnings: 2, articlesWithWarnings: 1 })).join('\n');
  assert.match(one, /stop codes in 1 article$/m);
  assert.match(one, /warnings: 2 in 1 article$/m);
  const many = formatSummary(summary({ articles: 3, withStopCodes: 2, warnings: 3, articlesWithWarnings: 0 })).join('\n');
  assert.match(many, /stop codes in 2 articles$/m);
  assert.match(many, /warnings: 3 in 0 articles$/m);
});
