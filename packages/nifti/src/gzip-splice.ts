// Changing the first bytes of a .nii.gz (its header) without recompressing the volume: the
// compressed data after the change is copied byte for byte. The member holding the header
// (the only one of a nibabel or dcm2niix file; the first of our indexed multi-member files) is
// cut at a deflate block boundary past the change, the part before the cut is recompressed,
// and the CRC is updated algebraically. Anything unusual returns undefined and the caller
// recompresses everything. The copied data is not decompressed here: a damaged input stays
// detectably damaged (its CRC still fails).
import { constants, deflateRawSync, gunzipSync, gzipSync } from "node:zlib";
import { Decoder, NEED_INPUT } from "./gunzip-prefix.js";
import { type ByteReader, type GzipMember, indexMember, memberIndex } from "./gzip-index.js";

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

function trailer(crc: number, size: number): Uint8Array {
  const out = new Uint8Array(8);
  const view = new DataView(out.buffer);
  view.setUint32(0, crc, true);
  view.setUint32(4, size >>> 0, true);
  return out;
}

/**
 * Bits that take a byte-aligned deflate stream to bit `shift` (even, 0-6) of the next byte:
 * `shift / 2` empty fixed-Huffman blocks (10 bits each, what zlib's Z_PARTIAL_FLUSH emits), the
 * last byte completed with the high bits of `next`, the byte where the original stream goes on.
 */
function bridge(shift: number, next: number): Uint8Array {
  if (shift === 0) return new Uint8Array(0);
  let bits = 0;
  for (let block = 0; block < shift / 2; block++) bits |= 2 << (10 * block); // BFINAL 0, BTYPE 01, EOB 0000000
  const out = new Uint8Array(Math.ceil((5 * shift) / 8));
  for (let i = 0; i < out.length; i++) out[i] = (bits >>> (8 * i)) & 0xff;
  const low = (1 << shift) - 1;
  const lastIndex = out.length - 1;
  out[lastIndex] = ((out[lastIndex] as number) & low) | (next & ~low & 0xff);
  return out;
}

/** A part of a spliced file: new bytes, or the bytes `[start, end)` of the input as they are. */
export type SplicePart = Uint8Array | { readonly start: number; readonly end: number };

/** Where a member starts and ends in the file, its data's size and CRC, and whether indexed. */
interface MemberPlace {
  readonly start: number;
  readonly end: number;
  readonly size: number;
  readonly crc: number;
  readonly indexed: boolean;
}

/** The first compressed bytes read and decoded for a cut; more when they do not reach one. */
const FIRST_HEAD = 256 * 1024;
const FIRST_OUT = 1024 * 1024;

/**
 * Decodes the member at `place` up to a block boundary at least 32 KiB past `prefixLength`
 * that lies on an even bit, reading more of the file as needed; `undefined` when there is none
 * in the first 8 MiB of data.
 */
function findCut(place: MemberPlace, read: ByteReader, prefixLength: number) {
  const streamLength = place.end - 8 - place.start;
  let want = FIRST_HEAD;
  let room = Math.min(place.size, FIRST_OUT);
  for (;;) {
    const bytes = read(place.start, Math.min(want, streamLength));
    const decoder = new Decoder(bytes, 0, room);
    try {
      decoder.memberHeader();
      const headerLength = decoder.offset;
      for (;;) {
        const last = decoder.block();
        if (last) return undefined;
        // `full` may have stopped the decoder inside a block: no clean boundary there.
        if (decoder.full) break;
        if (decoder.written >= prefixLength + WINDOW && decoder.bitOffset % 2 === 0) {
          return { bytes, headerLength, decoder };
        }
      }
      if (room >= Math.min(place.size, SEARCH_LIMIT)) return undefined;
      room = Math.min(room * 4, place.size, SEARCH_LIMIT);
    } catch (error) {
      if (error !== NEED_INPUT || bytes.length >= streamLength) throw error;
      want *= 4;
    }
  }
}

/**
 * The member at `place` with the first `prefix.length` bytes of its data replaced: the stream
 * is cut at a block boundary at least 32 KiB past the change (no back-reference of a later
 * block reaches the changed bytes) that lies on an even bit, the part before the cut is
 * recompressed and brought back to that bit (see `bridge`), and the rest is copied byte for
 * byte, not decompressed. The CRC is updated algebraically. `undefined` when there is no such
 * boundary.
 */
function spliceMember(
  place: MemberPlace,
  read: ByteReader,
  prefix: Uint8Array,
): SplicePart[] | undefined {
  const found = findCut(place, read, prefix.length);
  if (!found) return undefined;
  const { bytes, headerLength, decoder } = found;
  const header = bytes.slice(0, headerLength);
  const cut = decoder.written;
  const head = decoder.out.subarray(0, cut);
  const oldCrc = crc32(head);
  head.set(prefix, 0);
  const newCrc = crc32(head);
  const deflated = deflateRawSync(head, {
    level: 1,
    memLevel: 9,
    finishFlush: constants.Z_SYNC_FLUSH,
  });
  const shift = decoder.bitOffset & 7;
  const at = decoder.bitOffset >>> 3;
  const joint = bridge(shift, bytes[at] as number);
  const rest = { start: place.start + (shift === 0 ? at : at + 1), end: place.end - 8 };
  const combined = (place.crc ^ crc32ZeroExtend((oldCrc ^ newCrc) >>> 0, place.size - cut)) >>> 0;
  if (place.indexed) {
    // Our index records the member's compressed size, which changed.
    const length = header.length + deflated.length + joint.length + (rest.end - rest.start) + 8;
    new DataView(header.buffer, header.byteOffset).setUint32(16, length, true);
  }
  return [header, deflated, joint, rest, trailer(combined, place.size)];
}

function trailerOf(read: ByteReader, end: number): { crc: number; size: number } {
  const bytes = read(end - 8, 8);
  const view = new DataView(bytes.buffer, bytes.byteOffset, 8);
  return { crc: view.getUint32(0, true), size: view.getUint32(4, true) };
}

/** Our indexed files: splice the member holding the prefix, copy the others. */
function spliceMembers(
  fileSize: number,
  read: ByteReader,
  members: readonly GzipMember[],
  prefix: Uint8Array,
): SplicePart[] | undefined {
  const first = members[0];
  if (!first || first.outputSize < prefix.length) return undefined;
  const end = first.start + first.compressedSize;
  const others = { start: end, end: fileSize };
  const { crc } = trailerOf(read, end);
  const place = { start: first.start, end, size: first.outputSize, crc, indexed: true };
  const spliced = spliceMember(place, read, prefix);
  if (spliced) return [...spliced, others];
  // A first member too small to cut: recompress it whole.
  const data = gunzipSync(read(first.start, first.compressedSize));
  data.set(prefix, 0);
  return [indexMember(gzipSync(data, { level: 1, memLevel: 9 }), data.length), others];
}

/** A single-member file (nibabel, dcm2niix). */
function spliceStream(
  fileSize: number,
  read: ByteReader,
  prefix: Uint8Array,
  expectedSize: number,
): SplicePart[] | undefined {
  if (fileSize < 18) return undefined;
  const { crc, size } = trailerOf(read, fileSize);
  // A trailer that does not describe the whole stream means several members: not handled.
  if (size !== expectedSize % 2 ** 32 || size !== expectedSize) return undefined;
  return spliceMember({ start: 0, end: fileSize, size, crc, indexed: false }, read, prefix);
}

/**
 * The gzip file of `fileSize` bytes (read through `read`) with the first `prefix.length` bytes
 * of its uncompressed stream replaced by `prefix`, as parts that mostly copy the input;
 * `undefined` when that is not possible (several unindexed members, a change reaching too far,
 * a tiny file). `expectedSize` is the uncompressed size the file must have (header, extensions
 * and data). Only the first compressed bytes are read.
 */
export function spliceGzipPrefix(
  fileSize: number,
  read: ByteReader,
  prefix: Uint8Array,
  expectedSize: number,
): SplicePart[] | undefined {
  try {
    const members = memberIndex(fileSize, read);
    if (members) return spliceMembers(fileSize, read, members, prefix);
    return spliceStream(fileSize, read, prefix, expectedSize);
  } catch {
    return undefined; // whatever the fast path cannot handle, the slow path reports
  }
}
