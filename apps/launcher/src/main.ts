// The xcs command: dispatch to a subcommand and turn errors into exit codes.
import { createRequire } from "node:module";
import { ARCHIVE_HELP, archive } from "./commands/archive.js";
import { RESOLVE_HELP, resolve } from "./commands/resolve.js";
import { SCHEMA_HELP, schema } from "./commands/schema.js";
import { VALIDATE_HELP, validate } from "./commands/validate.js";
import { XNAT2BIDS_HELP, xnat2bids } from "./commands/xnat2bids.js";
import { CliError, type CliIO, EXIT, type ExitCode } from "./io.js";

export const HELP = `Usage: xcs <command> [options]

XNAT Container Service commands on the command line.

Commands:
  validate <path...>  check command files, image labels and docker inspect output with
                      XNAT's own validation messages (and stricter checks with --lint)
  schema              print the JSON Schema of command documents (--out FILE to write it)
  archive ls <root>   list an archive (XNAT layout or RADIFOX study) as XCS sees it
  resolve             resolve a command's wrapper against an archive as XNAT would at launch,
                      and print the plan (argv, environment, mounts, outputs, setup steps)
  xnat2bids <input> <output>
                      make a BIDS dataset from an XNAT session folder (the xnat2bids setup
                      command: /input -> /output), a folder of sessions or a RADIFOX study

Options:
  -h, --help     show help (also: xcs <command> --help)
  -V, --version  show the version

Exit codes: 0 ok, 1 XNAT would reject a command (resolve: would not launch it; xnat2bids: no
dataset made), 2 an input cannot be read, bad arguments, or a file cannot be written.`;

export function version(): string {
  const manifest = createRequire(import.meta.url)("../package.json") as { version: string };
  return manifest.version;
}

type Command = (args: string[], io: CliIO) => Promise<ExitCode>;

const COMMANDS: Record<string, { run: Command; help: string }> = {
  validate: { run: validate, help: VALIDATE_HELP },
  schema: { run: schema, help: SCHEMA_HELP },
  archive: { run: archive, help: ARCHIVE_HELP },
  resolve: { run: resolve, help: RESOLVE_HELP },
  xnat2bids: { run: xnat2bids, help: XNAT2BIDS_HELP },
};

/** Run the xcs command line with `args` (without the program name); returns the exit code. */
export async function main(args: string[], io: CliIO): Promise<ExitCode> {
  const [first] = args;
  if (first === undefined) {
    io.stderr.write(`${HELP}\n`);
    return EXIT.usage;
  }
  if (first === "-h" || first === "--help" || first === "help") {
    const topic = first === "help" && args[1] !== undefined ? COMMANDS[args[1]] : undefined;
    io.stdout.write(`${topic?.help ?? HELP}\n`);
    return EXIT.ok;
  }
  if (first === "-V" || first === "--version") {
    io.stdout.write(`${version()}\n`);
    return EXIT.ok;
  }
  try {
    const command = Object.hasOwn(COMMANDS, first) ? COMMANDS[first] : undefined;
    if (!command) {
      throw new CliError(EXIT.usage, `unknown command '${first}'; see xcs --help`);
    }
    return await command.run(args.slice(1), io);
  } catch (error) {
    if (error instanceof CliError) {
      io.stderr.write(`xcs: ${error.message}\n`);
      // A JSON reader gets a document in every case, not an empty stream.
      if (args.includes("--json")) {
        io.stdout.write(
          `${JSON.stringify({ error: { exitCode: error.exitCode, message: error.message } })}\n`,
        );
      }
      return error.exitCode;
    }
    io.stderr.write(`xcs: internal error: ${(error as Error)?.stack ?? String(error)}\n`);
    return EXIT.failure;
  }
}
