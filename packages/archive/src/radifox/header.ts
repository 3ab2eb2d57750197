// The number of volumes of a NIfTI image (its 4th dimension), read from the header only: the
// first bytes of the file, gunzipped as far as they go.
import { closeSync, openSync, readSync } from "node:fs";
import { constants, gunzipSync } from "node:zlib";

/**
 * Bytes read: the 348/540-byte header is mostly zeros and compresses to ~150 bytes, so the first
 * read nearly always suffices; the second covers a long name in the gzip header. Reading more
 * than needed costs time, since everything read is inflated.
 */
const READ_BYTES = [640, 16384] as const;

/**
 * The image's volume count: `dim[4]` when `dim[0] >= 4`, else 1. Throws when the file cannot
 * be read or holds no NIfTI-1/NIfTI-2 header.
 */
export function niftiVolumes(path: string): number {
  let dims: number[] | undefined;
  for (const bytes of READ_BYTES) {
    const { head, whole } = readHead(path, bytes);
    dims = headerDims(head);
    if (dims || whole) break;
  }
  if (!dims) throw new Error("no NIfTI-1 or NIfTI-2 header");
  const [rank = 0, , , , volumes = 1] = dims;
  return rank >= 4 && volumes > 0 ? volumes : 1;
}

/**
 * The first `bytes` bytes of the file, inflated as far as they go when it is gzipped; `whole`
 * when that was the whole file.
 */
function readHead(path: string, bytes: number): { head: Buffer; whole: boolean } {
  const fd = openSync(path, "r");
  let raw: Buffer;
  try {
    const buffer = Buffer.alloc(bytes);
    raw = buffer.subarray(0, readSync(fd, buffer, 0, bytes, 0));
  } finally {
    closeSync(fd);
  }
  const whole = raw.length < bytes;
  if (raw[0] !== 0x1f || raw[1] !== 0x8b) return { head: raw, whole };
  try {
    return { head: gunzipSync(raw, { finishFlush: constants.Z_SYNC_FLUSH }), whole };
  } catch {
    return { head: Buffer.alloc(0), whole };
  }
}

/** `dim[0..4]` of a NIfTI-1 (int16 at 40) or NIfTI-2 (int64 at 16) header, either byte order. */
function headerDims(head: Buffer): number[] | undefined {
  if (head.length >= 348) {
    for (const little of [true, false]) {
      const size = little ? head.readInt32LE(0) : head.readInt32BE(0);
      if (size === 348) {
        return [0, 1, 2, 3, 4].map((i) =>
          little ? head.readInt16LE(40 + 2 * i) : head.readInt16BE(40 + 2 * i),
        );
      }
      if (size === 540 && head.length >= 540) {
        return [0, 1, 2, 3, 4].map((i) =>
          Number(little ? head.readBigInt64LE(16 + 8 * i) : head.readBigInt64BE(16 + 8 * i)),
        );
      }
    }
  }
  return undefined;
}
