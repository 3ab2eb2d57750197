/**
 * Byte layouts of the NIfTI-1 (348-byte) and NIfTI-2 (540-byte) headers, as tables that one
 * decoder and one encoder walk. Field names are nibabel's, in camelCase.
 */

export type FieldType = "u8" | "i8" | "i16" | "i32" | "i64" | "f32" | "f64" | "text";

export interface FieldSpec {
  readonly key: string;
  readonly offset: number;
  readonly type: FieldType;
  /** Array length for numeric fields (1 = scalar), byte length for `text`. */
  readonly count: number;
}

function fields(rows: [string, number, FieldType, number?][]): readonly FieldSpec[] {
  return Object.freeze(
    rows.map(([key, offset, type, count = 1]) => ({ key, offset, type, count })),
  );
}

export const NIFTI1_SIZE = 348;
export const NIFTI2_SIZE = 540;

export const NIFTI1_FIELDS = fields([
  ["sizeofHdr", 0, "i32"],
  ["dataType", 4, "text", 10],
  ["dbName", 14, "text", 18],
  ["extents", 32, "i32"],
  ["sessionError", 36, "i16"],
  ["regular", 38, "text", 1],
  ["dimInfo", 39, "u8"],
  ["dim", 40, "i16", 8],
  ["intentP1", 56, "f32"],
  ["intentP2", 60, "f32"],
  ["intentP3", 64, "f32"],
  ["intentCode", 68, "i16"],
  ["datatype", 70, "i16"],
  ["bitpix", 72, "i16"],
  ["sliceStart", 74, "i16"],
  ["pixdim", 76, "f32", 8],
  ["voxOffset", 108, "f32"],
  ["sclSlope", 112, "f32"],
  ["sclInter", 116, "f32"],
  ["sliceEnd", 120, "i16"],
  ["sliceCode", 122, "u8"],
  ["xyztUnits", 123, "u8"],
  ["calMax", 124, "f32"],
  ["calMin", 128, "f32"],
  ["sliceDuration", 132, "f32"],
  ["toffset", 136, "f32"],
  ["glmax", 140, "i32"],
  ["glmin", 144, "i32"],
  ["descrip", 148, "text", 80],
  ["auxFile", 228, "text", 24],
  ["qformCode", 252, "i16"],
  ["sformCode", 254, "i16"],
  ["quaternB", 256, "f32"],
  ["quaternC", 260, "f32"],
  ["quaternD", 264, "f32"],
  ["qoffsetX", 268, "f32"],
  ["qoffsetY", 272, "f32"],
  ["qoffsetZ", 276, "f32"],
  ["srowX", 280, "f32", 4],
  ["srowY", 296, "f32", 4],
  ["srowZ", 312, "f32", 4],
  ["intentName", 328, "text", 16],
  ["magic", 344, "text", 4],
]);

export const NIFTI2_FIELDS = fields([
  ["sizeofHdr", 0, "i32"],
  ["magic", 4, "text", 4],
  ["eolCheck", 8, "i8", 4],
  ["datatype", 12, "i16"],
  ["bitpix", 14, "i16"],
  ["dim", 16, "i64", 8],
  ["intentP1", 80, "f64"],
  ["intentP2", 88, "f64"],
  ["intentP3", 96, "f64"],
  ["pixdim", 104, "f64", 8],
  ["voxOffset", 168, "i64"],
  ["sclSlope", 176, "f64"],
  ["sclInter", 184, "f64"],
  ["calMax", 192, "f64"],
  ["calMin", 200, "f64"],
  ["sliceDuration", 208, "f64"],
  ["toffset", 216, "f64"],
  ["sliceStart", 224, "i64"],
  ["sliceEnd", 232, "i64"],
  ["descrip", 240, "text", 80],
  ["auxFile", 320, "text", 24],
  ["qformCode", 344, "i32"],
  ["sformCode", 348, "i32"],
  ["quaternB", 352, "f64"],
  ["quaternC", 360, "f64"],
  ["quaternD", 368, "f64"],
  ["qoffsetX", 376, "f64"],
  ["qoffsetY", 384, "f64"],
  ["qoffsetZ", 392, "f64"],
  ["srowX", 400, "f64", 4],
  ["srowY", 432, "f64", 4],
  ["srowZ", 464, "f64", 4],
  ["sliceCode", 496, "i32"],
  ["xyztUnits", 500, "i32"],
  ["intentCode", 504, "i32"],
  ["intentName", 508, "text", 16],
  ["dimInfo", 524, "u8"],
  ["unusedStr", 525, "text", 15],
]);

/** The end-of-line check bytes of NIfTI-2 (`\r\n\032\n`): a header mangled by a text transfer fails them. */
export const NIFTI2_EOL_CHECK = Object.freeze([13, 10, 26, 10]);
