/**
 * @radifox/naming: RADIFOX image names, filters and study layout.
 * @packageDocumentation
 */
export {
  FilterSyntaxError,
  NameError,
  type NamePart,
  NamingError,
  SidecarError,
  StudyFileError,
} from "./errors.js";
export {
  type FilterDialect,
  type FilterEntry,
  formatFilterEntries,
  parseFilterString,
} from "./filter-string.js";
export {
  anyOf,
  type ConditionOp,
  contains,
  FILTER_KEYS,
  FilterCondition,
  type FilterKey,
  type FilterPredicate,
  type FilterValue,
  type ImageValue,
  lacks,
  not,
  type PlainValue,
} from "./filter-values.js";
export { fnmatchRegExp, globSync } from "./glob.js";
export { IMAGE_FOLDERS, ImageFile } from "./image-file.js";
export {
  type FilterableImage,
  type FilterPartition,
  type FilterSpec,
  ImageFilter,
} from "./image-filter.js";
export {
  SESSION_FOLDERS,
  type SessionFolder,
  type SessionIds,
  type SessionLayout,
  sessionLayout,
  sessionPath,
  subjectFolderName,
} from "./layout.js";
export {
  formatName,
  type ImageType,
  type NameInput,
  type NameParts,
  type ParsedName,
  parseName,
  TYPE_COMPONENTS,
  type TypeComponent,
} from "./name.js";
export { JsonSyntaxError, parsePythonJson } from "./python-json.js";
export { comparePaths, pathSuffixes, pythonRealpath, RealpathResolver } from "./python-path.js";
export {
  PyFloat,
  PyTuple,
  pyFloat,
  pyTuple,
  pythonFloatRepr,
  pythonRepr,
  pythonStr,
  pythonStringRepr,
} from "./python-repr.js";
export { compareCodePoints, pythonReplace, pythonTitle } from "./python-text.js";
export {
  type ScanLevel,
  type ScanOptions,
  type ScanProblem,
  type ScanProgress,
  type SessionScan,
  scanStudy,
} from "./scan.js";
export {
  parseSeriesInfo,
  pascalKey,
  readSeriesInfo,
  readSeriesInfoSync,
  SeriesInfo,
} from "./series-info.js";
export {
  type ConversionMetadata,
  type ManualName,
  type ManualNaming,
  parseManualNaming,
  parseUnconvertedInfo,
  readManualNaming,
  readUnconvertedInfo,
  type UnconvertedInfo,
} from "./study-files.js";
