/**
 * @radifox/cli: the `radifox` command line, also callable in-process.
 * @packageDocumentation
 */

export { radifoxStage, stage, stageExitCode } from "./commands/stage.js";
export { CliError, type CliIO, EXIT, type ExitCode } from "./io.js";
export { HELP, main, version } from "./main.js";
