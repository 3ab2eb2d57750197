import { NiftiError } from "./errors.js";

/**
 * A small DEFLATE/gzip decoder for the first bytes of a `.nii.gz`: headers sit at the start of
 * the stream, and decoding a few hundred bytes in JavaScript costs less than setting up a zlib
 * stream (measured ~3x faster per file in a 1,000-file header scan). Whole volumes go through
 * zlib; this decoder never sees them.
 */

/** Thrown inside the decoder when the input ends; never escapes this module. */
/** Thrown by {@link Decoder} when its input ends before the stream does. */
export const NEED_INPUT = Symbol("need input");

const LENGTH_BASE = [
  3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131,
  163, 195, 227, 258,
];
const LENGTH_EXTRA = [
  0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0,
];
const DIST_BASE = [
  1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049,
  3073, 4097, 6145, 8193, 12289, 16385, 24577,
];
const DIST_EXTRA = [
  0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13,
];
const CODE_LENGTH_ORDER = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];

/** Canonical Huffman code: how many codes have each length, and the symbols in code order. */
interface Huffman {
  counts: Uint16Array;
  symbols: Uint16Array;
  /**
   * Fast path: indexed by the next FAST_BITS stream bits, `symbol << 4 | length` for codes of
   * up to FAST_BITS bits, 0 for longer codes (decoded bit by bit).
   */
  fast: Uint16Array;
}

const FAST_BITS = 9;

function corrupt(detail: string): NiftiError {
  return new NiftiError("E_NIFTI_GZIP", `corrupt gzip data: ${detail}`);
}

function buildHuffman(lengths: Uint8Array, from: number, count: number): Huffman {
  const counts = new Uint16Array(16);
  for (let i = 0; i < count; i++) {
    const len = lengths[from + i] as number;
    counts[len] = (counts[len] as number) + 1;
  }
  const offsets = new Uint16Array(16);
  for (let len = 1; len < 15; len++)
    offsets[len + 1] = (offsets[len] as number) + (counts[len] as number);
  const symbols = new Uint16Array(count);
  for (let i = 0; i < count; i++) {
    const len = lengths[from + i] as number;
    if (len !== 0) symbols[offsets[len]!++] = i;
  }
  return { counts, symbols, fast: fastTable(counts, symbols) };
}

/** Fills the fast table: canonical codes are assigned in symbol order, MSB first in the stream. */
function fastTable(counts: Uint16Array, symbols: Uint16Array): Uint16Array {
  const table = new Uint16Array(1 << FAST_BITS);
  let code = 0;
  let index = 0;
  for (let len = 1; len <= FAST_BITS; len++) {
    const count = counts[len] as number;
    for (let k = 0; k < count; k++, code++, index++) {
      let reversed = 0;
      for (let bit = 0; bit < len; bit++) reversed |= ((code >> bit) & 1) << (len - 1 - bit);
      const entry = ((symbols[index] as number) << 4) | len;
      for (let fill = reversed; fill < table.length; fill += 1 << len) table[fill] = entry;
    }
    code <<= 1;
  }
  return table;
}

const FIXED = (() => {
  const lengths = new Uint8Array(288 + 30);
  lengths.fill(8, 0, 144);
  lengths.fill(9, 144, 256);
  lengths.fill(7, 256, 280);
  lengths.fill(8, 280, 288);
  lengths.fill(5, 288, 318);
  return { literal: buildHuffman(lengths, 0, 288), distance: buildHuffman(lengths, 288, 30) };
})();

export class Decoder {
  private pos: number;
  private bitBuffer = 0;
  private bitCount = 0;
  readonly out: Uint8Array;
  written = 0;

  constructor(
    private readonly input: Uint8Array,
    start: number,
    want: number,
  ) {
    this.pos = start;
    this.out = new Uint8Array(want);
  }

  get offset(): number {
    return this.pos;
  }

  /** Position of the next unread bit in the input (look-ahead bits given back). */
  get bitOffset(): number {
    return this.pos * 8 - this.bitCount;
  }

  private bits(n: number): number {
    while (this.bitCount < n) {
      if (this.pos >= this.input.length) throw NEED_INPUT;
      this.bitBuffer |= (this.input[this.pos++] as number) << this.bitCount;
      this.bitCount += 8;
    }
    const value = this.bitBuffer & ((1 << n) - 1);
    this.bitBuffer >>>= n;
    this.bitCount -= n;
    return value;
  }

  private byte(): number {
    if (this.pos >= this.input.length) throw NEED_INPUT;
    return this.input[this.pos++] as number;
  }

  private decode(code: Huffman): number {
    // Top up the bit buffer without running out of input; near the end use the slow path.
    while (this.bitCount < FAST_BITS && this.pos < this.input.length) {
      this.bitBuffer |= (this.input[this.pos++] as number) << this.bitCount;
      this.bitCount += 8;
    }
    if (this.bitCount >= FAST_BITS) {
      const entry = code.fast[this.bitBuffer & ((1 << FAST_BITS) - 1)] as number;
      if (entry !== 0) {
        const len = entry & 15;
        this.bitBuffer >>>= len;
        this.bitCount -= len;
        return entry >> 4;
      }
    }
    let value = 0;
    let first = 0;
    let index = 0;
    for (let len = 1; len < 16; len++) {
      value |= this.bits(1);
      const count = code.counts[len] as number;
      if (value - first < count) return code.symbols[index + value - first] as number;
      index += count;
      first = (first + count) << 1;
      value <<= 1;
    }
    throw corrupt("invalid Huffman code");
  }

  get full(): boolean {
    return this.written >= this.out.length;
  }

  private emit(byte: number): void {
    this.out[this.written++] = byte;
  }

  /** Decodes one block; returns whether it was the last block of the member. */
  block(): boolean {
    const last = this.bits(1) === 1;
    const type = this.bits(2);
    if (type === 0) this.stored();
    else if (type === 1) this.codes(FIXED.literal, FIXED.distance);
    else if (type === 2) this.dynamic();
    else throw corrupt("reserved block type");
    return last;
  }

  /** Drops the bits of a partial byte and gives whole look-ahead bytes back to the input. */
  private alignToByte(): void {
    this.pos -= this.bitCount >> 3;
    this.bitBuffer = 0;
    this.bitCount = 0;
  }

  private stored(): void {
    this.alignToByte();
    const length = this.byte() | (this.byte() << 8);
    const check = this.byte() | (this.byte() << 8);
    if ((length ^ 0xffff) !== check) throw corrupt("stored block length check failed");
    for (let i = 0; i < length && !this.full; i++) this.emit(this.byte());
  }

  private dynamic(): void {
    const literals = this.bits(5) + 257;
    const distances = this.bits(5) + 1;
    const codeLengthCount = this.bits(4) + 4;
    if (literals > 286 || distances > 30) throw corrupt("too many codes");
    const codeLengths = new Uint8Array(19);
    for (let i = 0; i < codeLengthCount; i++) {
      codeLengths[CODE_LENGTH_ORDER[i] as number] = this.bits(3);
    }
    const lengthCode = buildHuffman(codeLengths, 0, 19);
    const lengths = new Uint8Array(literals + distances);
    let i = 0;
    while (i < literals + distances) {
      const symbol = this.decode(lengthCode);
      if (symbol < 16) {
        lengths[i++] = symbol;
        continue;
      }
      let repeat: number;
      let value = 0;
      if (symbol === 16) {
        if (i === 0) throw corrupt("repeat without a previous length");
        value = lengths[i - 1] as number;
        repeat = 3 + this.bits(2);
      } else if (symbol === 17) {
        repeat = 3 + this.bits(3);
      } else {
        repeat = 11 + this.bits(7);
      }
      if (i + repeat > literals + distances) throw corrupt("code lengths overflow");
      lengths.fill(value, i, i + repeat);
      i += repeat;
    }
    if (lengths[256] === 0) throw corrupt("no end-of-block code");
    this.codes(buildHuffman(lengths, 0, literals), buildHuffman(lengths, literals, distances));
  }

  private codes(literal: Huffman, distance: Huffman): void {
    for (;;) {
      if (this.full) return;
      const symbol = this.decode(literal);
      if (symbol < 256) {
        this.emit(symbol);
        continue;
      }
      if (symbol === 256) return;
      const lengthIndex = symbol - 257;
      if (lengthIndex >= 29) throw corrupt("invalid length code");
      const length =
        (LENGTH_BASE[lengthIndex] as number) + this.bits(LENGTH_EXTRA[lengthIndex] as number);
      const distanceIndex = this.decode(distance);
      if (distanceIndex >= 30) throw corrupt("invalid distance code");
      const back =
        (DIST_BASE[distanceIndex] as number) + this.bits(DIST_EXTRA[distanceIndex] as number);
      if (back > this.written) throw corrupt("distance reaches before the start of the data");
      for (let k = 0; k < length && !this.full; k++) this.emit(this.out[this.written - back]!);
    }
  }

  /** Skips a gzip member header; returns false when no bytes are left (end of stream). */
  memberHeader(): boolean {
    if (this.pos >= this.input.length) throw NEED_INPUT;
    if (this.byte() !== 0x1f || this.byte() !== 0x8b) throw corrupt("not a gzip member");
    if (this.byte() !== 8) throw corrupt("compression method is not deflate");
    const flags = this.byte();
    if (flags & 0xe0) throw corrupt("reserved header flags set");
    for (let i = 0; i < 6; i++) this.byte();
    if (flags & 4) {
      const extra = this.byte() | (this.byte() << 8);
      for (let i = 0; i < extra; i++) this.byte();
    }
    if (flags & 8) while (this.byte() !== 0);
    if (flags & 16) while (this.byte() !== 0);
    if (flags & 2) {
      this.byte();
      this.byte();
    }
    return true;
  }

  memberTrailer(): void {
    this.alignToByte();
    for (let i = 0; i < 8; i++) this.byte();
  }

  get inputLeft(): number {
    return this.input.length - this.pos;
  }
}

/** Result of {@link gunzipPrefix}. */
export interface PrefixResult {
  /** The decoded bytes, at most `want` of them. */
  readonly bytes: Uint8Array;
  /** True when the gzip stream ended (all members read) before `want` bytes. */
  readonly ended: boolean;
}

/**
 * Decodes up to `want` bytes from the start of the gzip stream in `input` (which may be a
 * prefix of the file). Returns fewer bytes with `ended: false` when the input ran out first:
 * the caller then reads more of the file and calls again.
 */
export function gunzipPrefix(input: Uint8Array, want: number, complete = false): PrefixResult {
  const decoder = new Decoder(input, 0, want);
  try {
    while (!decoder.full) {
      if (decoder.inputLeft === 0 && decoder.written > 0 && complete) {
        return { bytes: decoder.out.subarray(0, decoder.written), ended: true };
      }
      decoder.memberHeader();
      let last = false;
      while (!last && !decoder.full) last = decoder.block();
      if (decoder.full) break;
      decoder.memberTrailer();
    }
  } catch (error) {
    if (error !== NEED_INPUT) throw error;
    if (complete) throw new NiftiError("E_NIFTI_TRUNCATED", "gzip stream ends early");
  }
  return { bytes: decoder.out.subarray(0, decoder.written), ended: false };
}

/** Whether these first bytes start a gzip stream. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}
