/**
 * Stable codes of {@link QaError}. Match on the code, not on the message text.
 *
 * - `E_QA_READ`: the input or overlay image cannot be read (missing file, not NIfTI, corrupt;
 *   the `cause` is the `NiftiError`).
 * - `E_QA_WRITE`: the PNG cannot be written (the `cause` is the system error).
 * - `E_QA_DIMS`: the image is not 3-D or 4-D, or a 4-D image has no volume.
 * - `E_QA_DATATYPE`: voxels without a single real value (complex, RGB).
 * - `E_QA_RESAMPLE`: a voxel size that has no 1 mm grid (zero, negative, not finite), or a grid
 *   whose sample count differs from its size (the original fails to reshape then).
 * - `E_QA_EMPTY`: the 1 mm grid has no voxel (an axis shorter than half a millimetre).
 * - `E_QA_ORIENTATION`: the affine does not give one L/R, one A/P and one I/S axis.
 * - `E_QA_FRACTION`: slice fractions that are not finite, that differ in count between planes,
 *   or that select a slice outside the volume.
 * - `E_QA_OVERLAY`: the overlay montage does not have the size of the image montage.
 * - `E_QA_LUT`: an unknown look-up table name or a malformed table.
 * - `E_QA_SURFACE`: a GIfTI surface overlay; surface QA is not supported yet.
 * - `E_QA_OPTION`: another option out of range (alpha, blend mode, PNG level, pixel counts).
 */
export type QaErrorCode =
  | "E_QA_READ"
  | "E_QA_WRITE"
  | "E_QA_DIMS"
  | "E_QA_DATATYPE"
  | "E_QA_RESAMPLE"
  | "E_QA_EMPTY"
  | "E_QA_ORIENTATION"
  | "E_QA_FRACTION"
  | "E_QA_OVERLAY"
  | "E_QA_LUT"
  | "E_QA_SURFACE"
  | "E_QA_OPTION";

/** Every error this package throws. `path` names the file concerned when there is one. */
export class QaError extends Error {
  readonly code: QaErrorCode;
  readonly path: string | undefined;

  constructor(
    code: QaErrorCode,
    message: string,
    options?: { path?: string | undefined; cause?: unknown },
  ) {
    super(options?.path === undefined ? message : `${options.path}: ${message}`, {
      cause: options?.cause,
    });
    this.name = "QaError";
    this.code = code;
    this.path = options?.path;
  }
}
