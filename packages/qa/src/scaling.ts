// nibabel's get_fdata() scaling of stored values, in float64: `raw * slope + inter`, the
// multiplication skipped for slope 1 and the addition for intercept 0 (as apply_read_scaling).

/** `[slope, inter]` from nibabel's `get_slope_inter()`; `undefined`: values are not scaled. */
export type Scaling = readonly [number, number] | undefined;

/** One value scaled. */
export function scaleValue(value: number, scaling: Scaling): number {
  if (scaling === undefined) return value;
  const [slope, inter] = scaling;
  let v = value;
  if (slope !== 1) v *= slope;
  if (inter !== 0) v += inter;
  return v;
}

/** Scales values in place, exactly as {@link scaleValue}. */
export function applyScaling(values: Float64Array, scaling: Scaling): void {
  if (scaling === undefined) return;
  const [slope, inter] = scaling;
  const n = values.length;
  if (slope !== 1 && inter !== 0) {
    for (let i = 0; i < n; i++) values[i] = (values[i] as number) * slope + inter;
  } else if (slope !== 1) {
    for (let i = 0; i < n; i++) values[i] = (values[i] as number) * slope;
  } else if (inter !== 0) {
    for (let i = 0; i < n; i++) values[i] = (values[i] as number) + inter;
  }
}

/**
 * Whether scaling keeps the order of values (slope >= 0) or reverses it (slope < 0). Either
 * way it is monotonic in float64, so extremes and ranks of scaled values are those of the
 * stored values (read from the other end when reversed).
 */
export function reversesOrder(scaling: Scaling): boolean {
  return scaling !== undefined && scaling[0] < 0;
}
