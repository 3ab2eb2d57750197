// radifox run --name N --version V --input k=path... --output k=path... [options] -- <command...>:
// run any program as a processing module, with logs and provenance records.
import { resolve } from "node:path";
import { ProvenanceError, parseKeyValue, runExternal } from "@radifox/provenance";
import { parse } from "../args.js";
import { CliError, type CliIO, EXIT } from "../io.js";
import { cwdOf, shortId } from "./prov-common.js";

export const RUN_HELP = `Usage: radifox run --name <name> --version <version> --input <key=path>...
                   --output <key=path>... [options] -- <command> [<arg>...]

Run a program (without a shell) as a RADIFOX processing module: its output goes to the run's
logs (<session>/logs/<name>/...) and to stdout; when it succeeds and every output exists, a
provenance record is appended to the session's _Provenance.yml and written beside each output
(.prov). A failed run leaves a failure record (Status: failed) in the session file.

Options:
      --name <name>           module name (Module: line, logs/<name>/, qa/<name>/)
      --version <version>     module version
      --input <key=path>      an input file (repeat; a key given twice becomes a list)
      --output <key=path>     an output file the program makes (repeat)
      --param <key=value>     a parameter to record (repeat)
      --require-container     refuse to run outside a container (as the original RADIFOX)
      --record-format <f>     extended (default) or radifox (the original's text exactly)
      --no-qa                 no QA pictures for NIfTI outputs
  -h, --help                  show this help

The container is read from /.singularity.d/labels.json or from RADIFOX_CONTAINER_IMAGE, _TAG,
_COMMIT, _BUILDER, _TIMESTAMP and _DIGEST; without either, the record says None.

Exit codes: 0 ok, the program's own exit status when it fails with one, 1 other failures (an
output missing, no container with --require-container, a record that cannot be written),
64 bad arguments, 130 interrupted.`;

/** Options that take a value: the `--` after one of them is that value, not the separator. */
const VALUE_OPTIONS = new Set([
  "--name",
  "--version",
  "--input",
  "--output",
  "--param",
  "--record-format",
]);

/** Splits the arguments at the `--` that starts the command. */
function splitCommand(args: string[]): { options: string[]; command: string[] | undefined } {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (VALUE_OPTIONS.has(arg)) i++;
    else if (arg === "--") return { options: args.slice(0, i), command: args.slice(i + 1) };
  }
  return { options: args, command: undefined };
}

function pairs(texts: string[] | undefined, option: string): [string, string][] {
  try {
    return (texts ?? []).map((text) => parseKeyValue(text, option));
  } catch (error) {
    throw new CliError(EXIT.usage, (error as Error).message);
  }
}

export async function run(args: string[], io: CliIO): Promise<number> {
  const { options, command } = splitCommand(args);
  const { values, positionals } = parse(options, {
    name: { type: "string" },
    version: { type: "string" },
    input: { type: "string", multiple: true },
    output: { type: "string", multiple: true },
    param: { type: "string", multiple: true },
    "require-container": { type: "boolean" },
    "record-format": { type: "string" },
    "no-qa": { type: "boolean" },
    help: { type: "boolean", short: "h" },
  });
  if (values.help) {
    io.stdout.write(`${RUN_HELP}\n`);
    return EXIT.ok;
  }
  if (positionals.length > 0) {
    throw new CliError(
      EXIT.usage,
      `unexpected argument '${positionals[0]}': the command goes after '--'`,
    );
  }
  if (command === undefined || command.length === 0) {
    throw new CliError(EXIT.usage, "radifox run needs a command after '--'");
  }
  if (!values.name) throw new CliError(EXIT.usage, "radifox run needs --name");
  if (!values.version) throw new CliError(EXIT.usage, "radifox run needs --version");
  const format = values["record-format"] ?? "extended";
  if (format !== "extended" && format !== "radifox") {
    throw new CliError(EXIT.usage, "--record-format must be extended or radifox");
  }
  const cwd = cwdOf(io);
  const files = (texts: string[] | undefined, option: string) =>
    pairs(texts, option).map(([key, path]) => [key, resolve(cwd, path)] as [string, string]);
  const inputs = files(values.input, "--input");
  const outputs = files(values.output, "--output");
  const params = pairs(values.param, "--param");
  if (inputs.length === 0) {
    throw new CliError(EXIT.usage, "radifox run needs an --input (logs and records go beside it)");
  }
  if (outputs.length === 0) throw new CliError(EXIT.usage, "radifox run needs an --output");

  // Ctrl-C stops the program, and the failure record is still written.
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  try {
    const result = await runExternal({
      name: values.name,
      version: values.version,
      inputs,
      outputs,
      params,
      command,
      commandLine: ["run", ...args].join(" "),
      cwd,
      signal: controller.signal,
      recordFormat: format,
      qa: values["no-qa"] ? false : undefined,
      container: { require: values["require-container"] ?? false },
      onLog: (line) => io.stdout.write(line),
    });
    for (const record of result.records) {
      io.stderr.write(
        `radifox run: record ${shortId(record.id)} written to ${record.sessionFile}\n`,
      );
    }
    return EXIT.ok;
  } catch (error) {
    if (!(error instanceof ProvenanceError)) throw error;
    if (error.code === "E_PROV_USAGE" || error.code === "E_PROV_NO_INPUTS") {
      throw new CliError(EXIT.usage, error.message);
    }
    io.stderr.write(`radifox run: ${error.message}\n`);
    if (controller.signal.aborted) return 130;
    const status = (error.cause as { exitCode?: unknown } | undefined)?.exitCode;
    return typeof status === "number" && status > 0 && status < 256 ? status : EXIT.failure;
  } finally {
    process.removeListener("SIGINT", stop);
    process.removeListener("SIGTERM", stop);
  }
}
