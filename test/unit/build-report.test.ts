import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildReport, formatSummary, reportAfter, summarise, type BuildSummary } from '../../src/build-report.ts';
import { article } from '../support/articles.ts';

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

test("the report after a rebuild of a few articles is a full build's: their entries replaced, gained or gone, in the order of KB numbers", () => {
  const before = [article(100, { warnings: ['a'] }), article(200), article(300, { warnings: ['b', 'c'] }), article(400, { warnings: ['d'] })];
  const changed = [article(200, { warnings: ['new'] }), article(300), article(400, { warnings: ['d', 'e'] })];
  const after = before.map((a) => changed.find((c) => c.id === a.id) ?? a);
  const expected = buildReport(after);
  assert.deepEqual(reportAfter(buildReport(before).warnings, changed, summarise(after)), expected);
  assert.deepEqual(expected.warnings.map((entry) => entry.id), [100, 200, 400]);
  assert.deepEqual(reportAfter(buildReport(after).warnings, [], expected.summary), expected, 'nothing changed: the same report');
});
