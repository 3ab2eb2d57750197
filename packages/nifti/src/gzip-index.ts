import { readSync } from "node:fs";
import { Readable } from "node:stream";
import { createGunzip } from "node:zlib";
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

/** `length` bytes of a file from `start` (fewer at its end). */
export type ByteReader = (start: number, length: number) => Uint8Array;

/**
 * A {@link ByteReader} over an open file of `size` bytes, with synchronous reads: it serves
 * the few small reads of member headers and gzip heads.
 */
export function fileByteReader(fd: number, size: number): ByteReader {
  return (start, length) => {
    const bytes = new Uint8Array(Math.max(0, Math.min(length, size - start)));
    let filled = 0;
    while (filled < bytes.length) {
      const got = readSync(fd, bytes, filled, bytes.length - filled, start + filled);
      if (got === 0) break;
      filled += got;
    }
    return bytes.subarray(0, filled);
  };
}

/** The members of an indexed gzip file, or `undefined` when any member lacks the index. */
export function readMemberIndex(file: Uint8Array): GzipMember[] | undefined {
  return memberIndex(file.length, (start, length) => file.subarray(start, start + length));
}

/**
 * {@link readMemberIndex} of a file of `size` bytes read through `read`: only the member headers
 * are read.
 */
export function memberIndex(size: number, read: ByteReader): GzipMember[] | undefined {
  const members: GzipMember[] = [];
  let start = 0;
  let outputStart = 0;
  while (start < size) {
    if (start + 24 > size) return undefined;
    const head = read(start, 24);
    if (head.length < 24) return undefined;
    const view = new DataView(head.buffer, head.byteOffset, 24);
    const indexed =
      head[0] === 0x1f &&
      head[1] === 0x8b &&
      head[2] === 8 &&
      ((head[3] as number) & 4) !== 0 &&
      view.getUint16(10, true) >= EXTRA_LENGTH &&
      head[12] === SUBFIELD[0] &&
      head[13] === SUBFIELD[1] &&
      view.getUint16(14, true) === 8;
    if (!indexed) return undefined;
    const compressedSize = view.getUint32(16, true);
    const outputSize = view.getUint32(20, true);
    if (compressedSize < 24 || start + compressedSize > size) return undefined;
    members.push({ start, compressedSize, outputStart, outputSize });
    start += compressedSize;
    outputStart += outputSize;
  }
  return members.length > 0 ? members : undefined;
}

/**
 * Compressed and inflated data move in pieces of this size: no member is held whole, and
 * same-size buffers are reused well by the allocator.
 */
export const PIECE = 256 * 1024;

function corruptMember(member: GzipMember, cause: unknown): NiftiError {
  return new NiftiError("E_NIFTI_GZIP", `corrupt gzip member at byte ${member.start}`, { cause });
}

function sizeMismatch(member: GzipMember, size: number): NiftiError {
  return new NiftiError(
    "E_NIFTI_GZIP",
    `gzip member at byte ${member.start} holds ${size} bytes, its index says ${member.outputSize}`,
  );
}

/** The compressed bytes of a member: in memory, or a stream of them (read as inflated). */
export type MemberSource = Uint8Array | Readable;

/** Inflates one member on zlib's thread pool, handing its data out piece by piece. */
function inflateMember(
  source: MemberSource,
  member: GzipMember,
  onPiece: (at: number, piece: Uint8Array) => void,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const gunzip = createGunzip({ chunkSize: PIECE });
    if (source instanceof Readable) {
      // A read error ends the gunzip stream with that error.
      source.once("error", (error: NodeJS.ErrnoException) => {
        gunzip.destroy(
          new NiftiError("E_NIFTI_IO", `cannot read (${error.code ?? error.message})`, {
            cause: error,
          }),
        );
      });
      source.pipe(gunzip);
    } else {
      gunzip.end(source);
    }
    let at = 0;
    gunzip.on("data", (piece: Buffer) => {
      try {
        if (at + piece.length > member.outputSize) throw sizeMismatch(member, at + piece.length);
        onPiece(at, piece);
        at += piece.length;
      } catch (error) {
        gunzip.destroy(error as Error);
      }
    });
    gunzip.once("error", (error) => {
      if (source instanceof Readable) source.destroy();
      reject(error instanceof NiftiError ? error : corruptMember(member, error));
    });
    gunzip.once("end", () => {
      if (at === member.outputSize) resolve();
      else reject(sizeMismatch(member, at));
    });
  });
}

/**
 * Inflates the members on zlib's thread pool, several at a time, and hands their data to
 * `onData` in pieces as they come (in any order across members; `at` is the position in the
 * member's data). `compressed` gives a member's bytes or a stream of them (asked for only when
 * its turn comes, so a file is never held whole). Each member's CRC and size are checked.
 */
export async function inflateMembers(
  compressed: (member: GzipMember) => MemberSource | Promise<MemberSource>,
  members: readonly GzipMember[],
  onData: (member: GzipMember, at: number, piece: Uint8Array) => void,
  concurrency: number,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < members.length) {
      const member = members[next++] as GzipMember;
      const source = await compressed(member);
      await inflateMember(source, member, (at, piece) => onData(member, at, piece));
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, members.length) }, worker));
}
