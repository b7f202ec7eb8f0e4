/**
 * Values worked out once per object. A watching process (src/build/watch.ts) models and plans the
 * whole site again after every save, with the same Article objects for every file that did not
 * change; what is derived from an unchanged article can be reused instead of computed again.
 * Correct because Article objects are never changed once loaded (the loader makes a new object
 * for a file that changed), and because the context (e.g. the site's base URL) is part of the key.
 */
export class ObjectMemo<K extends object, V> {
  private readonly values = new WeakMap<K, { context: string; value: V }>();

  get(key: K, context: string, compute: () => V): V {
    const memo = this.values.get(key);
    if (memo && memo.context === context) return memo.value;
    const value = compute();
    this.values.set(key, { context, value });
    return value;
  }
}
