export { commandToJson } from "./command-json.js";
export {
  COMMAND_FIELDS,
  type FieldKind,
  type FieldSpec,
  type FieldTable,
  keysIn,
  OBJECT_FIELDS,
  type ObjectName,
  READ_MODES,
  type ReadMode,
} from "./fields.js";
export type { Finding, FindingSource, Severity } from "./findings.js";
export {
  COMMAND_LABEL,
  decodeCommandLabel,
  dockerfileLabel,
  encodeCommandLabel,
  type LabelCommand,
} from "./image-label.js";
export { isBlank, isJavaWhitespace, javaHashSetOrder, javaList } from "./java-order.js";
export {
  type FilterExpression,
  type FilterNode,
  FilterSyntaxError,
  MAX_FILTER_DEPTH,
  parseFilter,
  tryParseFilter,
} from "./jayway/filter-parser.js";
export {
  type JsonDocument,
  type JsonNode,
  JsonSyntaxError,
  lastEntry,
  nodeAt,
  plainValue,
  readJson,
  readJsonStringList,
  type SourcePosition,
} from "./json-reader.js";
export { commandJsonSchema, SCHEMA_FILE } from "./json-schema.js";
export { lintCommand } from "./lint.js";
export * from "./model.js";
export {
  CommandReadError,
  PULLED_IMAGE,
  parseCommand,
  type ReadErrorKind,
  type ReadOptions,
  type ReadResult,
  type ReadWarning,
  readCommand,
} from "./read-command.js";
export {
  type CheckResult,
  checkCommand,
  readWarningFindings,
  type ValidateOptions,
  validateCommand,
} from "./validate.js";
export { xcsValidate } from "./xcs-validate.js";
