/**
 * The fingerprint of every file the last build wrote, as the build state keeps it (pipeline.ts):
 * what a rebuild compares to know which files changed.
 *
 * Why not a plain Map in the state file: at 60,000 articles there are 308,000 outputs, and V8 took
 * 0.45–0.6 s to read them back as a Map (and more in garbage collection afterwards): a tenth of a
 * quick rebuild after a title edit, which looks up a few dozen of them (quick-rebuild.ts). Saved as
 * two strings, the names in sorted order joined by newlines and their fingerprints (all of one
 * length) one after the other, plus where each name starts, they are read back in about 0.05 s and
 * searched in place. A build that models the site turns them into a Map once (`asMap`).
 * Changes made to a packed set (`set`) are kept beside it and saved as a list, so a quick rebuild
 * does not sort 308,000 names to save the dozen it changed.
 */

/** The saved form (a structured clone, in the state file). */
export interface SavedFingerprints {
  /** Output names in sorted order (JavaScript's string order), each followed by a newline. */
  names: string;
  /** Where each name starts in `names`. */
  starts: Uint32Array;
  /** The fingerprints, in the order of the names, `width` characters each. */
  fingerprints: string;
  width: number;
  /** Names set since the set was packed, with their fingerprints: they win over the packed ones
   *  (`REMOVED` for a name deleted since). */
  changed: Array<[string, string]>;
}

/** The fingerprint of a name deleted since the set was packed (a fingerprint is never empty). */
const REMOVED = '';

/** More changes than this beside a packed set, and it is packed again when saved. */
const MAX_CHANGED = 10_000;

export class OutputFingerprints {
  private constructor(
    private map: Map<string, string> | null,
    private packed: SavedFingerprints | null,
    private readonly changed: Map<string, string>,
  ) {}

  static of(map: Map<string, string>): OutputFingerprints {
    return new OutputFingerprints(map, null, new Map());
  }

  /** Read back from the state file; null when it is not the saved form. */
  static fromSaved(saved: unknown): OutputFingerprints | null {
    if (!isSaved(saved)) return null;
    return new OutputFingerprints(null, saved, new Map(saved.changed));
  }

  get(name: string): string | undefined {
    if (this.map) return this.map.get(name);
    const changed = this.changed.get(name);
    if (changed !== undefined) return changed === REMOVED ? undefined : changed;
    return this.findPacked(name);
  }

  has(name: string): boolean {
    return this.get(name) !== undefined;
  }

  set(name: string, fingerprint: string): void {
    if (this.map) this.map.set(name, fingerprint);
    else this.changed.set(name, fingerprint);
  }

  delete(name: string): void {
    if (this.map) this.map.delete(name);
    else this.changed.set(name, REMOVED);
  }

  /** Every name with its fingerprint, as a Map (built once from a packed set: 308,000 at 60,000 articles). */
  asMap(): Map<string, string> {
    if (!this.map) {
      const { names, starts, fingerprints, width } = this.packed!;
      const map = new Map<string, string>();
      for (let i = 0; i < starts.length; i++) map.set(nameAt(names, starts, i), fingerprints.slice(i * width, (i + 1) * width));
      for (const [name, fingerprint] of this.changed) {
        if (fingerprint === REMOVED) map.delete(name);
        else map.set(name, fingerprint);
      }
      this.map = map;
      this.packed = null;
      this.changed.clear();
    }
    return this.map;
  }

  /** The form to save: packed (sorted) once, then the packed strings with the changes beside them. */
  saved(): SavedFingerprints {
    if (this.packed && this.changed.size <= MAX_CHANGED) return { ...this.packed, changed: [...this.changed] };
    return pack(this.asMap());
  }

  private findPacked(name: string): string | undefined {
    const { names, starts, fingerprints, width } = this.packed!;
    let low = 0;
    let high = starts.length - 1;
    while (low <= high) {
      const middle = (low + high) >>> 1;
      const found = nameAt(names, starts, middle);
      if (found === name) return fingerprints.slice(middle * width, (middle + 1) * width);
      if (found < name) low = middle + 1;
      else high = middle - 1;
    }
    return undefined;
  }
}

function nameAt(names: string, starts: Uint32Array, i: number): string {
  return names.slice(starts[i]!, (i + 1 < starts.length ? starts[i + 1]! : names.length) - 1);
}

/**
 * A Map in the saved form. Were a fingerprint of another length than the others, or a name with a
 * newline (neither happens: fingerprints are 16-character hashes, names are paths), the set is
 * saved as a list of changes, which is slower to read back but as correct.
 */
export function pack(map: ReadonlyMap<string, string>): SavedFingerprints {
  const sorted = [...map.keys()].sort();
  const width = map.size ? map.values().next().value!.length : 0;
  const fingerprints = sorted.map((name) => map.get(name)!);
  if (fingerprints.some((f) => f.length !== width) || sorted.some((name) => name.includes('\n'))) {
    return { names: '', starts: new Uint32Array(0), fingerprints: '', width: 0, changed: sorted.map((name, i) => [name, fingerprints[i]!]) };
  }
  const starts = new Uint32Array(sorted.length);
  let at = 0;
  sorted.forEach((name, i) => {
    starts[i] = at;
    at += name.length + 1;
  });
  return { names: sorted.map((name) => `${name}\n`).join(''), starts, fingerprints: fingerprints.join(''), width, changed: [] };
}

function isSaved(value: unknown): value is SavedFingerprints {
  const saved = value as Partial<SavedFingerprints> | null;
  return (
    typeof saved === 'object' &&
    saved !== null &&
    typeof saved.names === 'string' &&
    saved.starts instanceof Uint32Array &&
    typeof saved.fingerprints === 'string' &&
    typeof saved.width === 'number' &&
    saved.fingerprints.length === saved.starts.length * saved.width &&
    Array.isArray(saved.changed)
  );
}
