/**
 * Reuse between builds in one process. A watching process (src/build/watch.ts) models and plans
 * the whole site again after every save, with the same Article objects for every file that did not
 * change; what is derived from an unchanged article, or from a list of unchanged articles, can be
 * reused instead of computed again. Correct because Article objects are never changed once loaded
 * (the loader makes a new object for a file that changed), and because everything else a value
 * depends on (e.g. the site's base URL, or the list's items) is compared before it is reused.
 */
let keeping = false;

/** From now on, keep what builds derive for the builds after them: called by a watching process
 *  (src/build/watch.ts). A one-shot build keeps nothing, which would cost it memory and the
 *  garbage collector's time (hundreds of thousands of weak entries at 60,000 articles) for nothing. */
export function keepForRebuilds(): void {
  keeping = true;
}

/** Whether this process builds again (see keepForRebuilds); every memo checks it before storing. */
export function keepsForRebuilds(): boolean {
  return keeping;
}

/** Values worked out once per object and context. */
export class ObjectMemo<K extends object, V> {
  private readonly values = new WeakMap<K, { context: string; value: V }>();

  get(key: K, context: string, compute: () => V): V {
    if (!keeping) return compute();
    const memo = this.values.get(key);
    if (memo && memo.context === context) return memo.value;
    const value = compute();
    this.values.set(key, { context, value });
    return value;
  }
}

/**
 * Values worked out from a list of inputs, kept per key while the inputs are the same items
 * (sameItems): a page's fingerprint from the article objects it lists, a product's sorted list from
 * its members. `store` is a WeakMap for object keys (an article replaced by an edit is forgotten
 * with it) or a Map for names and paths.
 */
export class InputsMemo<K, V> {
  constructor(private readonly store: { get(key: K): { inputs: readonly unknown[]; value: V } | undefined; set(key: K, entry: { inputs: readonly unknown[]; value: V }): unknown }) {}

  get(key: K, inputs: readonly unknown[], compute: () => V): V {
    if (!keeping) return compute();
    const memo = this.store.get(key);
    if (memo && sameItems(memo.inputs, inputs)) return memo.value;
    const value = compute();
    this.store.set(key, { inputs, value });
    return value;
  }
}

/** Whether two lists hold the same items (the same objects, or equal primitives) in the same order. */
export function sameItems<T>(a: readonly T[], b: readonly T[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
