import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isSuperseded } from '../../src/client/search-delta.ts';

const delta = { replaced: new Set(['/kb/5000101/', '/kb/5000103/']) };

test('a full-index result for an article the delta index replaces is hidden; the delta copy is kept', () => {
  assert.equal(isSuperseded({ url: '/kb/5000101/', meta: {} }, delta, '/'), true);
  assert.equal(isSuperseded({ url: '/kb/5000101/', meta: { delta: '1' } }, delta, '/'), false);
  assert.equal(isSuperseded({ url: '/kb/5000102/', meta: {} }, delta, '/'), false);
});

test('under a path prefix the result URL is compared without the prefix', () => {
  assert.equal(isSuperseded({ url: '/support/kb/5000103/', meta: {} }, delta, '/support/'), true);
  assert.equal(isSuperseded({ url: '/support/kb/5000101/#cause', meta: {} }, delta, '/support/'), true);
});

test('without a delta index nothing is hidden', () => {
  assert.equal(isSuperseded({ url: '/kb/5000101/', meta: {} }, null, '/'), false);
});
