import { type DatatypeInfo, datatypeInfo, datatypeOfArray, type VoxelArray } from "./datatypes.js";
import { NiftiError } from "./errors.js";
import { type Affine, bestAffine, setQform, setSform } from "./geometry.js";
import {
  dataShape,
  defaultHeader,
  type NiftiHeader,
  type NiftiHeaderFields,
  updateHeader,
  voxelCount,
} from "./header.js";

export type FloatType = "float32" | "float64";

/** A header and its voxels in memory. `data` holds the stored values in native byte order. */
export class NiftiImage {
  readonly header: NiftiHeader;
  readonly data: VoxelArray;
  readonly #floatCache = new Map<FloatType, Float32Array | Float64Array>();

  constructor(header: NiftiHeader, data: VoxelArray) {
    const type = datatypeInfo(header.datatype);
    if (!(data instanceof type.array)) {
      throw new NiftiError(
        "E_NIFTI_DATATYPE",
        `datatype ${type.name} needs a ${type.array.name}, got ${data.constructor.name}`,
      );
    }
    const expected = voxelCount(header) * type.components;
    if (data.length !== expected) {
      throw new NiftiError(
        "E_NIFTI_DIMS",
        `shape ${dataShape(header).join("x")} of ${type.name} needs ${expected} array elements, got ${data.length}`,
      );
    }
    this.header = header;
    this.data = data;
  }

  /** The data shape (`dim[1..dim[0]]`), fastest-varying axis first as on disk. */
  get shape(): number[] {
    return dataShape(this.header);
  }

  get datatype(): DatatypeInfo {
    return datatypeInfo(this.header.datatype);
  }

  /** nibabel's `img.affine`: sform, else qform, else the base affine. */
  get affine(): Affine {
    return bestAffine(this.header);
  }

  /**
   * The voxel values with `scl_slope`/`scl_inter` applied, exactly as nibabel's
   * `get_fdata(dtype)` computes them: no scaling when the slope is 0 or not finite, the
   * multiplication skipped for slope 1 and the addition for intercept 0, float32 arithmetic
   * where numpy would use it. The result is cached; do not modify it.
   */
  getFloatData(dtype: FloatType = "float64"): Float32Array | Float64Array {
    const cached = this.#floatCache.get(dtype);
    if (cached !== undefined) return cached;
    const out = scaledFloatData(this.header, this.data, dtype);
    this.#floatCache.set(dtype, out);
    return out;
  }

  /** Seeds the float cache with values a reader computed while decompressing. */
  static withFloatData(image: NiftiImage, values: Float32Array | Float64Array): NiftiImage {
    image.#floatCache.set(values instanceof Float32Array ? "float32" : "float64", values);
    return image;
  }

  /** Number of volumes along the 4th axis (1 for 3-D images). */
  get volumeCount(): number {
    const shape = this.shape;
    return shape.length < 4 ? 1 : shape.slice(3).reduce((a, b) => a * b, 1);
  }

  /**
   * Volume `index` of a 4-D (or higher) image as a 3-D image that shares this image's buffer,
   * like nibabel's `four_to_three`.
   */
  volume(index: number): NiftiImage {
    const count = this.volumeCount;
    if (!Number.isInteger(index) || index < 0 || index >= count) {
      throw new NiftiError("E_NIFTI_DIMS", `volume ${index} does not exist (${count} volumes)`);
    }
    if (this.shape.length <= 3) return this;
    const [x = 1, y = 1, z = 1] = this.shape;
    const size = x * y * z * this.datatype.components;
    const dim = [3, x, y, z, 1, 1, 1, 1];
    return new NiftiImage(
      updateHeader(this.header, { dim }),
      this.data.subarray(index * size, (index + 1) * size) as VoxelArray,
    );
  }

  /** The same data with another header (shape and datatype must still fit the data). */
  withHeader(header: NiftiHeader): NiftiImage {
    return new NiftiImage(header, this.data);
  }
}

/** Slope and intercept as nibabel's `get_slope_inter()` yields them; `undefined` = no scaling. */
export function slopeInter(header: NiftiHeader): [number, number] | undefined {
  const slope = header.sclSlope;
  if (slope === 0 || !Number.isFinite(slope)) return undefined;
  if (!Number.isFinite(header.sclInter)) {
    throw new NiftiError(
      "E_NIFTI_HEADER",
      `scl_slope is ${slope} but scl_inter is ${header.sclInter}; the scaling is undefined`,
    );
  }
  return [slope, header.sclInter];
}

function scaledFloatData(
  header: NiftiHeader,
  data: VoxelArray,
  dtype: FloatType,
): Float32Array | Float64Array {
  const out = dtype === "float32" ? new Float32Array(data.length) : new Float64Array(data.length);
  scaleInto(header, data, out, 0, data.length);
  return out;
}

/**
 * Writes the scaled float values of elements `start..end` of `data` into `out` (see
 * {@link NiftiImage.getFloatData}); ranges let a reader convert while it decompresses.
 */
export function scaleInto(
  header: NiftiHeader,
  data: VoxelArray,
  out: Float32Array | Float64Array,
  start: number,
  end: number,
): void {
  const type = datatypeInfo(header.datatype);
  if (!type.real) {
    throw new NiftiError("E_NIFTI_DATATYPE", `${type.name} voxels have no single float value`);
  }
  const float32 = out instanceof Float32Array;
  const scaling = slopeInter(header) ?? [1, 0];
  const numbers: ArrayLike<number> =
    data instanceof BigInt64Array || data instanceof BigUint64Array
      ? Float64Array.from(data.subarray(start, end) as BigInt64Array, (value) => Number(value))
      : (data.subarray(start, end) as unknown as ArrayLike<number>);
  const target = out.subarray(start, end);
  let [slope, inter] = scaling;
  if (slope === 1 && inter === 0) {
    target.set(numbers);
    return;
  }
  if (float32) {
    // numpy casts the scale factors to float32 for a float32 result.
    slope = Math.fround(slope);
    inter = Math.fround(inter);
  }
  const n = numbers.length;
  if (float32 && type.float32Arithmetic && slope !== 1 && inter !== 0) {
    // numpy scales these types in float32: the product is rounded before the sum.
    for (let i = 0; i < n; i++) target[i] = Math.fround((numbers[i] as number) * slope) + inter;
  } else if (slope !== 1 && inter !== 0) {
    for (let i = 0; i < n; i++) target[i] = (numbers[i] as number) * slope + inter;
  } else if (slope !== 1) {
    for (let i = 0; i < n; i++) target[i] = (numbers[i] as number) * slope;
  } else {
    for (let i = 0; i < n; i++) target[i] = (numbers[i] as number) + inter;
  }
}

/** What {@link createImage} needs: the voxels, the shape, optionally geometry and a template. */
export interface CreateImageOptions {
  /** Voxel values; the array type picks the datatype unless `datatype` says otherwise. */
  readonly data: VoxelArray;
  /** Shape, fastest-varying axis first (x, y, z[, t...]). */
  readonly shape: readonly number[];
  /** NIfTI datatype code; needed for complex, RGB and RGBA data. */
  readonly datatype?: number;
  /**
   * Voxel-to-world affine. Stored as nibabel's `Nifti1Image(data, affine)` stores it: sform
   * code 2 (aligned), qform code 0 with the quaternion of the affine, voxel sizes from it.
   */
  readonly affine?: Affine;
  /** Header to start from (for example the header of the image this one derives from). */
  readonly header?: NiftiHeader;
  /** Further header fields to set. */
  readonly fields?: Partial<NiftiHeaderFields>;
}

/** A new image; the header is derived from `header` (or nibabel's defaults) and the data. */
export function createImage(options: CreateImageOptions): NiftiImage {
  const type = datatypeInfo(options.datatype ?? datatypeOfArray(options.data).code);
  const shape = [...options.shape];
  if (shape.length < 1 || shape.length > 7 || shape.some((n) => !Number.isInteger(n) || n < 0)) {
    throw new NiftiError("E_NIFTI_DIMS", `shape [${shape.join(", ")}] is not 1 to 7 sizes`);
  }
  const base = options.header ?? defaultHeader(shape.some((n) => n > 0x7fff) ? 2 : 1);
  const dim = [shape.length, ...shape];
  while (dim.length < 8) dim.push(1);
  let header = updateHeader(base, {
    ...options.fields,
    dim,
    datatype: type.code,
    bitpix: type.bitpix,
  });
  if (options.affine !== undefined) {
    header = setQform(setSform(header, options.affine, 2), options.affine, 0);
  }
  return new NiftiImage(header, options.data);
}
