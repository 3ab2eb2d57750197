import { existsSync } from "node:fs";
import { NiftiError } from "./errors.js";

/** Where the header and the data of an image live. */
export interface NiftiFiles {
  /** The file that holds the header (`.nii`, `.nii.gz`, `.hdr`, `.hdr.gz`). */
  readonly header: string;
  /** The file that holds the data: the same file for single-file images, the `.img` of a pair. */
  readonly data: string;
  /** Whether header and data are separate files. */
  readonly pair: boolean;
}

const SINGLE = /\.nii(\.gz)?$/i;
const HEADER = /\.hdr(\.gz)?$/i;
const IMAGE = /\.img(\.gz)?$/i;

/**
 * The files of the image at `path`. For a `.hdr` the data file is the `.img` beside it (or
 * `.img.gz`, whichever exists; `.img` when neither does); for an `.img` it is the reverse.
 */
export function niftiFiles(path: string): NiftiFiles {
  if (SINGLE.test(path)) return { header: path, data: path, pair: false };
  const swap = (from: RegExp, to: string) => {
    const match = from.exec(path) as RegExpExecArray;
    const stem = path.slice(0, match.index);
    const upper = match[0].startsWith(".H") || match[0].startsWith(".I");
    const ext = upper ? to.toUpperCase() : to;
    const gz = match[1] ?? "";
    const candidates = [`${stem}${ext}${gz}`, `${stem}${ext}${gz ? "" : upper ? ".GZ" : ".gz"}`];
    return candidates.find((candidate) => existsSync(candidate)) ?? (candidates[0] as string);
  };
  if (HEADER.test(path)) return { header: path, data: swap(HEADER, ".img"), pair: true };
  if (IMAGE.test(path)) return { header: swap(IMAGE, ".hdr"), data: path, pair: true };
  throw new NiftiError(
    "E_NIFTI_PATH",
    "not a NIfTI file name (expected .nii, .nii.gz, .hdr, .hdr.gz, .img or .img.gz)",
    { path },
  );
}
