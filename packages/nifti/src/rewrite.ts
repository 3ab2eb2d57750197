import { open } from "node:fs/promises";
import { writeAtomically } from "./atomic-file.js";
import { dataChunks } from "./data-stream.js";
import { NiftiError, withPath } from "./errors.js";
import { niftiFiles } from "./files.js";
import { isGzip } from "./gunzip-prefix.js";
import { fileByteReader } from "./gzip-index.js";
import { spliceGzipPrefix } from "./gzip-splice.js";
import {
  dataByteLength,
  type NiftiHeader,
  type NiftiHeaderFields,
  updateHeader,
} from "./header.js";
import { dataOffset } from "./header-read.js";
import { readHeaderRecord } from "./read.js";
import {
  encodeSingleFilePrefix,
  outputKind,
  singleFileHeader,
  type WriteOptions,
  writeParts,
} from "./write.js";

/** New field values, or a function from the old header to the new one. */
export type HeaderEdit = Partial<NiftiHeaderFields> | ((header: NiftiHeader) => NiftiHeader);

const LAYOUT_FIELDS = ["dim", "datatype", "endianness"] as const;

/**
 * Copies the image at `input` to `output` (`.nii` or `.nii.gz`) with an edited header, streaming
 * the data through unchanged: no conversion, no full copy in memory. From `.nii.gz` to
 * `.nii.gz` with an unchanged data offset the compressed data is reused, not recompressed
 * (about 10x faster; see `gzip-splice.ts`). Fields that the edit does
 * not change keep their stored bytes. The edit may not change the data layout (`dim`,
 * `datatype`, byte order); use `readImage` + `writeImage` for that. `input` and `output` may be
 * the same file: the output replaces it atomically. Returns the header written.
 *
 * The staging header fix is `rewriteHeader(input, output, alignQformToSform)`.
 */
export async function rewriteHeader(
  input: string,
  output: string,
  edit: HeaderEdit,
  options: WriteOptions = {},
): Promise<NiftiHeader> {
  const kind = outputKind(output);
  const files = niftiFiles(input);
  const { header, bytes, gzip } = await readHeaderRecord(files);
  const edited = typeof edit === "function" ? edit(header) : updateHeader(header, edit);
  for (const key of LAYOUT_FIELDS) {
    if (JSON.stringify(edited[key]) !== JSON.stringify(header[key])) {
      throw new NiftiError(
        "E_NIFTI_OPTION",
        `rewriteHeader cannot change ${key}: the data is copied as stored`,
        { path: input },
      );
    }
  }
  const written = singleFileHeader(edited, options.version, header.endianness);
  const keepBytes = written.version === header.version ? bytes : undefined;
  const prefix = encodeSingleFilePrefix(written, keepBytes);
  const range = {
    path: files.data,
    // A single file was sniffed while its header was read; a pair's data file is separate.
    gzip: files.pair ? await startsWithGzip(files.data) : gzip,
    offset: dataOffset(header),
    length: dataByteLength(header),
  };
  if (kind.gzip && range.gzip && !files.pair && prefix.length === range.offset) {
    // The header changes, the data does not: reuse the compressed data where possible.
    const spliced = await writeSpliced(files.data, output, prefix, range, options);
    if (spliced) return written;
  }
  async function* parts(): AsyncGenerator<Uint8Array> {
    yield prefix;
    yield* dataChunks(range, options.signal);
  }
  try {
    await writeAtomically(
      output,
      (handle) => writeParts(handle, parts(), kind.gzip, options),
      options.durable ?? true,
    );
  } catch (error) {
    throw withPath(error, input);
  }
  return written;
}

async function startsWithGzip(path: string): Promise<boolean> {
  const handle = await open(path, "r").catch((error: unknown) => {
    throw new NiftiError("E_NIFTI_IO", "cannot read", { path, cause: error });
  });
  try {
    const magic = new Uint8Array(2);
    await handle.read(magic, 0, 2, 0);
    return isGzip(magic);
  } finally {
    await handle.close();
  }
}

/** Bytes copied per read when a splice copies part of the input. */
const COPY_CHUNK = 1 << 20;

/**
 * Writes `output` as `input` with its first decompressed bytes replaced by `prefix`, copying
 * the compressed data (see `gzip-splice.ts`); false when the file does not allow it.
 */
async function writeSpliced(
  input: string,
  output: string,
  prefix: Uint8Array,
  range: { offset: number; length: number },
  options: WriteOptions,
): Promise<boolean> {
  const source = await open(input, "r").catch((error: unknown) => {
    throw new NiftiError("E_NIFTI_IO", "cannot read", { path: input, cause: error });
  });
  try {
    const size = (await source.stat()).size;
    // The splice reads the member headers and the first compressed bytes, a few small reads.
    const read = fileByteReader(source.fd, size);
    const parts = spliceGzipPrefix(size, read, prefix, range.offset + range.length);
    if (!parts) return false;
    const buffer = new Uint8Array(Math.min(COPY_CHUNK, size));
    await writeAtomically(
      output,
      async (handle) => {
        for (const part of parts) {
          if (!("start" in part)) {
            await handle.write(part);
            continue;
          }
          for (let at = part.start; at < part.end; ) {
            options.signal?.throwIfAborted();
            const { bytesRead } = await source.read(
              buffer,
              0,
              Math.min(buffer.length, part.end - at),
              at,
            );
            if (bytesRead === 0) {
              throw new NiftiError("E_NIFTI_TRUNCATED", "the file shrank while it was copied");
            }
            await handle.write(buffer.subarray(0, bytesRead));
            at += bytesRead;
          }
        }
      },
      options.durable ?? true,
    );
    return true;
  } catch (error) {
    throw withPath(error, input);
  } finally {
    await source.close();
  }
}
