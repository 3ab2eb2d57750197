// RADIFOX's 1 mm nearest-neighbour resampling (`nn_resize_1mmiso`), axis by axis. The grid is
// separable, so a resampled voxel (i, j, k) is source voxel (ix[i], iy[j], iz[k]); the index
// arrays are all the original's coordinate grid and map_coordinates call amount to.
import { QaError } from "./errors.js";
import { roundHalfEven } from "./numpy.js";

/** One axis of the 1 mm grid: its size and the sample positions numpy's `arange` gives. */
export interface ResampledAxis {
  /** `int(round(n / (1 / zoom)))`, the size the original reshapes to. */
  readonly size: number;
  /** The float64 sample coordinates, in source voxel units. */
  readonly coordinates: Float64Array;
}

/**
 * The sample coordinates of one axis, computed as the original does in float64: `s = 1 / zoom`,
 * size `round(n / s)`, bounds shrunk by half the size difference, then
 * `numpy.arange(start + s / 2, end - s / 4, s)` with numpy's own fill (element i >= 2 is
 * `begin + i * (element1 - element0)`).
 */
export function resampleAxis(n: number, zoom: number): ResampledAxis {
  if (!Number.isInteger(n) || n < 0) {
    throw new QaError("E_QA_OPTION", `an axis size must be a whole number >= 0, got ${n}`);
  }
  const scale = 1.0 / zoom;
  const quotient = n / scale;
  if (!Number.isFinite(quotient) || !(zoom > 0)) {
    throw new QaError(
      "E_QA_RESAMPLE",
      `a voxel size of ${zoom} mm has no 1 mm grid (the original fails on it too)`,
    );
  }
  const size = roundHalfEven(quotient);
  const start0 = -0.5;
  const end0 = start0 + n;
  const originalSize = end0 - start0;
  const newSize = size * scale;
  const diff = (originalSize - newSize) / 2;
  const begin = start0 + diff + scale / 2;
  const stop = end0 - diff - scale / 4;
  const length = Math.max(0, Math.ceil((stop - begin) / scale));
  const coordinates = new Float64Array(length);
  if (length > 0) coordinates[0] = begin;
  if (length > 1) {
    const second = begin + scale;
    coordinates[1] = second;
    const delta = second - begin;
    for (let i = 2; i < length; i++) coordinates[i] = begin + i * delta;
  }
  return { size, coordinates };
}

/**
 * The source voxel sampled by each position of the 1 mm grid along an axis of `n` voxels of
 * `zoom` mm: scipy's `map_coordinates(order=0, mode="nearest")`, i.e. `floor(c + 0.5)` clamped to
 * `[0, n - 1]`. Throws `E_QA_RESAMPLE` when the coordinate count differs from the grid size
 * (the original's reshape fails then).
 */
export function resampleIndices(n: number, zoom: number): Int32Array {
  const { size, coordinates } = resampleAxis(n, zoom);
  if (coordinates.length !== size) {
    throw new QaError(
      "E_QA_RESAMPLE",
      `an axis of ${n} voxels at ${zoom} mm gives ${coordinates.length} sample positions for a ` +
        `1 mm size of ${size} (the original fails: cannot reshape array of size ` +
        `${coordinates.length} into shape (${size},1,1))`,
    );
  }
  return nearestIndices(coordinates, n);
}

function nearestIndices(coordinates: Float64Array, n: number): Int32Array {
  const out = new Int32Array(coordinates.length);
  const last = n - 1;
  for (let i = 0; i < coordinates.length; i++) {
    const c = coordinates[i] as number;
    const index = Math.floor(c + 0.5);
    out[i] = Math.min(Math.max(index, 0), last);
  }
  return out;
}

/**
 * Per-axis source indices of a 3-D volume's 1 mm grid, checked together as the original
 * checks them (one reshape of the whole grid).
 */
export function resampleGrid(
  shape: readonly number[],
  zooms: readonly number[],
): [Int32Array, Int32Array, Int32Array] {
  if (shape.length !== 3 || zooms.length !== 3) {
    throw new QaError("E_QA_DIMS", `a 3-D shape and 3 voxel sizes are needed, got ${shape.length}`);
  }
  const axes = shape.map((n, a) => resampleAxis(n, zooms[a] as number));
  if (axes.some((axis) => axis.coordinates.length !== axis.size)) {
    const count = axes.reduce((product, axis) => product * axis.coordinates.length, 1);
    const sizes = axes.map((axis) => axis.size).join(",");
    throw new QaError(
      "E_QA_RESAMPLE",
      `the 1 mm grid of shape [${shape.join(", ")}] at [${zooms.join(", ")}] mm has sample ` +
        `counts [${axes.map((axis) => axis.coordinates.length).join(", ")}] for sizes ` +
        `[${sizes}] (the original fails: cannot reshape array of size ${count} into shape ` +
        `(${sizes}))`,
    );
  }
  return axes.map((axis, a) => nearestIndices(axis.coordinates, shape[a] as number)) as [
    Int32Array,
    Int32Array,
    Int32Array,
  ];
}

/** A resampled volume: values in x-fastest order, its shape and the source index per axis. */
export interface Resampled {
  readonly data: Float64Array;
  readonly shape: [number, number, number];
  readonly indices: [Int32Array, Int32Array, Int32Array];
}

/**
 * `nn_resize_1mmiso` on a 3-D array held x-fastest (NIfTI order): the whole 1 mm volume as
 * float64. QA images do not need it (they gather their slices from the source directly).
 */
export function resample1mm(
  data: ArrayLike<number>,
  shape: readonly number[],
  zooms: readonly number[],
): Resampled {
  const indices = resampleGrid(shape, zooms);
  const [nx, ny, nz] = shape as [number, number, number];
  if (data.length !== nx * ny * nz) {
    throw new QaError(
      "E_QA_OPTION",
      `shape [${shape.join(", ")}] needs ${nx * ny * nz} values, got ${data.length}`,
    );
  }
  const [ix, iy, iz] = indices;
  const out = new Float64Array(ix.length * iy.length * iz.length);
  let o = 0;
  for (let k = 0; k < iz.length; k++) {
    const zBase = (iz[k] as number) * nx * ny;
    for (let j = 0; j < iy.length; j++) {
      const base = zBase + (iy[j] as number) * nx;
      for (let i = 0; i < ix.length; i++) out[o++] = data[base + (ix[i] as number)] as number;
    }
  }
  return { data: out, shape: [ix.length, iy.length, iz.length], indices };
}
