// A derived image saved "with the template's header", as the original does with
// `Nifti1Image(values, affine=None, header=template.header)`: the geometry and the on-disk
// datatype are the template's; float values stored in an integer type are scaled into its whole
// range, as nibabel scales them (slope and intercept from the value range).
import { datatypeInfo, NiftiImage, updateHeader, type VoxelArray } from "@radifox/nifti";

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
export function imageLikeTemplate(template: NiftiImage, values: Float32Array): NiftiImage {
  const type = datatypeInfo(template.header.datatype);
  const range = INTEGER_RANGES[type.name];
  if (range === undefined) {
    // Float (or 64-bit) types hold the values themselves.
    const data = new type.array(values.length) as VoxelArray;
    if (data instanceof BigInt64Array || data instanceof BigUint64Array) {
      for (let i = 0; i < values.length; i++) data[i] = BigInt(Math.round(values[i] as number));
    } else {
      (data as Float32Array).set(values);
    }
    return new NiftiImage(updateHeader(template.header, { sclSlope: 1, sclInter: 0 }), data);
  }
  const [outMin, outMax] = range;
  const [min, max] = finiteRange(values) ?? [0, 0];
  // nibabel maps the value range onto the type's whole range; the header stores float32.
  const slope = Math.fround(max > min ? (max - min) / (outMax - outMin) : 1);
  const inter = Math.fround(max > min ? min - outMin * slope : min);
  const data = new type.array(values.length) as Int16Array;
  const scale = 1 / slope;
  for (let i = 0; i < values.length; i++) {
    // Values lie in [min, max], so the rounded result is within the type's range; NaN -> 0.
    const raw = Math.round(((values[i] as number) - inter) * scale);
    data[i] = raw > outMax ? outMax : raw < outMin ? outMin : raw || 0;
  }
  return new NiftiImage(updateHeader(template.header, { sclSlope: slope, sclInter: inter }), data);
}
