/**
 * Bytes of kbsite's compact index files (src/search/compact-meta.ts, compact-chunks.ts), which the
 * build writes and the search page reads: columns of varints, and the CBOR that Pagefind reads once
 * they are expanded. Uint8Array only, so that it runs in Node and in the browser alike.
 */
import { cborHeadBytes } from './pagefind-bytes.ts';

/** A signed number as an unsigned one for a varint: 0, -1, 1, -2 … → 0, 1, 2, 3 … */
export const zigzag = (n: number): number => (n >= 0 ? n * 2 : -n * 2 - 1);
export const unzigzag = (n: number): number => (n % 2 === 0 ? n / 2 : -(n + 1) / 2);

/** Whether a compact file is gzipped (it starts as gzip does) or plain: the meta file always is, a chunk when that made it smaller. */
export const isGzipped = (bytes: Uint8Array): boolean => bytes[0] === 0x1f && bytes[1] === 0x8b;

export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export class ByteWriter {
  private buffer: Uint8Array;
  length = 0;

  constructor(capacity = 1024) {
    this.buffer = new Uint8Array(Math.max(16, capacity));
  }

  protected reserve(extra: number): void {
    if (this.length + extra <= this.buffer.length) return;
    const bigger = new Uint8Array(Math.max(this.buffer.length * 2, this.length + extra));
    bigger.set(this.buffer.subarray(0, this.length));
    this.buffer = bigger;
  }

  byte(value: number): void {
    this.reserve(1);
    this.buffer[this.length++] = value;
  }

  raw(bytes: Uint8Array): void {
    this.reserve(bytes.length);
    this.buffer.set(bytes, this.length);
    this.length += bytes.length;
  }

  /** Unsigned LEB128. */
  varint(value: number): void {
    let rest = value;
    while (rest >= 0x80) {
      this.byte((rest % 0x80) | 0x80);
      rest = Math.floor(rest / 0x80);
    }
    this.byte(rest);
  }

  bytes(): Uint8Array<ArrayBuffer> {
    return this.buffer.slice(0, this.length);
  }
}

export class ByteReader {
  private at = 0;
  /** `what` names the file in errors: `compact meta: a column ends early`. */
  constructor(
    private readonly bytes: Uint8Array,
    private readonly what: string,
  ) {}

  get done(): boolean {
    return this.at === this.bytes.length;
  }

  varint(): number {
    let value = 0;
    let scale = 1;
    for (;;) {
      if (this.at >= this.bytes.length) throw new Error(`${this.what}: a column ends early`);
      const byte = this.bytes[this.at++]!;
      value += (byte & 0x7f) * scale;
      if (byte < 0x80) return value;
      scale *= 0x80;
    }
  }

  /** The bytes not read yet, as a view; the reader is then done. */
  rest(): Uint8Array {
    return this.take(this.bytes.length - this.at);
  }

  /** The next `length` bytes, as a view. */
  take(length: number): Uint8Array {
    if (this.at + length > this.bytes.length) throw new Error(`${this.what}: a column ends early`);
    const bytes = this.bytes.subarray(this.at, this.at + length);
    this.at += length;
    return bytes;
  }
}

export type CborValue = string | number | CborValue[];

/** CBOR as Pagefind's encoder (minicbor) writes it: definite lengths, shortest heads. */
export class CborWriter extends ByteWriter {
  private readonly encoder = new TextEncoder();

  head(major: number, value: number): void {
    // The one- and two-byte heads of nearly every number in an index, without an array each.
    const type = major << 5;
    if (value < 24) this.byte(type | value);
    else if (value < 0x100) {
      this.byte(type | 24);
      this.byte(value);
    } else for (const byte of cborHeadBytes(major, value)) this.byte(byte);
  }

  /** A negative integer `value` (CBOR major type 1, argument −1 − value). */
  negative(value: number): void {
    this.head(1, -1 - value);
  }

  text(bytes: Uint8Array): void {
    this.head(3, bytes.length);
    this.raw(bytes);
  }

  value(value: CborValue): void {
    if (typeof value === 'string') {
      this.text(this.encoder.encode(value));
    } else if (typeof value === 'number') {
      if (!Number.isSafeInteger(value) || value < 0) throw new Error(`compact index: ${value} is not an unsigned integer`);
      this.head(0, value);
    } else if (Array.isArray(value)) {
      this.head(4, value.length);
      for (const item of value) this.value(item);
    } else {
      throw new Error(`compact index: a ${typeof value} where CBOR was expected`);
    }
  }
}
