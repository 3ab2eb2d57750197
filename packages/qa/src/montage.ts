// The 3 x k montage: every slice of the plan cut from a volume, padded to M x M and laid out
// as the original lays it out after its final transpose (row block = plane, column block =
// fraction). Values are gathered straight from the source volume through the per-axis
// resampling indices, so the 1 mm volume is never built.
import { QaError } from "./errors.js";
import { gridExtremes, type NumericArray } from "./grid-scan.js";
import { type Fractions, type PlanePlan, slicePlan } from "./orientation-slices.js";

/** Pixel size of a montage. */
export interface MontageLayout {
  /** M: the largest resampled dimension; every slice is padded to M x M. */
  readonly tileSize: number;
  readonly width: number;
  readonly height: number;
}

export function montageLayout(
  shape: readonly number[],
  plans: readonly PlanePlan[],
): MontageLayout {
  const tileSize = Math.max(...shape);
  const count = plans[0]?.arrayIndex.length ?? 0;
  if (plans.some((plan) => plan.arrayIndex.length !== count)) {
    throw new QaError(
      "E_QA_FRACTION",
      `every plane needs the same number of slices, got ${plans.map((p) => p.arrayIndex.length).join(", ")} ` +
        "(the original cannot join the rows otherwise)",
    );
  }
  return { tileSize, width: count * tileSize, height: plans.length * tileSize };
}

/** Counts of integer values (`counts[value - offset]`), kept while a montage is cut. */
export interface Histogram {
  readonly counts: Uint32Array;
  readonly offset: number;
}

/**
 * Cuts the montage. `data` is an x-fastest volume of `sourceShape`; `indices[a][r]` is the
 * source index of position `r` of the resampled axis `a` (the plan refers to resampled
 * positions). Padding gets `pad`. Fills `height x width` values, row-major, into `out`
 * (default: a new Float64Array; an integer array for integer data saves memory). With
 * `histogram` (integer data, every value in range) the values are also counted.
 */
export function gatherMontage<T extends NumericArray = Float64Array>(
  data: NumericArray,
  sourceShape: readonly number[],
  indices: readonly ArrayLike<number>[],
  plans: readonly PlanePlan[],
  pad: number,
  out?: T,
  histogram?: Histogram,
): T {
  const resampledShape = indices.map((axis) => axis.length);
  const { tileSize: m, width, height } = montageLayout(resampledShape, plans);
  const [nx, ny] = sourceShape as [number, number, number];
  const strides = [1, nx, nx * ny];
  const target = (out ?? new Float64Array(width * height)) as T;
  if (target.length !== width * height) {
    throw new QaError(
      "E_QA_OPTION",
      `a ${height} x ${width} montage needs ${width * height} values`,
    );
  }
  plans.forEach((plan, p) => {
    const offsets = (axis: number, reversed: boolean): Int32Array => {
      const axisIndices = indices[axis] as ArrayLike<number>;
      const n = axisIndices.length;
      const stride = strides[axis] as number;
      const result = new Int32Array(n);
      for (let u = 0; u < n; u++) {
        result[u] = (axisIndices[reversed ? n - 1 - u : u] as number) * stride;
      }
      return result;
    };
    const cols = offsets(plan.colAxis, plan.colReversed);
    const rows = offsets(plan.rowAxis, plan.rowReversed);
    const colPad = Math.floor((m - cols.length) / 2);
    const rowPad = Math.floor((m - rows.length) / 2);
    const sliceIndices = indices[plan.sliceAxis] as ArrayLike<number>;
    const sliceStride = strides[plan.sliceAxis] as number;
    plan.arrayIndex.forEach((index, f) => {
      const sliceBase = (sliceIndices[index] as number) * sliceStride;
      for (let j = 0; j < m; j++) {
        const o = (p * m + j) * width + f * m;
        const v = j - rowPad;
        if (v < 0 || v >= rows.length) {
          target.fill(pad, o, o + m);
          continue;
        }
        const base = sliceBase + (rows[v] as number);
        target.fill(pad, o, o + colPad);
        const start = o + colPad;
        if (histogram === undefined) {
          for (let u = 0; u < cols.length; u++) {
            target[start + u] = data[base + (cols[u] as number)] as number;
          }
        } else {
          const { counts, offset } = histogram;
          for (let u = 0; u < cols.length; u++) {
            const value = data[base + (cols[u] as number)] as number;
            target[start + u] = value;
            counts[value - offset] = (counts[value - offset] as number) + 1;
          }
        }
        target.fill(pad, start + cols.length, o + m);
      }
    });
  });
  if (histogram !== undefined) {
    const padded =
      width * height -
      plans.reduce((sum, plan) => {
        const [rows, cols] = [
          indices[plan.rowAxis]?.length ?? 0,
          indices[plan.colAxis]?.length ?? 0,
        ];
        return sum + plan.arrayIndex.length * rows * cols;
      }, 0);
    const bin = pad - histogram.offset;
    histogram.counts[bin] = (histogram.counts[bin] as number) + padded;
  }
  return target;
}

/** A montage of float values, before intensity scaling. */
export interface Montage extends MontageLayout {
  /** `height x width` values, row-major. */
  readonly values: Float64Array;
  /** The padding value: the volume's minimum (NaN if it holds a NaN), as the original's. */
  readonly bgValue: number;
  readonly planes: PlanePlan[];
}

/**
 * The montage of a 3-D volume held x-fastest (for QA images: the 1 mm volume from
 * {@link resample1mm}), whose axes point toward `orientation`.
 */
export function montage(
  volume: NumericArray | readonly number[],
  shape: readonly number[],
  orientation: readonly (string | null)[],
  fractions?: Fractions,
): Montage {
  const planes = slicePlan(shape, orientation, fractions);
  const [nx, ny, nz] = shape as [number, number, number];
  if (volume.length !== nx * ny * nz) {
    throw new QaError(
      "E_QA_OPTION",
      `shape [${shape.join(", ")}] needs ${nx * ny * nz} values, got ${volume.length}`,
    );
  }
  if (volume.length === 0) {
    throw new QaError("E_QA_EMPTY", `the volume of shape [${shape.join(", ")}] has no voxel`);
  }
  const data = ArrayBuffer.isView(volume) ? volume : Float64Array.from(volume);
  const identity = shape.map((n) => Int32Array.from({ length: n }, (_, i) => i));
  const { min, nan } = gridExtremes(data, shape, identity);
  const bgValue = nan ? Number.NaN : min;
  const values = gatherMontage(data, shape, identity, planes, bgValue);
  return { ...montageLayout(shape, planes), values, bgValue, planes };
}
