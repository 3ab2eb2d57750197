// Changing the first bytes of a .nii.gz (its header) without recompressing the volume: the
// compressed data after the change is reused. For our own indexed multi-member files the first
// member is recompressed and the others are copied. For a single-member file (nibabel, dcm2niix)
// the deflate stream is cut at the first block boundary at least 32 KiB past the change (so no
// back-reference of a later block reaches the changed bytes), the part before it recompressed
// and ended with a sync flush, the rest appended bit-shifted (and inflated once, to find its
// exact end and check it), and the CRC updated algebraically. Anything unusual returns undefined and the caller recompresses everything.
import { constants, deflateRawSync, gunzipSync, gzipSync, inflateRawSync } from "node:zlib";
import { Decoder } from "./gunzip-prefix.js";
import { indexMember, readMemberIndex } from "./gzip-index.js";

const WINDOW = 32 * 1024;
/** How far into the stream a block boundary is looked for before giving up. */
const SEARCH_LIMIT = 8 * 1024 * 1024;

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

export function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) {
    c = (CRC_TABLE[(c ^ (bytes[i] as number)) & 0xff] as number) ^ (c >>> 8);
  }
  return (c ^ 0xffffffff) >>> 0;
}

function gf2Times(matrix: Uint32Array, vector: number): number {
  let sum = 0;
  for (let i = 0; vector !== 0; i++, vector >>>= 1) if (vector & 1) sum ^= matrix[i] as number;
  return sum >>> 0;
}

function gf2Square(square: Uint32Array, matrix: Uint32Array): void {
  for (let n = 0; n < 32; n++) square[n] = gf2Times(matrix, matrix[n] as number);
}

/** The CRC register `crc` advanced over `length` zero bytes (zlib's crc32_combine with crc2 0). */
export function crc32ZeroExtend(crc: number, length: number): number {
  if (length <= 0) return crc >>> 0;
  const even = new Uint32Array(32);
  const odd = new Uint32Array(32);
  odd[0] = 0xedb88320;
  for (let n = 1, row = 1; n < 32; n++, row <<= 1) odd[n] = row;
  gf2Square(even, odd); // two zero bits
  gf2Square(odd, even); // four zero bits
  let value = crc >>> 0;
  let len = length;
  do {
    gf2Square(even, odd);
    if (len & 1) value = gf2Times(even, value);
    len = Math.floor(len / 2);
    if (len === 0) break;
    gf2Square(odd, even);
    if (len & 1) value = gf2Times(odd, value);
    len = Math.floor(len / 2);
  } while (len !== 0);
  return value >>> 0;
}

/** Bits `from`..`to` of `input` as bytes starting at bit 0 (zero-padded at the end). */
function shiftedBits(input: Uint8Array, from: number, to: number): Uint8Array {
  const start = from >>> 3;
  const shift = from & 7;
  const out = new Uint8Array(Math.ceil((to - from) / 8));
  if (shift === 0) {
    out.set(input.subarray(start, start + out.length));
    return out;
  }
  const back = 8 - shift;
  for (let i = 0, k = start; i < out.length; i++, k++) {
    out[i] = (((input[k] as number) >>> shift) | ((input[k + 1] ?? 0) << back)) & 0xff;
  }
  return out;
}

function trailer(crc: number, size: number): Uint8Array {
  const out = new Uint8Array(8);
  const view = new DataView(out.buffer);
  view.setUint32(0, crc, true);
  view.setUint32(4, size >>> 0, true);
  return out;
}

/** Our indexed files: recompress the member(s) holding the prefix, copy the others. */
function spliceMembers(file: Uint8Array, prefix: Uint8Array): Uint8Array[] | undefined {
  const members = readMemberIndex(file);
  const first = members?.[0];
  if (!members || !first || first.outputSize < prefix.length) return undefined;
  const data = gunzipSync(file.subarray(first.start, first.start + first.compressedSize));
  data.set(prefix, 0);
  const member = indexMember(gzipSync(data, { level: 1, memLevel: 9 }), data.length);
  return [member, file.subarray(first.start + first.compressedSize)];
}

/** A single-member file: cut the deflate stream at a block boundary past the change. */
function spliceStream(
  file: Uint8Array,
  prefix: Uint8Array,
  expectedSize: number,
): Uint8Array[] | undefined {
  if (file.length < 18) return undefined;
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const size = view.getUint32(file.length - 4, true);
  const crc = view.getUint32(file.length - 8, true);
  // A trailer that does not describe the whole stream means several members: not handled.
  if (size !== expectedSize % 2 ** 32 || size !== expectedSize) return undefined;
  const decoder = new Decoder(file.subarray(0, file.length - 8), 0, Math.min(size, SEARCH_LIMIT));
  decoder.memberHeader();
  for (;;) {
    const last = decoder.block();
    // `full` may have stopped the decoder inside a block: no clean boundary there.
    if (last || decoder.full) return undefined;
    if (decoder.written >= prefix.length + WINDOW) break;
  }
  const cut = decoder.written;
  const head = decoder.out.slice(0, cut);
  const oldCrc = crc32(head);
  head.set(prefix, 0);
  const newCrc = crc32(head);
  // The shifted copy may end with one byte of padding bits too many; inflating it (with the
  // 32 KiB before the cut as its window) says exactly where the stream ends, and checks it.
  const shifted = shiftedBits(file, decoder.bitOffset, (file.length - 8) * 8);
  const check = inflateRawSync(shifted, {
    dictionary: head.subarray(cut - WINDOW, cut),
    info: true,
  }) as unknown as { buffer: Buffer; engine: { bytesWritten: number } };
  if (check.buffer.length !== size - cut) return undefined;
  const restBits = shifted.subarray(0, check.engine.bytesWritten);
  const deflated = deflateRawSync(head, {
    level: 1,
    memLevel: 9,
    finishFlush: constants.Z_SYNC_FLUSH,
  });
  const gzipHeader = Uint8Array.of(0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 255);
  const combined = (crc ^ crc32ZeroExtend((oldCrc ^ newCrc) >>> 0, size - cut)) >>> 0;
  return [gzipHeader, deflated, restBits, trailer(combined, size)];
}

/**
 * The gzip file `file` with the first `prefix.length` bytes of its uncompressed stream replaced
 * by `prefix`, reusing the compressed data that follows; `undefined` when that is not possible
 * (several unindexed members, a change reaching too far, a tiny file). `expectedSize` is the
 * uncompressed size the file must have (header, extensions and data).
 */
export function spliceGzipPrefix(
  file: Uint8Array,
  prefix: Uint8Array,
  expectedSize: number,
): Uint8Array[] | undefined {
  try {
    if (readMemberIndex(file)) return spliceMembers(file, prefix);
    return spliceStream(file, prefix, expectedSize);
  } catch {
    return undefined; // whatever the fast path cannot handle, the slow path reports
  }
}
