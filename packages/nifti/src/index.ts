export { writeFileAtomic } from "./atomic-file.js";
export {
  type DatatypeInfo,
  DT,
  datatypeInfo,
  supportedDatatypes,
  type VoxelArray,
} from "./datatypes.js";
export { NiftiError, type NiftiErrorCode } from "./errors.js";
export { FileLockError, type FileLockOptions, withFileLock } from "./file-lock.js";
export { type NiftiFiles, niftiFiles } from "./files.js";
export {
  type Affine,
  alignQformToSform,
  axcodes,
  baseAffine,
  bestAffine,
  ioOrientation,
  qformAffine,
  RAS_LABELS,
  setQform,
  setSform,
  sformAffine,
  voxelSizes,
} from "./geometry.js";
export {
  dataByteLength,
  dataShape,
  decodeHeaderFields,
  defaultHeader,
  type Endianness,
  encodeHeaderFields,
  type NiftiExtension,
  type NiftiHeader,
  type NiftiHeaderFields,
  updateHeader,
  voxelCount,
} from "./header.js";
export { checkHeader, type HeaderProblem } from "./header-checks.js";
export {
  type CreateImageOptions,
  createImage,
  type FloatType,
  NiftiImage,
  slopeInter,
} from "./image.js";
export { type ReadImageOptions, readHeader, readHeaderSync, readImage } from "./read.js";
export { type HeaderEdit, rewriteHeader } from "./rewrite.js";
export { type WriteOptions, writeImage } from "./write.js";
