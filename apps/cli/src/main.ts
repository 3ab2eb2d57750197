// The radifox command: dispatch to a subcommand and turn errors into exit codes.
import { createRequire } from "node:module";
import { LS_HELP, ls } from "./commands/ls.js";
import { NAME_PARSE_HELP, nameParse } from "./commands/name-parse.js";
import { CliError, type CliIO, EXIT, type ExitCode } from "./io.js";

export const HELP = `Usage: radifox <command> [options]

Commands:
  ls <dir>              list (and filter) the images of a project, subject or session
  name parse <name...>  explain RADIFOX file names part by part

Options:
  -h, --help     show help (also: radifox <command> --help)
  -V, --version  show the version

Exit codes: 0 ok, 64 bad arguments, 65 bad data, 66 missing input, 70 internal error.`;

export function version(): string {
  const manifest = createRequire(import.meta.url)("../package.json") as { version: string };
  return manifest.version;
}

type Command = (args: string[], io: CliIO) => Promise<ExitCode>;

const COMMANDS: Record<string, { run: Command; help: string }> = {
  ls: { run: ls, help: LS_HELP },
  "name parse": { run: nameParse, help: NAME_PARSE_HELP },
};

/** Run the radifox command line with `args` (without the program name); returns the exit code. */
export async function main(args: string[], io: CliIO): Promise<ExitCode> {
  const [first, second] = args;
  if (first === undefined) {
    io.stderr.write(`${HELP}\n`);
    return EXIT.usage;
  }
  if (first === "-h" || first === "--help" || first === "help") {
    io.stdout.write(`${HELP}\n`);
    return EXIT.ok;
  }
  if (first === "-V" || first === "--version") {
    io.stdout.write(`${version()}\n`);
    return EXIT.ok;
  }
  let name = first;
  let rest = args.slice(1);
  if (first === "name" && second === "parse") {
    name = "name parse";
    rest = args.slice(2);
  } else if (first === "name" && (second === "-h" || second === "--help")) {
    name = "name parse"; // the only `name` command
    rest = ["--help"];
  }
  const command = COMMANDS[name];
  try {
    if (!command) {
      const hint = first === "name" ? " (did you mean 'radifox name parse'?)" : "";
      throw new CliError(
        EXIT.usage,
        `unknown command '${args.slice(0, 2).join(" ")}'${hint}; see radifox --help`,
      );
    }
    return await command.run(rest, io);
  } catch (error) {
    if (error instanceof CliError) {
      io.stderr.write(`radifox: ${error.message}\n`);
      // A JSON reader gets a document in every case, not an empty stream.
      if (args.includes("--json")) {
        io.stdout.write(
          `${JSON.stringify({ error: { exitCode: error.exitCode, message: error.message } })}\n`,
        );
      }
      return error.exitCode;
    }
    io.stderr.write(`radifox: internal error: ${(error as Error)?.stack ?? String(error)}\n`);
    return EXIT.software;
  }
}
