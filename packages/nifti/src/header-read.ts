import { NiftiError } from "./errors.js";
import {
  decodeHeaderFields,
  headerSize,
  isSingleFile,
  type NiftiExtension,
  type NiftiHeader,
  sniffHeader,
} from "./header.js";
import { checkHeader } from "./header-checks.js";

/**
 * What the header parser needs next: either the header, or the number of bytes from the start
 * of the (decompressed) file it must see first. The file readers loop on this, so one parser
 * serves sync and async reads, plain and gzip files.
 */
export type HeaderStep = { header: NiftiHeader } | { need: number };

/**
 * Parses a header from the first bytes of a file, with nibabel's load-time repairs applied
 * (see `checkHeader`). `ended` says whether `bytes` is the whole
 * (decompressed) file. `pair` says the file is the `.hdr` of a pair: its extensions run to the
 * end of the file instead of to `vox_offset`.
 */
export function headerFromPrefix(bytes: Uint8Array, ended: boolean, pair: boolean): HeaderStep {
  if (bytes.length < 4) return needOrTruncated(4, bytes, ended);
  const { version } = sniffHeader(bytes);
  const size = headerSize(version);
  if (bytes.length < size) return needOrTruncated(size, bytes, ended);
  const fields = decodeHeaderFields(bytes);
  const voxOffset = dataOffset(fields);
  const single = isSingleFile(fields) && !pair;
  // The 4-byte extension flag; a file may end right after the header (a `.hdr` without it).
  if (bytes.length < size + 4) {
    if (ended) return { header: checkHeader(Object.freeze(fields)).header };
    return { need: size + 4 };
  }
  if (bytes[size] === 0) return { header: checkHeader(Object.freeze(fields)).header };
  let end: number;
  if (single) {
    if (voxOffset < size + 4) {
      throw new NiftiError(
        "E_NIFTI_HEADER",
        `extensions are flagged but vox_offset ${voxOffset} leaves no room for them`,
      );
    }
    if (bytes.length < voxOffset) return needOrTruncated(voxOffset, bytes, ended);
    end = voxOffset;
  } else {
    if (!ended) return { need: Number.POSITIVE_INFINITY };
    end = bytes.length;
  }
  const extensions = parseExtensions(bytes, size + 4, end, fields.endianness === "little", !single);
  fields.extensions = extensions;
  return { header: checkHeader(Object.freeze(fields)).header };
}

function needOrTruncated(need: number, bytes: Uint8Array, ended: boolean): HeaderStep {
  if (!ended) return { need };
  throw new NiftiError(
    "E_NIFTI_TRUNCATED",
    `file ends after ${bytes.length} bytes; the header needs ${need}`,
  );
}

/** `vox_offset` as a byte position (nibabel truncates the float32 of NIfTI-1 to an integer). */
export function dataOffset(header: Pick<NiftiHeader, "voxOffset">): number {
  const offset = Math.trunc(header.voxOffset);
  if (!(offset >= 0) || !Number.isSafeInteger(offset)) {
    throw new NiftiError("E_NIFTI_HEADER", `vox_offset ${header.voxOffset} is not a byte position`);
  }
  return offset;
}

/**
 * Extensions as nibabel reads them: in a single file, while a 16-byte block fits before the data;
 * in a `.hdr`, to the end of the file.
 */
function parseExtensions(
  bytes: Uint8Array,
  start: number,
  end: number,
  littleEndian: boolean,
  toEnd: boolean,
): NiftiExtension[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: NiftiExtension[] = [];
  let at = start;
  while (toEnd ? at < end : end - at >= 16) {
    const esize = end - at >= 8 ? view.getInt32(at, littleEndian) : -1;
    if (esize < 8 || at + esize > end) {
      throw new NiftiError(
        "E_NIFTI_HEADER",
        `extension at byte ${at} claims ${esize} bytes; ${end - at} are left`,
      );
    }
    const code = view.getInt32(at + 4, littleEndian);
    out.push(Object.freeze({ code, data: bytes.slice(at + 8, at + esize) }));
    at += esize;
  }
  return out;
}
