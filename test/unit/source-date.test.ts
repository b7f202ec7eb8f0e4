/** SOURCE_DATE_EPOCH: the date of a site whose content has none; never the clock. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadSiteConfig, sourceDateFromEnv } from '../../src/site-config.ts';
import { buildSiteModel } from '../../src/site-model.ts';
import { atomFeed } from '../../src/machine-readable.ts';
import { runKb } from '../support/build.ts';

test('SOURCE_DATE_EPOCH is read as a UTC date; unset or empty means none', () => {
  assert.equal(sourceDateFromEnv('1700000000'), '2023-11-14');
  assert.equal(sourceDateFromEnv('0'), '1970-01-01');
  assert.equal(sourceDateFromEnv(undefined), undefined);
  assert.equal(sourceDateFromEnv(''), undefined);
  assert.equal(loadSiteConfig('no-such-kbsite.yaml', {}, { SOURCE_DATE_EPOCH: '1700000000' }).sourceDate, '2023-11-14');
  assert.equal(loadSiteConfig('no-such-kbsite.yaml', {}, {}).sourceDate, undefined);
});

test('a SOURCE_DATE_EPOCH that is not a number of seconds is a usage error naming the variable', async () => {
  assert.throws(() => sourceDateFromEnv('2023-11-14'), /SOURCE_DATE_EPOCH must be a whole number of seconds since 1970-01-01 UTC, like 1700000000 \(got "2023-11-14"\)/);
  const saved = process.env.SOURCE_DATE_EPOCH;
  process.env.SOURCE_DATE_EPOCH = 'yesterday';
  try {
    const run = await runKb(['check', '--content', 'content']);
    assert.equal(run.exitCode, 64);
    assert.match(run.stderr, /SOURCE_DATE_EPOCH must be a whole number/);
  } finally {
    if (saved === undefined) delete process.env.SOURCE_DATE_EPOCH;
    else process.env.SOURCE_DATE_EPOCH = saved;
  }
});

test("the feed's updated stamp of a site without dated articles is SOURCE_DATE_EPOCH's date, else 1970 (never the clock)", () => {
  const config = { name: 'KB', baseUrl: 'https://kb.example.com', pathPrefix: '/' };
  const absolute = (p: string) => `https://kb.example.com${p}`;
  const feedUpdated = (c: typeof config & { sourceDate?: string }) => atomFeed(buildSiteModel([], c).site, absolute).match(/<updated>([^<]*)<\/updated>/)?.[1];
  assert.equal(feedUpdated(config), '1970-01-01T00:00:00Z');
  assert.equal(feedUpdated({ ...config, sourceDate: '2023-11-14' }), '2023-11-14T00:00:00Z');
});
