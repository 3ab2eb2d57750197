// Voxel-to-world affines as radifox-convert leaves them: it reorients dcm2niix's output to PIL
// (sagittal), LIP (coronal) or LPS (axial), so the slice axis is always the third.
import type { Affine } from "@radifox/nifti";
import type { Shape3 } from "./noise.js";
import type { ImageSpec } from "./protocols.js";

type Vec = readonly [number, number, number];
const L: Vec = [-1, 0, 0];
const P: Vec = [0, -1, 0];
const I: Vec = [0, 0, -1];
const S: Vec = [0, 0, 1];

/** World direction of each voxel axis (RAS+ world), by slice orientation. */
const AXES: Readonly<Record<string, readonly [Vec, Vec, Vec]>> = {
  SAGITTAL: [P, I, L],
  CORONAL: [L, I, P],
  AXIAL: [L, P, S],
};

/** World directions of the voxel axes for a slice orientation (unknown ones: axial). */
export function orientationAxes(orientation: string): readonly [Vec, Vec, Vec] {
  return AXES[orientation.toUpperCase()] ?? (AXES.AXIAL as readonly [Vec, Vec, Vec]);
}

/** The distance between slice centres: the thickness for 3D, the spacing (or thickness) for 2D. */
export function sliceStep(spec: ImageSpec): number {
  if (spec.acqdim.toUpperCase() === "3D") return spec.thickness;
  return spec.spacing ?? spec.thickness;
}

/** Voxel sizes in mm: the in-plane resolution, then the slice step. */
export function voxelSizes(spec: ImageSpec): [number, number, number] {
  return [spec.resolution[0], spec.resolution[1], sliceStep(spec)];
}

/**
 * The affine of an image: the orientation's axes scaled by the voxel sizes, tilted by
 * `oblique` degrees about the left-right axis (as an AC-PC-aligned acquisition is), with the
 * centre of the volume at the world origin.
 */
export function imageAffine(spec: ImageSpec, shape: Shape3, oblique = 0): Affine {
  const axes = orientationAxes(spec.orientation);
  const zooms = voxelSizes(spec);
  const angle = (oblique * Math.PI) / 180;
  const c = Math.cos(angle);
  const s = Math.sin(angle);
  // Rotation about world x: y' = c y - s z, z' = s y + c z. Exact for 0 degrees.
  const rotate = ([x, y, z]: Vec): Vec =>
    oblique === 0 ? [x, y, z] : [x, c * y - s * z, s * y + c * z];
  const columns = axes.map((axis, j) => rotate(axis).map((v) => v * (zooms[j] as number)));
  const centre = shape.map((n) => (n - 1) / 2);
  const affine: Affine = [0, 1, 2].map((row) => {
    const r = columns.map((column) => column[row] as number);
    const offset = -r.reduce((sum, value, j) => sum + value * (centre[j] as number), 0);
    // `+ 0` turns -0 into 0 so that headers print plainly.
    return [...r.map((value) => value + 0), offset + 0];
  });
  affine.push([0, 0, 0, 1]);
  return affine;
}
