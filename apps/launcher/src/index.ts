/**
 * @xcs/launcher: the `xcs` command line, also callable in-process. Every command is a library
 * function here: `xcs validate` is {@link validatePaths} + {@link formatReport}, `xcs schema`
 * is {@link schemaText} / {@link writeSchema}.
 * @packageDocumentation
 */

export { formatFile, formatReport, formatSummary } from "./format.js";
export { CliError, type CliIO, EXIT, type ExitCode } from "./io.js";
export { HELP, main, version } from "./main.js";
export { schemaText, writeSchema } from "./schema.js";
export {
  type CommandReport,
  type CommandStatus,
  type FileForm,
  type FileReport,
  type FindingReport,
  type ReadErrorReport,
  STDIN_PATH,
  summarize,
  type ValidatePathsOptions,
  type ValidateTextOptions,
  type ValidationReport,
  type ValidationSummary,
  validatePaths,
  validateText,
  XNAT_OBJECT_TYPES,
} from "./validate.js";
