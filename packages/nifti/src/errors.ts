/**
 * Stable codes of {@link NiftiError}. Match on the code, not on the message text.
 *
 * - `E_NIFTI_IO`: the file could not be opened, read or written (the `cause` is the system error).
 * - `E_NIFTI_MAGIC`: not a NIfTI-1/NIfTI-2 header (wrong size field or magic string).
 * - `E_NIFTI_TRUNCATED`: the file ends before the header, the extensions or the data do.
 * - `E_NIFTI_GZIP`: the gzip stream is corrupt.
 * - `E_NIFTI_DIMS`: dimensions that are negative, inconsistent or too large to hold in memory.
 * - `E_NIFTI_DATATYPE`: a datatype code this package cannot hold in a typed array, or a datatype
 *   that an operation does not support (for example float data of complex voxels).
 * - `E_NIFTI_HEADER`: a header field that cannot be encoded or that contradicts another.
 * - `E_NIFTI_GEOMETRY`: qform/sform parameters that do not describe an affine (bad qfac,
 *   negative voxel sizes, a non-unit quaternion, a non-4x4 matrix).
 * - `E_NIFTI_OPTION`: an option value out of range (gzip level, member size, edit function result).
 * - `E_NIFTI_PATH`: a path whose extension is not `.nii`, `.nii.gz`, `.hdr`, `.img` or `.img.gz`,
 *   or an output that would overwrite its own input.
 * - `E_NIFTI_LOCK`: {@link withFileLock} waited longer than its timeout for another holder.
 */
export type NiftiErrorCode =
  | "E_NIFTI_IO"
  | "E_NIFTI_MAGIC"
  | "E_NIFTI_TRUNCATED"
  | "E_NIFTI_GZIP"
  | "E_NIFTI_DIMS"
  | "E_NIFTI_DATATYPE"
  | "E_NIFTI_HEADER"
  | "E_NIFTI_GEOMETRY"
  | "E_NIFTI_OPTION"
  | "E_NIFTI_PATH"
  | "E_NIFTI_LOCK";

/** Every error this package throws. `path` names the file concerned when there is one. */
export class NiftiError extends Error {
  readonly code: NiftiErrorCode;
  readonly path: string | undefined;

  constructor(
    code: NiftiErrorCode,
    message: string,
    options?: { path?: string | undefined; cause?: unknown },
  ) {
    super(options?.path === undefined ? message : `${options.path}: ${message}`, {
      cause: options?.cause,
    });
    this.name = "NiftiError";
    this.code = code;
    this.path = options?.path;
  }
}

/** Adds `path` to an error raised where the path was not known (for example while parsing bytes). */
export function withPath(error: unknown, path: string): unknown {
  if (error instanceof NiftiError && error.path === undefined) {
    const bare = new NiftiError(error.code, error.message, { path, cause: error.cause });
    bare.stack = error.stack;
    return bare;
  }
  return error;
}
