import { NiftiError } from "./errors.js";

/** The typed arrays that hold voxel data; complex and RGB voxels are interleaved components. */
export type VoxelArray =
  | Uint8Array
  | Int8Array
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | BigInt64Array
  | BigUint64Array
  | Float32Array
  | Float64Array;

type VoxelArrayConstructor = {
  new (buffer: ArrayBufferLike, byteOffset: number, length: number): VoxelArray;
  new (length: number): VoxelArray;
  readonly BYTES_PER_ELEMENT: number;
};

/** What one NIfTI datatype code means in memory. */
export interface DatatypeInfo {
  readonly code: number;
  /** nibabel's name of the type (`int16`, `float32`, `RGB`, ...). */
  readonly name: string;
  /** Bits per voxel, the value `bitpix` must have. */
  readonly bitpix: number;
  /** Array elements per voxel: 2 for complex, 3 for RGB, 4 for RGBA, else 1. */
  readonly components: number;
  /** Typed array class of one component. */
  readonly array: VoxelArrayConstructor;
  /**
   * Whether numpy computes `data * float32` in float32 for this type (int8/uint8/int16/uint16/
   * float32). nibabel's `get_fdata(dtype=float32)` then scales in float32; other types scale in
   * float64 and round at the end.
   */
  readonly float32Arithmetic: boolean;
  /** Whether voxels are real numbers (`getFloatData` is defined). */
  readonly real: boolean;
}

function info(
  code: number,
  name: string,
  array: VoxelArrayConstructor,
  components: number,
  float32Arithmetic: boolean,
  real = components === 1,
): DatatypeInfo {
  return Object.freeze({
    code,
    name,
    bitpix: array.BYTES_PER_ELEMENT * 8 * components,
    components,
    array,
    float32Arithmetic,
    real,
  });
}

/** NIfTI datatype codes (`nifti1.h` names). */
export const DT = Object.freeze({
  UINT8: 2,
  INT16: 4,
  INT32: 8,
  FLOAT32: 16,
  COMPLEX64: 32,
  FLOAT64: 64,
  RGB24: 128,
  INT8: 256,
  UINT16: 512,
  UINT32: 768,
  INT64: 1024,
  UINT64: 1280,
  FLOAT128: 1536,
  COMPLEX128: 1792,
  COMPLEX256: 2048,
  RGBA32: 2304,
} as const);

const TABLE: ReadonlyMap<number, DatatypeInfo> = new Map(
  [
    info(DT.UINT8, "uint8", Uint8Array, 1, true),
    info(DT.INT16, "int16", Int16Array, 1, true),
    info(DT.INT32, "int32", Int32Array, 1, false),
    info(DT.FLOAT32, "float32", Float32Array, 1, true),
    info(DT.COMPLEX64, "complex64", Float32Array, 2, false),
    info(DT.FLOAT64, "float64", Float64Array, 1, false),
    info(DT.RGB24, "RGB", Uint8Array, 3, false),
    info(DT.INT8, "int8", Int8Array, 1, true),
    info(DT.UINT16, "uint16", Uint16Array, 1, true),
    info(DT.UINT32, "uint32", Uint32Array, 1, false),
    info(DT.INT64, "int64", BigInt64Array, 1, false),
    info(DT.UINT64, "uint64", BigUint64Array, 1, false),
    info(DT.COMPLEX128, "complex128", Float64Array, 2, false),
    info(DT.RGBA32, "RGBA", Uint8Array, 4, false),
  ].map((entry) => [entry.code, entry]),
);

const UNSUPPORTED: Readonly<Record<number, string>> = {
  0: "unknown (0)",
  1: "binary (1 bit per voxel)",
  [DT.FLOAT128]: "float128 (no JavaScript type holds 128-bit floats)",
  [DT.COMPLEX256]: "complex256 (no JavaScript type holds 128-bit floats)",
};

/** The datatype with this code, or a `NiftiError` (`E_NIFTI_DATATYPE`) that names it. */
export function datatypeInfo(code: number): DatatypeInfo {
  const found = TABLE.get(code);
  if (found !== undefined) return found;
  const known = UNSUPPORTED[code];
  throw new NiftiError(
    "E_NIFTI_DATATYPE",
    known === undefined
      ? `datatype code ${code} is not a NIfTI datatype`
      : `datatype ${known} is not supported`,
  );
}

/** Every datatype this package reads and writes. */
export function supportedDatatypes(): DatatypeInfo[] {
  return [...TABLE.values()];
}

/** The datatype whose typed array class this is (the first, for classes several share). */
export function datatypeOfArray(array: VoxelArray): DatatypeInfo {
  for (const entry of TABLE.values()) {
    if (entry.components === 1 && array instanceof entry.array) return entry;
  }
  throw new NiftiError("E_NIFTI_DATATYPE", "unsupported array type");
}
