import { KbError } from './errors.ts';

/**
 * A number of articles per unit of work (per Pagefind process, per Eleventy run): `fallback`, or the
 * whole number of 1 or more that the environment variable `name` gives (tests use small units).
 */
export function unitSizeFromEnv(name: string, fallback: number): number {
  const size = Number(process.env[name] || fallback);
  if (!Number.isInteger(size) || size < 1) throw new KbError(`${name} must be a whole number of articles of 1 or more (got "${process.env[name]}")`);
  return size;
}

/**
 * Bounded concurrency: run `work` for every item with at most `limit` calls in flight, in item
 * order. Enough in flight to hide disk, pipe or child-process latency; few enough not to run out of
 * file handles or CPUs. The first error rejects the run at once, as Promise.all does; the other
 * workers are not stopped.
 */
export async function forEachConcurrently<T>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      await work(items[index]!, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
