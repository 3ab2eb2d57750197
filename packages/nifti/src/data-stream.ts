import { createReadStream } from "node:fs";
import { Readable } from "node:stream";
import { createGunzip, type ZlibOptions } from "node:zlib";
import { NiftiError } from "./errors.js";

const CHUNK = 1 << 20;

/** Where the data of an image sits in its data file. */
export interface DataRange {
  readonly path: string;
  /** The file's bytes when they are already in memory (then `path` only names them). */
  readonly bytes?: Uint8Array;
  readonly gzip: boolean;
  /** Bytes before the data (in the decompressed stream for gzip files). */
  readonly offset: number;
  readonly length: number;
}

function streamError(error: unknown): unknown {
  if (error instanceof NiftiError || (error as Error).name === "AbortError") return error;
  const code = (error as NodeJS.ErrnoException).code ?? "";
  if (code === "Z_BUF_ERROR") {
    return new NiftiError("E_NIFTI_TRUNCATED", "the gzip stream ends early", { cause: error });
  }
  if (code.startsWith("Z_")) {
    return new NiftiError("E_NIFTI_GZIP", `corrupt gzip data (${(error as Error).message})`, {
      cause: error,
    });
  }
  return new NiftiError("E_NIFTI_IO", `cannot read (${code || (error as Error).message})`, {
    cause: error,
  });
}

/**
 * The bytes of `range`, in chunks as they are read (and decompressed on zlib's thread pool, so
 * work on one chunk overlaps with decompression of the next). A gzip stream is read to its end
 * so that zlib checks every member's CRC; a short file is an `E_NIFTI_TRUNCATED` error.
 */
export async function* dataChunks(
  range: DataRange,
  signal?: AbortSignal,
): AsyncGenerator<Uint8Array, void, undefined> {
  const source =
    range.bytes !== undefined
      ? Readable.from([range.bytes], { objectMode: false })
      : range.gzip
        ? createReadStream(range.path, { highWaterMark: CHUNK, signal })
        : createReadStream(range.path, {
            highWaterMark: CHUNK,
            signal,
            start: range.offset,
            end: range.offset + Math.max(range.length, 1) - 1,
          });
  let stream: AsyncIterable<Buffer> = source;
  if (range.gzip) {
    // A deep output buffer lets zlib inflate ahead on the thread pool while the consumer works.
    const gunzip = createGunzip({
      chunkSize: CHUNK,
      readableHighWaterMark: 16 * CHUNK,
    } as ZlibOptions);
    source.on("error", (error: Error) => gunzip.destroy(error));
    source.pipe(gunzip);
    stream = gunzip;
  }
  const skip = range.gzip ? range.offset : 0;
  let position = 0;
  let delivered = 0;
  try {
    for await (const chunk of stream) {
      const start = Math.max(skip - position, 0);
      position += chunk.length;
      if (delivered < range.length && start < chunk.length) {
        const take = Math.min(chunk.length - start, range.length - delivered);
        delivered += take;
        yield chunk.subarray(start, start + take);
      }
    }
  } catch (error) {
    throw streamError(error);
  } finally {
    source.destroy();
  }
  if (delivered < range.length) {
    throw new NiftiError(
      "E_NIFTI_TRUNCATED",
      `the data ends after ${delivered} of ${range.length} bytes`,
    );
  }
}
