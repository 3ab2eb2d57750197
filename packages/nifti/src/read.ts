import { constants as bufferConstants } from "node:buffer";
import { closeSync, openSync, readSync } from "node:fs";
import { type FileHandle, open } from "node:fs/promises";
import { availableParallelism } from "node:os";
import { swapBytes } from "./byte-order.js";
import { dataChunks } from "./data-stream.js";
import { datatypeInfo, type VoxelArray } from "./datatypes.js";
import { NiftiError, withPath } from "./errors.js";
import { type NiftiFiles, niftiFiles } from "./files.js";
import { gunzipPrefix, isGzip } from "./gunzip-prefix.js";
import {
  fileByteReader,
  type GzipMember,
  inflateMembers,
  memberIndex,
  PIECE,
} from "./gzip-index.js";
import { dataByteLength, headerSize, type NiftiHeader } from "./header.js";
import { dataOffset, headerFromPrefix } from "./header-read.js";
import { type FloatType, NiftiImage, scaleInto } from "./image.js";

/** First read of a header file: enough for most headers, plain or compressed, in one call. */
const FIRST_READ = 1024;
/** First decode target: a NIfTI-1 header and its extension flag (NIfTI-2 asks for more). */
const FIRST_DECODE = 352;
/** Headers with extensions larger than this are refused rather than read into memory. */
const MAX_HEADER_BYTES = 256 * 1024 * 1024;
/** DEFLATE cannot expand data by more than about 1032:1. */
const MAX_DEFLATE_RATIO = 1032;

/**
 * The header parse as a generator: it yields how many more bytes of the file it wants (read
 * at the current end) and receives them, so the sync and async readers share every decision.
 */
function* headerSteps(pair: boolean): Generator<number, HeaderRecord, Uint8Array> {
  let raw = yield FIRST_READ;
  let eof = raw.length < FIRST_READ;
  const gzip = isGzip(raw);
  let want = FIRST_DECODE;
  const readMore = function* (count: number): Generator<number, void, Uint8Array> {
    const chunk = yield count;
    const joined = new Uint8Array(raw.length + chunk.length);
    joined.set(raw);
    joined.set(chunk, raw.length);
    raw = joined;
    eof = chunk.length < count;
  };
  for (;;) {
    const { bytes, ended } = gzip ? gunzipPrefix(raw, want, eof) : { bytes: raw, ended: eof };
    const step = headerFromPrefix(bytes, ended, pair);
    if ("header" in step) return { header: step.header, bytes, gzip };
    if (step.need > MAX_HEADER_BYTES && Number.isFinite(step.need)) {
      throw new NiftiError(
        "E_NIFTI_HEADER",
        `the header claims ${step.need} bytes of extensions; refusing more than ${MAX_HEADER_BYTES}`,
      );
    }
    if (gzip && bytes.length === want) {
      // Decoded all we asked for; ask for more output from the same input.
      want = Number.isFinite(step.need) ? step.need : Math.min(want * 4, MAX_HEADER_BYTES);
      if (bytes.length >= MAX_HEADER_BYTES) {
        throw new NiftiError("E_NIFTI_HEADER", "header file is larger than 256 MiB");
      }
    } else {
      const missing = gzip || !Number.isFinite(step.need) ? raw.length : step.need - raw.length;
      yield* readMore(Math.max(missing, FIRST_READ));
    }
  }
}

function ioError(error: unknown, path: string): NiftiError {
  const code = (error as NodeJS.ErrnoException).code ?? "error";
  return new NiftiError("E_NIFTI_IO", `cannot read (${code})`, { path, cause: error });
}

/**
 * Reads the header (with extensions) of a `.nii`, `.nii.gz`, `.hdr` or `.img` file without
 * reading the data. For gzip files only the first compressed bytes are read and decoded.
 */
export function readHeaderSync(path: string): NiftiHeader {
  const files = niftiFiles(path);
  let fd: number;
  try {
    fd = openSync(files.header, "r");
  } catch (error) {
    throw ioError(error, files.header);
  }
  try {
    const steps = headerSteps(files.pair);
    let position = 0;
    let request = steps.next();
    while (!request.done) {
      const chunk = new Uint8Array(request.value);
      let got: number;
      try {
        got = readSync(fd, chunk, 0, chunk.length, position);
      } catch (error) {
        throw ioError(error, files.header);
      }
      position += got;
      request = steps.next(chunk.subarray(0, got));
    }
    return request.value.header;
  } catch (error) {
    throw withPath(error, files.header);
  } finally {
    closeSync(fd);
  }
}

/** A header with the decoded bytes it was parsed from (at least the fixed header). */
export interface HeaderRecord {
  readonly header: NiftiHeader;
  readonly bytes: Uint8Array;
  /** Whether the header file is gzip-compressed (for a single file: the data too). */
  readonly gzip: boolean;
}

async function readHeaderFrom(handle: FileHandle, files: NiftiFiles): Promise<HeaderRecord> {
  const steps = headerSteps(files.pair);
  let position = 0;
  let request = steps.next();
  while (!request.done) {
    const chunk = new Uint8Array(request.value);
    let got: number;
    try {
      ({ bytesRead: got } = await handle.read(chunk, 0, chunk.length, position));
    } catch (error) {
      throw ioError(error, files.header);
    }
    position += got;
    request = steps.next(chunk.subarray(0, got));
  }
  return request.value;
}

async function openFile(path: string): Promise<FileHandle> {
  try {
    return await open(path, "r");
  } catch (error) {
    throw ioError(error, path);
  }
}

/** Async {@link readHeaderSync}. */
export async function readHeader(path: string): Promise<NiftiHeader> {
  return (await readHeaderRecord(niftiFiles(path))).header;
}

/** The header of `files` and the bytes it was decoded from. */
export async function readHeaderRecord(files: NiftiFiles): Promise<HeaderRecord> {
  const handle = await openFile(files.header);
  try {
    return await readHeaderFrom(handle, files);
  } catch (error) {
    throw withPath(error, files.header);
  } finally {
    await handle.close();
  }
}

/** Options of {@link readImage}. */
export interface ReadImageOptions {
  /**
   * Also compute `getFloatData(float)` while the data is decompressed (overlapping the two
   * saves most of the conversion time on a multi-core machine).
   */
  readonly float?: FloatType;
  /** Refuse data larger than this many bytes (default: the largest Node.js buffer). */
  readonly maxBytes?: number;
  /** Stops the read; the promise rejects with the signal's reason. */
  readonly signal?: AbortSignal;
  /**
   * A buffer to read the data into when it is large enough (else a new one is allocated), so
   * that a series of images can reuse one buffer. The image's data is a view of its start; the
   * previous image read into it must no longer be in use.
   */
  readonly into?: ArrayBuffer;
}

function dataTarget(bytes: number, into: ArrayBuffer | undefined): Uint8Array {
  return into !== undefined && into.byteLength >= bytes
    ? new Uint8Array(into, 0, bytes)
    : new Uint8Array(new ArrayBuffer(bytes));
}

/**
 * Reads a whole image: header, extensions and data (big-endian data is converted to native
 * order). Sizes are checked against the file before anything large is allocated; a gzip
 * stream is read to its end so its CRC is checked.
 */
export async function readImage(path: string, options: ReadImageOptions = {}): Promise<NiftiImage> {
  const files = niftiFiles(path);
  try {
    const { header } = await readHeaderRecord(files);
    return await readData(files, header, options);
  } catch (error) {
    throw withPath(error, files.data);
  }
}

async function readData(
  files: NiftiFiles,
  header: NiftiHeader,
  options: ReadImageOptions,
): Promise<NiftiImage> {
  const bytes = dataByteLength(header);
  const offset = dataOffset(header);
  if (!files.pair && offset < headerSize(header.version)) {
    throw new NiftiError("E_NIFTI_HEADER", `vox_offset ${offset} points into the header`);
  }
  const limit = options.maxBytes ?? bufferConstants.MAX_LENGTH;
  if (bytes > limit) {
    throw new NiftiError("E_NIFTI_DIMS", `the data needs ${bytes} bytes; the limit is ${limit}`);
  }
  const handle = await openFile(files.data);
  try {
    const fileSize = (await handle.stat()).size;
    const magic = new Uint8Array(2);
    await handle.read(magic, 0, 2, 0);
    if (!isGzip(magic)) {
      if (fileSize < offset + bytes) throw truncated(bytes, offset, fileSize);
      const target = dataTarget(bytes, options.into);
      await readFully(handle, target, offset);
      return finishImage(header, target, options.float);
    }
    if (offset + bytes > fileSize * MAX_DEFLATE_RATIO + 1024) {
      throw new NiftiError(
        "E_NIFTI_TRUNCATED",
        `the header describes ${bytes} bytes of data; a ${fileSize}-byte gzip file cannot hold them`,
      );
    }
    const members = memberIndex(fileSize, fileByteReader(handle.fd, fileSize));
    const target = dataTarget(bytes, options.into);
    const converter = new ChunkConverter(header, target, options.float);
    const last = members?.[members.length - 1];
    if (members !== undefined && last !== undefined) {
      if (last.outputStart + last.outputSize < offset + bytes) {
        throw truncated(bytes, offset, last.outputStart + last.outputSize);
      }
      // Our own files: inflate the members in parallel, convert each as it completes.
      const memberBytes = (member: GzipMember) => {
        options.signal?.throwIfAborted();
        return handle.createReadStream({
          start: member.start,
          end: member.start + member.compressedSize - 1,
          highWaterMark: PIECE,
          autoClose: false,
        });
      };
      await inflateMembers(
        memberBytes,
        members,
        (member, at, piece) => {
          const start = member.outputStart + at;
          const from = Math.max(start, offset);
          const to = Math.min(start + piece.length, offset + bytes);
          if (from >= to) return;
          target.set(piece.subarray(from - start, to - start), from - offset);
          converter.bytesReady(from - offset, to - offset);
        },
        INFLATE_CONCURRENCY,
      );
    } else {
      let filled = 0;
      const range = { path: files.data, gzip: true, offset, length: bytes };
      for await (const chunk of dataChunks(range, options.signal)) {
        target.set(chunk, filled);
        converter.bytesReady(filled, filled + chunk.length);
        filled += chunk.length;
      }
    }
    return converter.finish();
  } finally {
    await handle.close();
  }
}

/** zlib jobs in flight for a parallel read: enough to keep the 4 threads of the pool busy. */
const INFLATE_CONCURRENCY = Math.max(4, availableParallelism());

/**
 * Byte-swaps and converts the voxels of a target buffer as byte ranges of it are filled, in any
 * order: elements wholly inside a range are done at once, elements cut by a range boundary
 * when the read is complete.
 */
class ChunkConverter {
  readonly #header: NiftiHeader;
  readonly #size: number;
  readonly #view: VoxelArray;
  readonly #swap: boolean;
  readonly #floats: Float32Array | Float64Array | undefined;
  readonly #cut = new Set<number>();

  constructor(header: NiftiHeader, target: Uint8Array, float: FloatType | undefined) {
    const type = datatypeInfo(header.datatype);
    this.#header = header;
    this.#size = type.array.BYTES_PER_ELEMENT;
    this.#view = new type.array(target.buffer, 0, target.length / this.#size);
    this.#swap = header.endianness !== "little" && this.#size > 1;
    const count = this.#view.length;
    this.#floats =
      float === undefined || !type.real
        ? undefined
        : float === "float32"
          ? new Float32Array(count)
          : new Float64Array(count);
  }

  bytesReady(from: number, to: number): void {
    const first = Math.ceil(from / this.#size);
    const end = Math.floor(to / this.#size);
    if (from % this.#size !== 0) this.#cut.add(Math.floor(from / this.#size));
    if (to % this.#size !== 0) this.#cut.add(end);
    if (first < end) this.#convert(first, end);
  }

  #convert(first: number, end: number): void {
    const size = this.#size;
    if (this.#swap) {
      const bytes = new Uint8Array(this.#view.buffer, first * size, (end - first) * size);
      swapBytes(bytes, size);
    }
    if (this.#floats !== undefined) scaleInto(this.#header, this.#view, this.#floats, first, end);
  }

  finish(): NiftiImage {
    for (const element of this.#cut) this.#convert(element, element + 1);
    const image = new NiftiImage(this.#header, this.#view);
    return this.#floats === undefined ? image : NiftiImage.withFloatData(image, this.#floats);
  }
}

function finishImage(header: NiftiHeader, bytes: Uint8Array, float: FloatType | undefined) {
  const converter = new ChunkConverter(header, bytes, float);
  converter.bytesReady(0, bytes.length);
  return converter.finish();
}

function truncated(bytes: number, offset: number, size: number): NiftiError {
  return new NiftiError(
    "E_NIFTI_TRUNCATED",
    `the header describes ${bytes} bytes of data at offset ${offset}; the file has ${size} bytes`,
  );
}

async function readFully(handle: FileHandle, target: Uint8Array, position: number): Promise<void> {
  let filled = 0;
  while (filled < target.length) {
    const { bytesRead } = await handle.read(
      target,
      filled,
      target.length - filled,
      position + filled,
    );
    if (bytesRead === 0) throw truncated(target.length, position, position + filled);
    filled += bytesRead;
  }
}
