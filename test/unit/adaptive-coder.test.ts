/** The adaptive arithmetic coder of the compact index chunks (src/search/adaptive-coder.ts). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AdaptiveDecoder, AdaptiveEncoder, NumberModels } from '../../src/search/adaptive-coder.ts';

/** A repeatable stream of pseudo-random numbers (xorshift32). */
function randoms(seed: number): () => number {
  let x = seed;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

type Item = { kind: 'number' | 'symbol'; context: number; value: number };

function encode(items: readonly Item[]): Uint8Array {
  const encoder = new AdaptiveEncoder();
  const models = new NumberModels(4);
  for (const { kind, context, value } of items) encoder[kind](value, models.get(context));
  return encoder.finish();
}

function decode(bytes: Uint8Array, items: readonly Item[]): number[] {
  const decoder = new AdaptiveDecoder(bytes);
  const models = new NumberModels(4);
  const values = items.map(({ kind, context }) => decoder[kind](models.get(context)));
  assert.ok(decoder.done, 'every coded byte read');
  return values;
}

test('numbers and symbols of any size, in any contexts, decode to what was coded', () => {
  const random = randoms(7);
  const items: Item[] = [];
  const edges = [0, 1, 2, 254, 255, 256, 1000, 2 ** 16, 2 ** 31, 2 ** 32 - 2];
  for (const value of edges) items.push({ kind: 'number', context: 0, value }, { kind: 'symbol', context: 1, value });
  for (let i = 0; i < 20_000; i++) {
    const kind = random() < 0.5 ? 'number' : 'symbol';
    // Mostly small, sometimes large: the odds change as the stream goes on.
    const value = random() < 0.9 ? Math.floor(random() * 40) : Math.floor(random() * 2 ** (1 + Math.floor(random() * 31)));
    items.push({ kind, context: Math.floor(random() * 6), value });
  }
  assert.deepEqual(decode(encode(items), items), items.map((item) => item.value));
  assert.deepEqual(decode(encode([]), []), [], 'an empty stream');
});

test('the odds are learnt: a skewed stream codes to far fewer bits than its values take as bytes, and to about its entropy', () => {
  const random = randoms(11);
  // Weights as in a chunk: mostly 25, 49, 73 (24k + 1), sometimes anything below 128.
  const common = [25, 49, 73];
  const items: Item[] = Array.from({ length: 10_000 }, () => ({ kind: 'symbol', context: 0, value: random() < 0.9 ? common[Math.floor(random() * 3)]! : Math.floor(random() * 128) }));
  const counts = new Map<number, number>();
  for (const { value } of items) counts.set(value, (counts.get(value) ?? 0) + 1);
  const entropyBytes = [...counts.values()].reduce((sum, n) => sum - n * Math.log2(n / items.length), 0) / 8;
  const bytes = encode(items);
  assert.deepEqual(decode(bytes, items), items.map((item) => item.value));
  assert.ok(bytes.length < entropyBytes * 1.06, `${bytes.length} bytes against an entropy of ${Math.round(entropyBytes)}`);
  const same: Item[] = Array.from({ length: 10_000 }, () => ({ kind: 'number', context: 2, value: 1 }));
  assert.ok(encode(same).length < 60, `the same number 10,000 times: ${encode(same).length} bytes`);
});

test('a cut stream is refused, not read as other numbers', () => {
  const items: Item[] = Array.from({ length: 500 }, (_, i) => ({ kind: 'number', context: 0, value: (i * 7919) % 1000 }));
  const bytes = encode(items);
  assert.throws(() => decode(bytes.subarray(0, bytes.length - 2), items), /end early/);
});
