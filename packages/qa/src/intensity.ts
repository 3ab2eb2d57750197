// The montage's grey levels, as the original computes them in float64: subtract the minimum,
// divide by the 99.9th percentile, times 255, clip above 255, cast to uint8.
import { QaError } from "./errors.js";
import { castToUint8 } from "./numpy.js";
import { lerp, percentile, percentileRanks } from "./percentile.js";
import { reversesOrder, type Scaling, scaleValue } from "./scaling.js";

export interface ScaledImage {
  /** One byte per value. */
  readonly pixels: Uint8Array;
  /** The minimum subtracted (`numpy.min`, NaN if a value is NaN). */
  readonly min: number;
  /** The 99.9th percentile of the values after subtracting the minimum. */
  readonly percentile: number;
}

/**
 * `x -= min(x); x = x / percentile(x, 99.9) * 255; x[x > 255] = 255; x.astype(uint8)`. A zero
 * percentile (a constant image) gives 0/0 = NaN, which the cast turns into 0, as numpy does on
 * x86-64. With `inPlace` the (float64) input is overwritten by the values after subtraction.
 */
export function scaleToUint8(
  values: Float64Array | ArrayLike<number>,
  options: { inPlace?: boolean } = {},
): ScaledImage {
  const n = values.length;
  if (n === 0) throw new QaError("E_QA_EMPTY", "an image needs at least one value");
  let min = Number.POSITIVE_INFINITY;
  for (let i = 0; i < n; i++) {
    const v = values[i] as number;
    if (v < min) min = v;
    else if (Number.isNaN(v)) {
      min = Number.NaN;
      break;
    }
  }
  const shifted = options.inPlace && values instanceof Float64Array ? values : new Float64Array(n);
  for (let i = 0; i < n; i++) shifted[i] = (values[i] as number) - min;
  const p = percentile(shifted, 99.9);
  const pixels = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    let y = ((shifted[i] as number) / p) * 255.0;
    if (y > 255.0) y = 255.0;
    // Values in [0, 255] truncate; anything else (NaN, negatives) takes numpy's cast.
    pixels[i] = y >= 0 ? y : castToUint8(y);
  }
  return { pixels, min, percentile: p };
}

/** Integer stored values whose per-value tables {@link scaleIntegerMontage} builds. */
export type IntegerArray = Int8Array | Uint8Array | Int16Array | Uint16Array | Int32Array;

/** Integer ranges up to this many values are scaled through a table. */
const MAX_TABLE = 1 << 20;

/** Whether {@link scaleIntegerMontage} takes integer data of this range and count. */
export function tableFits(rawMin: number, rawMax: number, count: number): boolean {
  const range = rawMax - rawMin + 1;
  return range >= 1 && range <= Math.min(MAX_TABLE, 4 * count + 65536);
}

/**
 * {@link scaleToUint8} of the float values `scaleValue(raw[i], scaling)` of integer stored
 * values `raw` (all in `[rawMin, rawMax]`, see {@link tableFits}; `counted`: their counts if
 * already known): the same float64 arithmetic,
 * done once per distinct value instead of once per pixel. Scaling is monotonic, so the minimum
 * and the percentile's order statistics come from a count of the stored values.
 */
export function scaleIntegerMontage(
  raw: IntegerArray,
  rawMin: number,
  rawMax: number,
  scaling: Scaling,
  counted?: Uint32Array,
): ScaledImage {
  const n = raw.length;
  const range = rawMax - rawMin + 1;
  const counts = counted ?? countValues(raw, rawMin, range);
  // Bins in ascending order of their scaled value.
  const reversed = reversesOrder(scaling);
  const binAt = (step: number) => (reversed ? range - 1 - step : step);
  const rankValue = (rank: number): number => {
    let seen = 0;
    for (let step = 0; step < range; step++) {
      const bin = binAt(step);
      seen += counts[bin] as number;
      if (seen > rank) return scaleValue(rawMin + bin, scaling);
    }
    throw new QaError("E_QA_OPTION", `rank ${rank} of ${n} values`);
  };
  const min = rankValue(0);
  const { lo, hi, gamma } = percentileRanks(n, 99.9);
  const p = lerp(rankValue(lo) - min, rankValue(hi) - min, gamma);
  const table = new Uint8Array(range);
  for (let bin = 0; bin < range; bin++) {
    if (counts[bin] === 0) continue;
    let y = ((scaleValue(rawMin + bin, scaling) - min) / p) * 255.0;
    if (y > 255.0) y = 255.0;
    table[bin] = y >= 0 ? y : castToUint8(y);
  }
  const pixels = new Uint8Array(n);
  for (let i = 0; i < n; i++) pixels[i] = table[(raw[i] as number) - rawMin] as number;
  return { pixels, min, percentile: p };
}

/** `counts[v - min]` of the values `v` of `raw`. */
function countValues(raw: IntegerArray, min: number, range: number): Uint32Array {
  const counts = new Uint32Array(range);
  for (let i = 0; i < raw.length; i++) {
    const bin = (raw[i] as number) - min;
    counts[bin] = (counts[bin] as number) + 1;
  }
  return counts;
}

/** `castToUint8(scaleValue(raw[i], scaling))` for integer values in `[rawMin, rawMax]`. */
export function castIntegerMontage(
  raw: IntegerArray,
  rawMin: number,
  rawMax: number,
  scaling: Scaling,
): Uint8Array {
  const range = rawMax - rawMin + 1;
  const table = new Uint8Array(range);
  for (let bin = 0; bin < range; bin++) {
    table[bin] = castToUint8(scaleValue(rawMin + bin, scaling));
  }
  const out = new Uint8Array(raw.length);
  for (let i = 0; i < raw.length; i++) out[i] = table[(raw[i] as number) - rawMin] as number;
  return out;
}
