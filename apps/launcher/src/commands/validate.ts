// xcs validate <path...>: check command files, image label values and docker inspect output the
// way XNAT reads and validates them.
import { READ_MODES, type ReadMode } from "@xcs/command-schema";
import { parse } from "../args.js";
import { formatFile, formatSummary } from "../format.js";
import { CliError, type CliIO, EXIT, type ExitCode } from "../io.js";
import { validatePaths } from "../validate.js";

export const VALIDATE_HELP = `Usage: xcs validate [options] <path...>

Check XNAT Container Service commands with XNAT's own validation messages. A path is a file
or a folder (every *.json file below it, in path order; hidden entries, node_modules and XNAT
object documents such as "type": "Session" are left out); - reads standard input.

A file holds one command (an object), a list of commands (an array, as in an image label), an
image label value copied as a JSON string, or docker inspect output (the commands of each
image's org.nrg.commands label).

Options:
  -m, --mode <mode>   how XNAT gets the commands: rest (the UI and REST API; the default for a
                      file with one command), label (an image label; the default for lists,
                      label values and docker inspect output), model (the update API)
      --image <name>  the image name XNAT uses instead of the commands' own (REST ?image=, or
                      the name an image was pulled as)
      --lint          also run stricter checks (lint-* findings; lint errors fail the run)
      --json          print one JSON document
  -h, --help          show this help

Exit codes: 0 every command accepted, 1 XNAT would reject a command (with --lint: or a lint
error), 2 an input cannot be read (missing, unreadable, not JSON) or bad arguments.`;

async function readAll(stream: AsyncIterable<string | Uint8Array>): Promise<string> {
  const decoder = new TextDecoder();
  let text = "";
  for await (const chunk of stream) {
    text += typeof chunk === "string" ? chunk : decoder.decode(chunk, { stream: true });
  }
  return text + decoder.decode();
}

export async function validate(args: string[], io: CliIO): Promise<ExitCode> {
  const { values, positionals } = parse(args, {
    mode: { type: "string", short: "m" },
    image: { type: "string" },
    lint: { type: "boolean" },
    json: { type: "boolean" },
    help: { type: "boolean", short: "h" },
  });
  if (values.help) {
    io.stdout.write(`${VALIDATE_HELP}\n`);
    return EXIT.ok;
  }
  const mode = values.mode as ReadMode | undefined;
  if (mode !== undefined && !READ_MODES.includes(mode)) {
    throw new CliError(
      EXIT.usage,
      `unknown mode '${mode}': use ${READ_MODES.join(", ")}; see xcs validate --help`,
    );
  }
  if (positionals.length === 0) {
    throw new CliError(EXIT.usage, "no path given; see xcs validate --help");
  }
  const stdin = io.stdin;
  const report = await validatePaths(positionals, {
    mode,
    image: values.image,
    lint: values.lint,
    cwd: io.cwd,
    readStdin: stdin ? () => readAll(stdin) : undefined,
    // Human output is printed file by file, as the check goes.
    onFile: values.json ? undefined : (file) => io.stdout.write(formatFile(file)),
  });
  if (values.json) io.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  else io.stdout.write(formatSummary(report.summary, report.lint));
  return report.summary.exitCode;
}
