// numpy 1.24's `percentile(values, q)` with the default "linear" method, bit for bit, found by
// selection instead of a sort: a counting pass when every value is a small-range integer,
// else quickselect on a copy.
import { QaError } from "./errors.js";

/** Integer-valued data whose range is below this (and below 4 counts per value) is counted. */
const MAX_COUNTING_RANGE = 1 << 20;
const MIN_COUNTING_RANGE = 1 << 16;

/**
 * `numpy.percentile(values, q)` (numpy 1.24, method "linear"): `q / 100` in float64, virtual
 * index `(n - 1) * q`, `a + (b - a) * t`, or `b - (b - a) * (1 - t)` when `t >= 0.5`. NaN if any
 * value is NaN. `values` is not modified.
 */
export function percentile(values: ArrayLike<number>, q: number): number {
  const { lo, hi, gamma } = percentileRanks(values.length, q);
  const pair = orderStatistics(values, lo, hi);
  if (pair === undefined) return Number.NaN;
  return lerp(pair[0], pair[1], gamma);
}

/**
 * Where numpy 1.24's linear percentile `q` of `n` values looks: the ranks (0-based, ascending)
 * of the two values it interpolates between and the interpolation weight. Combine the values
 * with {@link lerp}.
 */
export function percentileRanks(n: number, q: number): { lo: number; hi: number; gamma: number } {
  if (n === 0) throw new QaError("E_QA_EMPTY", "the percentile of no values is undefined");
  if (!(q >= 0 && q <= 100)) {
    throw new QaError("E_QA_OPTION", `percentiles must be in the range [0, 100], got ${q}`);
  }
  const virtual = (n - 1) * (q / 100);
  if (virtual >= n - 1) {
    // numpy points both indices at the last value (-1) and its gamma then is virtual - (-1).
    return { lo: n - 1, hi: n - 1, gamma: virtual + 1 };
  }
  const lo = Math.floor(virtual);
  return { lo, hi: lo + 1, gamma: virtual - lo };
}

/** numpy 1.24's `_lerp`: `a + (b - a) * t`, or `b - (b - a) * (1 - t)` when `t >= 0.5`. */
export function lerp(a: number, b: number, t: number): number {
  const diff = b - a;
  return t >= 0.5 ? b - diff * (1 - t) : a + diff * t;
}

/**
 * The values of rank `lo` and `hi` (0-based, `hi` is `lo` or `lo + 1`) in ascending order, or
 * `undefined` when a value is NaN (numpy sorts NaN last and then answers NaN).
 */
function orderStatistics(
  values: ArrayLike<number>,
  lo: number,
  hi: number,
): [number, number] | undefined {
  const n = values.length;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  let integers = true;
  for (let i = 0; i < n; i++) {
    const v = values[i] as number;
    if (Number.isNaN(v)) return undefined;
    if (v < min) min = v;
    if (v > max) max = v;
    if (integers && v !== Math.floor(v)) integers = false;
  }
  // -0 and +0 count as one value below; both print and compute alike here (x - 0).
  const countingRange = Math.min(MAX_COUNTING_RANGE, Math.max(MIN_COUNTING_RANGE, 4 * n));
  if (integers && Number.isFinite(min) && Number.isFinite(max) && max - min < countingRange) {
    return countingStatistics(values, min, max - min + 1, lo, hi);
  }
  const copy = Float64Array.from(values as ArrayLike<number>);
  const a = select(copy, lo);
  if (hi === lo) return [a, a];
  // After selection every element right of lo is >= a: the next rank is their minimum.
  let b = Number.POSITIVE_INFINITY;
  for (let i = lo + 1; i < n; i++) {
    const v = copy[i] as number;
    if (v < b) b = v;
  }
  return [a, b];
}

function countingStatistics(
  values: ArrayLike<number>,
  min: number,
  range: number,
  lo: number,
  hi: number,
): [number, number] {
  const counts = new Uint32Array(range);
  const n = values.length;
  for (let i = 0; i < n; i++) {
    const bin = (values[i] as number) - min;
    counts[bin] = (counts[bin] as number) + 1;
  }
  let seen = 0;
  let a = Number.NaN;
  for (let bin = 0; bin < range; bin++) {
    seen += counts[bin] as number;
    if (Number.isNaN(a) && seen > lo) a = min + bin;
    if (seen > hi) return [a, min + bin];
  }
  return [a, min + range - 1];
}

/**
 * Hoare-style quickselect (median-of-three pivots): afterwards `data[k]` holds the value of
 * rank `k`, smaller-or-equal values left of it and greater-or-equal right. Falls back to a sort
 * of the remaining range if the partitions stop shrinking (adversarial input).
 */
function select(data: Float64Array, k: number): number {
  let left = 0;
  let right = data.length - 1;
  let budget = 2 * Math.ceil(Math.log2(data.length + 1)) + 8;
  while (right > left) {
    if (budget-- === 0) {
      data.subarray(left, right + 1).sort();
      return data[k] as number;
    }
    const mid = left + ((right - left) >> 1);
    // Median of three to data[mid].
    if ((data[mid] as number) < (data[left] as number)) swap(data, mid, left);
    if ((data[right] as number) < (data[left] as number)) swap(data, right, left);
    if ((data[right] as number) < (data[mid] as number)) swap(data, right, mid);
    const pivot = data[mid] as number;
    let i = left;
    let j = right;
    while (i <= j) {
      while ((data[i] as number) < pivot) i++;
      while ((data[j] as number) > pivot) j--;
      if (i <= j) {
        swap(data, i, j);
        i++;
        j--;
      }
    }
    // Now data[left..j] <= pivot <= data[i..right], and data[j+1..i-1] == pivot.
    if (k <= j) right = j;
    else if (k >= i) left = i;
    else return data[k] as number;
  }
  return data[k] as number;
}

function swap(data: Float64Array, i: number, j: number): void {
  const t = data[i] as number;
  data[i] = data[j] as number;
  data[j] = t;
}
