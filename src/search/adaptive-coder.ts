/**
 * An adaptive binary arithmetic coder for the numbers of the compact index chunks
 * (src/search/compact-chunks.ts), which the search page decodes in the browser.
 *
 * Why not gzip alone: gzip codes bytes, each on its own, and knows nothing of what a number means.
 * A chunk's columns are numbers whose odds depend on what came just before: a page's weight on the
 * fields (title, …) its word is in, for one. At 60,000 articles gzip made the gaps, weights, places
 * and meta fields of "access" 15.8 KB, where their order-0 entropy, the weights taken given the
 * fields, is 11.6 KB. Coded here, each number is coded in a context the caller names, and the odds
 * of each of its bits are learnt as the chunk is read: nothing is stored beside the data, and the
 * decoder learns the same odds in the same order.
 *
 * The coder is the carry-less one of the PAQ family (fpaq0, lpaq1): two 32-bit bounds, a 12-bit
 * probability, a byte out whenever the bounds agree on their top byte. A number is coded either as
 * Elias gamma of v + 1 (number(): its bit length in unary, then its bits below the top one, the
 * first MODELLED_BITS of them with learnt odds and the rest at even odds), or as a symbol of a small
 * alphabet (symbol(): a binary tree over its 8 bits, so that each value learns its own odds).
 */

/** Probabilities are 12-bit: P(bit = 1) = p / 4096, kept within [MIN_P, 4096 − MIN_P]. */
const ONE = 4096;
const MIN_P = 16;
/**
 * How odds are learnt: after n bits of a model, the next moves p by 1/(n + 1.5) of the way, as a
 * count of the bits so far would; from LIMIT bits on by 1/(LIMIT + 1.5), so that odds still follow
 * a chunk whose words change from page to page.
 */
const LIMIT = 127;
const STEP = Float64Array.from({ length: LIMIT + 1 }, (_, n) => 1 / (n + 1.5));
/** A bit length is coded in unary with its own odds for each position up to this. */
const LENGTH_MODELS = 33;
/** Bits below the top one coded with learnt odds (a tree of them for each length); the rest at even odds. */
const MODELLED_BITS = 3;
/** A symbol this large or larger is coded as ESCAPE, then as a number (its excess). */
const ESCAPE = 255;

/**
 * The learnt odds of one kind of number in one context: probabilities of a 1, in 16ths of the
 * coder's 12-bit units (so that small steps add up), and how many bits each has learnt from. One
 * array of each for all of a model's odds (a chunk makes many models): the bit lengths in unary, for
 * each bit length a binary tree of 2^MODELLED_BITS nodes over its first bits, and for symbols a
 * binary tree over the 8 bits of a value below ESCAPE.
 */
class NumberModel {
  readonly p = new Int32Array(ODDS).fill(ONE * 8);
  readonly seen = new Uint8Array(ODDS);
}
const LENGTHS = 0;
const BITS = LENGTH_MODELS;
const BYTE = BITS + (LENGTH_MODELS << MODELLED_BITS);
const ODDS = BYTE + 256;

const P_LOW = MIN_P * 16;
const P_HIGH = (ONE - MIN_P) * 16;

function learn(odds: NumberModel, at: number, bit: number): void {
  const seen = odds.seen[at]!;
  const p = odds.p[at]! + ((((bit ? ONE * 16 : 0) - odds.p[at]!) * STEP[seen]!) | 0);
  odds.p[at] = p < P_LOW ? P_LOW : p > P_HIGH ? P_HIGH : p;
  if (seen < LIMIT) odds.seen[at] = seen + 1;
}

/** The models of one kind of number, by context: 0 … contexts − 1 (a larger context is the last). */
export class NumberModels {
  /** Made when first used: a chunk uses few of its contexts. */
  private readonly models: Array<NumberModel | undefined>;
  constructor(readonly contexts: number) {
    this.models = new Array<NumberModel | undefined>(contexts);
  }
  get(context: number): NumberModel {
    const at = Math.min(context, this.contexts - 1);
    return (this.models[at] ??= new NumberModel());
  }
}

export class AdaptiveEncoder {
  private low = 0;
  private high = 0xffffffff;
  private out = new Uint8Array(1024);
  private length = 0;

  /** Codes `bit` with P(1) = p / 4096. */
  private bit(bit: number, p: number): void {
    const middle = this.low + ((this.high - this.low) >>> 12) * p;
    if (bit) this.high = middle;
    else this.low = middle + 1;
    // Bytes the two bounds agree on are settled: write them and widen the bounds.
    while (((this.low ^ this.high) & 0xff000000) === 0) {
      this.push(this.high >>> 24);
      this.low = (this.low << 8) >>> 0;
      this.high = ((this.high << 8) | 0xff) >>> 0;
    }
  }

  private modelled(bit: number, odds: NumberModel, at: number): void {
    this.bit(bit, odds.p[at]! >> 4);
    learn(odds, at, bit);
  }

  /** Codes a number v ≥ 0 (below 2^32 − 1) with the odds of `model`. */
  number(value: number, model: NumberModel): void {
    const shifted = value + 1;
    const length = 31 - Math.clz32(shifted); // bits below the top one
    for (let i = 0; i < length; i++) this.modelled(1, model, LENGTHS + i);
    this.modelled(0, model, LENGTHS + length);
    let node = 1;
    for (let i = length - 1; i >= 0; i--) {
      const bit = (shifted >>> i) & 1;
      if (node < 1 << MODELLED_BITS) {
        this.modelled(bit, model, BITS + ((length << MODELLED_BITS) | node));
        node = (node << 1) | bit;
      } else this.bit(bit, ONE / 2);
    }
  }

  /**
   * Codes a value v ≥ 0 of a small alphabet whose values have odds of their own (a page's weight is
   * mostly 24k + 1): each value below ESCAPE learns its own odds, where number() would give the
   * values of one bit length the same odds below their first bits.
   */
  symbol(value: number, model: NumberModel): void {
    const byte = value < ESCAPE ? value : ESCAPE;
    let node = 1;
    for (let i = 7; i >= 0; i--) {
      const bit = (byte >>> i) & 1;
      this.modelled(bit, model, BYTE + node);
      node = (node << 1) | bit;
    }
    if (byte === ESCAPE) this.number(value - ESCAPE, model);
  }

  /** The coded bytes: the low bound's four bytes end the stream, so the decoder never reads past it. */
  finish(): Uint8Array {
    for (let i = 0; i < 4; i++) {
      this.push(this.low >>> 24);
      this.low = (this.low << 8) >>> 0;
    }
    return this.out.subarray(0, this.length);
  }

  private push(byte: number): void {
    if (this.length === this.out.length) {
      const more = new Uint8Array(this.out.length * 2);
      more.set(this.out);
      this.out = more;
    }
    this.out[this.length++] = byte;
  }
}

export class AdaptiveDecoder {
  private low = 0;
  private high = 0xffffffff;
  private x = 0;
  private at = 0;

  constructor(private readonly bytes: Uint8Array) {
    for (let i = 0; i < 4; i++) this.x = ((this.x << 8) | this.next()) >>> 0;
  }

  private next(): number {
    if (this.at >= this.bytes.length) throw new Error('compact chunk: the coded numbers end early');
    return this.bytes[this.at++]!;
  }

  private bit(p: number): number {
    const middle = this.low + ((this.high - this.low) >>> 12) * p;
    const bit = this.x <= middle ? 1 : 0;
    if (bit) this.high = middle;
    else this.low = middle + 1;
    while (((this.low ^ this.high) & 0xff000000) === 0) {
      this.low = (this.low << 8) >>> 0;
      this.high = ((this.high << 8) | 0xff) >>> 0;
      this.x = ((this.x << 8) | this.next()) >>> 0;
    }
    return bit;
  }

  private modelled(odds: NumberModel, at: number): number {
    const bit = this.bit(odds.p[at]! >> 4);
    learn(odds, at, bit);
    return bit;
  }

  number(model: NumberModel): number {
    let length = 0;
    while (this.modelled(model, LENGTHS + length)) {
      if (++length > 31) throw new Error('compact chunk: a coded number longer than 32 bits');
    }
    let shifted = 1;
    let node = 1;
    for (let i = length - 1; i >= 0; i--) {
      let bit: number;
      if (node < 1 << MODELLED_BITS) {
        bit = this.modelled(model, BITS + ((length << MODELLED_BITS) | node));
        node = (node << 1) | bit;
      } else bit = this.bit(ONE / 2);
      shifted = shifted * 2 + bit;
    }
    return shifted - 1;
  }

  symbol(model: NumberModel): number {
    let node = 1;
    for (let i = 0; i < 8; i++) node = (node << 1) | this.modelled(model, BYTE + node);
    const byte = node - 256;
    return byte === ESCAPE ? ESCAPE + this.number(model) : byte;
  }

  /** Whether every coded byte was read (the four that end the stream included). */
  get done(): boolean {
    return this.at === this.bytes.length;
  }
}
