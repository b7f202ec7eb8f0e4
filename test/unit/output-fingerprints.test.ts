/** The outputs' fingerprints as the build state keeps them (src/build/output-fingerprints.ts). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deserialize, serialize } from 'node:v8';
import { OutputFingerprints, pack } from '../../src/build/output-fingerprints.ts';

/** Names in no particular order, some sharing prefixes, one with a non-ASCII letter; 16-character fingerprints. */
function outputs(count: number): Map<string, string> {
  const map = new Map<string, string>();
  for (let i = count - 1; i >= 0; i--) map.set(i % 7 === 0 ? `files/dätei${i}.sys/index.html` : `kb/${i}/index.html`, `fp${String(i).padStart(14, '0')}`);
  map.set('kb/1.json', 'fpjson0000000001');
  return map;
}

/** Saved and read back as the state file does it. */
const roundTrip = (fingerprints: OutputFingerprints) => OutputFingerprints.fromSaved(deserialize(serialize(fingerprints.saved())))!;

test('packed and read back, every name has its fingerprint and no other name has one', () => {
  const map = outputs(1000);
  const read = roundTrip(OutputFingerprints.of(map));
  for (const [name, fingerprint] of map) assert.equal(read.get(name), fingerprint, name);
  for (const missing of ['', 'kb/1000/index.html', 'kb/1/index.htm', 'kb/1/index.html ', 'zzz', 'files/dätei7.sys']) assert.equal(read.has(missing), false, missing);
  assert.deepEqual(read.asMap(), map);
});

test('changes to a packed set are kept beside it, saved as a list, and win over the packed fingerprints', () => {
  const map = outputs(500);
  const read = roundTrip(OutputFingerprints.of(map));
  read.set('kb/10/index.html', 'changed000000010');
  read.set('kb/new/index.html', 'new0000000000000');
  const saved = read.saved();
  assert.deepEqual(saved.changed, [
    ['kb/10/index.html', 'changed000000010'],
    ['kb/new/index.html', 'new0000000000000'],
  ]);
  const again = roundTrip(read);
  assert.equal(again.get('kb/10/index.html'), 'changed000000010');
  assert.equal(again.get('kb/new/index.html'), 'new0000000000000');
  assert.equal(again.get('kb/11/index.html'), map.get('kb/11/index.html'));
  const expected = new Map(map).set('kb/10/index.html', 'changed000000010').set('kb/new/index.html', 'new0000000000000');
  assert.deepEqual(again.asMap(), expected, 'the Map a modelling build works with has the changes');
  assert.deepEqual(again.saved().changed, [], 'a set turned into a Map is packed again, changes included');
});

test('a name deleted from a packed set is gone from it, saved and read back, and from its Map', () => {
  const map = outputs(500);
  const read = roundTrip(OutputFingerprints.of(map));
  read.delete('kb/10/index.html');
  read.delete('kb/new/index.html');
  read.set('kb/new/index.html', 'new0000000000000');
  read.delete('kb/new/index.html');
  const again = roundTrip(read);
  for (const name of ['kb/10/index.html', 'kb/new/index.html']) assert.equal(again.has(name), false, name);
  assert.equal(again.get('kb/11/index.html'), map.get('kb/11/index.html'));
  const expected = new Map(map);
  expected.delete('kb/10/index.html');
  assert.deepEqual(again.asMap(), expected);
  const unpacked = OutputFingerprints.of(new Map(map));
  unpacked.delete('kb/11/index.html');
  assert.equal(unpacked.has('kb/11/index.html'), false, 'from a Map too');
});

test('fingerprints of different lengths are saved as a list of changes, still correct', () => {
  const map = new Map([
    ['b', 'short'],
    ['a', 'a-longer-fingerprint'],
  ]);
  const saved = pack(map);
  assert.equal(saved.starts.length, 0);
  const read = OutputFingerprints.fromSaved(deserialize(serialize(saved)))!;
  assert.equal(read.get('a'), 'a-longer-fingerprint');
  assert.equal(read.get('b'), 'short');
});

test('a state file in another form is not taken for fingerprints', () => {
  assert.equal(OutputFingerprints.fromSaved(new Map([['a', 'b']])), null, 'the Map of state format 2');
  assert.equal(OutputFingerprints.fromSaved({ names: 'a\n', starts: new Uint32Array([0]), fingerprints: 'xy', width: 3, changed: [] }), null, 'fingerprints of the wrong length');
  assert.equal(OutputFingerprints.fromSaved(null), null);
});
