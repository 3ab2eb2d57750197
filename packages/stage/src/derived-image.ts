// A derived image saved "with the template's header", as the original does with
// `Nifti1Image(values, affine=None, header=template.header)`: the geometry and the on-disk
// datatype are the template's; float values stored in an integer type are scaled into its whole
// range, as nibabel scales them (slope and intercept from the value range).
import {
  datatypeInfo,
  type NiftiHeader,
  NiftiImage,
  updateHeader,
  type VoxelArray,
} from "@radifox/nifti";

const INTEGER_RANGES: Record<string, [number, number]> = {
  uint8: [0, 255],
  int8: [-128, 127],
  int16: [-32768, 32767],
  uint16: [0, 65535],
  int32: [-2147483648, 2147483647],
  uint32: [0, 4294967295],
};

function finiteRange(values: Float32Array): [number, number] | undefined {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return min <= max ? [min, max] : undefined;
}

/** `values` (x fastest, the template's shape) as an image with the template's header. */
export function imageLikeTemplate(template: NiftiHeader, values: Float32Array): NiftiImage {
  const type = datatypeInfo(template.datatype);
  const range = INTEGER_RANGES[type.name];
  if (range === undefined) {
    // Float (or 64-bit) types hold the values themselves.
    const data = new type.array(values.length) as VoxelArray;
    if (data instanceof BigInt64Array || data instanceof BigUint64Array) {
      for (let i = 0; i < values.length; i++) data[i] = BigInt(Math.round(values[i] as number));
    } else {
      (data as Float32Array).set(values);
    }
    return new NiftiImage(updateHeader(template, { sclSlope: 1, sclInter: 0 }), data);
  }
  const [outMin, outMax] = range;
  const [min, max] = finiteRange(values) ?? [0, 0];
  // nibabel maps the value range onto the type's whole range; the header stores float32.
  const slope = Math.fround(max > min ? (max - min) / (outMax - outMin) : 1);
  const inter = Math.fround(max > min ? min - outMin * slope : min);
  const data = new type.array(values.length) as Int16Array;
  const scale = 1 / slope;
  const length = values.length;
  for (let i = 0; i < length; i++) {
    const x = ((values[i] as number) - inter) * scale;
    // Math.round(x) (half up), about twice as fast: floor(x + 0.5) can overshoot by one when
    // x + 0.5 is inexact. Values lie in [min, max], so the result is within the type's range
    // but for rounding at its ends; NaN is stored as 0.
    let raw = Math.floor(x + 0.5);
    if (raw - 0.5 > x) raw -= 1;
    if (raw > outMax) raw = outMax;
    else if (raw < outMin) raw = outMin;
    data[i] = raw;
  }
  return new NiftiImage(updateHeader(template, { sclSlope: slope, sclInter: inter }), data);
}
