export {
  commandLineFragment,
  type FormattedInput,
  formatMultipleValues,
  formatSingleValue,
  type MultipleValueText,
  multipleFragment,
  resolvedInputValue,
  type SingleValueText,
} from "./command-line.js";
export {
  JsonPathError,
  type JsonPathErrorKind,
  readJsonPath,
  readJsonPathAsString,
  readJsonPathList,
} from "./jsonpath/index.js";
export {
  checkIllegalValue,
  ILLEGAL_INPUT_STRINGS,
  ResolutionError,
  type ResolutionErrorName,
} from "./resolve/errors.js";
export { MASK, maskSensitive, sensitiveValues } from "./resolve/masking.js";
export { type QuirkMode, type Quirks, quirksFor } from "./resolve/quirks.js";
export {
  type CommandRegistry,
  commandRegistry,
  type RegisteredCommand,
} from "./resolve/registry.js";
export { type ResolveExtras, resolveCommand } from "./resolve/resolve.js";
export { type ResolvedJsonOptions, resolvedCommandJson } from "./resolve/resolved-json.js";
export { argElements, type CommandLineValue } from "./resolve/safe-argv.js";
export {
  type JsonPathTargets,
  resolveTemplate,
  substituteJsonPath,
  type ValueMap,
} from "./resolve/templates.js";
export type {
  FlatInputValue,
  ResolvedArgv,
  ResolvedCommand,
  ResolvedInput,
  ResolvedMount,
  ResolvedOutput,
  ResolvedSecret,
  ResolvedValue,
  ResolveOptions,
  ResolveSettings,
  ValueOrigin,
} from "./resolve/types.js";
export { type ContainerCommand, containerCommand, shellSplit } from "./shell-split.js";
