// A NIfTI file as the QA code sees it: volume 0, its voxel sizes, the orientation of the
// original image, the stored values and the scaling that turns them into get_fdata() values.
import { axcodes, NiftiError, type NiftiImage, readImage, slopeInter } from "@radifox/nifti";
import { QaError } from "./errors.js";
import type { NumericArray } from "./grid-scan.js";
import { checkOrientation } from "./orientation-slices.js";
import type { Scaling } from "./scaling.js";

export interface QaVolume {
  readonly path: string;
  /** Shape of the 3-D volume used (volume 0 of a 4-D image). */
  readonly shape: [number, number, number];
  /** Header voxel sizes (pixdim 1..3). */
  readonly zooms: [number, number, number];
  /** `nib.aff2axcodes(img.affine)` of the image as read. */
  readonly orientation: string[];
  /** The stored values, x-fastest (64-bit integers converted to float64). */
  readonly data: NumericArray;
  /** nibabel's `get_slope_inter()`; `undefined` when the values are not scaled. */
  readonly scaling: Scaling;
}

/** Reads a NIfTI file for a QA image. `role` names it in errors ("input", "overlay"). */
export async function readQaVolume(
  path: string,
  role: string,
  signal?: AbortSignal,
): Promise<QaVolume> {
  let image: NiftiImage;
  try {
    image = await readImage(path, { signal });
  } catch (error) {
    if ((error as Error).name === "AbortError") throw error;
    const reason = error instanceof NiftiError ? error.message : String(error);
    throw new QaError("E_QA_READ", `cannot read the ${role} image: ${reason}`, {
      path,
      cause: error,
    });
  }
  return qaVolume(image, path);
}

/** The QA view of an image in memory (see {@link readQaVolume}). */
export function qaVolume(image: NiftiImage, path = "<memory>"): QaVolume {
  const shape = image.shape;
  if (shape.length !== 3 && shape.length !== 4) {
    throw new QaError(
      "E_QA_DIMS",
      `QA images need a 3-D or 4-D image, got shape [${shape.join(", ")}]`,
      { path },
    );
  }
  if (image.volumeCount === 0) {
    throw new QaError("E_QA_DIMS", "the 4-D image has no volume", { path });
  }
  const type = image.datatype;
  if (!type.real || type.components !== 1) {
    throw new QaError("E_QA_DATATYPE", `${type.name} voxels have no single grey value`, { path });
  }
  let orientation: string[];
  let scaling: Scaling;
  try {
    orientation = checkOrientation(axcodes(image.affine));
    scaling = slopeInter(image.header);
  } catch (error) {
    if (error instanceof QaError) throw new QaError(error.code, error.message, { path });
    const reason = error instanceof Error ? error.message : String(error);
    throw new QaError("E_QA_READ", reason, { path, cause: error });
  }
  // nibabel's four_to_three: volume 0, scaled by get_fdata() as a 3-D image.
  const volume = image.volume(0);
  const raw = volume.data;
  const data =
    raw instanceof BigInt64Array || raw instanceof BigUint64Array
      ? Float64Array.from(raw, (value) => Number(value))
      : (raw as NumericArray);
  const [nx = 1, ny = 1, nz = 1] = shape;
  const pixdim = image.header.pixdim;
  return {
    path,
    shape: [nx, ny, nz],
    zooms: [pixdim[1] as number, pixdim[2] as number, pixdim[3] as number],
    orientation,
    data,
    scaling,
  };
}
