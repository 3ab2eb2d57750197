import { promisify } from "node:util";
import { gunzip } from "node:zlib";
import { NiftiError } from "./errors.js";

/**
 * The member index of the gzip files this package writes. Each member carries, in the gzip
 * header's optional extra field (RFC 1952, FLG.FEXTRA), a subfield `RF` of 8 bytes: the
 * member's compressed size and its uncompressed size, both uint32 little-endian. Every gzip
 * reader skips the extra field; ours uses it to find the members without decompressing and to
 * inflate them in parallel.
 */
const SUBFIELD = [0x52, 0x46]; // "RF"
const EXTRA_LENGTH = 12; // subfield id (2) + length (2) + payload (8)

/** A member of an indexed gzip file. */
export interface GzipMember {
  /** Byte position of the member in the compressed file. */
  readonly start: number;
  readonly compressedSize: number;
  /** Position of the member's data in the decompressed stream. */
  readonly outputStart: number;
  readonly outputSize: number;
}

/** Rewrites a zlib-made gzip member (10-byte header, no flags) to carry its index entry. */
export function indexMember(member: Uint8Array, inputLength: number): Uint8Array {
  if (member[3] !== 0) return member;
  const out = new Uint8Array(member.length + 2 + EXTRA_LENGTH);
  out.set(member.subarray(0, 10));
  out[3] = 4; // FEXTRA
  const view = new DataView(out.buffer);
  view.setUint16(10, EXTRA_LENGTH, true);
  out[12] = SUBFIELD[0] as number;
  out[13] = SUBFIELD[1] as number;
  view.setUint16(14, 8, true);
  view.setUint32(16, out.length, true);
  view.setUint32(20, inputLength, true);
  out.set(member.subarray(10), 24);
  return out;
}

/** The members of an indexed gzip file, or `undefined` when any member lacks the index. */
export function readMemberIndex(file: Uint8Array): GzipMember[] | undefined {
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const members: GzipMember[] = [];
  let start = 0;
  let outputStart = 0;
  while (start < file.length) {
    if (start + 24 > file.length) return undefined;
    const indexed =
      file[start] === 0x1f &&
      file[start + 1] === 0x8b &&
      file[start + 2] === 8 &&
      ((file[start + 3] as number) & 4) !== 0 &&
      view.getUint16(start + 10, true) >= EXTRA_LENGTH &&
      file[start + 12] === SUBFIELD[0] &&
      file[start + 13] === SUBFIELD[1] &&
      view.getUint16(start + 14, true) === 8;
    if (!indexed) return undefined;
    const compressedSize = view.getUint32(start + 16, true);
    const outputSize = view.getUint32(start + 20, true);
    if (compressedSize < 24 || start + compressedSize > file.length) return undefined;
    members.push({ start, compressedSize, outputStart, outputSize });
    start += compressedSize;
    outputStart += outputSize;
  }
  return members.length > 0 ? members : undefined;
}

const gunzipAsync = promisify(gunzip);

/**
 * Inflates the members on zlib's thread pool, several at a time, and hands each one's output
 * to `onMember` as it completes (in completion order). Each member's CRC and size are checked.
 */
export async function inflateMembers(
  file: Uint8Array,
  members: readonly GzipMember[],
  onMember: (member: GzipMember, output: Uint8Array) => void,
  concurrency: number,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < members.length) {
      const member = members[next++] as GzipMember;
      const bytes = file.subarray(member.start, member.start + member.compressedSize);
      let output: Uint8Array;
      try {
        output = await gunzipAsync(bytes, { chunkSize: Math.max(member.outputSize, 64) });
      } catch (error) {
        throw new NiftiError("E_NIFTI_GZIP", `corrupt gzip member at byte ${member.start}`, {
          cause: error,
        });
      }
      if (output.length !== member.outputSize) {
        throw new NiftiError(
          "E_NIFTI_GZIP",
          `gzip member at byte ${member.start} holds ${output.length} bytes, its index says ${member.outputSize}`,
        );
      }
      onMember(member, output);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, members.length) }, worker));
}
